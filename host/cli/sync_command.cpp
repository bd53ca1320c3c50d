#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "cli/command_line.hpp"
#include "cli/hub_startup.hpp"
#include "cli/sync_progress.hpp"
#include "config/hub_config.hpp"
#include "core/exit_codes.hpp"
#include "db/connection_pool.hpp"
#include "db/migrator.hpp"
#include "db/tenant_scope.hpp"
#include "http/metrics_registry.hpp"
#include "log/logger.hpp"
#include "pipeline_exec/job_kinds.hpp"
#include "pipeline_exec/job_payload.hpp"
#include "queue/job_queue.hpp"
#include "queue/job_workers.hpp"

namespace reos::cli {
namespace {

const char* kUsage = R"(usage: reos sync TENANT CONNECTOR [--full]

Runs one sync of a source connector in the foreground: pulls every page from the connector's
cursor through each pipeline of TENANT that reads it (normalize, enrich, score, store, route),
exactly as the scheduled run would, and returns when the pulled pages are processed.
On a terminal it draws a progress bar (records/s, pages, ETA when the source announced how
many records match); otherwise it prints one JSON progress line per second and a final
summary line. Other `reos serve`
processes on the same database may take part of the work; that is safe.

--full starts from the beginning of the source (the stored cursor is ignored and reset), so
every listing is read again: unchanged ones write nothing, and listings of this connector that
the source no longer has are marked gone (docs/listings.md).

Exit codes: 0 synced, 3 no pipeline of TENANT reads CONNECTOR, 4 database, 5 a pull or batch
failed (its error is printed; see GET /api/v1/admin/dead-letters).
)";

// Jobs of this sync still to do, those that failed for good, and the run's counters.
struct Progress {
  long long pending = 0;
  long long failed = 0;
  long long properties = 0;
  long long quarantined = 0;
  std::string last_error;
  SyncCounts run;
};

// Cheap enough to poll every 100 ms: the run's jobs (jobs_tenant_kind) and its sync_runs
// rows. The table-wide counts (properties, quarantine) only when `totals` (once a second).
Progress read_progress(pqxx::connection_base& conn, const std::string& tenant,
                       const std::string& connector, const std::string& since, bool totals) {
  pqxx::nontransaction tx(conn);
  const auto r = tx.exec_params1(
      "SELECT count(*) FILTER (WHERE status IN ('queued', 'running')),"
      "       count(*) FILTER (WHERE status IN ('failed', 'dead')),"
      "       max(last_error) FILTER (WHERE status IN ('failed', 'dead')),"
      "       CASE WHEN $6 THEN (SELECT count(*) FROM properties WHERE tenant_id = $1) END,"
      "       CASE WHEN $6 THEN (SELECT count(*) FROM quarantine WHERE tenant_id = $1) END,"
      "       (SELECT coalesce(sum(fetched), 0) || ' ' || coalesce(sum(pages), 0) || ' ' ||"
      "               coalesce(sum(inserted + updated + unchanged), 0) FROM sync_runs"
      "         WHERE tenant_id = $1 AND connector_id = $5 AND run_key = $2)"
      "  FROM jobs WHERE tenant_id = $1 AND created_at >= $2::timestamptz"
      "   AND kind IN ($3, $4)",
      tenant, since, pipeline_exec::kSourcePull, pipeline_exec::kPipelineProcess, connector,
      totals);
  Progress p;
  p.pending = r[0].as<long long>();
  p.failed = r[1].as<long long>();
  p.last_error = r[2].is_null() ? "" : r[2].as<std::string>();
  p.properties = r[3].is_null() ? 0 : r[3].as<long long>();
  p.quarantined = r[4].is_null() ? 0 : r[4].as<long long>();
  std::istringstream counts(r[5].as<std::string>());
  counts >> p.run.fetched >> p.run.pages >> p.run.processed;
  return p;
}

void print_progress(const char* event, double seconds, const Progress& p) {
  std::cout << "{\"sync\":\"" << event << "\",\"elapsed_s\":" << static_cast<long long>(seconds)
            << ",\"pending_jobs\":" << p.pending << ",\"failed_jobs\":" << p.failed
            << ",\"fetched\":" << p.run.fetched << ",\"pages\":" << p.run.pages
            << ",\"stored\":" << p.run.processed << ",\"properties\":" << p.properties
            << ",\"quarantined\":" << p.quarantined << "}" << std::endl;
}

int terminal_width() {
  winsize w{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 20) return w.ws_col;
  return 80;
}

}  // namespace

int sync_command(const Invocation& inv) {
  if (wants_help(inv.args)) {
    std::cout << kUsage;
    return kExitOk;
  }
  std::vector<std::string> names;
  bool full = false;
  for (const std::string& a : inv.args) {
    if (a == "--full") {
      full = true;
    } else if (a.rfind("--", 0) == 0) {
      std::cerr << "reos sync: unknown option " << a << "\n\n" << kUsage;
      return kExitUsage;
    } else {
      names.push_back(a);
    }
  }
  if (names.size() != 2) {
    std::cerr << "reos sync: needs TENANT and CONNECTOR\n\n" << kUsage;
    return kExitUsage;
  }
  const std::string& tenant = names[0];
  const std::string& connector = names[1];
  config::HubConfig hub;
  if (!load_config_or_report(inv, hub)) return kExitConfig;
  log::init(hub.log.level, hub.log.format);
  if (hub.workers.count < 1) hub.workers.count = 1;  // this command is the worker
  // One job per claim: a page is a big job, and with the default batch one worker would claim
  // both the page's pipeline.process and the next source.pull and run them one after the
  // other; this way a second worker pulls the next page while the first stores this one.
  hub.queue.batch_size = 1;

  std::vector<std::string> pipelines;
  for (const config::TenantConfig& t : hub.tenants) {
    if (t.id != tenant) continue;
    for (const auto& p : t.pipelines) {
      for (const auto& s : p.sources) {
        if (s.connector == connector && p.enabled) pipelines.push_back(p.id);
      }
    }
  }
  if (pipelines.empty()) {
    std::cerr << "reos sync: no enabled pipeline of tenant '" << tenant << "' reads connector '"
              << connector << "' (see pipelines[].sources in its tenant file)\n";
    return kExitConfig;
  }

  db::ConnectionPool pool(hub.database.conninfo(), hub.database.pool_size);
  const db::Migrator migrator(db::embedded_migration_set());
  if (int rc = prepare_database("sync", inv.config_path, hub, migrator, pool)) return rc;
  http::MetricsRegistry metrics;
  auto stack = start_pipeline_stack(hub, pool, metrics);

  try {
    auto lease = pool.acquire();
    std::string since;
    {
      pqxx::nontransaction tx(*lease);
      since = tx.exec1("SELECT now()::text")[0].as<std::string>();
    }
    if (full) {
      pqxx::work tx(*lease);
      db::enter_tenant_scope(tx, tenant);
      tx.exec_params(
          "UPDATE connectors SET state = coalesce(state, '{}'::jsonb) || '{\"cursor\": \"\"}'"
          " WHERE tenant_id = $1 AND id = $2",
          tenant, connector);
      tx.commit();
    }
    const queue::JobQueue& jobs = stack->workers->queue();
    for (const std::string& pipeline : pipelines) {
      // The job a schedule would fire, plus this run's name (its page keys are its own).
      const pipeline_exec::SourcePullPayload payload{tenant, pipeline, connector, since};
      jobs.enqueue(*lease, tenant, pipeline_exec::kSourcePull,
                   pipeline_exec::source_pull_json(payload),
                   "sync:" + tenant + ":" + pipeline + ":" + connector + ":" + since);
    }
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    // Polled every 100 ms so the command returns soon after the last page. On a terminal a
    // progress bar is redrawn in place (records/s, pages, ETA when the source announced a
    // total); otherwise one JSON line a second.
    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    Progress p = read_progress(*lease, tenant, connector, since, false);
    double printed = 0;
    while (p.pending > 0 && p.failed == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const bool second = elapsed() - printed >= 1.0;
      p = read_progress(*lease, tenant, connector, since, second && !tty);
      if (tty) {
        p.run.total = announced_total(metrics.render(), tenant, connector);
        std::cout << "\r" << progress_line(p.run, elapsed(), terminal_width() - 1) << "\x1b[K"
                  << std::flush;
      } else if (second) {
        printed = elapsed();
        print_progress("progress", printed, p);
      }
    }
    p = read_progress(*lease, tenant, connector, since, true);
    if (tty) {
      std::cout << "\r\x1b[K" << (p.failed ? "failed" : "done") << " in " << std::fixed
                << std::setprecision(1) << elapsed() << " s: " << with_thousands(p.run.fetched)
                << " records in " << p.run.pages << " pages; " << with_thousands(p.properties)
                << " properties, " << p.quarantined << " quarantined" << std::endl;
    } else {
      print_progress(p.failed ? "failed" : "done", elapsed(), p);
    }
    if (p.failed) {
      std::cerr << "reos sync: " << p.last_error << "\n";
      return kExitPlugin;
    }
    return kExitOk;
  } catch (const std::exception& e) {
    std::cerr << "reos sync: " << e.what() << "\n";
    return kExitDatabase;
  }
}

}  // namespace reos::cli
