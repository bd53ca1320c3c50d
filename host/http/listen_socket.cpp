#include "http/listen_socket.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace reos::http {

std::string format_endpoint(const std::string& host, int port) {
  std::string h = host.empty() ? "*" : host;
  if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return h + ":" + std::to_string(port);
}

ListenSocket open_listen_socket(const std::string& host, int port, int backlog) {
  const std::string where = format_endpoint(host, port);
  auto fail = [&](const std::string& why) -> ListenSocket {
    throw std::runtime_error("http: cannot listen on " + where + ": " + why);
  };
  if (port < 0 || port > 65535) return fail("port out of range");

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* raw = nullptr;
  const std::string service = std::to_string(port);
  int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &raw);
  if (rc != 0) return fail(::gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(raw, &::freeaddrinfo);

  // Only the first address: binding a name that resolves to several would silently split
  // the service across them.
  const addrinfo* ai = list.get();
  UniqueFd fd(
      ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
  if (fd.get() < 0) return fail(std::strerror(errno));
  int on = 1;
  // Restarts must not wait out TIME_WAIT of the previous process's connections.
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (ai->ai_family == AF_INET6) {
    int off = 0;  // "::" also serves IPv4 clients
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  }
  if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) return fail(std::strerror(errno));
  if (::listen(fd.get(), backlog) != 0) return fail(std::strerror(errno));

  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &len) != 0)
    return fail(std::strerror(errno));
  ListenSocket out;
  out.ipv6 = bound.ss_family == AF_INET6;
  out.port = out.ipv6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                      : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  out.fd = std::move(fd);
  return out;
}

}  // namespace reos::http
