#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/unique_fd.hpp"
#include "plugin_runtime/plugin_wire_protocol.hpp"

namespace reos::plugin_runtime::wire {

/// When an operation must give up; nullopt = wait as long as it takes.
using Deadline = std::optional<std::chrono::steady_clock::time_point>;

/// What receive() got.
struct Received {
  enum class Status { frame, timeout, closed, protocol_error } status = Status::closed;
  Frame frame;        ///< valid when status == frame
  std::string error;  ///< why, for closed (errno text or "end of stream") and protocol_error
};

/// Frames over a connected stream socket (one end of a socketpair). Sends use
/// MSG_NOSIGNAL, so a dead peer is an error value, never SIGPIPE. Not thread-safe: one
/// owner drives it (the out-of-process instance under its call mutex, or the child's loop).
class WireChannel {
 public:
  explicit WireChannel(UniqueFd fd) : fd_(std::move(fd)) {}

  /// Writes one whole frame. Returns false with `error` set when the peer is gone, the
  /// frame is too big, or `deadline` passed before the socket accepted it all.
  bool send(MessageType type, std::string_view payload, std::string& error,
            Deadline deadline = std::nullopt);

  /// Waits for the next whole frame until `deadline`. A length of 0 or over kMaxFrameBytes,
  /// or an unknown type byte, is a protocol_error; end of stream inside a frame is
  /// `closed` (the peer died mid-write).
  Received receive(Deadline deadline = std::nullopt);

  int fd() const { return fd_.get(); }

 private:
  /// Returns a frame from buffer_ if one is complete, sets `error` on a bad header.
  std::optional<Frame> take_buffered_frame(std::string& error);

  UniqueFd fd_;
  std::string buffer_;
  std::size_t start_ = 0;  ///< bytes of buffer_ already handed out
};

/// Milliseconds until `deadline` for poll(): -1 for none, 0 when passed.
int poll_timeout_ms(const Deadline& deadline);

}  // namespace reos::plugin_runtime::wire
