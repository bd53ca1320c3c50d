#include "messaging/message_store.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "queue/job_queue.hpp"

namespace reos::messaging {

CreatedMessage create_message(pqxx::transaction_base& tx, const queue::JobQueue& queue,
                              const std::string& tenant, const NewMessage& m) {
  CreatedMessage out;
  const pqxx::result inserted = tx.exec_params(
      "INSERT INTO messages (tenant_id, channel, recipient, recipient_name, contact_id, template,"
      "  connector_id, marketing, content, idempotency_key)"
      " VALUES ($1, $2, $3, $4, nullif($5, '')::uuid, nullif($6, ''), $7, $8, $9::jsonb,"
      "  nullif($10, ''))"
      " ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
      " RETURNING id::text",
      tenant, m.channel, m.recipient, m.recipient_name, m.contact_id, m.template_name, m.connector,
      m.marketing, m.content_json, m.idempotency_key);
  if (inserted.empty()) {
    out.id = tx.exec_params1(
                   "SELECT id::text FROM messages WHERE tenant_id = $1 AND"
                   " idempotency_key = $2",
                   tenant, m.idempotency_key)[0]
                 .as<std::string>();
    return out;
  }
  out.id = inserted[0][0].as<std::string>();
  out.created = true;
  add_host_event(tx, tenant, out.id, m.connector, m.channel, "queued", "", "queued");
  queue::EnqueueOptions options;
  options.correlation_id = m.correlation_id;
  queue.enqueue(tx, tenant, kMessageSendJob, nlohmann::json{{"message_id", out.id}}.dump(),
                "message:" + out.id, options);
  return out;
}

void add_host_event(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& message_id, const std::string& connector,
                    const std::string& channel, const std::string& type,
                    const std::string& status_before, const std::string& status_after,
                    const std::string& detail_json) {
  tx.exec_params(
      "INSERT INTO message_events (tenant_id, message_id, connector_id, provider_event_id, type,"
      "  channel, status_before, status_after, detail)"
      " VALUES ($1, $2::uuid, $3, $4, $5, $6, nullif($7, ''), nullif($8, ''), $9::jsonb)"
      " ON CONFLICT (tenant_id, provider_event_id) DO NOTHING",
      tenant, message_id, connector, "host:" + message_id + ":" + type, type, channel,
      status_before, status_after, detail_json);
}

}  // namespace reos::messaging
