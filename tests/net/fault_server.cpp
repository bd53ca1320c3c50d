#include "net/fault_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace reos::test {
namespace {

int bind_loopback(int& port_out) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("bind() failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_out = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

Step reply(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers,
           std::chrono::milliseconds delay) {
  Step s;
  s.response.status = status;
  s.response.content_type = "text/plain";
  s.response.body = std::move(body);
  s.response.headers = std::move(headers);
  s.delay = delay;
  return s;
}

ScriptedServer::ScriptedServer() {
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"})
    server_.router.add(method, "/s/{name}", [this](const http::Request& r) { return handle(r); });
  http::HttpServerSettings settings;
  settings.threads = 8;
  settings.shutdown_grace_ms = 3000;
  server_.start(settings);
}

http::Response ScriptedServer::handle(const http::Request& request) {
  Step step;
  {
    std::lock_guard lock(mutex_);
    auto it = scripts_.find(request.path_params.at("name"));
    if (it == scripts_.end() || it->second.steps.empty()) return http::text_response(404, "");
    Script& s = it->second;
    const auto index = std::min<std::size_t>(static_cast<std::size_t>(s.hits), s.steps.size() - 1);
    step = s.steps[index];
    ++s.hits;
    s.last = request;
  }
  if (step.delay.count() > 0) std::this_thread::sleep_for(step.delay);
  return step.response;
}

void ScriptedServer::script(const std::string& name, std::vector<Step> steps) {
  std::lock_guard lock(mutex_);
  scripts_[name] = Script{std::move(steps), 0, {}};
}

int ScriptedServer::hits(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = scripts_.find(name);
  return it == scripts_.end() ? 0 : it->second.hits;
}

http::Request ScriptedServer::last_request(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = scripts_.find(name);
  return it == scripts_.end() ? http::Request{} : it->second.last;
}

std::string ScriptedServer::url(const std::string& name) const {
  return "http://127.0.0.1:" + std::to_string(server_.port()) + "/s/" + name;
}

DroppingServer::DroppingServer() {
  listen_fd_ = bind_loopback(port_);
  if (::listen(listen_fd_, 16) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("listen() failed");
  }
  thread_ = std::thread([this] { run(); });
}

DroppingServer::~DroppingServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::string DroppingServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void DroppingServer::run() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    // Read the request head (and whatever body arrived with it), then hang up.
    std::string data;
    char buf[4096];
    while (data.find("\r\n\r\n") == std::string::npos) {
      pollfd c{fd, POLLIN, 0};
      if (::poll(&c, 1, 1000) <= 0) break;
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      data.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
  }
}

int refused_port() {
  int port = 0;
  int fd = bind_loopback(port);
  ::close(fd);
  return port;
}

}  // namespace reos::test
