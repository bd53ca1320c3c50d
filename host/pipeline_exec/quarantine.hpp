#pragma once

// The `quarantine` table: records a stage refused, kept with the stage and the reason.

#include <cstdint>
#include <string>

namespace pqxx {
class transaction_base;
}

namespace reos::pipeline_exec {

/// One refused record.
struct QuarantinedRecord {
  std::string tenant;
  std::string pipeline;
  std::string record_id;
  std::string correlation_id;
  std::string stage;      ///< "enrich" or "score"
  std::string connector;  ///< whose plugin refused it
  std::string reason;     ///< the plugin's status and message
  std::string payload_json;
  std::int64_t job_id = 0;
};

/// Inserts `record` inside `tx` (in the tenant's scope). A record already quarantined for the
/// same pull (same correlation id) is left as it is, so a re-run batch adds nothing.
void quarantine_record(pqxx::transaction_base& tx, const QuarantinedRecord& record);

}  // namespace reos::pipeline_exec
