#include "http/request_id.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace reos::http {

bool is_acceptable_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 200 &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

std::string generate_request_id() {
  // One engine per thread: no lock on the request path, and random_device seeding keeps
  // threads (and processes sharing a log pipeline) from producing the same sequence.
  thread_local std::mt19937_64 engine{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = engine();
    for (int i = 0; i < 16; ++i) {
      out[static_cast<std::size_t>(half * 16 + i)] = digits[bits & 0xf];
      bits >>= 4;
    }
  }
  return out;
}

std::string choose_request_id(std::string_view incoming) {
  return is_acceptable_request_id(incoming) ? std::string(incoming) : generate_request_id();
}

}  // namespace reos::http
