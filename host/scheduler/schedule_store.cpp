#include "scheduler/schedule_store.hpp"

#include <pqxx/pqxx>

#include "log/logger.hpp"
#include "pipeline/schedule_spec.hpp"
#include "queue/job_queue.hpp"

namespace reos::scheduler {
namespace {

// Instants cross the wire exactly: written as text literals with microseconds
// (pg_timestamp), read back as integer microseconds since the epoch (extract() is numeric,
// hence exact, since PostgreSQL 14).
std::string micros_of(const std::string& column) {
  return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
}

const std::string& row_columns() {
  static const std::string columns = "tenant_id, pipeline_id, connector_id, spec, " +
                                     micros_of("next_run_at") + ", " + micros_of("last_fired_at") +
                                     ", " + micros_of("last_slot") + ", enabled";
  return columns;
}

std::optional<TimePoint> optional_micros(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return from_unix_micros(f.as<std::int64_t>());
}

ScheduleRow to_row(const pqxx::row& r) {
  ScheduleRow row;
  row.key = {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()};
  row.spec = r[3].as<std::string>();
  row.next_run_at = from_unix_micros(r[4].as<std::int64_t>());
  row.last_fired_at = optional_micros(r[5]);
  row.last_slot = optional_micros(r[6]);
  row.enabled = r[7].as<bool>();
  return row;
}

// Fires one schedule read as due: the compare-and-set and the enqueue commit together or not
// at all. Returns false when another process fired this slot first (or the row changed).
bool fire_one(pqxx::connection_base& conn, const queue::JobQueue& queue, FiredSchedule& fired,
              TimePoint seen) {
  pqxx::work tx(conn);
  const pqxx::result won = tx.exec_params(
      "UPDATE schedules SET next_run_at = $4::timestamptz, last_fired_at = $5::timestamptz, "
      " last_slot = $6::timestamptz, updated_at = now() "
      "WHERE tenant_id = $1 AND pipeline_id = $2 AND connector_id = $3 AND enabled "
      " AND next_run_at = $7::timestamptz AND next_run_at <= $5::timestamptz",
      fired.key.tenant, fired.key.pipeline, fired.key.connector, pg_timestamp(fired.plan.next),
      pg_timestamp(fired.fired_at), pg_timestamp(fired.plan.slot), pg_timestamp(seen));
  if (won.affected_rows() != 1) return false;  // the transaction rolls back: nothing changed
  const std::string key = idempotency_key(fired.key, fired.plan.slot);
  queue::EnqueueOptions options;
  options.correlation_id = key;
  const queue::EnqueueResult job = queue.enqueue(tx, fired.key.tenant, kSourcePullKind,
                                                 pull_payload_json(fired.key), key, options);
  tx.commit();
  fired.job_id = job.id;
  fired.job_created = job.created;
  return true;
}

}  // namespace

std::vector<FiredSchedule> fire_due_schedules(pqxx::connection_base& conn,
                                              const queue::JobQueue& queue, TimePoint now,
                                              int limit) {
  now = to_db_precision(now);
  pqxx::result due;
  {
    pqxx::nontransaction tx(conn);
    due = tx.exec_params("SELECT " + row_columns() +
                             " FROM schedules WHERE enabled AND next_run_at <= $1::timestamptz"
                             " ORDER BY next_run_at, tenant_id, pipeline_id, connector_id"
                             " LIMIT $2",
                         pg_timestamp(now), limit);
  }
  std::vector<FiredSchedule> fired;
  for (const pqxx::row& r : due) {
    const ScheduleRow row = to_row(r);
    FiredSchedule f;
    f.key = row.key;
    f.fired_at = now;
    try {
      f.plan = plan_fire(pipeline::parse_schedule(row.spec), row.next_run_at, now);
    } catch (const std::exception& e) {  // a spec written by another hub version, say
      log::warn("schedule skipped: its spec does not parse", {{"tenant", row.key.tenant},
                                                              {"pipeline", row.key.pipeline},
                                                              {"connector", row.key.connector},
                                                              {"spec", row.spec},
                                                              {"error", e.what()}});
      continue;
    }
    if (fire_one(conn, queue, f, row.next_run_at)) fired.push_back(std::move(f));
  }
  return fired;
}

std::optional<TimePoint> earliest_next_run(pqxx::connection_base& conn) {
  pqxx::nontransaction tx(conn);
  const pqxx::row r =
      tx.exec1("SELECT " + micros_of("min(next_run_at)") + " FROM schedules WHERE enabled");
  return optional_micros(r[0]);
}

std::vector<ScheduleRow> list_schedules(pqxx::connection_base& conn) {
  pqxx::nontransaction tx(conn);
  std::vector<ScheduleRow> rows;
  for (const pqxx::row& r :
       tx.exec("SELECT " + row_columns() +
               " FROM schedules ORDER BY tenant_id, pipeline_id, connector_id"))
    rows.push_back(to_row(r));
  return rows;
}

}  // namespace reos::scheduler
