#pragma once

// A thread that LISTENs on the `reos_jobs` channel with a connection of its own and calls a
// callback for each notification, so idle workers sleep on a condition variable instead of
// polling the table.

#include <functional>
#include <memory>
#include <string>

namespace reos::queue {

/// Owns one database connection and one thread. start() once; stop() (or the destructor)
/// ends the thread promptly — it waits in poll() on the socket and on a wake-up pipe.
/// When the connection breaks it reconnects with backoff and calls `on_notify("")` after
/// reconnecting, because notifications sent meanwhile are lost.
class NotificationListener {
 public:
  /// `on_notify(payload)` runs on the listener thread; it must be quick and must not throw.
  NotificationListener(std::string conninfo, std::string channel,
                       std::function<void(const std::string&)> on_notify);
  ~NotificationListener();
  NotificationListener(const NotificationListener&) = delete;
  NotificationListener& operator=(const NotificationListener&) = delete;

  /// Connects and issues LISTEN before returning (so no notification committed after
  /// start() returns is missed); throws std::runtime_error when it cannot connect.
  void start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reos::queue
