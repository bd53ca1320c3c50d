#include "pipeline_exec/sink_handlers.hpp"

#include <functional>
#include <nlohmann/json.hpp>

#include "log/logger.hpp"
#include "pipeline_exec/outbox.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "reos/plugin.h"

namespace reos::pipeline_exec {
namespace {

using queue::JobOutcome;
using std::chrono::milliseconds;
using PluginCall = std::function<plugin_runtime::CallResult(plugin_runtime::PluginInstance&,
                                                            const plugin_runtime::CallContext&)>;

struct SinkJob {
  std::string connector;
  nlohmann::json payload;
  std::string key;  // the side effect's idempotency key
};

SinkJob parse_sink(const queue::Job& job) {
  SinkJob s;
  s.payload = nlohmann::json::parse(job.payload_json, nullptr, false);
  if (!s.payload.is_object() || !s.payload.contains("target") || !s.payload["target"].is_object() ||
      !s.payload["target"].value("name", "").size() || !s.payload.contains("record") ||
      !s.payload["record"].is_object()) {
    throw std::invalid_argument(job.kind +
                                " payload: expected {\"target\":{\"name\":…},"
                                "\"record\":{…}}");
  }
  s.connector = s.payload["target"]["name"].get<std::string>();
  s.key = job.idempotency_key.empty() ? "job:" + std::to_string(job.id) : job.idempotency_key;
  return s;
}

std::string provider_id_of(const plugin_runtime::CallResult& r, const char* field) {
  if (!r.output) return "";
  const nlohmann::json out = nlohmann::json::parse(*r.output, nullptr, false);
  if (!out.is_object() || !out.contains(field)) return "";
  const auto& v = out[field];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// The outbox protocol shared by both sinks.
JobOutcome run_sink(PipelineRuntime& runtime, const queue::Job& job, const SinkJob& sink,
                    const char* outbox_kind, bool resend_unknown, const char* id_field,
                    const PluginCall& call_plugin) {
  const ConnectorLookup target = runtime.lookup(job.tenant_id, sink.connector);
  if (target.state == ConnectorLookup::State::disabled) {
    log::info("pipeline: sink connector is disabled; skipped", {{"connector", sink.connector}});
    return JobOutcome::ok();
  }
  if (target.state == ConnectorLookup::State::unavailable) {
    return JobOutcome::retry(runtime.options().not_running_retry, target.error);
  }
  const std::string not_attempted =
      "circuit open for connector '" + sink.connector + "'; not attempted";
  if (const milliseconds wait = runtime.breakers().blocked_for(job.tenant_id, sink.connector);
      wait > milliseconds(0)) {
    return JobOutcome::defer(wait, not_attempted);
  }

  const OutboxKey key{job.tenant_id, sink.key, outbox_kind, sink.connector};
  const OutboxBegin begin = begin_send(runtime.pool(), key, job.id, resend_unknown);
  if (begin.decision == OutboxDecision::already_sent) {
    log::info("pipeline: side effect already sent; not repeated",
              {{"connector", sink.connector}, {"provider_id", begin.provider_id}});
    return JobOutcome::ok();
  }
  if (begin.decision == OutboxDecision::unknown_outcome) {
    log::warn("pipeline: notification outcome unknown; not resent",
              {{"connector", sink.connector}, {"idempotency_key", sink.key}});
    return JobOutcome::fail(kUnknownOutcome);
  }

  const auto ctx = runtime.context(job.tenant_id, sink.connector, job.correlation_id);
  const GuardedCall call = runtime.breakers().call(
      job.tenant_id, sink.connector, [&] { return call_plugin(*target.instance, ctx); });
  if (call.refused) {  // opened since the check above: nothing was sent
    mark_unsent(runtime.pool(), key, false, not_attempted);
    return JobOutcome::defer(call.retry_in, not_attempted);
  }
  runtime.fault_point("sink:after-provider-call");
  const plugin_runtime::CallResult& r = call.result;
  if (r.status == REOS_OK) {
    mark_sent(runtime.pool(), key, provider_id_of(r, id_field));
    return JobOutcome::ok();
  }
  const std::string error = sink.connector + ": " +
                            (r.status == REOS_RETRY     ? "RETRY"
                             : r.status == REOS_INVALID ? "INVALID"
                                                        : "FAIL") +
                            (r.message.empty() ? "" : ": " + r.message);
  const bool retry = r.status == REOS_RETRY;
  mark_unsent(runtime.pool(), key, !retry, error);
  if (retry) return JobOutcome::retry(milliseconds(r.retry_after_ms), error);
  return JobOutcome::fail(error);
}

}  // namespace

JobOutcome handle_sink_notify(PipelineRuntime& runtime, const queue::Job& job) {
  SinkJob sink;
  try {
    sink = parse_sink(job);
  } catch (const std::exception& e) {
    return JobOutcome::fail(e.what());
  }
  const nlohmann::json& target = sink.payload["target"];
  const nlohmann::json& record = sink.payload["record"];
  const std::string message =
      nlohmann::json{{"record_id", record.value("id", "")},
                     {"template", target.value("template", "")},
                     {"with", target.value("with", nlohmann::json::object())},
                     {"tenant", job.tenant_id},
                     {"pipeline", sink.payload.value("pipeline", "")},
                     {"route", sink.payload.value("route", "")},
                     {"idempotency_key", sink.key},
                     {"record", record.value("payload", nlohmann::json::object())}}
          .dump();
  return run_sink(
      runtime, job, sink, "notify", false, "provider_id",
      [&](plugin_runtime::PluginInstance& instance, const plugin_runtime::CallContext& ctx) {
        return instance.notify(ctx, message);
      });
}

JobOutcome handle_sink_export(PipelineRuntime& runtime, const queue::Job& job) {
  SinkJob sink;
  try {
    sink = parse_sink(job);
  } catch (const std::exception& e) {
    return JobOutcome::fail(e.what());
  }
  const std::string record =
      sink.payload["record"].value("payload", nlohmann::json::object()).dump();
  return run_sink(
      runtime, job, sink, "export", true, "external_id",
      [&](plugin_runtime::PluginInstance& instance, const plugin_runtime::CallContext& ctx) {
        return instance.export_record(ctx, record, sink.key);
      });
}

}  // namespace reos::pipeline_exec
