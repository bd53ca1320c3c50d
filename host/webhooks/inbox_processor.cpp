#include "webhooks/inbox_processor.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "config/hub_config.hpp"
#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"
#include "log/logger.hpp"
#include "pipeline/record_envelope.hpp"
#include "pipeline_exec/job_kinds.hpp"
#include "queue/job_queue.hpp"
#include "webhooks/inbox_batch_write.hpp"
#include "webhooks/message_event_seam.hpp"

namespace reos::webhooks {
namespace {

struct PendingEvent {
  std::int64_t id;
  std::string provider_event_id;
  std::string payload_json;
};

// Errors that say "try again" rather than "this event is bad": connection loss, deadlocks,
// serialization failures, the server shutting down or out of resources.
bool transient(const pqxx::sql_error& e) {
  const std::string state = e.sqlstate();
  for (const char* cls : {"08", "40", "53", "57"}) {
    if (state.rfind(cls, 0) == 0) return true;
  }
  return false;
}

std::string bigint_array(const std::vector<std::int64_t>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

// The pipeline record of an event: its `payload` object when it has one (Standard Webhooks:
// the sender's JSON), else the event itself.
pipeline::RecordJson record_of(const PendingEvent& ev) {
  nlohmann::json doc = nlohmann::json::parse(ev.payload_json);
  auto payload = doc.find("payload");
  if (payload != doc.end() && payload->is_object())
    return pipeline::RecordJson::adopt(std::move(*payload));
  return pipeline::RecordJson::adopt(std::move(doc));
}

}  // namespace

InboxProcessor::InboxProcessor(const config::HubConfig& hub, db::ConnectionPool& pool,
                               const queue::JobQueue& queue)
    : pool_(pool), queue_(queue) {
  for (const config::TenantConfig& t : hub.tenants) {
    for (const pipeline::PipelineConfig& p : t.pipelines) {
      if (!p.enabled) continue;
      for (const pipeline::PipelineSource& s : p.sources) {
        pipelines_[{t.id, s.connector}].push_back({p.id, p.record_type});
      }
    }
  }
}

const std::vector<WebhookPipeline>& InboxProcessor::pipelines_of(
    const std::string& tenant, const std::string& connector) const {
  static const std::vector<WebhookPipeline> none;
  const auto it = pipelines_.find({tenant, connector});
  return it == pipelines_.end() ? none : it->second;
}

queue::JobOutcome InboxProcessor::process(const queue::Job& job) const {
  std::vector<std::int64_t> requests;
  try {
    const auto payload = nlohmann::json::parse(job.payload_json);
    requests = payload.at("request_ids").get<std::vector<std::int64_t>>();
  } catch (const nlohmann::json::exception& e) {
    return queue::JobOutcome::fail(std::string("bad webhook.process payload: ") + e.what());
  }
  if (requests.empty()) return queue::JobOutcome::fail("webhook.process without request_ids");
  const std::string ids = bigint_array(requests);
  auto lease = pool_.acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, job.tenant_id);
  const pqxx::result head = tx.exec_params(
      "SELECT DISTINCT connector_id FROM webhook_requests WHERE id = ANY($1::bigint[])", ids);
  if (head.size() != 1) {
    return queue::JobOutcome::fail("inbox requests " + ids + " are missing or span " +
                                   std::to_string(head.size()) + " connectors");
  }
  const std::string connector = head[0][0].as<std::string>();
  // FOR UPDATE: a second worker running the same job (an expired lease) waits here and then
  // finds the events no longer pending.
  std::vector<PendingEvent> events;
  for (const auto& row : tx.exec_params(
           "SELECT id, provider_event_id, payload::text FROM webhook_events"
           " WHERE request_id = ANY($1::bigint[]) AND status = 'pending' ORDER BY id FOR UPDATE",
           ids)) {
    events.push_back(
        {row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::string>()});
  }
  if (events.empty()) return queue::JobOutcome::ok();

  std::vector<std::int64_t> processed;
  std::vector<std::pair<std::int64_t, std::string>> failed;
  const auto& pipelines = pipelines_of(job.tenant_id, connector);
  if (!pipelines.empty()) {
    const std::string batch_id = "webhook-" + std::to_string(requests.front());
    std::vector<queue::NewJob> jobs;
    for (const WebhookPipeline& p : pipelines) {
      pipeline::BatchEnvelope batch;
      batch.tenant = job.tenant_id;
      batch.type = p.record_type;
      batch.source_connector = connector;
      batch.pipeline = p.id;
      batch.correlation_id = batch_id;
      for (std::size_t i = 0; i < events.size(); ++i) {
        batch.records.push_back({events[i].provider_event_id, batch_id + "-" + std::to_string(i),
                                 record_of(events[i])});
      }
      queue::NewJob next;
      next.tenant_id = job.tenant_id;
      next.kind = pipeline_exec::kPipelineProcess;
      next.payload_json = pipeline::to_json(batch);
      next.idempotency_key =
          "webhook:" + p.id + "/" + connector + "/" + std::to_string(requests.front());
      next.correlation_id = batch_id;
      jobs.push_back(std::move(next));
    }
    queue_.enqueue_many(tx, jobs);
    for (const PendingEvent& ev : events) processed.push_back(ev.id);
  } else {
    if (!message_events_available()) {
      return queue::JobOutcome::defer(std::chrono::minutes(1),
                                      "message events wait for host/messaging in this build");
    }
    for (const PendingEvent& ev : events) {
      std::string reason;
      try {
        pqxx::subtransaction one(tx, "event");
        apply_message_event(one, queue_, job.tenant_id, connector, ev.payload_json);
        one.commit();
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (const pqxx::sql_error& e) {
        if (transient(e)) throw;
        reason = e.what();
      } catch (const std::exception& e) {
        reason = e.what();  // this event is bad; the others still apply
      }
      if (reason.empty()) {
        processed.push_back(ev.id);
      } else {
        failed.emplace_back(ev.id, reason);
      }
    }
  }
  tx.exec_params(
      "UPDATE webhook_events SET status = 'processed', processed_at = now()"
      " WHERE id = ANY($1::bigint[])",
      bigint_array(processed));
  for (const auto& [id, reason] : failed) {
    log::warn("webhook event failed", {{"tenant", job.tenant_id},
                                       {"connector", connector},
                                       {"event", std::to_string(id)},
                                       {"reason", reason}});
    tx.exec_params(
        "UPDATE webhook_events SET status = 'failed', reason = $2, processed_at = now()"
        " WHERE id = $1",
        id, reason);
  }
  tx.commit();
  return queue::JobOutcome::ok();
}

std::map<std::string, queue::JobHandler> webhook_handlers(const config::HubConfig& hub,
                                                          db::ConnectionPool& pool,
                                                          const queue::JobQueue& queue) {
  auto processor = std::make_shared<const InboxProcessor>(hub, pool, queue);
  return {
      {kWebhookProcess, [processor](const queue::Job& job) { return processor->process(job); }}};
}

}  // namespace reos::webhooks
