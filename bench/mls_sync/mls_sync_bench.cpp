// bench/mls_sync: listings from a local RETS server (tests/rets' RetsTestServer, COMPACT-DECODED,
// 2,500 rows per page) into PostgreSQL through `reos sync` — the real path: Login, Search
// pages, source.pull jobs, pipeline.process jobs, the rets_generic.yaml field map, the property
// upsert with change detection, commit. Per feed size: the first sync, then `reos sync --full`
// of the unchanged feed (everything read again, nothing written). Also the fetch-and-parse rate
// alone (the plugin in process, no database).
//
//   bench_mls_sync --reos PATH --pg ADMIN_CONNINFO [--plugin-dir DIR] [--listings 10000,100000]
//                  [--page 2500] [--field-map PATH] [--log-level warn|info]
//
// Prints one JSON object per measurement and a summary line. It creates (and drops) the
// database reos_bench_mls in the cluster ADMIN_CONNINFO points at.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <vector>

#include "child_run.hpp"
#include "fetch_parse.hpp"
#include "log/logger.hpp"
#include "rets_test_server.hpp"
#include "synthetic_feed.hpp"

namespace {

namespace fs = std::filesystem;
constexpr const char* kDatabase = "reos_bench_mls";
constexpr const char* kPassword = "bench-secret";

struct Args {
  std::string reos;
  std::string pg;
  std::string plugin_dir = REOS_PLUGIN_DIR;
  std::string field_map = REOS_SOURCE_DIR "/connectors/mls/rets_generic.yaml";
  std::vector<int> sizes = {10000, 100000};
  int page = 2500;
  std::string log_level = "warn";  ///< the child's; info shows per-page timings on stderr
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--reos")
      a.reos = v;
    else if (k == "--pg")
      a.pg = v;
    else if (k == "--plugin-dir")
      a.plugin_dir = v;
    else if (k == "--field-map")
      a.field_map = v;
    else if (k == "--page")
      a.page = std::stoi(v);
    else if (k == "--log-level")
      a.log_level = v;
    else if (k == "--listings") {
      a.sizes.clear();
      std::stringstream list(v);
      for (std::string n; std::getline(list, n, ',');) a.sizes.push_back(std::stoi(n));
    } else {
      throw std::runtime_error("unknown option " + k);
    }
  }
  if (a.reos.empty() || a.pg.empty()) throw std::runtime_error("--reos and --pg are required");
  return a;
}

void recreate_database(const std::string& admin) {
  pqxx::connection conn(admin);
  pqxx::nontransaction tx(conn);
  tx.exec(std::string("DROP DATABASE IF EXISTS ") + kDatabase + " WITH (FORCE)");
  tx.exec(std::string("CREATE DATABASE ") + kDatabase + " TEMPLATE template1");
}

void drop_database(const std::string& admin) {
  pqxx::connection conn(admin);
  pqxx::nontransaction(conn).exec(std::string("DROP DATABASE IF EXISTS ") + kDatabase +
                                  " WITH (FORCE)");
}

long long count(const std::string& conninfo, const std::string& sql) {
  pqxx::connection conn(conninfo);
  pqxx::nontransaction tx(conn);
  return tx.exec1(sql)[0].as<long long>();
}

// hub.yaml + tenants/bench.yaml: one RETS connector, one property pipeline with the field map.
std::string write_config(const Args& a, const std::string& login_url) {
  const std::string dir =
      (fs::temp_directory_path() / ("reos-bench-mls-" + std::to_string(::getpid()))).string();
  fs::create_directories(dir + "/tenants");
  std::ofstream(dir + "/hub.yaml") << "plugin_dirs: [\"" << a.plugin_dir << "\"]\n"
                                   << "tenants_dir: tenants\nblobs: { dir: blobs }\n"
                                   << "workers: { count: 2 }\n"
                                   << "log: { level: " << a.log_level << ", format: json }\n";
  std::ofstream(dir + "/tenants/bench.yaml")
      << "id: bench\nname: Bench Brokerage\nconnectors:\n"
      << "  - id: mls\n    plugin: rets\n    settings:\n"
      << "      login_url: " << login_url << "\n"
      << "      username: bench\n      password: ${RETS_BENCH_PASSWORD}\n"
      << "      class: RES\n      limit: " << a.page << "\n      key_field: ListingKey\n"
      << "pipelines:\n  - id: listings\n    record_type: property\n"
      << "    sources: [{ connector: mls, schedule: \"every 4h\" }]\n"
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
  reos::log::init("warn", "text");  // the RETS server's request lines would drown the figures
  ::setenv("RETS_BENCH_PASSWORD", kPassword, 1);
  reos::test::RetsTestServer server("bench", kPassword);
  server.set_extra_columns(reos::bench::synthetic_extra_columns());
  const std::string dir = write_config(a, server.login_url());
  const std::string hub = dir + "/hub.yaml";
  const std::string conninfo = a.pg + " dbname=" + kDatabase;
  const std::vector<std::string> env = {"REOS_DATABASE__URL=" + conninfo,
                                        std::string("RETS_BENCH_PASSWORD=") + kPassword};
  bool ok = true;
  double first_100k_s = 0, resync_100k_s = 0, rss_max = 0, rss_small = 0, fetch_rate = 0;

  for (const int n : a.sizes) {
    server.set_listings(reos::bench::synthetic_listings(n));

    const auto fp =
        reos::bench::fetch_and_parse(a.plugin_dir + "/libreos_rets.so", server.login_url(), a.page);
    const double rate = static_cast<double>(fp.rows) / fp.seconds;
    std::cout << "{\"bench\":\"mls_sync\",\"case\":\"fetch_parse\",\"listings\":" << n
              << ",\"rows\":" << fp.rows << ",\"pages\":" << fp.pages
              << ",\"seconds\":" << fixed(fp.seconds, 3) << ",\"rows_per_s\":" << fixed(rate, 0)
              << "}" << std::endl;
    if (fp.rows != n) ok = false;
    if (n == a.sizes.back()) fetch_rate = rate;

    recreate_database(a.pg);
    const auto migrated = reos::bench::run_child({a.reos, "--config", hub, "migrate"}, env);
    if (migrated.exit_code != 0) throw std::runtime_error("reos migrate failed");

    for (const bool full : {false, true}) {
      std::vector<std::string> cmd = {a.reos, "--config", hub, "sync", "bench", "mls"};
      if (full) cmd.push_back("--full");
      const long long history_before = count(conninfo, "SELECT count(*) FROM property_history");
      const auto run = reos::bench::run_child(cmd, env);
      const long long stored = count(conninfo, "SELECT count(*) FROM properties");
      const long long history = count(conninfo, "SELECT count(*) FROM property_history");
      const long long quarantined = count(conninfo, "SELECT count(*) FROM quarantine");
      const bool good = run.exit_code == 0 && stored == n && quarantined == 0 &&
                        (full ? history == history_before : history == n);
      ok = ok && good;
      std::cout << "{\"bench\":\"mls_sync\",\"case\":\"" << (full ? "resync_unchanged" : "sync")
                << "\",\"listings\":" << n << ",\"seconds\":" << fixed(run.seconds, 3)
                << ",\"listings_per_s\":" << fixed(n / run.seconds, 0)
                << ",\"reos_cpu_s\":" << fixed(run.cpu_seconds, 2)
                << ",\"peak_rss_mb\":" << fixed(run.peak_rss_mb, 1) << ",\"properties\":" << stored
                << ",\"history_rows_written\":" << history - history_before
                << ",\"quarantined\":" << quarantined << ",\"exit_code\":" << run.exit_code
                << ",\"ok\":" << (good ? "true" : "false") << "}" << std::endl;
      if (!good) std::cerr << run.out;
      rss_max = std::max(rss_max, run.peak_rss_mb);
      if (n == a.sizes.front()) rss_small = std::max(rss_small, run.peak_rss_mb);
      if (n == 100000) (full ? resync_100k_s : first_100k_s) = run.seconds;
    }
  }
  drop_database(a.pg);
  fs::remove_all(dir);
  std::cout << "{\"bench\":\"mls_sync\",\"case\":\"summary\",\"sync_100k_s\":"
            << fixed(first_100k_s, 2) << ",\"resync_100k_s\":" << fixed(resync_100k_s, 2)
            << ",\"peak_rss_mb\":" << fixed(rss_max, 1)
            << ",\"peak_rss_smallest_feed_mb\":" << fixed(rss_small, 1)
            << ",\"fetch_parse_rows_per_s\":" << fixed(fetch_rate, 0)
            << ",\"targets\":{\"sync_100k_s\":10,\"resync_100k_s\":5,\"peak_rss_mb\":150,"
               "\"fetch_parse_rows_per_s\":300000},\"ok\":"
            << (ok ? "true" : "false") << "}" << std::endl;
  return ok ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "bench_mls_sync: " << e.what() << "\n";
  return 2;
}
