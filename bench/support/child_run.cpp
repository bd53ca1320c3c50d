#include "child_run.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

extern char** environ;

namespace reos::bench {

ChildRun run_child(const std::vector<std::string>& argv,
                   const std::vector<std::string>& extra_env) {
  std::vector<std::string> env = extra_env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  std::vector<char*> c_argv, c_env;
  for (const auto& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
  c_argv.push_back(nullptr);
  for (const auto& e : env) c_env.push_back(const_cast<char*>(e.c_str()));
  c_env.push_back(nullptr);

  char out_path[] = "/tmp/reos-bench-child-XXXXXX";
  const int out_fd = ::mkstemp(out_path);
  if (out_fd < 0) throw std::runtime_error("mkstemp failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);

  ChildRun run;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_fd);
  if (rc != 0) {
    ::unlink(out_path);
    throw std::runtime_error("cannot run " + argv[0]);
  }
  // Peak RSS from /proc/<pid>/status VmHWM, polled: wait4's ru_maxrss also counts the
  // parent's pages the child shared before exec (posix_spawn/fork), i.e. this bench's own
  // 100,000 listings.
  int status = 0;
  rusage usage{};
  long long hwm_kb = 0;
  while (::wait4(pid, &status, WNOHANG, &usage) == 0) {
    std::ifstream proc("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(proc, line);)
      if (line.rfind("VmHWM:", 0) == 0) hwm_kb = std::max(hwm_kb, std::stoll(line.substr(6)));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  run.peak_rss_mb = static_cast<double>(hwm_kb) / 1024.0;
  std::ifstream in(out_path);
  std::ostringstream text;
  text << in.rdbuf();
  run.out = text.str();
  ::unlink(out_path);
  return run;
}

}  // namespace reos::bench
