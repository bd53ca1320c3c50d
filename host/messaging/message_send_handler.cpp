#include "messaging/message_send_handler.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>

#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"
#include "log/logger.hpp"
#include "messaging/message_address.hpp"
#include "messaging/message_preparation.hpp"
#include "messaging/message_store.hpp"
#include "messaging/messaging_tenants.hpp"
#include "messaging/suppression_store.hpp"
#include "pipeline_exec/outbox.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "reos/plugin.h"

namespace reos::messaging {
namespace {

using queue::JobOutcome;
using std::chrono::milliseconds;
namespace px = pipeline_exec;

// One short transaction in the tenant's scope.
template <typename Fn>
auto in_tenant(db::ConnectionPool& pool, const std::string& tenant, Fn&& fn) {
  auto lease = pool.acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, tenant);
  if constexpr (std::is_void_v<decltype(fn(tx))>) {
    fn(tx);
    tx.commit();
  } else {
    auto result = fn(tx);
    tx.commit();
    return result;
  }
}

std::string provider_id_of(const plugin_runtime::CallResult& r) {
  if (!r.output) return "";
  const nlohmann::json out = nlohmann::json::parse(*r.output, nullptr, false);
  if (!out.is_object()) return "";
  for (const char* key : {"provider_id", "provider_message_id", "message_id"}) {
    if (out.contains(key) && out[key].is_string()) return out[key].get<std::string>();
  }
  return "";
}

/// A notifier that refuses because the recipient opted out at the provider (Twilio 21610)
/// says so with FAIL plus output {"suppress": true, "reason": …} (docs/providers.md): the
/// address joins the suppressions so nothing is sent to it again.
std::optional<SuppressionEntry> provider_suppression(const plugin_runtime::CallResult& r,
                                                     const PreparedMessage& prepared,
                                                     const std::string& connector,
                                                     const std::string& message_id) {
  if (r.status != REOS_FAIL || !r.output) return std::nullopt;
  const nlohmann::json out = nlohmann::json::parse(*r.output, nullptr, false);
  if (!out.is_object() || out.value("suppress", false) != true) return std::nullopt;
  const nlohmann::json sent = nlohmann::json::parse(prepared.notifier_json, nullptr, false);
  if (!sent.is_object() || !sent.contains("to") || !sent["to"].is_string()) return std::nullopt;
  SuppressionEntry e;
  e.channel = prepared.channel;
  e.address = normalize_address(prepared.channel, sent["to"].get<std::string>());
  e.reason = out.contains("reason") && out["reason"].is_string() ? out["reason"].get<std::string>()
                                                                 : "opted_out";
  e.source = "notifier:" + connector;
  e.message_id = message_id;
  e.detail = r.message.substr(0, 1000);
  return e;
}

std::string status_word(std::int32_t status) {
  return status == REOS_RETRY ? "RETRY" : status == REOS_INVALID ? "INVALID" : "FAIL";
}

}  // namespace

JobOutcome handle_message_send(const MessagingRuntime& runtime, const queue::Job& job) {
  const nlohmann::json payload = nlohmann::json::parse(job.payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("message_id") ||
      !payload["message_id"].is_string()) {
    return JobOutcome::fail("message.send payload: expected {\"message_id\":\"<uuid>\"}");
  }
  const std::string id = payload["message_id"];
  // A tenant made through the admin API has no tenant file: no templates, no marketing email,
  // but inline messages still go out.
  TenantMessaging unconfigured;
  unconfigured.tenant_id = unconfigured.tenant_name = job.tenant_id;
  const TenantMessaging* found = runtime.tenants.find(job.tenant_id);
  const TenantMessaging* tm = found ? found : &unconfigured;
  px::PipelineRuntime& rt = runtime.pipelines;
  db::ConnectionPool& pool = rt.pool();

  const PreparedMessage prepared = in_tenant(pool, job.tenant_id, [&](pqxx::transaction_base& tx) {
    return prepare_message(tx, *tm, id, runtime.tenants.now_unix());
  });
  switch (prepared.outcome) {
    case PreparedMessage::Outcome::done:
    case PreparedMessage::Outcome::suppressed:
      return JobOutcome::ok();
    case PreparedMessage::Outcome::failed:
      return JobOutcome::fail(prepared.error);
    case PreparedMessage::Outcome::send:
      break;
  }

  const std::string& connector = prepared.connector;
  const px::ConnectorLookup target = rt.lookup(job.tenant_id, connector);
  if (target.state == px::ConnectorLookup::State::disabled) {
    const std::string error = "connector '" + connector + "' is disabled";
    in_tenant(pool, job.tenant_id, [&](pqxx::transaction_base& tx) {
      advance_status(tx, job.tenant_id, id, "failed", error);
    });
    return JobOutcome::fail(error);
  }
  if (target.state == px::ConnectorLookup::State::unavailable) {
    return JobOutcome::retry(rt.options().not_running_retry, target.error);
  }
  const std::string not_attempted = "circuit open for connector '" + connector + "'; not attempted";
  if (const milliseconds wait = rt.breakers().blocked_for(job.tenant_id, connector);
      wait > milliseconds(0)) {
    return JobOutcome::defer(wait, not_attempted);
  }

  const px::OutboxKey key{job.tenant_id, "message:" + id, "notify", connector};
  const px::OutboxBegin begin = px::begin_send(pool, key, job.id, false);
  if (begin.decision == px::OutboxDecision::already_sent) {
    in_tenant(pool, job.tenant_id, [&](pqxx::transaction_base& tx) {
      advance_status(tx, job.tenant_id, id, "sent", "", begin.provider_id);
    });
    return JobOutcome::ok();
  }
  if (begin.decision == px::OutboxDecision::unknown_outcome) {
    log::warn("messaging: send outcome unknown; not resent", {{"message_id", id}});
    in_tenant(pool, job.tenant_id, [&](pqxx::transaction_base& tx) {
      tx.exec_params(
          "UPDATE messages SET error = $3, updated_at = now()"
          " WHERE tenant_id = $1 AND id = $2::uuid",
          job.tenant_id, id, std::string(px::kUnknownOutcome));
      add_host_event(tx, job.tenant_id, id, connector, prepared.channel, "unknown_outcome", "", "");
    });
    return JobOutcome::fail(px::kUnknownOutcome);
  }

  const auto ctx = rt.context(job.tenant_id, connector, job.correlation_id);
  const px::GuardedCall call = rt.breakers().call(job.tenant_id, connector, [&] {
    return target.instance->notify(ctx, prepared.notifier_json);
  });
  if (call.refused) {
    px::mark_unsent(pool, key, false, not_attempted);
    return JobOutcome::defer(call.retry_in, not_attempted);
  }
  rt.fault_point("message.send:after-provider-call");
  const plugin_runtime::CallResult& r = call.result;
  if (r.status == REOS_OK) {
    const std::string provider_id = provider_id_of(r);
    px::mark_sent(pool, key, provider_id);
    in_tenant(pool, job.tenant_id, [&](pqxx::transaction_base& tx) {
      advance_status(tx, job.tenant_id, id, "sent", "", provider_id);
    });
    return JobOutcome::ok();
  }
  const std::string error =
      connector + ": " + status_word(r.status) + (r.message.empty() ? "" : ": " + r.message);
  if (r.status == REOS_RETRY) {
    px::mark_unsent(pool, key, false, error);
    in_tenant(pool, job.tenant_id, [&](pqxx::transaction_base& tx) {
      tx.exec_params(
          "UPDATE messages SET error = $3, updated_at = now()"
          " WHERE tenant_id = $1 AND id = $2::uuid",
          job.tenant_id, id, error.substr(0, 4000));
    });
    return JobOutcome::retry(milliseconds(r.retry_after_ms), error);
  }
  px::mark_unsent(pool, key, true, error);
  if (const auto suppression = provider_suppression(r, prepared, connector, id)) {
    in_tenant(pool, job.tenant_id, [&](pqxx::transaction_base& tx) {
      add_suppression(tx, job.tenant_id, *suppression);
      advance_status(tx, job.tenant_id, id, "suppressed", error);
    });
    return JobOutcome::ok();
  }
  in_tenant(pool, job.tenant_id, [&](pqxx::transaction_base& tx) {
    advance_status(tx, job.tenant_id, id, "failed", error);
  });
  return JobOutcome::fail(error);
}

std::map<std::string, queue::JobHandler> messaging_handlers(MessagingRuntime runtime) {
  return {{kMessageSendJob,
           [runtime](const queue::Job& job) { return handle_message_send(runtime, job); }}};
}

}  // namespace reos::messaging
