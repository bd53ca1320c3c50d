#pragma once

#include "queue/job.hpp"

namespace reos::pipeline_exec {

class PipelineRuntime;

/// Handles `sink.notify`: sends the routed record through the target notifier connector AT
/// MOST ONCE, using the outbox (outbox.hpp): mark 'sending' → call notify → mark 'sent' with
/// the provider id. A row found 'sent' completes the job without calling; a row found
/// 'sending' (an earlier attempt died around the provider call) is marked 'failed' with the
/// unknown-outcome message and NOT resent. Plugin RETRY → 'pending' and the job retries;
/// FAIL/INVALID → 'failed' and the job fails. The message handed to the plugin is
/// {"record_id","template","with","tenant","pipeline","route","idempotency_key","record"}.
queue::JobOutcome handle_sink_notify(PipelineRuntime& runtime, const queue::Job& job);

/// Handles `sink.export`: the same protocol, except that a row found 'sending' is exported
/// again with the SAME idempotency key (the job's), which exporters pass to the provider, so
/// the external system sees one record (exactly once through the provider's key).
queue::JobOutcome handle_sink_export(PipelineRuntime& runtime, const queue::Job& job);

}  // namespace reos::pipeline_exec
