#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace reos::plugin_runtime::wire {

/// A frame or field that cannot be decoded (truncated, oversize, unknown type). The
/// out-of-process runtime treats it as a crash of the child that sent it.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Appends little-endian fixed-size integers, doubles and length-prefixed (u32) strings to
/// a byte buffer. The encoding has no alignment and no padding.
class WireWriter {
 public:
  void u8(uint8_t v) { buffer_.push_back(static_cast<char>(v)); }
  void u16(uint16_t v) { fixed(v, 2); }
  void u32(uint32_t v) { fixed(v, 4); }
  void u64(uint64_t v) { fixed(v, 8); }
  void i32(int32_t v) { fixed(static_cast<uint32_t>(v), 4); }
  void i64(int64_t v) { fixed(static_cast<uint64_t>(v), 8); }
  void f64(double v);
  void boolean(bool v) { u8(v ? 1 : 0); }
  /// u32 byte length, then the bytes (not NUL-terminated).
  void str(std::string_view s);

  const std::string& bytes() const { return buffer_; }
  std::string take() { return std::move(buffer_); }

 private:
  void fixed(uint64_t v, int width);
  std::string buffer_;
};

/// Reads what WireWriter wrote, from a borrowed buffer. Every read checks the remaining
/// length and throws ProtocolError on truncation, so a hostile or broken peer cannot make
/// the reader run off the end.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : bytes_(bytes) {}

  uint8_t u8() { return static_cast<uint8_t>(fixed(1)); }
  uint16_t u16() { return static_cast<uint16_t>(fixed(2)); }
  uint32_t u32() { return static_cast<uint32_t>(fixed(4)); }
  uint64_t u64() { return fixed(8); }
  int32_t i32() { return static_cast<int32_t>(static_cast<uint32_t>(fixed(4))); }
  int64_t i64() { return static_cast<int64_t>(fixed(8)); }
  double f64();
  bool boolean() { return u8() != 0; }
  std::string str();

  /// Throws ProtocolError unless every byte was consumed (a frame with trailing bytes is
  /// as suspect as a short one).
  void expect_end() const;

 private:
  uint64_t fixed(int width);
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace reos::plugin_runtime::wire
