// bench/webhooks: signed provider webhooks through HTTP → verify → commit to the inbox, from a
// loopback load generator, against a real `reos serve` and PostgreSQL. Cases: one event per
// request, 100 events per request (SendGrid batches), and a crash run (SIGKILL under load,
// restart, every 2xx'd event in the database exactly once). One JSON line per case, then a
// summary. See bench/README.md and docs/webhooks.md.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "bench_hub.hpp"
#include "load_client.hpp"
#include "signed_requests.hpp"

namespace {

struct Args {
  std::string reos, plugins, pg, mode = "all";
  int seconds = 10;
  int connections = 64;
  int batch_connections = 32;
  int crash_seconds = 20;
  std::string provider = "auto";  // auto (sendgrid when built) | sendgrid | standard_webhooks
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--reos")
      a.reos = v;
    else if (k == "--plugins")
      a.plugins = v;
    else if (k == "--pg")
      a.pg = v;
    else if (k == "--mode")
      a.mode = v;
    else if (k == "--seconds")
      a.seconds = std::stoi(v);
    else if (k == "--connections")
      a.connections = std::stoi(v);
    else if (k == "--batch-connections")
      a.batch_connections = std::stoi(v);
    else if (k == "--crash-seconds")
      a.crash_seconds = std::stoi(v);
    else if (k == "--provider")
      a.provider = v;
    else
      throw std::invalid_argument("unknown option " + k);
  }
  if (a.reos.empty() || a.plugins.empty() || a.pg.empty())
    throw std::invalid_argument(
        "usage: bench_webhooks --reos BIN --plugins DIR --pg CONNINFO [--mode "
        "all|single|batch|crash] [--seconds N] [--connections N] [--crash-seconds N]");
  return a;
}

// How many times each event id of `run` is stored (one query; ids carry the run prefix).
std::map<std::string, int> stored_events(const std::string& conninfo, const std::string& run) {
  pqxx::connection conn(conninfo);
  pqxx::work tx(conn);
  std::map<std::string, int> count;
  for (const auto& row :
       tx.exec_params("SELECT provider_event_id FROM webhook_events WHERE provider_event_id "
                      "LIKE '%' || $1 || '%'",
                      "_" + run + "_"))
    count[row[0].as<std::string>()]++;
  return count;
}

struct Checked {
  std::uint64_t acknowledged_events = 0;
  std::uint64_t missing = 0;     // acknowledged but not stored
  std::uint64_t duplicated = 0;  // stored more than once
  std::uint64_t stored = 0;
};

Checked check(const bench::BenchHub& hub, const std::string& run,
              const bench::PreparedRequests& reqs, const bench::LoadResult& r) {
  const auto stored = stored_events(hub.conninfo(), run);
  Checked c;
  for (const auto& [id, n] : stored) {
    c.stored += static_cast<std::uint64_t>(n);
    if (n > 1) ++c.duplicated;
  }
  for (const std::uint32_t i : r.acknowledged) {
    for (int k = 0; k < reqs.events_per_request; ++k) {
      ++c.acknowledged_events;
      const auto it = stored.find(bench::event_id(reqs.first_ids[i], k));
      if (it == stored.end()) ++c.missing;
    }
  }
  return c;
}

bool g_sendgrid = false;

bench::PreparedRequests prepare(const bench::BenchHub& hub, const std::string& run, int count,
                                int events) {
  if (g_sendgrid)
    return bench::sendgrid_requests("/webhooks/bench/sg", hub.sendgrid_private_key_pem(), run,
                                    count, events);
  return bench::standard_webhook_requests("/webhooks/bench/sw", hub.whsec(), run, count);
}

struct HubCost {
  double cpu_s = 0;     // reos serve CPU during the case
  double db_cpu_s = 0;  // its PostgreSQL backends' CPU
  double entries = 0;   // inbox entries committed
  double commits = 0;   // inbox transactions
};

HubCost hub_cost(const bench::BenchHub& hub) {
  return {hub.cpu_seconds(), hub.database_cpu_seconds(),
          hub.metric("reos_webhook_inbox_batch_entries_sum"),
          hub.metric("reos_webhook_inbox_batch_entries_count")};
}

void print_case(const char* name, const bench::PreparedRequests& reqs, const bench::LoadResult& r,
                const Checked& c, int connections, const HubCost& before = {},
                const HubCost& after = {}) {
  const double commits = after.commits - before.commits;
  const double per_commit = commits > 0 ? (after.entries - before.entries) / commits : 0;
  const double cpu_us = r.ok ? (after.cpu_s - before.cpu_s) * 1e6 / r.ok : 0;
  const double db_cpu_us = r.ok ? (after.db_cpu_s - before.db_cpu_s) * 1e6 / r.ok : 0;
  std::printf(
      "{\"bench\":\"webhooks\",\"case\":\"%s\",\"provider\":\"%s\",\"connections\":%d,"
      "\"events_per_request\":%d,\"seconds\":%.2f,\"requests_2xx\":%llu,\"non_2xx\":%llu,"
      "\"transport_errors\":%llu,\"req_per_s\":%.0f,\"events_per_s\":%.0f,\"p50_ms\":%.2f,"
      "\"p99_ms\":%.2f,\"max_ms\":%.2f,\"events_acknowledged\":%llu,\"events_stored\":%llu,"
      "\"acknowledged_missing\":%llu,\"stored_twice\":%llu,\"requests_per_commit\":%.1f,"
      "\"hub_cpu_us_per_request\":%.0f,\"db_cpu_us_per_request\":%.0f}\n",
      name, g_sendgrid ? "sendgrid" : "standard_webhooks", connections, reqs.events_per_request,
      r.seconds, static_cast<unsigned long long>(r.ok),
      static_cast<unsigned long long>(r.other_status),
      static_cast<unsigned long long>(r.transport_errors), r.ok / r.seconds,
      r.ok * reqs.events_per_request / r.seconds, r.percentile_ms(50), r.percentile_ms(99),
      r.percentile_ms(100), static_cast<unsigned long long>(c.acknowledged_events),
      static_cast<unsigned long long>(c.stored), static_cast<unsigned long long>(c.missing),
      static_cast<unsigned long long>(c.duplicated), per_commit, cpu_us, db_cpu_us);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) try {
  const Args a = parse(argc, argv);
  bench::BenchHub hub({a.reos, a.plugins, a.pg, std::max(a.connections, 16), 0});
  g_sendgrid = hub.has_sendgrid() && a.provider != "standard_webhooks";
  if (a.provider == "sendgrid" && !hub.has_sendgrid())
    throw std::runtime_error("--provider sendgrid: libreos_sendgrid.so is not built");
  hub.start();
  const auto run_id = std::to_string(::getpid());
  // Warm-up: connections, plugin, statement plans.
  {
    const auto warm = prepare(hub, run_id + "w", 500, 1);
    (void)bench::run_load(hub.port(), warm.raw, 16, std::chrono::seconds(10));
  }
  double single_rps = 0, single_p99 = 0, batch_eps = 0;
  bool exact = true;
  if (a.mode == "all" || a.mode == "single") {
    const std::string run = run_id + "s";
    const auto reqs = prepare(hub, run, std::min(a.seconds * 12000, 200000), 1);
    const HubCost before = hub_cost(hub);
    const auto r =
        bench::run_load(hub.port(), reqs.raw, a.connections, std::chrono::seconds(a.seconds));
    const Checked c = check(hub, run, reqs, r);
    print_case("single", reqs, r, c, a.connections, before, hub_cost(hub));
    single_rps = r.ok / r.seconds;
    single_p99 = r.percentile_ms(99);
    exact = exact && c.missing == 0 && c.duplicated == 0;
  }
  if ((a.mode == "all" || a.mode == "batch") && g_sendgrid) {
    const std::string run = run_id + "b";
    const auto reqs = prepare(hub, run, std::min(a.seconds * 1000, 10000), 100);
    const HubCost before = hub_cost(hub);
    const auto r =
        bench::run_load(hub.port(), reqs.raw, a.batch_connections, std::chrono::seconds(a.seconds));
    const Checked c = check(hub, run, reqs, r);
    print_case("batch", reqs, r, c, a.batch_connections, before, hub_cost(hub));
    batch_eps = r.ok * 100.0 / r.seconds;
    exact = exact && c.missing == 0 && c.duplicated == 0;
  }
  bool crash_ok = true;
  if (a.mode == "all" || a.mode == "crash") {
    // Load for crash_seconds; SIGKILL the hub at a third, restart it at once; the clients
    // keep going throughout (refused connections while it is down are not acknowledged).
    const std::string run = run_id + "c";
    const auto reqs = prepare(hub, run, std::min(a.crash_seconds * 8000, 300000), 1);
    bench::LoadResult r;
    std::thread load([&] {
      r = bench::run_load(hub.port(), reqs.raw, a.connections,
                          std::chrono::seconds(a.crash_seconds));
    });
    std::this_thread::sleep_for(std::chrono::seconds(a.crash_seconds / 3));
    hub.kill_hard();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    hub.start();
    load.join();
    const Checked c = check(hub, run, reqs, r);
    print_case("crash", reqs, r, c, a.connections);
    crash_ok = c.missing == 0 && c.duplicated == 0 && r.ok > 0;
  }
  hub.stop();
  std::printf(
      "{\"bench\":\"webhooks\",\"summary\":true,\"single_req_per_s\":%.0f,\"single_p99_ms\":%.2f,"
      "\"batch_events_per_s\":%.0f,\"every_2xx_stored_once\":%s,\"crash_every_2xx_stored_once\":%s,"
      "\"target_single\":\">= 5000 req/s, p99 <= 50 ms\",\"target_batch\":\">= 50000 events/s\"}\n",
      single_rps, single_p99, batch_eps, exact ? "true" : "false", crash_ok ? "true" : "false");
  return exact && crash_ok ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "bench_webhooks: " << e.what() << "\n";
  return 1;
}
