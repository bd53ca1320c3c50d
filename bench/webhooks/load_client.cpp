#include "load_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>

namespace bench {
namespace {

using Clock = std::chrono::steady_clock;

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{10, 0};  // a hub that stops answering is a transport error, not a hang
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

bool send_all(int fd, const std::string& data) {
  std::size_t at = 0;
  while (at < data.size()) {
    const ssize_t n = ::send(fd, data.data() + at, data.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return false;
    at += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one response; returns its status, or 0 when the connection failed. Sets `keep` to
// false when the server will close the connection.
int read_response(int fd, std::string& buffer, bool& keep) {
  std::size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    char chunk[16384];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return 0;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  const int status = buffer.size() > 12 ? std::atoi(buffer.c_str() + 9) : 0;
  std::string head = buffer.substr(0, header_end);
  std::transform(head.begin(), head.end(), head.begin(), ::tolower);
  std::size_t length = 0;
  if (const auto at = head.find("content-length:"); at != std::string::npos)
    length = std::strtoul(head.c_str() + at + 15, nullptr, 10);
  keep = head.find("connection: close") == std::string::npos;
  while (buffer.size() < header_end + 4 + length) {
    char chunk[16384];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return 0;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  buffer.erase(0, header_end + 4 + length);
  return status;
}

}  // namespace

double LoadResult::percentile_ms(double p) const {
  if (latencies_ms.empty()) return 0;
  std::vector<double> sorted = latencies_ms;
  std::sort(sorted.begin(), sorted.end());
  const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1));
  return sorted[i];
}

LoadResult run_load(int port, const std::vector<std::string>& requests, int connections,
                    std::chrono::milliseconds duration) {
  LoadResult total;
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  const auto started = Clock::now();
  const auto until = started + duration;
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      LoadResult mine;
      int fd = -1;
      std::string buffer;
      for (;;) {
        if (Clock::now() >= until) break;
        const std::size_t i = next++;
        if (i >= requests.size()) break;
        if (fd < 0) {
          fd = connect_to(port);
          if (fd < 0) {
            ++mine.sent;
            ++mine.transport_errors;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            continue;
          }
          buffer.clear();
        }
        const auto t0 = Clock::now();
        ++mine.sent;
        bool keep = true;
        const int status = send_all(fd, requests[i]) ? read_response(fd, buffer, keep) : 0;
        if (status == 0) {
          ++mine.transport_errors;
          ::close(fd);
          fd = -1;
          continue;
        }
        if (status >= 200 && status < 300) {
          ++mine.ok;
          mine.acknowledged.push_back(static_cast<std::uint32_t>(i));
          mine.latencies_ms.push_back(
              std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        } else {
          ++mine.other_status;
        }
        if (!keep) {
          ::close(fd);
          fd = -1;
        }
      }
      if (fd >= 0) ::close(fd);
      std::lock_guard lock(mutex);
      total.sent += mine.sent;
      total.ok += mine.ok;
      total.other_status += mine.other_status;
      total.transport_errors += mine.transport_errors;
      total.acknowledged.insert(total.acknowledged.end(), mine.acknowledged.begin(),
                                mine.acknowledged.end());
      total.latencies_ms.insert(total.latencies_ms.end(), mine.latencies_ms.begin(),
                                mine.latencies_ms.end());
    });
  }
  for (auto& t : threads) t.join();
  total.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return total;
}

}  // namespace bench
