#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace reos::test {

/// Result of running a program to completion.
struct RunResult {
  int exit_code = -1;  ///< exit status, or 128+signal when killed
  std::string out;
  std::string err;
};

/// Runs `argv` with `env_overrides` (KEY=VALUE, added to the current environment) and
/// waits for it; kills it and fails the test after `timeout`.
RunResult run_program(const std::vector<std::string>& argv,
                      const std::vector<std::string>& env_overrides = {},
                      std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// A program left running in the background (e.g. `reos serve`); stderr goes to a temp file
/// readable with `stderr_text()`. Killed with SIGKILL on destruction if still running.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv,
                    const std::vector<std::string>& env_overrides = {});
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  /// Waits for exit up to `timeout`; returns the exit code (128+signal), or -1 on timeout.
  int wait(std::chrono::milliseconds timeout);
  bool running();
  std::string stderr_text() const;

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  bool reaped_ = false;
  std::string stderr_path_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago.
int free_tcp_port();

}  // namespace reos::test
