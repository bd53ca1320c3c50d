#include "pipeline_exec/outbox.hpp"

#include <pqxx/pqxx>

#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"

namespace reos::pipeline_exec {

OutboxBegin begin_send(db::ConnectionPool& pool, const OutboxKey& key, std::int64_t job_id,
                       bool resend_unknown) {
  auto lease = pool.acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, key.tenant);
  OutboxBegin out;
  const pqxx::result inserted = tx.exec_params(
      "INSERT INTO outbox (tenant_id, idempotency_key, kind, connector_id, job_id, status,"
      "  attempts) VALUES ($1, $2, $3, $4, $5, 'sending', 1)"
      " ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING attempts",
      key.tenant, key.idempotency_key, key.kind, key.connector, job_id);
  if (!inserted.empty()) {
    out.attempts = 1;
    tx.commit();
    return out;
  }
  const pqxx::row row = tx.exec_params1(
      "SELECT status, coalesce(provider_id, ''), attempts FROM outbox"
      " WHERE tenant_id = $1 AND idempotency_key = $2 FOR UPDATE",
      key.tenant, key.idempotency_key);
  const std::string status = row[0].as<std::string>();
  out.provider_id = row[1].as<std::string>();
  out.attempts = row[2].as<int>();
  if (status == "sent") {
    out.decision = OutboxDecision::already_sent;
  } else if (status == "sending" && !resend_unknown) {
    tx.exec_params(
        "UPDATE outbox SET status = 'failed', last_error = $3, updated_at = now()"
        " WHERE tenant_id = $1 AND idempotency_key = $2",
        key.tenant, key.idempotency_key, std::string(kUnknownOutcome));
    out.decision = OutboxDecision::unknown_outcome;
  } else {  // pending, failed (explicit replay), or sending for an idempotent exporter
    tx.exec_params(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, job_id = $3,"
        "  updated_at = now() WHERE tenant_id = $1 AND idempotency_key = $2",
        key.tenant, key.idempotency_key, job_id);
    out.attempts += 1;
  }
  tx.commit();
  return out;
}

void mark_sent(db::ConnectionPool& pool, const OutboxKey& key, const std::string& provider_id) {
  auto lease = pool.acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, key.tenant);
  tx.exec_params(
      "UPDATE outbox SET status = 'sent', provider_id = nullif($3, ''), last_error = NULL,"
      "  sent_at = now(), updated_at = now() WHERE tenant_id = $1 AND idempotency_key = $2",
      key.tenant, key.idempotency_key, provider_id);
  tx.commit();
}

void mark_unsent(db::ConnectionPool& pool, const OutboxKey& key, bool failed,
                 const std::string& error) {
  auto lease = pool.acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, key.tenant);
  tx.exec_params(
      "UPDATE outbox SET status = $3, last_error = $4, updated_at = now()"
      " WHERE tenant_id = $1 AND idempotency_key = $2 AND status = 'sending'",
      key.tenant, key.idempotency_key, std::string(failed ? "failed" : "pending"),
      error.substr(0, 4000));
  tx.commit();
}

}  // namespace reos::pipeline_exec
