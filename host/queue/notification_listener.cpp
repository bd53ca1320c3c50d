#include "queue/notification_listener.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <stdexcept>
#include <thread>

#include "db/connection_pool.hpp"
#include "log/logger.hpp"

namespace reos::queue {
namespace {

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel,
           const std::function<void(const std::string&)>& on_notify)
      : pqxx::notification_receiver(conn, channel), on_notify_(on_notify) {}
  void operator()(const std::string& payload, int /*backend_pid*/) override { on_notify_(payload); }

 private:
  const std::function<void(const std::string&)>& on_notify_;
};

}  // namespace

struct NotificationListener::Impl {
  std::string conninfo;
  std::string channel;
  std::function<void(const std::string&)> on_notify;
  db::ConnectionPtr conn;
  std::unique_ptr<Receiver> receiver;
  std::thread thread;
  std::atomic<bool> stopping{false};
  int wake_pipe[2] = {-1, -1};

  void open() {
    receiver.reset();
    conn = db::connect(conninfo);
    receiver = std::make_unique<Receiver>(*conn, channel, on_notify);
    // pqxx issues LISTEN lazily on some paths; a round trip makes sure it is in effect.
    pqxx::nontransaction(*conn).exec("SELECT 1");
  }

  // Sleeps up to `ms` unless stop() is called; returns false when stopping.
  bool pause(int ms) {
    pollfd p{wake_pipe[0], POLLIN, 0};
    ::poll(&p, 1, ms);
    return !stopping.load();
  }

  void run() {
    int backoff_ms = 100;
    while (!stopping.load()) {
      try {
        if (!conn) {
          open();
          on_notify("");  // anything sent while disconnected was missed
          backoff_ms = 100;
        }
        pollfd fds[2] = {{conn->sock(), POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
        const int n = ::poll(fds, 2, -1);
        if (n < 0) continue;  // EINTR
        if (fds[1].revents) break;
        if (fds[0].revents) conn->get_notifs();
        if (!conn->is_open()) throw pqxx::broken_connection("listener connection closed");
      } catch (const std::exception& e) {
        log::warn("queue: job notification listener lost its connection; reconnecting",
                  {{"error", e.what()}, {"retry_ms", std::to_string(backoff_ms)}});
        receiver.reset();
        conn.reset();
        if (!pause(backoff_ms)) break;
        backoff_ms = std::min(backoff_ms * 2, 5000);
      }
    }
    receiver.reset();
    conn.reset();
  }
};

NotificationListener::NotificationListener(std::string conninfo, std::string channel,
                                           std::function<void(const std::string&)> on_notify)
    : impl_(std::make_unique<Impl>()) {
  impl_->conninfo = std::move(conninfo);
  impl_->channel = std::move(channel);
  impl_->on_notify = std::move(on_notify);
}

NotificationListener::~NotificationListener() {
  stop();
  for (int fd : impl_->wake_pipe) {
    if (fd >= 0) ::close(fd);
  }
}

void NotificationListener::start() {
  if (impl_->thread.joinable()) return;
  if (::pipe2(impl_->wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::runtime_error("queue: cannot create the listener's wake-up pipe");
  }
  impl_->open();
  impl_->thread = std::thread([this] { impl_->run(); });
}

void NotificationListener::stop() {
  if (!impl_->thread.joinable()) return;
  impl_->stopping.store(true);
  const char byte = 1;
  [[maybe_unused]] const ssize_t written = ::write(impl_->wake_pipe[1], &byte, 1);
  impl_->thread.join();
}

}  // namespace reos::queue
