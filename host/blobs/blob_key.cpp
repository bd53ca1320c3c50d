#include <cctype>

#include "blobs/blob_store.hpp"

namespace reos::blobs {

void check_blob_key(std::string_view key) {
  if (key.empty() || key.size() > 1024)
    throw std::invalid_argument("blob key must be 1..1024 bytes");
  bool segment_start = true;
  for (char c : key) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '/') {
      if (segment_start) throw std::invalid_argument("blob key has an empty segment");
      segment_start = true;
      continue;
    }
    // No segment may start with '.': no "..", and temporary/sidecar names stay out of reach.
    if (segment_start && c == '.') throw std::invalid_argument("blob key segment starts with '.'");
    if (!std::isalnum(u) && c != '.' && c != '_' && c != '-')
      throw std::invalid_argument("blob key has a character outside [A-Za-z0-9/._-]");
    segment_start = false;
  }
  if (segment_start) throw std::invalid_argument("blob key ends with '/'");
}

}  // namespace reos::blobs
