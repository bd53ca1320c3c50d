#include "messaging/message_events.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <regex>
#include <set>
#include <stdexcept>

#include "messaging/contact_lookup.hpp"
#include "messaging/message_address.hpp"
#include "messaging/message_status.hpp"
#include "messaging/message_store.hpp"
#include "messaging/suppression_store.hpp"
#include "queue/job_queue.hpp"

namespace reos::messaging {
namespace {

using nlohmann::json;

/// The workflow event an inbound reply becomes (a queue job of this kind).
constexpr const char* kRepliedEvent = "interaction.replied";

const std::set<std::string> kTypes = {"processed",
                                      "sent",
                                      "delivered",
                                      "deferred",
                                      "bounced",
                                      "blocked",
                                      "dropped",
                                      "failed",
                                      "opened",
                                      "clicked",
                                      "spam_reported",
                                      "unsubscribed",
                                      "group_unsubscribed",
                                      "group_resubscribed",
                                      "inbound",
                                      "opted_out",
                                      "opted_in",
                                      "help"};
const std::set<std::string> kSuppressing = {"bounced",       "blocked",      "dropped",
                                            "spam_reported", "unsubscribed", "group_unsubscribed",
                                            "opted_out"};
const std::set<std::string> kUnsuppressing = {"group_resubscribed", "opted_in"};
// Events sent by the recipient rather than about our message: matched by address.
const std::set<std::string> kFromRecipient = {"inbound", "opted_out", "opted_in", "help"};

struct Event {
  json raw;
  std::string provider_event_id, type, channel, message_id, provider_message_id, address,
      occurred_at, reason;
};

std::string str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

Event parse_event(const std::string& event_json) {
  Event e;
  e.raw = json::parse(event_json, nullptr, false);
  if (!e.raw.is_object()) throw std::invalid_argument("message event: not a JSON object");
  e.provider_event_id = str(e.raw, "provider_event_id");
  e.type = str(e.raw, "type");
  e.channel = str(e.raw, "channel");
  std::string problems;
  if (e.provider_event_id.empty() || e.provider_event_id.size() > 400) {
    problems += " provider_event_id: required, 1 to 400 characters;";
  }
  if (!kTypes.count(e.type)) problems += " type: not a MessageEvent type;";
  if (e.channel != "email" && e.channel != "sms") problems += " channel: must be email or sms;";
  if (!problems.empty()) throw std::invalid_argument("message event:" + problems);
  e.message_id = str(e.raw, "message_id");
  e.provider_message_id = str(e.raw, "provider_message_id");
  const std::string address = str(e.raw, "address");
  e.address = normalize_address(e.channel, address);
  if (e.address.empty()) e.address = address;  // kept as given: still a useful fact
  static const std::regex kTime(
      R"(^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$)");
  const std::string at = str(e.raw, "occurred_at");
  if (std::regex_match(at, kTime)) e.occurred_at = at;
  e.reason = str(e.raw, "reason");
  return e;
}

struct MessageRow {
  std::string id, status, recipient, contact_id, connector;
};

std::optional<MessageRow> to_row(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  return MessageRow{r[0][0].as<std::string>(), r[0][1].as<std::string>(), r[0][2].as<std::string>(),
                    r[0][3].is_null() ? "" : r[0][3].as<std::string>(), r[0][4].as<std::string>()};
}

// Our message id when the provider echoed it, else the provider's id, else (for what the
// recipient sent us) the latest message to that address. Locked for the status update.
std::optional<MessageRow> find_message(pqxx::transaction_base& tx, const std::string& tenant,
                                       const Event& e) {
  static const std::regex kUuid("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$");
  const std::string columns =
      "SELECT id::text, status, recipient, contact_id::text, connector_id FROM messages"
      " WHERE tenant_id = $1 AND ";
  if (std::regex_match(e.message_id, kUuid)) {
    if (auto row =
            to_row(tx.exec_params(columns + "id = $2::uuid FOR UPDATE", tenant, e.message_id))) {
      return row;
    }
  }
  if (!e.provider_message_id.empty()) {
    if (auto row = to_row(tx.exec_params(columns + "provider_message_id = $2"
                                                   " ORDER BY created_at DESC LIMIT 1 FOR UPDATE",
                                         tenant, e.provider_message_id))) {
      return row;
    }
  }
  if (kFromRecipient.count(e.type) && !e.address.empty()) {
    return to_row(tx.exec_params(columns +
                                     "channel = $2 AND recipient = $3 AND status <> 'suppressed'"
                                     " ORDER BY created_at DESC LIMIT 1 FOR UPDATE",
                                 tenant, e.channel, e.address));
  }
  return std::nullopt;
}

// The status the event leaves the message in: forward only.
std::string status_after(const MessageRow& m, const Event& e) {
  const std::string target(status_for_event(e.type));
  return !target.empty() && status_rank(target) > status_rank(m.status) ? target : m.status;
}

// Sets the status (already decided) and records when the event's status was first reached,
// also when the message is already further on.
void apply_status(pqxx::transaction_base& tx, const std::string& tenant, const MessageRow& m,
                  const Event& e, const std::string& after) {
  const std::string target(status_for_event(e.type));
  if (target.empty()) return;
  const bool is_error = target == "bounced" || target == "failed";
  const std::string column(status_time_column(target));
  tx.exec_params("UPDATE messages SET status = $3, " + column + " = coalesce(" + column +
                     ", coalesce(nullif($4, '')::timestamptz, now())),"
                     " provider_message_id = coalesce(provider_message_id, nullif($5, '')),"
                     " error = CASE WHEN $6 AND $3 = $7 THEN nullif($8, '') ELSE error END,"
                     " updated_at = now() WHERE tenant_id = $1 AND id = $2::uuid",
                 tenant, m.id, after, e.occurred_at, e.provider_message_id, is_error, target,
                 e.reason.empty() ? e.type : e.reason);
}

void apply_suppression(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& connector, const std::optional<MessageRow>& m,
                       const Event& e) {
  const std::string address = !e.address.empty() ? e.address : (m ? m->recipient : "");
  if (address.empty()) return;
  if (kSuppressing.count(e.type)) {
    add_suppression(tx, tenant,
                    {e.channel, address, e.type, "webhook:" + connector, m ? m->id : "", e.reason});
  } else if (kUnsuppressing.count(e.type)) {
    remove_suppression(tx, tenant, e.channel, address);
  }
}

void emit_replied(pqxx::transaction_base& tx, const queue::JobQueue& queue,
                  const std::string& tenant, const std::string& connector,
                  const std::optional<MessageRow>& m, const Event& e) {
  std::string contact_id = m ? m->contact_id : "";
  if (contact_id.empty() && !e.address.empty()) {
    if (auto c = find_contact_by_address(tx, tenant, e.channel, e.address)) contact_id = c->id;
  }
  const json payload = {
      {"event", kRepliedEvent},
      {"tenant", tenant},
      {"connector", connector},
      {"channel", e.channel},
      {"message_id", m ? json(m->id) : json(nullptr)},
      {"contact_id", contact_id.empty() ? json(nullptr) : json(contact_id)},
      {"from", e.address},
      {"body", str(e.raw, "body")},
      {"provider_event_id", e.provider_event_id},
      {"occurred_at", e.occurred_at.empty() ? json(nullptr) : json(e.occurred_at)}};
  queue.enqueue(tx, tenant, kRepliedEvent, payload.dump(), "replied:" + e.provider_event_id);
}

// CTIA: HELP is answered even for an opted-out number, so the reply skips suppression.
void send_help_reply(pqxx::transaction_base& tx, const queue::JobQueue& queue,
                     const std::string& tenant, const std::string& connector,
                     const std::optional<MessageRow>& m, const Event& e) {
  const std::string to = !e.address.empty() ? e.address : (m ? m->recipient : "");
  if (normalize_address(e.channel, to).empty()) return;
  std::string text = str(e.raw, "reply");
  if (text.empty()) {
    const pqxx::result name = tx.exec_params("SELECT name FROM tenants WHERE id = $1", tenant);
    text = (name.empty() ? tenant : name[0][0].as<std::string>()) +
           ": reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.";
  }
  NewMessage reply;
  reply.channel = e.channel;
  reply.recipient = normalize_address(e.channel, to);
  reply.contact_id = m ? m->contact_id : "";
  reply.connector = connector;
  reply.content_json = json{{"text", text}, {"help_reply", true}}.dump();
  reply.idempotency_key = "help:" + e.provider_event_id;
  create_message(tx, queue, tenant, reply);
}

}  // namespace

void apply_message_event(pqxx::transaction_base& tx, const queue::JobQueue& queue,
                         const std::string& tenant, const std::string& connector,
                         const std::string& event_json) {
  const Event e = parse_event(event_json);
  const std::optional<MessageRow> message = find_message(tx, tenant, e);
  // The message row is locked, so the status this event leads to is known before the
  // (append-only) timeline row is written; the row's unique key makes a duplicate a no-op.
  const std::string after = message ? status_after(*message, e) : "";
  const pqxx::result inserted = tx.exec_params(
      "INSERT INTO message_events (tenant_id, message_id, connector_id, provider_event_id, type,"
      "  channel, address, status_before, status_after, occurred_at, detail)"
      " VALUES ($1, nullif($2, '')::uuid, $3, $4, $5, $6, nullif($7, ''), nullif($8, ''),"
      "  nullif($9, ''), coalesce(nullif($10, '')::timestamptz, now()), $11::jsonb)"
      " ON CONFLICT (tenant_id, provider_event_id) DO NOTHING RETURNING id",
      tenant, message ? message->id : "", connector, e.provider_event_id, e.type, e.channel,
      e.address, message ? message->status : "", after, e.occurred_at, e.raw.dump());
  if (inserted.empty()) return;  // a duplicate: applied before
  if (message) apply_status(tx, tenant, *message, e, after);
  apply_suppression(tx, tenant, connector, message, e);
  if (e.type == "inbound") emit_replied(tx, queue, tenant, connector, message, e);
  if (e.type == "help") send_help_reply(tx, queue, tenant, connector, message, e);
}

}  // namespace reos::messaging
