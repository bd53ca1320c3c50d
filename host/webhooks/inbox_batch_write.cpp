#include "webhooks/inbox_batch_write.hpp"

#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <string_view>

#include "queue/job_queue.hpp"

namespace reos::webhooks {
namespace {

// A PostgreSQL array literal of text values (every element quoted). Runs without a quote or
// backslash are copied whole: the bodies and payloads make this the intake's hottest loop.
std::string text_array(const std::vector<std::string>& values) {
  std::size_t size = 2;
  for (const std::string& v : values) size += v.size() + 3;
  std::string out;
  out.reserve(size + size / 8);
  out += '{';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    const std::string& v = values[i];
    std::size_t from = 0;
    for (std::size_t at; (at = v.find_first_of("\"\\", from)) != std::string::npos; from = at + 1) {
      out.append(v, from, at - from);
      out += '\\';
      out += v[at];
    }
    out.append(v, from, std::string::npos);
    out += '"';
  }
  out += '}';
  return out;
}

std::string bigint_array(const std::vector<std::int64_t>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

// Bodies travel as hex text inside the array (bytea arrays have no simpler literal).
std::string hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = digits[b >> 4];
    out[2 * i + 1] = digits[b & 15];
  }
  return out;
}

// The whole group commit is ONE prepared statement run as its own (implicit) transaction:
// no BEGIN/COMMIT round trips, no parse or plan per group, and every row it writes commits
// together — request rows, event rows (duplicates skipped), and one webhook.process job per
// tenant connector that got new pending events (fewer job rows now; the processor settles
// the group in one transaction later). Request ids are drawn first so events can refer to
// their request by position.
constexpr const char* kGroupCommitSql =
    "WITH req AS MATERIALIZED ("
    "  SELECT nextval('webhook_requests_id_seq') AS id, t.*"
    "  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
    "              $7::text[], $8::text[], $9::text[])"
    "    WITH ORDINALITY AS t(tenant_id, connector_id, method, url, headers, body_hex,"
    "                         request_id, status, reason, ord)),"
    " ins_req AS ("
    "  INSERT INTO webhook_requests (id, tenant_id, connector_id, method, url, headers, body,"
    "                                request_id, status, reason)"
    "  SELECT id, tenant_id, connector_id, method, url, headers::jsonb,"
    "         decode(body_hex, 'hex'), nullif(request_id, ''), status, nullif(reason, '')"
    "  FROM req),"
    " ins_ev AS ("
    "  INSERT INTO webhook_events (tenant_id, connector_id, request_id, provider_event_id,"
    "                              payload, status, reason)"
    "  SELECT r.tenant_id, r.connector_id, r.id, nullif(e.event_id, ''),"
    "         CASE WHEN jsonb_typeof(p.payload) = 'null' THEN NULL ELSE p.payload END,"
    "         e.status, nullif(e.reason, '')"
    "  FROM unnest($10::int[], $11::text[], $12::text[], $13::text[])"
    "    WITH ORDINALITY AS e(req_ord, event_id, status, reason, ord)"
    "  JOIN req r ON r.ord = e.req_ord"
    "  JOIN jsonb_array_elements($14::jsonb) WITH ORDINALITY AS p(payload, ord) ON p.ord = e.ord"
    // One order for every writer: two batches carrying the same ids cannot deadlock.
    "  ORDER BY r.tenant_id COLLATE \"C\", r.connector_id COLLATE \"C\","
    "           e.event_id COLLATE \"C\", e.ord"
    "  ON CONFLICT (tenant_id, connector_id, provider_event_id) DO NOTHING"
    "  RETURNING request_id, status),"
    " ins_job AS ("
    "  INSERT INTO jobs (tenant_id, kind, payload, idempotency_key, max_attempts, correlation_id)"
    "  SELECT r.tenant_id, $15, jsonb_build_object('request_ids', jsonb_agg(DISTINCT r.id)),"
    "         'requests:' || min(r.id), $16,"
    "         (array_agg(nullif(r.request_id, '') ORDER BY r.ord))[1]"
    "  FROM req r WHERE r.id IN (SELECT request_id FROM ins_ev WHERE status = 'pending')"
    "  GROUP BY r.tenant_id, r.connector_id"
    "  ON CONFLICT (tenant_id, kind, idempotency_key) DO NOTHING)"
    " SELECT r.id, count(e.status) FILTER (WHERE e.status = 'pending'),"
    "        count(e.status) FILTER (WHERE e.status = 'failed')"
    " FROM req r LEFT JOIN ins_ev e ON e.request_id = r.id"
    " GROUP BY r.id, r.ord ORDER BY r.ord";

std::string request_reason(const InboxEntry& e) {
  if (!e.failure.empty()) return e.failure;
  for (const InboxEvent& ev : e.events) {
    if (!ev.failure.empty()) return ev.failure;
  }
  return {};
}

}  // namespace

std::vector<InboxReceipt> write_inbox_batch(pqxx::connection_base& conn,
                                            const std::vector<const InboxEntry*>& entries,
                                            const queue::JobQueue& queue) {
  std::vector<InboxReceipt> receipts(entries.size());
  if (entries.empty()) return receipts;
  std::vector<std::string> tenants, connectors, methods, urls, headers, bodies, request_ids,
      statuses, reasons;
  std::vector<std::int64_t> event_requests;
  std::vector<std::string> event_ids, event_statuses, event_reasons;
  // Payloads travel as one JSON array: they are JSON already, so joining them costs nothing
  // and PostgreSQL parses each once, with no array-literal escaping on either side.
  std::string payloads = "[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const InboxEntry& e = *entries[i];
    tenants.push_back(e.tenant_id);
    connectors.push_back(e.connector_id);
    methods.push_back(e.method);
    urls.push_back(e.url);
    headers.push_back(e.headers_json);
    bodies.push_back(hex(e.body));
    request_ids.push_back(e.request_id);
    std::string reason = request_reason(e);
    statuses.push_back(reason.empty() ? "accepted" : "failed");
    reasons.push_back(std::move(reason));
    for (const InboxEvent& ev : e.events) {
      event_requests.push_back(static_cast<std::int64_t>(i + 1));
      event_ids.push_back(ev.provider_event_id);
      event_statuses.push_back(ev.failure.empty() ? "pending" : "failed");
      event_reasons.push_back(ev.failure);
      if (payloads.size() > 1) payloads += ',';
      payloads += ev.payload_json.empty() ? std::string_view("null") : ev.payload_json;
    }
  }
  payloads += ']';
  // Prepared once per connection: planning this statement costs more than a small group's
  // insert. (Re-preparing a name the session already has is a no-op in libpqxx.)
  conn.prepare("webhook_inbox_group_commit", kGroupCommitSql);
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_prepared(
      "webhook_inbox_group_commit", text_array(tenants), text_array(connectors),
      text_array(methods), text_array(urls), text_array(headers), text_array(bodies),
      text_array(request_ids), text_array(statuses), text_array(reasons),
      bigint_array(event_requests), text_array(event_ids), text_array(event_statuses),
      text_array(event_reasons), payloads, std::string(kWebhookProcess),
      queue.policy().settings_for(kWebhookProcess).max_attempts);
  if (r.size() != entries.size())
    throw std::runtime_error("webhook inbox: the group commit returned " +
                             std::to_string(r.size()) + " rows for " +
                             std::to_string(entries.size()) + " requests");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    InboxReceipt& receipt = receipts[i];
    receipt.request_row = r[i][0].as<std::int64_t>();
    receipt.accepted = r[i][1].as<int>();
    receipt.failed = r[i][2].as<int>();
    receipt.duplicates =
        static_cast<int>(entries[i]->events.size()) - receipt.accepted - receipt.failed;
  }
  return receipts;
}

}  // namespace reos::webhooks
