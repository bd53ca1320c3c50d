// sync_schedules_from_config (declared in schedule_store.hpp): the schedules table follows the
// pipelines of the tenant config files.
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <tuple>

#include "config/hub_config.hpp"
#include "pipeline/schedule_spec.hpp"
#include "scheduler/schedule_store.hpp"

namespace reos::scheduler {
namespace {

// pg_advisory_xact_lock key of the schedule sync: 'reos' in ASCII, then 4 (the migration's
// number; the migrator uses …01).
constexpr long long kSyncLockKey = 0x72656f7300000004LL;

struct Existing {
  std::string spec;
  bool enabled = false;
  std::optional<TimePoint> last_slot;
};

using SourceId = std::pair<std::string, std::string>;  // pipeline, connector

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool connector_enabled(const config::TenantConfig& t, const std::string& id) {
  for (const config::ConnectorConfig& c : t.connectors)
    if (c.id == id) return c.enabled;
  return false;  // the loader refuses unknown connectors; be safe anyway
}

std::map<SourceId, Existing> lock_existing(pqxx::work& tx, const std::string& tenant) {
  std::map<SourceId, Existing> rows;
  // FOR UPDATE: a concurrent firing either committed before (we see its last_slot) or waits
  // and then finds next_run_at changed (its compare-and-set does nothing).
  const pqxx::result r = tx.exec_params(
      "SELECT pipeline_id, connector_id, spec, enabled, "
      " (extract(epoch FROM last_slot) * 1000000)::bigint "
      "FROM schedules WHERE tenant_id = $1 FOR UPDATE",
      tenant);
  for (const pqxx::row& row : r) {
    Existing e{row[2].as<std::string>(), row[3].as<bool>(), std::nullopt};
    if (!row[4].is_null()) e.last_slot = from_unix_micros(row[4].as<std::int64_t>());
    rows[{row[0].as<std::string>(), row[1].as<std::string>()}] = std::move(e);
  }
  return rows;
}

}  // namespace

ScheduleSyncResult sync_schedules_from_config(pqxx::connection_base& conn,
                                              const config::HubConfig& hub, TimePoint now) {
  now = to_db_precision(now);
  ScheduleSyncResult result;
  pqxx::work tx(conn);
  tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kSyncLockKey) + ")");
  for (const config::TenantConfig& t : hub.tenants) {
    const std::map<SourceId, Existing> existing = lock_existing(tx, t.id);
    std::set<SourceId> in_config;
    for (const pipeline::PipelineConfig& p : t.pipelines) {
      for (const pipeline::PipelineSource& s : p.sources) {
        const SourceId id{p.id, s.connector};
        if (!in_config.insert(id).second) continue;  // the loader refuses duplicates
        const std::string spec = trimmed(s.schedule.text());
        const bool enabled = p.enabled && connector_enabled(t, s.connector);
        const auto it = existing.find(id);
        if (it == existing.end()) {
          tx.exec_params(
              "INSERT INTO schedules (tenant_id, pipeline_id, connector_id, spec, next_run_at,"
              " enabled) VALUES ($1, $2, $3, $4, $5::timestamptz, $6)",
              t.id, p.id, s.connector, spec, pg_timestamp(first_due(s.schedule, now)), enabled);
          ++result.inserted;
        } else if (it->second.spec != spec || (enabled && !it->second.enabled)) {
          const TimePoint next =
              first_due(s.schedule, now, it->second.last_slot.value_or(TimePoint::min()));
          tx.exec_params(
              "UPDATE schedules SET spec = $4, next_run_at = $5::timestamptz, enabled = $6,"
              " updated_at = now() WHERE tenant_id = $1 AND pipeline_id = $2 AND connector_id = $3",
              t.id, p.id, s.connector, spec, pg_timestamp(next), enabled);
          ++result.rescheduled;
        } else if (it->second.enabled && !enabled) {
          tx.exec_params(
              "UPDATE schedules SET enabled = false, updated_at = now() "
              "WHERE tenant_id = $1 AND pipeline_id = $2 AND connector_id = $3",
              t.id, p.id, s.connector);
          ++result.disabled;
        } else {
          ++result.unchanged;
        }
      }
    }
    for (const auto& [id, row] : existing) {
      if (!row.enabled || in_config.count(id)) continue;
      tx.exec_params(
          "UPDATE schedules SET enabled = false, updated_at = now() "
          "WHERE tenant_id = $1 AND pipeline_id = $2 AND connector_id = $3",
          t.id, id.first, id.second);
      ++result.disabled;
    }
  }
  tx.commit();
  return result;
}

}  // namespace reos::scheduler
