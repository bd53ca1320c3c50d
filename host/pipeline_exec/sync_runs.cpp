#include "pipeline_exec/sync_runs.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"

namespace reos::pipeline_exec {
namespace {

// Finishes the run when the source is done and every page handed on is processed. A full run
// without errors or quarantined records then marks what it did not see as gone (a quarantined
// record's key is unknown, so its listing would be marked wrongly: the check is skipped and
// the run says so).
std::vector<listings::ListingChange> finish_if_done(pqxx::transaction_base& tx,
                                                    const std::string& tenant,
                                                    std::int64_t run_id) {
  const pqxx::result r = tx.exec_params(
      "UPDATE sync_runs SET finished_at = now()"
      " WHERE id = $1 AND finished_at IS NULL AND pulled_at IS NOT NULL AND pages_done >= pages"
      " RETURNING full_sync AND track_seen, quarantined, error IS NOT NULL, connector_id",
      run_id);
  if (r.empty()) return {};
  const bool full = r[0][0].as<bool>();
  const long long quarantined = r[0][1].as<long long>();
  const bool failed = r[0][2].as<bool>();
  std::vector<listings::ListingChange> gone;
  if (full && quarantined == 0 && !failed) {
    gone = listings::mark_gone(tx, tenant, r[0][3].as<std::string>(), run_id);
    tx.exec_params("UPDATE sync_runs SET gone = $2 WHERE id = $1", run_id,
                   static_cast<long long>(gone.size()));
  } else if (full && quarantined > 0) {
    tx.exec_params(
        "UPDATE sync_runs SET error = 'gone check skipped: ' || quarantined ||"
        " ' record(s) quarantined (their listings cannot be told apart from gone ones)'"
        " WHERE id = $1",
        run_id);
  }
  tx.exec_params("DELETE FROM sync_run_seen WHERE run_id = $1", run_id);
  return gone;
}

}  // namespace

std::int64_t open_sync_run(pqxx::transaction_base& tx, const std::string& tenant,
                           const std::string& pipeline, const std::string& connector,
                           const std::string& run_key, bool full) {
  return tx
      .exec_params1(
          "INSERT INTO sync_runs (tenant_id, pipeline_id, connector_id, run_key, full_sync,"
          "  track_seen)"
          " VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 THEN EXISTS (SELECT 1 FROM properties"
          "  WHERE tenant_id = $1 AND source_connector = $3 AND gone_at IS NULL) ELSE true END)"
          " ON CONFLICT (tenant_id, pipeline_id, connector_id, run_key)"
          " DO UPDATE SET run_key = EXCLUDED.run_key RETURNING id",
          tenant, pipeline, connector, run_key, full)[0]
      .as<std::int64_t>();
}

std::vector<listings::ListingChange> record_pulled_page(pqxx::transaction_base& tx,
                                                        const std::string& tenant,
                                                        std::int64_t run_id, std::size_t fetched,
                                                        std::optional<std::int64_t> page_job,
                                                        bool has_more) {
  if (page_job) {
    tx.exec_params(
        "INSERT INTO sync_run_pages (job_id, run_id, tenant_id) VALUES ($1, $2, $3)"
        " ON CONFLICT (job_id) DO NOTHING",
        *page_job, run_id, tenant);
  }
  tx.exec_params(
      "UPDATE sync_runs SET fetched = fetched + $2, pages = pages + $3,"
      " pulled_at = CASE WHEN $4 THEN now() END WHERE id = $1",
      run_id, static_cast<long long>(fetched), page_job ? 1 : 0, !has_more);
  return has_more ? std::vector<listings::ListingChange>{} : finish_if_done(tx, tenant, run_id);
}

std::optional<std::int64_t> sync_run_of_page(pqxx::transaction_base& tx, std::int64_t job_id) {
  const pqxx::result r =
      tx.exec_params("SELECT run_id FROM sync_run_pages WHERE job_id = $1", job_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::int64_t>();
}

namespace {

// The keys a full run saw (for its gone check at the end).
void remember_seen(pqxx::transaction_base& tx, const std::string& tenant, std::int64_t run_id,
                   const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  tx.exec_params(
      "INSERT INTO sync_run_seen (run_id, tenant_id, listing_key)"
      " SELECT $1, $2, jsonb_array_elements_text($3::jsonb) ON CONFLICT DO NOTHING",
      run_id, tenant,
      nlohmann::json(keys).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

std::vector<listings::ListingChange> record_processed_page(pqxx::transaction_base& tx,
                                                           const std::string& tenant,
                                                           std::int64_t run_id,
                                                           const listings::UpsertSummary& stored,
                                                           std::size_t quarantined) {
  const pqxx::result r = tx.exec_params(
      "UPDATE sync_runs SET pages_done = pages_done + 1, inserted = inserted + $2,"
      " updated = updated + $3, unchanged = unchanged + $4, quarantined = quarantined + $5"
      " WHERE id = $1 RETURNING full_sync AND track_seen",
      run_id, static_cast<long long>(stored.inserted), static_cast<long long>(stored.updated),
      static_cast<long long>(stored.unchanged), static_cast<long long>(quarantined));
  if (!r.empty() && r[0][0].as<bool>()) remember_seen(tx, tenant, run_id, stored.keys);
  return finish_if_done(tx, tenant, run_id);
}

std::vector<listings::ListingChange> record_stored_page(pqxx::transaction_base& tx,
                                                        const std::string& tenant,
                                                        std::int64_t run_id, std::size_t fetched,
                                                        const listings::UpsertSummary& stored,
                                                        std::size_t quarantined, bool has_more) {
  const int page = fetched > 0 ? 1 : 0;
  const pqxx::result r = tx.exec_params(
      "UPDATE sync_runs SET fetched = fetched + $2, pages = pages + $3,"
      " pages_done = pages_done + $3, inserted = inserted + $4, updated = updated + $5,"
      " unchanged = unchanged + $6, quarantined = quarantined + $7,"
      " pulled_at = CASE WHEN $8 THEN now() END WHERE id = $1 RETURNING full_sync AND track_seen",
      run_id, static_cast<long long>(fetched), page, static_cast<long long>(stored.inserted),
      static_cast<long long>(stored.updated), static_cast<long long>(stored.unchanged),
      static_cast<long long>(quarantined), !has_more);
  if (!r.empty() && r[0][0].as<bool>()) remember_seen(tx, tenant, run_id, stored.keys);
  return has_more ? std::vector<listings::ListingChange>{} : finish_if_done(tx, tenant, run_id);
}

void fail_sync_run(db::ConnectionPool& pool, const std::string& tenant, const std::string& pipeline,
                   const std::string& connector, const std::string& run_key,
                   const std::string& error) {
  auto lease = pool.acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, tenant);
  const std::int64_t id = open_sync_run(tx, tenant, pipeline, connector, run_key, false);
  tx.exec_params(
      "UPDATE sync_runs SET error = $2, finished_at = coalesce(finished_at, now()) WHERE id = $1",
      id, error);
  tx.commit();
}

}  // namespace reos::pipeline_exec
