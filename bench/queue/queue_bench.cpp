// bench/queue: the durable job queue end to end on the real database — enqueue (committed),
// NOTIFY, claim (FOR UPDATE SKIP LOCKED), a no-op handler, completion (committed) — with
// 1 and 2 worker processes (this binary re-run with --worker).
//
//   bench_queue --pg ADMIN_CONNINFO [--jobs 20000] [--threads 2] [--batch 128]
//               [--samples 200] [--gap-ms 20] [--processes 1,2]
//
// Prints one JSON object per measurement and a summary line. It creates (and drops) the
// database reos_bench_queue in the cluster ADMIN_CONNINFO points at.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "db/connection_pool.hpp"
#include "db/migration_set.hpp"
#include "db/migrator.hpp"
#include "queue/job_queue.hpp"
#include "queue/worker_pool.hpp"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
constexpr const char* kKind = "bench.noop";
constexpr const char* kDatabase = "reos_bench_queue";

long long wall_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Worker process: a WorkerPool running no-op jobs until SIGTERM. A job whose payload
// carries "t0" (producer wall-clock µs just before enqueue) records start − t0.
int run_worker(const std::string& conninfo, int threads, int batch) {
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, nullptr);  // inherited by the pool's threads

  const reos::queue::JobQueue queue;
  reos::queue::WorkerPoolOptions options;
  options.conninfo = conninfo;
  options.workers = threads;
  options.batch_size = batch;
  reos::queue::WorkerPool pool(queue, options);
  pool.register_handler(kKind, [&](const reos::queue::Job& job) {
    const long long started = wall_micros();
    const auto pos = job.payload_json.find("\"t0\"");
    if (pos != std::string::npos) {
      const long long t0 =
          std::atoll(job.payload_json.c_str() + job.payload_json.find(':', pos) + 1);
      thread_local reos::db::ConnectionPtr conn;
      if (!conn) conn = reos::db::connect(conninfo);
      pqxx::nontransaction tx(*conn);
      tx.exec_params("INSERT INTO bench_latency (job_id, micros) VALUES ($1, $2)", job.id,
                     started - t0);
    }
    return reos::queue::JobOutcome::ok();
  });
  pool.start();
  int sig = 0;
  sigwait(&term, &sig);
  pool.stop();
  return 0;
}

pid_t spawn_worker(const std::string& self, const std::string& conninfo, int threads, int batch) {
  std::vector<std::string> args = {self, "--worker", conninfo, std::to_string(threads),
                                   std::to_string(batch)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot start worker process " + self);
  }
  return pid;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5));
  return v[i];
}

bool queue_drained(pqxx::connection_base& conn) {
  pqxx::nontransaction tx(conn);
  return tx.exec1("SELECT NOT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'running'))")[0]
      .as<bool>();
}

struct Args {
  std::string pg;
  int jobs = 20000;
  int threads = 2;
  int batch = 128;
  int samples = 200;
  int gap_ms = 20;
  std::vector<int> processes = {1, 2};
};

Args parse(int argc, char** argv) {
  Args a;
  if (const char* env = std::getenv("REOS_BENCH_PG")) a.pg = env;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const std::string v = argv[i + 1];
    if (k == "--pg")
      a.pg = v;
    else if (k == "--jobs")
      a.jobs = std::stoi(v);
    else if (k == "--threads")
      a.threads = std::stoi(v);
    else if (k == "--batch")
      a.batch = std::stoi(v);
    else if (k == "--samples")
      a.samples = std::stoi(v);
    else if (k == "--gap-ms")
      a.gap_ms = std::stoi(v);
    else if (k == "--processes") {
      a.processes.clear();
      std::stringstream in(v);
      for (std::string part; std::getline(in, part, ',');) a.processes.push_back(std::stoi(part));
    } else {
      throw std::runtime_error("unknown option " + k);
    }
  }
  if (a.pg.empty()) throw std::runtime_error("--pg ADMIN_CONNINFO (or $REOS_BENCH_PG) is required");
  return a;
}

struct Result {
  int processes;
  double jobs_per_s;
  double p99_ms;
};

Result run_case(const Args& a, const std::string& self, const std::string& conninfo,
                int processes) {
  const reos::queue::JobQueue queue;
  auto conn = reos::db::connect(conninfo);
  pqxx::nontransaction(*conn).exec("TRUNCATE jobs, bench_latency");
  std::vector<pid_t> workers;
  for (int i = 0; i < processes; ++i)
    workers.push_back(spawn_worker(self, conninfo, a.threads, a.batch));
  std::this_thread::sleep_for(milliseconds(1000));  // connected, LISTENing, idle

  // Idle pick-up: one job at a time, the queue empty and the workers asleep in between.
  for (int i = 0; i < a.samples; ++i) {
    const std::string payload = "{\"t0\": " + std::to_string(wall_micros()) + "}";
    queue.enqueue(*conn, "bench", kKind, payload, "idle-" + std::to_string(i));
    std::this_thread::sleep_for(milliseconds(a.gap_ms));
  }
  const auto wait_until = Clock::now() + std::chrono::seconds(30);
  while (!queue_drained(*conn) && Clock::now() < wait_until)
    std::this_thread::sleep_for(milliseconds(10));
  std::vector<double> latency_ms;
  {
    pqxx::nontransaction tx(*conn);
    for (const auto& row : tx.exec("SELECT micros FROM bench_latency")) {
      latency_ms.push_back(row[0].as<double>() / 1000.0);
    }
  }
  const double p50 = percentile(latency_ms, 0.50);
  const double p99 = percentile(latency_ms, 0.99);
  std::printf(
      "{\"bench\":\"queue\",\"case\":\"idle_pickup\",\"processes\":%d,\"threads_per_process\":%d,"
      "\"samples\":%zu,\"gap_ms\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
      processes, a.threads, latency_ms.size(), a.gap_ms, p50, p99,
      latency_ms.empty() ? 0.0 : *std::max_element(latency_ms.begin(), latency_ms.end()));

  // Throughput: the producer enqueues 500 jobs per statement and transaction (enqueue_many)
  // while the workers drain.
  const auto start = Clock::now();
  for (int done = 0; done < a.jobs;) {
    std::vector<reos::queue::NewJob> batch;
    for (int i = 0; i < 500 && done < a.jobs; ++i, ++done) {
      batch.push_back(
          {"bench", kKind, "{}", "bulk-" + std::to_string(done), 0, milliseconds(0), ""});
    }
    pqxx::work tx(*conn);
    queue.enqueue_many(tx, batch);
    tx.commit();
  }
  const double enqueue_s = std::chrono::duration<double>(Clock::now() - start).count();
  while (!queue_drained(*conn)) std::this_thread::sleep_for(milliseconds(5));
  const double total_s = std::chrono::duration<double>(Clock::now() - start).count();
  const long long succeeded = pqxx::nontransaction(*conn)
                                  .exec1("SELECT count(*) FROM jobs WHERE status = 'succeeded'")[0]
                                  .as<long long>();
  const double jobs_per_s = a.jobs / total_s;
  std::printf(
      "{\"bench\":\"queue\",\"case\":\"throughput\",\"processes\":%d,\"threads_per_process\":%d,"
      "\"batch\":%d,\"jobs\":%d,\"succeeded\":%lld,\"enqueue_s\":%.3f,\"seconds\":%.3f,"
      "\"jobs_per_s\":%.0f}\n",
      processes, a.threads, a.batch, a.jobs, succeeded - a.samples, enqueue_s, total_s, jobs_per_s);
  std::fflush(stdout);

  for (pid_t pid : workers) kill(pid, SIGTERM);
  for (pid_t pid : workers) waitpid(pid, nullptr, 0);
  return {processes, jobs_per_s, p99};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 5 && std::string(argv[1]) == "--worker") {
      return run_worker(argv[2], std::stoi(argv[3]), std::stoi(argv[4]));
    }
    const Args a = parse(argc, argv);
    const std::string self = "/proc/self/exe";
    char path[4096] = {};
    const ssize_t n = readlink(self.c_str(), path, sizeof path - 1);
    const std::string exe = n > 0 ? std::string(path, static_cast<std::size_t>(n)) : argv[0];
    {
      pqxx::connection admin(a.pg);
      pqxx::nontransaction tx(admin);
      tx.exec(std::string("DROP DATABASE IF EXISTS ") + kDatabase + " WITH (FORCE)");
      tx.exec(std::string("CREATE DATABASE ") + kDatabase);
    }
    const std::string conninfo = a.pg + " dbname=" + kDatabase;
    {
      pqxx::connection conn(conninfo);
      reos::db::Migrator(reos::db::embedded_migration_set()).apply(conn);
      pqxx::work tx(conn);
      tx.exec("INSERT INTO tenants (id, name) VALUES ('bench', 'Benchmark')");
      tx.exec("CREATE UNLOGGED TABLE bench_latency (job_id bigint, micros bigint)");
      tx.commit();
    }
    std::vector<Result> results;
    for (int p : a.processes) results.push_back(run_case(a, exe, conninfo, p));
    {
      pqxx::connection admin(a.pg);
      pqxx::nontransaction(admin).exec(std::string("DROP DATABASE IF EXISTS ") + kDatabase +
                                       " WITH (FORCE)");
    }
    bool pass = true;
    std::string figures;
    for (const Result& r : results) {
      pass = pass && r.jobs_per_s >= 5000 && r.p99_ms <= 20;
      char buf[160];
      std::snprintf(buf, sizeof buf, ",\"jobs_per_s_%dp\":%.0f,\"p99_idle_pickup_ms_%dp\":%.3f",
                    r.processes, r.jobs_per_s, r.processes, r.p99_ms);
      figures += buf;
    }
    std::printf(
        "{\"bench\":\"queue\",\"summary\":true%s,\"target_jobs_per_s\":5000,"
        "\"target_p99_idle_pickup_ms\":20,\"pass\":%s}\n",
        figures.c_str(), pass ? "true" : "false");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_queue: %s\n", e.what());
    return 1;
  }
}
