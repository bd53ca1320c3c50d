#pragma once

#include <string>

namespace reos::http {

/// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

/// A bound, listening, non-blocking TCP socket.
struct ListenSocket {
  UniqueFd fd;
  int port = 0;       ///< the port actually bound (resolves port 0)
  bool ipv6 = false;  ///< address family, which libmicrohttpd needs to be told
};

/// Formats "host:port", bracketing IPv6 literals ("[::1]:8080").
std::string format_endpoint(const std::string& host, int port);

/// Binds `host:port` ("" = all interfaces; port 0 = ephemeral) and listens. We bind it
/// ourselves rather than letting libmicrohttpd do it so a failure carries errno: throws
/// std::runtime_error("http: cannot listen on 127.0.0.1:8080: Address already in use").
ListenSocket open_listen_socket(const std::string& host, int port, int backlog = 128);

}  // namespace reos::http
