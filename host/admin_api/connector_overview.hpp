#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace reos::admin_api {

/// One row of `connectors` (what config sync and the pipeline record), plus its job counts.
struct ConnectorRow {
  std::string tenant_id;
  std::string id;
  std::string plugin;
  bool enabled = true;
  std::string status;  ///< idle | running | failing | disabled
  std::optional<std::chrono::system_clock::time_point> last_run_at;
  std::string last_error;  ///< "" when none
  std::string state_json;  ///< the `state` jsonb (cursors and other key → string state)
  /// Unfinished and dead-letter jobs whose payload names this connector (`"connector": id`),
  /// by status (queued, running, failed, dead; absent = 0). Empty when `jobs_counted` is false.
  std::map<std::string, std::int64_t> job_counts;
  bool jobs_counted = false;
};

/// Every connector of `tenant_id` ("" = all tenants), ordered by tenant then id. The job
/// counts come from one grouped query bounded by a 2 s statement timeout; when it times out,
/// rows are returned with `jobs_counted` false (and a warning is logged).
std::vector<ConnectorRow> read_connectors(pqxx::connection_base& conn,
                                          const std::string& tenant_id);

}  // namespace reos::admin_api
