#include "plugin_runtime/out_of_process_child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace reos::plugin_runtime {
namespace {

/// The child's end of the socket, as the child sees it.
constexpr int kChildFd = 3;

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

/// posix_spawn file actions, destroyed on scope exit.
class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

}  // namespace

std::string locate_plugin_host(const std::string& explicit_path) {
  std::string path = explicit_path;
  if (path.empty()) {
    if (const char* env = std::getenv("REOS_PLUGIN_HOST"); env != nullptr && *env != '\0') {
      path = env;
    } else {
      std::vector<char> exe(4096);
      ssize_t n = ::readlink("/proc/self/exe", exe.data(), exe.size() - 1);
      if (n <= 0) throw std::runtime_error(errno_text("cannot read /proc/self/exe"));
      std::string self(exe.data(), static_cast<std::size_t>(n));
      path = self.substr(0, self.rfind('/') + 1) + "reos-plugin-host";
    }
  }
  if (::access(path.c_str(), X_OK) != 0) {
    throw std::runtime_error("plugin host binary " + path + " is not executable (" +
                             std::strerror(errno) +
                             "); install it next to reos or set REOS_PLUGIN_HOST");
  }
  return path;
}

std::string describe_exit_status(int wait_status) {
  if (WIFEXITED(wait_status))
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    const char* abbrev = sigabbrev_np(sig);
    const char* text = strsignal(sig);
    std::string name =
        abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
    return "killed by " + name + (text != nullptr ? std::string(" (") + text + ")" : "");
  }
  return "ended with wait status " + std::to_string(wait_status);
}

std::unique_ptr<PluginHostProcess> PluginHostProcess::spawn(const std::string& host_binary,
                                                            const std::string& plugin_path) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    throw std::runtime_error(errno_text("socketpair"));
  }
  UniqueFd parent_end(fds[0]);
  UniqueFd child_end(fds[1]);
  // dup2 onto kChildFd clears close-on-exec for the child only; make sure the source is not
  // already kChildFd (dup2 onto itself would keep the flag).
  if (child_end.get() == kChildFd) {
    child_end.reset(::fcntl(kChildFd, F_DUPFD_CLOEXEC, kChildFd + 1));
    ::close(kChildFd);
    if (!child_end.valid()) throw std::runtime_error(errno_text("fcntl(F_DUPFD_CLOEXEC)"));
  }

  SpawnActions actions;
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(actions.get(), child_end.get(), kChildFd);

  std::string fd_text = std::to_string(kChildFd);
  std::vector<char*> argv = {const_cast<char*>(host_binary.c_str()), const_cast<char*>("--fd"),
                             fd_text.data(), const_cast<char*>(plugin_path.c_str()), nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, host_binary.c_str(), actions.get(), nullptr, argv.data(), environ);
  if (rc != 0) {
    throw std::runtime_error("cannot start plugin host " + host_binary + ": " + std::strerror(rc));
  }
  return std::unique_ptr<PluginHostProcess>(new PluginHostProcess(pid, std::move(parent_end)));
}

PluginHostProcess::~PluginHostProcess() {
  kill_and_reap();
}

std::string PluginHostProcess::kill_and_reap() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &wait_status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  return describe_exit_status(wait_status_);
}

std::string PluginHostProcess::reap_within(std::chrono::milliseconds grace) {
  auto give_up = std::chrono::steady_clock::now() + grace;
  while (!reaped_) {
    pid_t rc = ::waitpid(pid_, &wait_status_, WNOHANG);
    if (rc == pid_ || (rc < 0 && errno != EINTR)) {
      reaped_ = true;
      break;
    }
    if (std::chrono::steady_clock::now() >= give_up) return kill_and_reap();
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  return describe_exit_status(wait_status_);
}

void PluginHostProcess::shutdown(std::chrono::milliseconds grace) {
  if (reaped_) return;
  std::string error;
  auto deadline = std::chrono::steady_clock::now() + grace;
  if (channel_.send(wire::MessageType::shutdown, {}, error, deadline)) {
    // The child exits right after reading SHUTDOWN; its end of the socket closing is the
    // cheapest signal to wait for before reaping.
    channel_.receive(deadline);
  }
  reap_within(std::chrono::duration_cast<std::chrono::milliseconds>(std::max(
      deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero())));
}

}  // namespace reos::plugin_runtime
