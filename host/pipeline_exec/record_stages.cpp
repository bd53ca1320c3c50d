#include "pipeline_exec/record_stages.hpp"

#include <nlohmann/json.hpp>

#include "pipeline_exec/pipeline_runtime.hpp"
#include "reos/plugin.h"

namespace reos::pipeline_exec {
namespace {

using Kind = StageOutcome::Kind;
using std::chrono::milliseconds;

StageOutcome outcome(Kind kind, const pipeline::RecordJson& record, std::string stage,
                     std::string connector, std::string reason, milliseconds wait = {}) {
  StageOutcome o;
  o.kind = kind;
  o.record = record;
  o.stage = std::move(stage);
  o.connector = std::move(connector);
  o.reason = std::move(reason);
  o.wait = wait;
  return o;
}

// One stage's plugin call: `ok` with the plugin's `result`, or `stop`, which is final for
// the record (or the batch).
struct StageCall {
  bool ok = false;
  StageOutcome stop;
  plugin_runtime::CallResult result;
};

template <class Fn>
StageCall call_stage(PipelineRuntime& runtime, const pipeline::RecordEnvelope& env,
                     const pipeline::RecordJson& current, const std::string& stage,
                     const std::string& connector, Fn&& fn) {
  StageCall c;
  const ConnectorLookup target = runtime.lookup(env.tenant, connector);
  if (target.state == ConnectorLookup::State::disabled) {
    c.ok = true;  // skipped: the record goes on unchanged
    c.result.status = REOS_OK;
    c.result.output = current.dump();
    return c;
  }
  if (target.state == ConnectorLookup::State::unavailable) {
    c.stop = outcome(Kind::retry, current, stage, connector, target.error,
                     runtime.options().not_running_retry);
    return c;
  }
  const auto ctx = runtime.context(env.tenant, connector, env.correlation_id);
  const GuardedCall call = runtime.breakers().call(
      env.tenant, connector, [&] { return fn(*target.instance, ctx); },
      FailureRule::retry_and_host_fail);
  if (call.refused) {
    c.stop =
        outcome(Kind::deferred, current, stage, connector,
                "circuit open for connector '" + connector + "'; not attempted", call.retry_in);
    return c;
  }
  c.result = call.result;
  if (c.result.status == REOS_OK) {
    c.ok = true;
  } else if (c.result.status == REOS_RETRY) {
    c.stop = outcome(Kind::retry, current, stage, connector,
                     stage + " '" + connector + "' said RETRY: " + c.result.message,
                     milliseconds(c.result.retry_after_ms));
  } else {
    c.stop = outcome(Kind::quarantined, current, stage, connector,
                     std::string(c.result.status == REOS_INVALID ? "INVALID" : "FAIL") + ": " +
                         c.result.message);
  }
  return c;
}

// Attaches the scorer's result to the record.
pipeline::RecordJson with_score(const pipeline::RecordJson& record, const std::string& output) {
  nlohmann::json r = record.value();
  const nlohmann::json s = nlohmann::json::parse(output, nullptr, false);
  if (s.is_object()) {
    if (s.contains("score")) r["_score"] = s["score"];
    if (s.contains("contributions")) r["_score_contributions"] = s["contributions"];
  }
  return pipeline::RecordJson::adopt(std::move(r));
}

}  // namespace

StageOutcome run_stages(PipelineRuntime& runtime, const pipeline::PipelineConfig& cfg,
                        const pipeline::RecordEnvelope& env) {
  pipeline::RecordJson current = env.payload;
  for (const std::string& connector : cfg.stages.enrich) {
    const std::string text = current.dump();
    StageCall c = call_stage(
        runtime, env, current, "enrich", connector,
        [&](plugin_runtime::PluginInstance& instance, const plugin_runtime::CallContext& ctx) {
          return instance.enrich(ctx, text);
        });
    if (!c.ok) return c.stop;
    if (!c.result.output) {
      return outcome(Kind::dropped, current, "enrich", connector, "dropped by the enricher");
    }
    pipeline::RecordJson next = pipeline::RecordJson::parse(*c.result.output);
    if (!next.is_object()) {
      return outcome(Kind::quarantined, current, "enrich", connector,
                     "FAIL: enricher output is not a JSON object");
    }
    current = std::move(next);
  }
  if (!cfg.stages.score.empty()) {
    const std::string text = current.dump();
    StageCall c = call_stage(
        runtime, env, current, "score", cfg.stages.score,
        [&](plugin_runtime::PluginInstance& instance, const plugin_runtime::CallContext& ctx) {
          return instance.score(ctx, text);
        });
    if (!c.ok) return c.stop;
    if (c.result.output &&
        runtime.lookup(env.tenant, cfg.stages.score).state == ConnectorLookup::State::running) {
      current = with_score(current, *c.result.output);
    }
  }
  return outcome(Kind::routed, current, "", "", "");
}

}  // namespace reos::pipeline_exec
