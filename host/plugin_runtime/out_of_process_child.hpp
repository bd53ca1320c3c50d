#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "plugin_runtime/plugin_wire_channel.hpp"

namespace reos::plugin_runtime {

/// The path of the `reos-plugin-host` binary: `explicit_path` when not empty, else
/// $REOS_PLUGIN_HOST when set, else `reos-plugin-host` in the directory of the running
/// executable (/proc/self/exe). Throws std::runtime_error when the file is not executable.
std::string locate_plugin_host(const std::string& explicit_path);

/// "exited with status 3", "killed by SIGSEGV (Segmentation fault)" — from a waitpid status.
std::string describe_exit_status(int wait_status);

/// One running `reos-plugin-host --fd 3 PLUGIN` child and the parent's end of its socket.
/// The child is always reaped: on destruction it is killed (SIGKILL) if it has not exited.
/// Not thread-safe; the owning instance serializes access.
class PluginHostProcess {
 public:
  /// Spawns the child with posix_spawn over a fresh AF_UNIX socketpair (the parent's end is
  /// close-on-exec; the child's end becomes its fd 3). stdin/stdout are /dev/null, stderr is
  /// inherited. Throws std::runtime_error with the reason when the spawn fails.
  static std::unique_ptr<PluginHostProcess> spawn(const std::string& host_binary,
                                                  const std::string& plugin_path);
  ~PluginHostProcess();
  PluginHostProcess(const PluginHostProcess&) = delete;
  PluginHostProcess& operator=(const PluginHostProcess&) = delete;

  pid_t pid() const { return pid_; }
  wire::WireChannel& channel() { return channel_; }

  /// SIGKILL (unless already reaped), reap, and say how it ended.
  std::string kill_and_reap();
  /// Waits up to `grace` for the child to exit by itself (it just closed its socket or was
  /// told to shut down), then SIGKILLs it; reaps; says how it ended.
  std::string reap_within(std::chrono::milliseconds grace);
  /// Sends SHUTDOWN and reaps within `grace`.
  void shutdown(std::chrono::milliseconds grace);

 private:
  PluginHostProcess(pid_t pid, UniqueFd fd) : pid_(pid), channel_(std::move(fd)) {}

  pid_t pid_;
  bool reaped_ = false;
  int wait_status_ = 0;
  wire::WireChannel channel_;
};

}  // namespace reos::plugin_runtime
