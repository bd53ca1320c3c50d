#include "plugin_runtime/plugin_wire_channel.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "plugin_runtime/plugin_wire_codec.hpp"

namespace reos::plugin_runtime::wire {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

bool wait_for(int fd, short events, const Deadline& deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    int rc = ::poll(&p, 1, poll_timeout_ms(deadline));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return true;  // let the following I/O call report the error
  }
}

}  // namespace

int poll_timeout_ms(const Deadline& deadline) {
  if (!deadline) return -1;
  auto left =
      std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > INT32_MAX ? INT32_MAX : static_cast<int>(left.count());
}

bool WireChannel::send(MessageType type, std::string_view payload, std::string& error,
                       Deadline deadline) {
  std::string frame;
  try {
    frame = encode_frame(type, payload);
  } catch (const ProtocolError& e) {
    error = e.what();
    return false;
  }
  std::size_t sent = 0;
  while (sent < frame.size()) {
    ssize_t n =
        ::send(fd_.get(), frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_for(fd_.get(), POLLOUT, deadline)) {
        error = "timed out sending " + message_type_name(static_cast<uint8_t>(type));
        return false;
      }
      continue;
    }
    error = std::string("send failed: ") + std::strerror(errno);
    return false;
  }
  return true;
}

std::optional<Frame> WireChannel::take_buffered_frame(std::string& error) {
  std::size_t available = buffer_.size() - start_;
  if (available < kFrameHeaderBytes) return std::nullopt;
  WireReader header(std::string_view(buffer_).substr(start_, kFrameHeaderBytes));
  uint32_t length = header.u32();
  uint8_t type = header.u8();
  if (length == 0 || length > kMaxFrameBytes) {
    error = "wire: frame length " + std::to_string(length) + " outside 1.." +
            std::to_string(kMaxFrameBytes);
    return std::nullopt;
  }
  if (type < static_cast<uint8_t>(MessageType::hello) ||
      type > static_cast<uint8_t>(MessageType::shutdown)) {
    error = "wire: unknown message " + message_type_name(type);
    return std::nullopt;
  }
  if (available < 4 + static_cast<std::size_t>(length)) return std::nullopt;
  Frame frame;
  frame.type = static_cast<MessageType>(type);
  frame.payload.assign(buffer_, start_ + kFrameHeaderBytes, length - 1);
  start_ += 4 + static_cast<std::size_t>(length);
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return frame;
}

Received WireChannel::receive(Deadline deadline) {
  Received out;
  for (;;) {
    std::string error;
    if (auto frame = take_buffered_frame(error)) {
      out.status = Received::Status::frame;
      out.frame = std::move(*frame);
      return out;
    }
    if (!error.empty()) {
      out.status = Received::Status::protocol_error;
      out.error = std::move(error);
      return out;
    }
    if (start_ > 0) {  // keep the partial frame at the front
      buffer_.erase(0, start_);
      start_ = 0;
    }
    std::size_t old_size = buffer_.size();
    buffer_.resize(old_size + kReadChunk);
    ssize_t n = ::recv(fd_.get(), buffer_.data() + old_size, kReadChunk, MSG_DONTWAIT);
    buffer_.resize(old_size + (n > 0 ? static_cast<std::size_t>(n) : 0));
    if (n > 0) continue;
    if (n == 0) {
      out.status = Received::Status::closed;
      out.error = buffer_.empty() ? "end of stream"
                                  : "end of stream inside a frame (" +
                                        std::to_string(buffer_.size()) + " bytes buffered)";
      return out;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait_for(fd_.get(), POLLIN, deadline)) {
        out.status = Received::Status::timeout;
        return out;
      }
      continue;
    }
    out.status = Received::Status::closed;
    out.error = std::string("receive failed: ") + std::strerror(errno);
    return out;
  }
}

}  // namespace reos::plugin_runtime::wire
