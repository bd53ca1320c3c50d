// A `reos serve`-like process for the multi-process scheduler test (multi_process_test.cpp):
// runs one Scheduler against a database whose schedules the test has synced, for a while.
//
//   scheduler_test_main CONNINFO RUN_MS
//
// Prints "fired <N>" (the slots this process won) as its last stderr line and exits 0;
// 2 on bad usage, 1 on any error (message on stderr).

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "log/logger.hpp"
#include "queue/job_queue.hpp"
#include "scheduler/scheduler.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: scheduler_test_main CONNINFO RUN_MS\n";
    return 2;
  }
  try {
    reos::log::init("warn", "text");
    const reos::queue::JobQueue queue;
    reos::scheduler::SchedulerOptions options;
    options.max_sleep = std::chrono::milliseconds(1000);
    reos::scheduler::Scheduler scheduler(argv[1], queue, nullptr, options);
    scheduler.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(argv[2])));
    scheduler.stop();
    const auto stats = scheduler.stats();
    if (stats.errors != 0) std::cerr << "database errors: " << stats.errors << "\n";
    std::cerr << "fired " << stats.fired << "\n";
    return stats.errors == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "scheduler_test_main: " << e.what() << "\n";
    return 1;
  }
}
