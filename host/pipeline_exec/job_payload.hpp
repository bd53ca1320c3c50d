#pragma once

// Reading the small JSON payloads of pipeline jobs without exposing the JSON library.

#include <stdexcept>
#include <string>

namespace reos::pipeline_exec {

/// A payload that is not what its job kind expects; the job fails permanently with it.
class BadPayload : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The source.pull payload {"tenant","pipeline","connector"[,"run"]}; `tenant` defaults to
/// the job's. `run` (set by `reos sync`, carried to every follow-up pull) names one sync run:
/// it is part of the page and next-pull idempotency keys, so a second run over the same
/// cursors (`reos sync --full` of an unchanged feed) is not mistaken for a repeat of the first.
struct SourcePullPayload {
  std::string tenant;
  std::string pipeline;
  std::string connector;
  std::string run;
};

/// Parses a source.pull payload. Throws BadPayload naming the missing field.
SourcePullPayload parse_source_pull(const std::string& payload_json, const std::string& job_tenant);
/// The payload text of a source.pull job.
std::string source_pull_json(const SourcePullPayload& payload);

}  // namespace reos::pipeline_exec
