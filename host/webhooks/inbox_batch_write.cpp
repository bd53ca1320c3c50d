#include "webhooks/inbox_batch_write.hpp"

#include <map>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <utility>

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

std::vector<std::int64_t> insert_requests(pqxx::work& tx,
                                          const std::vector<const InboxEntry*>& entries) {
  std::vector<std::string> tenants, connectors, methods, urls, headers, bodies, request_ids,
      statuses, reasons;
  for (const InboxEntry* e : entries) {
    tenants.push_back(e->tenant_id);
    connectors.push_back(e->connector_id);
    methods.push_back(e->method);
    urls.push_back(e->url);
    headers.push_back(e->headers_json);
    bodies.push_back(hex(e->body));
    request_ids.push_back(e->request_id);
    std::string reason = e->failure;
    for (const InboxEvent& ev : e->events) {
      if (!reason.empty()) break;
      if (!ev.failure.empty()) {
        reason = ev.failure;
        break;
      }
    }
    statuses.push_back(reason.empty() ? "accepted" : "failed");
    reasons.push_back(reason);
  }
  // Ids are drawn before the insert so each row's id is known by its position. Prepared
  // once per connection: planning the statement would cost more than a small batch's insert.
  tx.conn().prepare(
      "webhook_inbox_requests",
      "WITH input AS MATERIALIZED ("
      "  SELECT nextval('webhook_requests_id_seq') AS id, t.*"
      "  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
      "              $7::text[], $8::text[], $9::text[])"
      "    WITH ORDINALITY AS t(tenant_id, connector_id, method, url, headers, body_hex,"
      "                         request_id, status, reason, ord)),"
      " ins AS ("
      "  INSERT INTO webhook_requests (id, tenant_id, connector_id, method, url, headers, body,"
      "                                request_id, status, reason)"
      "  SELECT id, tenant_id, connector_id, method, url, headers::jsonb,"
      "         decode(body_hex, 'hex'), nullif(request_id, ''), status, nullif(reason, '')"
      "  FROM input)"
      " SELECT id FROM input ORDER BY ord");
  const pqxx::result r = tx.exec_prepared(
      "webhook_inbox_requests", text_array(tenants), text_array(connectors), text_array(methods),
      text_array(urls), text_array(headers), text_array(bodies), text_array(request_ids),
      text_array(statuses), text_array(reasons));
  std::vector<std::int64_t> ids;
  ids.reserve(r.size());
  for (const auto& row : r) ids.push_back(row[0].as<std::int64_t>());
  return ids;
}

// Returns, per request row id, how many new events were stored pending and failed.
std::map<std::int64_t, std::pair<int, int>> insert_events(
    pqxx::work& tx, const std::vector<const InboxEntry*>& entries,
    const std::vector<std::int64_t>& row_ids) {
  std::vector<std::string> tenants, connectors, event_ids, payloads, statuses, reasons;
  std::vector<std::int64_t> requests;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    for (const InboxEvent& ev : entries[i]->events) {
      tenants.push_back(entries[i]->tenant_id);
      connectors.push_back(entries[i]->connector_id);
      requests.push_back(row_ids[i]);
      event_ids.push_back(ev.provider_event_id);
      payloads.push_back(ev.payload_json);
      statuses.push_back(ev.failure.empty() ? "pending" : "failed");
      reasons.push_back(ev.failure);
    }
  }
  std::map<std::int64_t, std::pair<int, int>> stored;
  if (requests.empty()) return stored;
  // Payloads travel as one JSON array: they are JSON already, so joining them costs nothing
  // and PostgreSQL parses each once, with no array-literal escaping on either side.
  std::string payload_array = "[";
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    if (i) payload_array += ',';
    payload_array += payloads[i].empty() ? std::string("null") : payloads[i];
  }
  payload_array += ']';
  tx.conn().prepare(
      "webhook_inbox_events",
      "INSERT INTO webhook_events (tenant_id, connector_id, request_id, provider_event_id,"
      "                            payload, status, reason)"
      " SELECT t.tenant_id, t.connector_id, t.request_id, nullif(t.event_id, ''),"
      "        CASE WHEN jsonb_typeof(p.payload) = 'null' THEN NULL ELSE p.payload END,"
      "        t.status, nullif(t.reason, '')"
      " FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])"
      "   WITH ORDINALITY AS t(tenant_id, connector_id, request_id, event_id, status, reason,"
      "                        ord)"
      " JOIN jsonb_array_elements($7::jsonb) WITH ORDINALITY AS p(payload, ord) USING (ord)"
      // One order for every writer: two batches carrying the same ids cannot deadlock.
      " ORDER BY t.tenant_id COLLATE \"C\", t.connector_id COLLATE \"C\","
      "          t.event_id COLLATE \"C\", ord"
      " ON CONFLICT (tenant_id, connector_id, provider_event_id) DO NOTHING"
      " RETURNING request_id, status");
  const pqxx::result r = tx.exec_prepared(
      "webhook_inbox_events", text_array(tenants), text_array(connectors), bigint_array(requests),
      text_array(event_ids), text_array(statuses), text_array(reasons), payload_array);
  for (const auto& row : r) {
    auto& counts = stored[row[0].as<std::int64_t>()];
    (row[1].as<std::string>() == "pending" ? counts.first : counts.second)++;
  }
  return stored;
}

}  // namespace

std::vector<InboxReceipt> write_inbox_batch(pqxx::connection_base& conn,
                                            const std::vector<const InboxEntry*>& entries,
                                            const queue::JobQueue& queue) {
  std::vector<InboxReceipt> receipts(entries.size());
  if (entries.empty()) return receipts;
  pqxx::work tx(conn);
  const std::vector<std::int64_t> row_ids = insert_requests(tx, entries);
  const auto stored = insert_events(tx, entries, row_ids);
  // One job per tenant connector of the batch (not per request): fewer rows to write now, and
  // the processor settles the whole group in one transaction later.
  std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> groups;
  std::map<std::pair<std::string, std::string>, std::string> correlation;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    InboxReceipt& receipt = receipts[i];
    receipt.request_row = row_ids[i];
    const auto it = stored.find(row_ids[i]);
    if (it != stored.end()) {
      receipt.accepted = it->second.first;
      receipt.failed = it->second.second;
    }
    receipt.duplicates =
        static_cast<int>(entries[i]->events.size()) - receipt.accepted - receipt.failed;
    if (receipt.accepted == 0) continue;
    const auto key = std::make_pair(entries[i]->tenant_id, entries[i]->connector_id);
    groups[key].push_back(row_ids[i]);
    correlation.emplace(key, entries[i]->request_id);
  }
  std::vector<queue::NewJob> jobs;
  for (const auto& [key, ids] : groups) {
    queue::NewJob job;
    job.tenant_id = key.first;
    job.kind = kWebhookProcess;
    std::string list = bigint_array(ids);  // "{1,2}" → JSON "[1,2]"
    list.front() = '[';
    list.back() = ']';
    job.payload_json = "{\"request_ids\":" + list + "}";
    job.idempotency_key = "requests:" + std::to_string(ids.front());
    job.correlation_id = correlation[key];
    jobs.push_back(std::move(job));
  }
  queue.enqueue_many(tx, jobs);
  tx.commit();
  return receipts;
}

}  // namespace reos::webhooks
