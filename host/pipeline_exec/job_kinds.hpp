#pragma once

// The job kinds of pipeline execution (docs/pipeline-execution.md). A record flows
//   source.pull ──▶ pipeline.process ──▶ sink.notify | sink.export | <domain job kind>
// and every arrow is a row in the durable queue.

namespace reos::pipeline_exec {

/// Pull one page from a source connector: payload {"tenant","pipeline","connector"}.
inline constexpr const char* kSourcePull = "source.pull";
/// Run one page (a BatchEnvelope) through enrich → score → routes.
inline constexpr const char* kPipelineProcess = "pipeline.process";
/// Send one message through a notifier connector (at most once, via the outbox).
inline constexpr const char* kSinkNotify = "sink.notify";
/// Write one record to an exporter connector (idempotent by key, via the outbox).
inline constexpr const char* kSinkExport = "sink.export";

}  // namespace reos::pipeline_exec
