#pragma once

#include <string>

#include "core/unique_fd.hpp"

namespace reos::http {

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
