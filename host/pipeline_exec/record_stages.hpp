#pragma once

// Runs one record through a pipeline's enrich and score stages.

#include <chrono>
#include <string>

#include "pipeline/pipeline_config.hpp"
#include "pipeline/record_envelope.hpp"

namespace reos::pipeline_exec {

class PipelineRuntime;

/// What became of one record.
struct StageOutcome {
  enum class Kind {
    routed,       ///< went through every stage: `record` is the final record
    dropped,      ///< an enricher set no output: the record stops here (not an error)
    quarantined,  ///< a stage refused it (FAIL/INVALID): `stage`, `connector`, `reason`, `record`
    retry,        ///< an enricher or the scorer said RETRY: the whole batch is retried
    deferred,     ///< a stage's circuit is open: the whole batch waits `wait` without an attempt
  };
  Kind kind = Kind::routed;
  pipeline::RecordJson record;  ///< final record, or the input of the refusing stage
  std::string stage;            ///< "enrich" or "score"
  std::string connector;
  std::string reason;
  std::chrono::milliseconds wait{0};
};

/// Enrichers in priority order (a disabled one is skipped), then the scorer, whose result
/// {"score": n, "contributions": {...}} is attached as `_score` (the number) and
/// `_score_contributions`. A connector that is enabled but not running makes the batch retry.
StageOutcome run_stages(PipelineRuntime& runtime, const pipeline::PipelineConfig& cfg,
                        const pipeline::RecordEnvelope& record);

}  // namespace reos::pipeline_exec
