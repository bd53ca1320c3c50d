// bench/api: authenticated load on GET /api/v1/properties (a filtered page of 50 over
// 100,000 listings) and GET /api/v1/contacts/{id}, against an in-process HttpServer with
// the real routes, ApiContext, Authenticator (JWT access tokens), rate limiter and a real
// PostgreSQL/PostGIS database. For each endpoint: a paced run at a fixed rate (open loop,
// latency from the due time) and saturation runs (this binary's closed-loop client, and
// wrk when installed). One JSON object per run, then a summary line.
//
//   bench_api --pg ADMIN_CONNINFO [--listings 100000] [--contacts 10000] [--rate 1000]
//             [--seconds 10] [--warmup 2] [--connections 32] [--server-threads 4]
//             [--pool 8] [--wrk /usr/bin/wrk] [--keep-db true] [--only properties|contacts]
//
// Creates (and drops) the database reos_bench_api in the cluster ADMIN_CONNINFO points at.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "api/api_context.hpp"
#include "api/idempotency.hpp"
#include "api/rate_limiter.hpp"
#include "auth/authenticator.hpp"
#include "auth/secret_token.hpp"
#include "bench_seed.hpp"
#include "contacts/contact_routes.hpp"
#include "db/connection_pool.hpp"
#include "http/http_server.hpp"
#include "http/metrics_registry.hpp"
#include "http/router.hpp"
#include "load_client.hpp"
#include "log/logger.hpp"
#include "property_search/property_routes.hpp"
#include "queue/job_queue.hpp"

namespace {

constexpr const char* kDatabase = "reos_bench_api";

struct Args {
  std::string pg;
  long listings = 100000;
  long contacts = 10000;
  double rate = 1000;
  double seconds = 10;
  double warmup = 2;
  int connections = 32;
  int server_threads = 4;
  int pool = 8;
  std::string wrk = "/usr/bin/wrk";
  bool keep_db = false;  ///< leave reos_bench_api behind (for EXPLAIN)
  std::string only;      ///< "properties" or "contacts": run one endpoint
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--pg")
      a.pg = v;
    else if (k == "--listings")
      a.listings = std::stol(v);
    else if (k == "--contacts")
      a.contacts = std::stol(v);
    else if (k == "--rate")
      a.rate = std::stod(v);
    else if (k == "--seconds")
      a.seconds = std::stod(v);
    else if (k == "--warmup")
      a.warmup = std::stod(v);
    else if (k == "--connections")
      a.connections = std::stoi(v);
    else if (k == "--server-threads")
      a.server_threads = std::stoi(v);
    else if (k == "--pool")
      a.pool = std::stoi(v);
    else if (k == "--wrk")
      a.wrk = v;
    else if (k == "--keep-db")
      a.keep_db = v == "true";
    else if (k == "--only")
      a.only = v;
    else
      throw std::invalid_argument("unknown option " + k);
  }
  if (a.pg.empty()) throw std::invalid_argument("--pg ADMIN_CONNINFO is required");
  return a;
}

// The REST API with the benchmarked routes, as `reos serve` wires it.
struct Server {
  std::unique_ptr<reos::db::ConnectionPool> pool;
  reos::queue::JobQueue queue;
  std::shared_ptr<reos::api::Authenticator> auth;
  std::unique_ptr<reos::api::ApiContext> api;
  reos::http::Router router;
  reos::http::MetricsRegistry metrics;
  std::unique_ptr<reos::http::HttpServer> http;

  Server(const std::string& conninfo, const Args& a) {
    pool = std::make_unique<reos::db::ConnectionPool>(conninfo, a.pool);
    reos::auth::AuthSettings settings;
    settings.keys.push_back({"bench-1", reos::auth::random_hex(32)});
    auth = std::make_shared<reos::api::Authenticator>(*pool, settings);
    // Limits far above the offered load: the bench measures the request path, not 429s.
    auto limiter = std::make_shared<reos::api::RateLimiter>(
        reos::api::RateLimiter::Settings{1e7, 1e7, 1e7, 1e7, 1e7, 1e7});
    auto idempotency = std::make_shared<reos::api::IdempotencyStore>(*pool);
    api = std::make_unique<reos::api::ApiContext>(*pool, queue, auth, limiter, idempotency,
                                                  reos::api::ApiContext::Settings{});
    reos::property_search::add_property_search_routes(router, *api);
    reos::contacts::add_contact_routes(router, *api);
    reos::http::HttpServerSettings hs;
    hs.port = 0;
    hs.threads = a.server_threads;
    hs.shutdown_grace_ms = 1000;
    http = std::make_unique<reos::http::HttpServer>(hs, router, metrics);
    http->start();
  }
  ~Server() {
    http.reset();
    api.reset();
    pool->close();
  }
};

std::string json_line(const std::string& endpoint, const std::string& mode,
                      const reos::bench::LoadResult& r, double offered) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"bench\":\"api\",\"endpoint\":\"%s\",\"mode\":\"%s\",\"offered_rps\":%.0f,"
                "\"requests\":%ld,\"errors\":%ld,\"req_per_s\":%.1f,\"p50_ms\":%.3f,"
                "\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"bytes_per_response\":%.0f,"
                "\"not_sent\":%ld}",
                endpoint.c_str(), mode.c_str(), offered, r.requests, r.errors, r.req_per_s,
                r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms,
                r.requests ? static_cast<double>(r.bytes) / r.requests : 0.0, r.not_sent);
  return buf;
}

// wrk at saturation; its Lua script prints one JSON line, re-labelled here.
std::string run_wrk(const Args& a, int port, const std::string& token,
                    const std::vector<std::string>& paths, const std::string& endpoint) {
  if (access(a.wrk.c_str(), X_OK) != 0) return "";
  std::string cmd =
      a.wrk + " -t2 -c" + std::to_string(a.connections) + " -d" +
      std::to_string(static_cast<int>(a.seconds)) + "s -H 'Authorization: Bearer " + token +
      "' -s " + REOS_BENCH_DIR "/wrk_report.lua http://127.0.0.1:" + std::to_string(port) + " --";
  for (const std::string& p : paths) cmd += " '" + p + "'";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return "";
  std::string out, last;
  char line[1024];
  while (std::fgets(line, sizeof line, pipe)) {
    if (line[0] == '{') last = line;
  }
  pclose(pipe);
  if (last.empty()) return "";
  while (!last.empty() && (last.back() == '\n' || last.back() == '\r')) last.pop_back();
  return "{\"bench\":\"api\",\"endpoint\":\"" + endpoint +
         "\",\"mode\":\"wrk_saturation\",\"connections\":" + std::to_string(a.connections) + "," +
         last.substr(1);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  try {
    a = parse_args(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_api: %s\n", e.what());
    return 2;
  }
  reos::log::init("warn", "json");
  const reos::bench::SeededData seeded =
      reos::bench::seed_bench_database(a.pg, kDatabase, a.listings, a.contacts);
  bool pass = true;
  std::string summary;
  {
    Server server(a.pg + " dbname=" + kDatabase, a);
    const std::string token =
        server.auth->issue_access_token(seeded.user_id, "bench", reos::api::Role::agent);
    const std::string base = "http://127.0.0.1:" + std::to_string(server.http->port());
    // Filtered pages of 50 over the whole set: price band + status + bedrooms, in four
    // city/sort variations so the database does not answer one cached page only.
    const std::vector<std::string> property_paths = {
        "/api/v1/properties?status=Active&min_price=300000&max_price=900000&beds=2&sort=-price",
        "/api/v1/properties?status=Active,Pending&city=Bellevue&beds=3&sort=price",
        "/api/v1/properties?status=Active&max_price=700000&sort=-modified",
        "/api/v1/properties?lat=47.61&lng=-122.33&radius_m=1500&status=Active&sort=price"};
    std::vector<std::string> contact_paths;
    for (const std::string& id : seeded.contact_ids)
      contact_paths.push_back("/api/v1/contacts/" + id);
    struct Endpoint {
      std::string name;
      const std::vector<std::string>* paths;
    };
    for (const Endpoint& e : {Endpoint{"GET /api/v1/properties", &property_paths},
                              Endpoint{"GET /api/v1/contacts/{id}", &contact_paths}}) {
      if (!a.only.empty() && e.name.find(a.only) == std::string::npos) continue;
      reos::bench::LoadSpec spec;
      for (const std::string& p : *e.paths) spec.urls.push_back(base + p);
      spec.headers = {"Authorization: Bearer " + token};
      spec.seconds = a.seconds;
      spec.warmup_seconds = a.warmup;
      spec.rate = a.rate;
      spec.connections = std::max(a.connections, 64);  // enough to never stall the pacing
      const reos::bench::LoadResult paced = reos::bench::run_load(spec);
      std::printf("%s\n", json_line(e.name, "paced", paced, a.rate).c_str());
      spec.rate = 0;
      spec.connections = a.connections;
      const reos::bench::LoadResult saturated = reos::bench::run_load(spec);
      std::printf("%s\n", json_line(e.name, "saturation", saturated, 0).c_str());
      const std::string wrk = run_wrk(a, server.http->port(), token, *e.paths, e.name);
      if (!wrk.empty()) std::printf("%s\n", wrk.c_str());
      std::fflush(stdout);
      const bool ok = paced.errors == 0 && saturated.errors == 0 && paced.p99_ms <= 20 &&
                      paced.req_per_s >= 0.98 * a.rate;
      pass = pass && ok;
      char buf[256];
      std::snprintf(
          buf, sizeof buf, "%s\"%s\":{\"p99_ms_at_%.0f\":%.3f,\"saturation_req_per_s\":%.0f}",
          summary.empty() ? "" : ",", e.name.c_str(), a.rate, paced.p99_ms, saturated.req_per_s);
      summary += buf;
    }
  }
  if (!a.keep_db) reos::bench::drop_bench_database(a.pg, kDatabase);
  std::printf(
      "{\"bench\":\"api\",\"summary\":true,\"listings\":%ld,\"target_p99_ms\":20,%s,"
      "\"pass\":%s}\n",
      a.listings, summary.c_str(), pass ? "true" : "false");
  return pass ? 0 : 1;
}
