#pragma once

// A source connector's progress in `connectors`: the cursor in state->>'cursor', last_run_at,
// status and last_error. The cursor moves only in the transaction that commits the page it
// was pulled with (source_pull_handler.cpp), with a compare-and-set on the old cursor so two
// pulls of the same connector racing each other cannot both advance it.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pqxx {
class transaction_base;
}
namespace reos::db {
class ConnectionPool;
}

namespace reos::pipeline_exec {

/// The connector's stored cursor ("" before the first pull). Throws std::runtime_error when
/// the connector has no row (the tenant sync did not run).
std::string read_cursor(db::ConnectionPool& pool, const std::string& tenant,
                        const std::string& connector);

/// Inside `tx` (already in the tenant's scope): if the stored cursor still equals
/// `cursor_before`, applies the plugin's `state_writes`, sets the cursor to `cursor_after`
/// (unchanged when nullopt), last_run_at = now(), status 'idle' and clears last_error.
/// Returns false (nothing changed) when another pull moved the cursor meanwhile.
bool advance_cursor(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& connector, const std::string& cursor_before,
                    const std::optional<std::string>& cursor_after,
                    const std::vector<std::pair<std::string, std::string>>& state_writes);

/// Records a failed pull in its own transaction: last_error = `error`, last_run_at = now(),
/// and status 'failing' when `failing` (a permanent failure), unchanged otherwise.
void record_pull_failure(db::ConnectionPool& pool, const std::string& tenant,
                         const std::string& connector, const std::string& error, bool failing);

}  // namespace reos::pipeline_exec
