#include "plugin_runtime/plugin_wire_codec.hpp"

#include <cstring>

namespace reos::plugin_runtime::wire {

void WireWriter::fixed(uint64_t v, int width) {
  for (int i = 0; i < width; ++i) buffer_.push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}

void WireWriter::f64(double v) {
  uint64_t bits = 0;
  static_assert(sizeof bits == sizeof v);
  std::memcpy(&bits, &v, sizeof bits);
  u64(bits);
}

void WireWriter::str(std::string_view s) {
  if (s.size() > UINT32_MAX) throw ProtocolError("wire: string longer than 4 GiB");
  u32(static_cast<uint32_t>(s.size()));
  buffer_.append(s.data(), s.size());
}

uint64_t WireReader::fixed(int width) {
  if (bytes_.size() - pos_ < static_cast<std::size_t>(width)) {
    throw ProtocolError("wire: truncated field at byte " + std::to_string(pos_));
  }
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
  }
  pos_ += width;
  return v;
}

double WireReader::f64() {
  uint64_t bits = u64();
  double v = 0;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

std::string WireReader::str() {
  uint32_t len = u32();
  if (bytes_.size() - pos_ < len) {
    throw ProtocolError("wire: string of " + std::to_string(len) + " bytes overruns the frame");
  }
  std::string s(bytes_.substr(pos_, len));
  pos_ += len;
  return s;
}

void WireReader::expect_end() const {
  if (pos_ != bytes_.size()) {
    throw ProtocolError("wire: " + std::to_string(bytes_.size() - pos_) +
                        " unexpected trailing bytes");
  }
}

}  // namespace reos::plugin_runtime::wire
