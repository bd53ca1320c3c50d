#include "http_source.hpp"

#include <algorithm>
#include <cctype>

namespace file_feed {
namespace {

std::string header(const Headers& headers, const std::string& lowercase_name) {
  for (const auto& [name, value] : headers) {
    if (name.size() != lowercase_name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(name[i])) == lowercase_name[i];
    if (same) return value;
  }
  return "";
}

// "bytes 0-0/12345" or "bytes */12345" → 12345; -1 when absent or unknown ("/*").
long long total_of_content_range(const std::string& value) {
  const std::size_t slash = value.rfind('/');
  if (slash == std::string::npos || slash + 1 >= value.size()) return -1;
  try {
    std::size_t used = 0;
    const std::string total = value.substr(slash + 1);
    const long long n = std::stoll(total, &used);
    return used == total.size() && n >= 0 ? n : -1;
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

std::uint64_t feed_identity_hash(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h == 0 ? 1 : h;
}

HttpSource::HttpSource(std::string url, HttpGet get, std::size_t chunk_size)
    : url_(std::move(url)), get_(std::move(get)), chunk_size_(chunk_size ? chunk_size : 1) {}

std::string HttpSource::name() const {
  // No user info or query in messages: either may carry a token.
  std::string shown = url_.substr(0, url_.find_first_of("?#"));
  const std::size_t scheme = shown.find("://");
  const std::size_t at = shown.find('@', scheme == std::string::npos ? 0 : scheme + 3);
  const std::size_t path = shown.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme != std::string::npos && at != std::string::npos &&
      (path == std::string::npos || at < path))
    shown.erase(scheme + 3, at - scheme - 2);
  return shown;
}

HttpReply HttpSource::get(const Headers& headers) {
  ++requests_;
  HttpReply reply = get_(url_, headers);
  if (reply.status == 429 || reply.status >= 500)
    throw TransientFeedError("GET " + name() + ": HTTP " + std::to_string(reply.status));
  if (reply.status != 200 && reply.status != 206 && reply.status != 416)
    throw std::runtime_error("GET " + name() + ": HTTP " + std::to_string(reply.status));
  return reply;
}

ByteSource::Identity HttpSource::identity() {
  HttpReply r = get({{"Range", "bytes=0-0"}, {"Accept-Encoding", "identity"}});
  Identity id;
  std::string validator = header(r.headers, "etag");
  if (validator.empty()) validator = header(r.headers, "last-modified");
  if (r.status == 200) {
    // Range ignored: this is the whole file, the only way to read it is to keep it.
    ranges_ = false;
    whole_ = std::move(r.body);
    id.size = whole_.size();
  } else {
    const long long total = total_of_content_range(header(r.headers, "content-range"));
    if (total < 0)
      throw std::runtime_error("GET " + name() + ": HTTP " + std::to_string(r.status) +
                               " without a usable Content-Range");
    id.size = static_cast<std::uint64_t>(total);
  }
  id.id = feed_identity_hash(validator.empty() ? "size:" + std::to_string(id.size) : validator);
  return id;
}

std::size_t HttpSource::read(std::uint64_t offset, std::size_t max, std::string& out) {
  if (!ranges_) {
    if (offset >= whole_.size()) return 0;
    const std::size_t n = std::min<std::size_t>(max, whole_.size() - offset);
    out.append(whole_, offset, n);
    return n;
  }
  HttpReply r =
      get({{"Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + max - 1)},
           {"Accept-Encoding", "identity"}});
  if (r.status == 416) return 0;  // at or past the end
  if (r.status == 200) {          // the server stopped honouring Range: take our part of the whole
    if (offset >= r.body.size()) return 0;
    const std::size_t n = std::min<std::size_t>(max, r.body.size() - offset);
    out.append(r.body, offset, n);
    return n;
  }
  const std::string range = header(r.headers, "content-range");
  if (range.rfind("bytes " + std::to_string(offset) + "-", 0) != 0)
    throw std::runtime_error("GET " + name() + ": asked for bytes from " + std::to_string(offset) +
                             ", got Content-Range '" + range + "'");
  const std::size_t n = std::min(max, r.body.size());
  out.append(r.body, 0, n);
  return n;
}

}  // namespace file_feed
