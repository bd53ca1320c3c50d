// A worker process for the multi-process queue tests (tests/queue/multi_process_test.cpp).
//
//   queue_test_worker CONNINFO claim-and-sleep KIND LEASE_MS
//       claims one job of KIND, then sleeps forever without finishing it (the test SIGKILLs it)
//   queue_test_worker CONNINFO work KIND THREADS BATCH
//       runs a WorkerPool whose handler records each execution in job_effects(job_id, worker);
//       exits 0 once no job of KIND is queued or running
//
// Exit status 2 on bad usage, 1 on any error (message on stderr).

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "db/connection_pool.hpp"
#include "queue/job_queue.hpp"
#include "queue/worker_pool.hpp"

namespace {

using reos::queue::Job;
using reos::queue::JobOutcome;
using reos::queue::JobQueue;
using std::chrono::milliseconds;

int claim_and_sleep(const std::string& conninfo, const std::string& kind, int lease_ms) {
  const JobQueue queue;
  auto conn = reos::db::connect(conninfo);
  for (;;) {
    const auto jobs = queue.claim(*conn, "doomed-" + std::to_string(::getpid()), {kind}, 1,
                                  milliseconds(lease_ms));
    if (!jobs.empty()) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

int work(const std::string& conninfo, const std::string& kind, int threads, int batch) {
  const JobQueue queue;
  reos::queue::WorkerPoolOptions options;
  options.conninfo = conninfo;
  options.workers = threads;
  options.batch_size = batch;
  options.max_idle_wait = milliseconds(200);
  const std::string worker = "pid-" + std::to_string(::getpid());
  reos::queue::WorkerPool pool(queue, options);
  pool.register_handler(kind, [&](const Job& job) {
    // One connection per worker thread for the side effect.
    thread_local reos::db::ConnectionPtr effects;
    if (!effects) {
      effects = reos::db::connect(conninfo);
      pqxx::nontransaction(*effects).exec("SET synchronous_commit = off");
    }
    pqxx::nontransaction tx(*effects);
    tx.exec_params("INSERT INTO job_effects (job_id, worker) VALUES ($1, $2)", job.id, worker);
    return JobOutcome::ok();
  });
  pool.start();
  auto conn = reos::db::connect(conninfo);
  for (;;) {
    std::this_thread::sleep_for(milliseconds(100));
    pqxx::nontransaction tx(*conn);
    const auto left = tx.exec_params1(
        "SELECT count(*) FROM jobs WHERE kind = $1 AND status IN ('queued', 'running')", kind);
    if (left[0].as<long>() == 0) break;
  }
  pool.stop();
  std::cerr << worker << " ran " << pool.stats().succeeded << " jobs\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 2 ? argv[2] : "";
    if (mode == "claim-and-sleep" && argc == 5) {
      return claim_and_sleep(argv[1], argv[3], std::stoi(argv[4]));
    }
    if (mode == "work" && argc == 6) {
      return work(argv[1], argv[3], std::stoi(argv[4]), std::stoi(argv[5]));
    }
    std::cerr << "usage: queue_test_worker CONNINFO claim-and-sleep KIND LEASE_MS\n"
                 "       queue_test_worker CONNINFO work KIND THREADS BATCH\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "queue_test_worker: " << e.what() << "\n";
    return 1;
  }
}
