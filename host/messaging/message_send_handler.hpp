#pragma once

// The `message.send` job (payload {"message_id"}): prepares the message in one transaction
// (message_preparation.hpp), then hands it to the tenant's notifier connector through the
// outbox (pipeline_exec/outbox.hpp), so a crash never sends it twice: 'sending' is recorded
// before the provider call, 'sent' with the provider's id after it. docs/messaging.md.

#include <map>
#include <string>

#include "queue/job.hpp"
#include "queue/worker_pool.hpp"

namespace reos::pipeline_exec {
class PipelineRuntime;
}

namespace reos::messaging {

class MessagingTenants;

/// What the handler needs; both must outlive every call.
struct MessagingRuntime {
  const MessagingTenants& tenants;
  pipeline_exec::PipelineRuntime& pipelines;  ///< notifier connectors, breakers, pool
};

/// Runs one message.send job. Plugin OK → status sent with the provider id; RETRY → the job
/// retries (retry-after honoured); FAIL/INVALID → status failed with the provider's text; an
/// earlier attempt that died around the provider call → not resent (unknown outcome, kept
/// queued with the error until provider events tell).
queue::JobOutcome handle_message_send(const MessagingRuntime& runtime, const queue::Job& job);

/// {"message.send": handler} bound to `runtime`.
std::map<std::string, queue::JobHandler> messaging_handlers(MessagingRuntime runtime);

}  // namespace reos::messaging
