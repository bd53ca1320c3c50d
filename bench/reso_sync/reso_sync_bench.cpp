// bench_reso_sync — RESO Web API listings into PostgreSQL end to end, the MLS sync
// figures for the RESO server (bench/README.md):
//   for each size (10,000 and 100,000 by default), the local ResoTestServer (OAuth2, OData,
//   $expand=Media, 2 photos per listing) serves generated listings and
//   1. fetch_parse: the reso_webapi plugin pulls every page without a database;
//   2. sync: `reos sync bench reso` into a fresh database (normalize with
//      connectors/mls/reso_generic.yaml, upsert with change detection, listing.created jobs,
//      commit), wall time and the reos process's peak RSS (wait4);
//   3. resync_unchanged: `reos sync bench reso --full`, the same listings again from the
//      beginning: fetched, normalized, compared by hash, nothing written (and none gone).
// Prints one JSON line per case and a summary with the targets.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <pqxx/pqxx>
#include <sstream>

#include "child_run.hpp"
#include "log/logger.hpp"
#include "reso_fetch_parse.hpp"
#include "reso_page_parser.hpp"
#include "reso_test_server.hpp"

namespace fs = std::filesystem;

namespace {

constexpr char kDatabase[] = "reos_bench_reso";

struct Args {
  std::string reos, pg, plugin_dir = REOS_PLUGIN_DIR, field_map = RESO_FIELD_MAP;
  std::vector<int> sizes = {10000, 100000};
  int page = 2500;
  std::string log_level = "warn";  ///< the child's; info shows per-page timings on stderr
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--reos") {
      a.reos = v;
    } else if (k == "--pg") {
      a.pg = v;
    } else if (k == "--plugin-dir") {
      a.plugin_dir = v;
    } else if (k == "--page") {
      a.page = std::stoi(v);
    } else if (k == "--log-level") {
      a.log_level = v;
    } else if (k == "--listings") {
      a.sizes.clear();
      std::stringstream list(v);
      for (std::string n; std::getline(list, n, ',');) a.sizes.push_back(std::stoi(n));
    } else {
      throw std::runtime_error("unknown option " + k);
    }
  }
  if (a.reos.empty() || a.pg.empty())
    throw std::runtime_error(
        "usage: bench_reso_sync --reos PATH --pg CONNINFO "
        "[--listings 10000,100000] [--page 2500] [--plugin-dir DIR] [--log-level warn|info]");
  return a;
}

void exec_admin(const std::string& admin, const std::string& sql) {
  pqxx::connection conn(admin);
  pqxx::nontransaction(conn).exec(sql);
}

long long count(const std::string& conninfo, const std::string& sql) {
  pqxx::connection conn(conninfo);
  pqxx::nontransaction tx(conn);
  return tx.exec1(sql)[0].as<long long>();
}

std::string write_config(const Args& a, const reos::test::ResoTestServer& server) {
  const std::string dir =
      (fs::temp_directory_path() / ("reos-bench-reso-" + std::to_string(::getpid()))).string();
  fs::create_directories(dir + "/tenants");
  std::ofstream(dir + "/hub.yaml") << "plugin_dirs: [\"" << a.plugin_dir << "\"]\n"
                                   << "tenants_dir: tenants\nblobs: { dir: blobs }\n"
                                   << "workers: { count: 2 }\n"
                                   << "log: { level: " << a.log_level << ", format: json }\n";
  std::ofstream(dir + "/tenants/bench.yaml")
      << "id: bench\nname: Bench Brokerage\nconnectors:\n"
      << "  - id: reso\n    plugin: reso_webapi\n    settings:\n"
      << "      base_url: " << server.base_url() << "\n"
      << "      token_url: " << server.token_url() << "\n"
      << "      client_id: ${RESO_BENCH_CLIENT_ID}\n      client_secret: ${RESO_BENCH_SECRET}\n"
      << "      page_size: " << a.page << "\n"
      << "pipelines:\n  - id: listings\n    record_type: property\n"
      << "    sources: [{ connector: reso, schedule: \"every 4h\" }]\n"
      << "    stages:\n      normalize: { field_map: " << a.field_map << " }\n";
  return dir;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) try {
  const Args a = parse_args(argc, argv);
  reos::log::init("warn", "text");  // the server's request lines would drown the figures
  ::setenv("RESO_BENCH_CLIENT_ID", "bench-client", 1);
  ::setenv("RESO_BENCH_SECRET", "bench-secret", 1);
  reos::test::ResoServerOptions options;
  options.client_id = "bench-client";
  options.client_secret = "bench-secret";
  options.max_page_size = a.page;
  reos::test::ResoTestServer server(options);
  const std::string dir = write_config(a, server);
  const std::string hub = dir + "/hub.yaml";
  const std::string conninfo = a.pg + " dbname=" + kDatabase;
  const std::vector<std::string> env = {"REOS_DATABASE__URL=" + conninfo,
                                        "RESO_BENCH_CLIENT_ID=bench-client",
                                        "RESO_BENCH_SECRET=bench-secret"};
  bool ok = true;
  double sync_100k = 0, resync_100k = 0, rss_max = 0, rss_small = 0, fetch_rate = 0;

  const double parse_rate = reos::bench::reso_parse_rate(a.page, 40);
  std::cout << "{\"bench\":\"reso_sync\",\"case\":\"parse_only\",\"page\":" << a.page
            << ",\"rows_per_s\":" << fixed(parse_rate, 0) << "}" << std::endl;

  for (const int n : a.sizes) {
    reos::test::GeneratedListings spec;
    spec.count = n;
    spec.per_timestamp = 10;  // bulk updates: many listings share a ModificationTimestamp
    // Media URLs the test server answers, so that the photos.fetch jobs the sync queues (the
    // properties trigger, docs/photos.md) fetch real bytes over loopback, as against an MLS's
    // photo host, instead of failing on an unreachable one (bench/README.md).
    spec.photo_base = server.photo_base_url();
    server.set_listings(reos::test::generate_listings(spec));

    const auto fp = reos::bench::reso_fetch_and_parse(
        a.plugin_dir + "/libreos_reso_webapi.so", server.base_url(), server.token_url(), a.page);
    const double rate = static_cast<double>(fp.rows) / fp.seconds;
    std::cout << "{\"bench\":\"reso_sync\",\"case\":\"fetch_parse\",\"listings\":" << n
              << ",\"rows\":" << fp.rows << ",\"pages\":" << fp.pages
              << ",\"seconds\":" << fixed(fp.seconds, 3) << ",\"rows_per_s\":" << fixed(rate, 0)
              << "}" << std::endl;
    ok = ok && fp.rows == n;
    if (n == a.sizes.back()) fetch_rate = rate;

    exec_admin(a.pg, std::string("DROP DATABASE IF EXISTS ") + kDatabase + " WITH (FORCE)");
    exec_admin(a.pg, std::string("CREATE DATABASE ") + kDatabase + " TEMPLATE template1");
    if (reos::bench::run_child({a.reos, "--config", hub, "migrate"}, env).exit_code != 0)
      throw std::runtime_error("reos migrate failed");

    for (const bool again : {false, true}) {
      const long long history_before = count(conninfo, "SELECT count(*) FROM property_history");
      std::vector<std::string> cmd = {a.reos, "--config", hub, "sync", "bench", "reso"};
      if (again) cmd.push_back("--full");  // from the beginning: every listing read again
      // The first sync leaves ~100,000 photos.fetch jobs, which the photos client's rate limit
      // drains over hours; they run on the hub's background worker (queue/job_workers.hpp)
      // during the re-sync too, and its pulls do not queue behind them. How many are left is
      // printed.
      const int photos_served_before = server.photo_requests.load();
      const auto run = reos::bench::run_child(cmd, env);
      const long long stored = count(conninfo, "SELECT count(*) FROM properties");
      const long long history = count(conninfo, "SELECT count(*) FROM property_history");
      const long long quarantined = count(conninfo, "SELECT count(*) FROM quarantine");
      const bool good = run.exit_code == 0 && stored == n && quarantined == 0 &&
                        (again ? history == history_before : history == n);
      ok = ok && good;
      std::cout << "{\"bench\":\"reso_sync\",\"case\":\"" << (again ? "resync_unchanged" : "sync")
                << "\",\"listings\":" << n << ",\"seconds\":" << fixed(run.seconds, 3)
                << ",\"listings_per_s\":" << fixed(n / run.seconds, 0)
                << ",\"reos_cpu_s\":" << fixed(run.cpu_seconds, 2)
                << ",\"peak_rss_mb\":" << fixed(run.peak_rss_mb, 1) << ",\"properties\":" << stored
                << ",\"history_rows_written\":" << history - history_before
                << ",\"quarantined\":" << quarantined
                << ",\"photos_served\":" << server.photo_requests.load() - photos_served_before
                << ",\"photos_stored\":" << count(conninfo, "SELECT count(*) FROM property_photos")
                << ",\"photo_jobs_queued\":"
                << count(conninfo,
                         "SELECT count(*) FROM jobs WHERE kind = 'photos.fetch'"
                         " AND status = 'queued'")
                << ",\"exit_code\":" << run.exit_code << ",\"ok\":" << (good ? "true" : "false")
                << "}" << std::endl;
      if (!good) {
        std::cerr << run.out;
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        for (const auto& row : tx.exec("SELECT change, count(*) FROM property_history"
                                       " GROUP BY change ORDER BY change"))
          std::cerr << "property_history " << row[0].c_str() << ": " << row[1].c_str() << "\n";
        for (const auto& row : tx.exec("SELECT full_sync, fetched, pages, pages_done, gone,"
                                       " coalesce(error, '') FROM sync_runs ORDER BY id"))
          std::cerr << "sync_run full=" << row[0].c_str() << " fetched=" << row[1].c_str()
                    << " pages=" << row[2].c_str() << "/" << row[3].c_str()
                    << " gone=" << row[4].c_str() << " " << row[5].c_str() << "\n";
      }
      rss_max = std::max(rss_max, run.peak_rss_mb);
      if (n == a.sizes.front()) rss_small = std::max(rss_small, run.peak_rss_mb);
      if (n == 100000) (again ? resync_100k : sync_100k) = run.seconds;
    }
  }
  exec_admin(a.pg, std::string("DROP DATABASE IF EXISTS ") + kDatabase + " WITH (FORCE)");
  fs::remove_all(dir);
  std::cout << "{\"bench\":\"reso_sync\",\"case\":\"summary\",\"sync_100k_s\":"
            << fixed(sync_100k, 2) << ",\"resync_100k_s\":" << fixed(resync_100k, 2)
            << ",\"peak_rss_mb\":" << fixed(rss_max, 1)
            << ",\"peak_rss_smallest_feed_mb\":" << fixed(rss_small, 1)
            << ",\"fetch_parse_rows_per_s\":" << fixed(fetch_rate, 0)
            << ",\"parse_only_rows_per_s\":" << fixed(parse_rate, 0)
            << ",\"targets\":{\"sync_100k_s\":10,\"resync_100k_s\":5,\"peak_rss_mb\":150,"
               "\"fetch_parse_rows_per_s\":300000},\"ok\":"
            << (ok ? "true" : "false") << "}" << std::endl;
  return ok ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "bench_reso_sync: " << e.what() << "\n";
  return 2;
}
