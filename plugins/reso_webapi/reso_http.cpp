// Requests through host->http (see the header).
#include "reso_http.hpp"

#include <time.h>

#include <string>

namespace reso {

std::optional<std::string_view> Reply::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (reos::detail::equals_ignoring_case(n, name)) return v;
  return std::nullopt;
}

std::optional<std::uint64_t> retry_after_ms(std::string_view value, std::time_t now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  bool all_digits = value.size() <= 9;
  for (const char c : value) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) return std::stoull(std::string(value)) * 1000;
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const std::time_t at = timegm(&tm);
  return at <= now ? 0 : static_cast<std::uint64_t>(at - now) * 1000;
}

std::string describe(const char* what, const Reply& reply) {
  std::string body(reply.body.substr(0, 200));
  for (char& c : body)
    if (c == '\r' || c == '\n') c = ' ';
  return std::string(what) + ": HTTP " + std::to_string(reply.status) +
         (body.empty() ? "" : " (" + body + ")");
}

Reply send(reos::Call& call, const reos::HttpRequest& request) {
  const reos_host_api* api = call.host().raw();
  if (!call.host().has(&reos_host_api::http))
    throw reos::ServiceError(REOS_UNSUPPORTED, "host service 'http' is not available");
  std::vector<reos_header> headers;
  headers.reserve(request.headers.size());
  for (const auto& h : request.headers)
    headers.push_back(
        reos_header{h.first.data(), h.first.size(), h.second.data(), h.second.size()});
  reos_http_request req{};
  req.struct_size = static_cast<std::uint32_t>(sizeof(reos_http_request));
  req.method = request.method.c_str();
  req.url = request.url.c_str();
  req.headers = headers.empty() ? nullptr : headers.data();
  req.header_count = headers.size();
  req.body = request.body.empty() ? nullptr : request.body.data();
  req.body_len = request.body.size();
  req.timeout_ms = static_cast<std::uint32_t>(request.timeout.count());
  reos_http_response resp{};
  resp.struct_size = static_cast<std::uint32_t>(sizeof(reos_http_response));
  const reos_status status = api->http(call.raw(), &req, &resp);

  Reply reply;
  reply.status = resp.status;
  for (std::size_t i = 0; i < resp.header_count && resp.headers != nullptr; ++i)
    reply.headers.emplace_back(
        reos::detail::view(resp.headers[i].name, resp.headers[i].name_len),
        reos::detail::view(resp.headers[i].value, resp.headers[i].value_len));
  reply.body = reos::detail::view(resp.body, resp.body_len);
  if (status == REOS_OK) return reply;

  const char* err = api->last_error != nullptr ? api->last_error(call.raw()) : nullptr;
  const std::string message = request.method + " " + request.url.substr(0, request.url.find('?')) +
                              ": " + (err != nullptr && *err != '\0' ? err : "failed");
  if (status == REOS_RETRY) {
    std::uint64_t after = 0;
    if (reply.status == 429 || reply.status == 503)
      if (const auto h = reply.header("Retry-After"))
        after = retry_after_ms(*h, std::time(nullptr)).value_or(0);
    throw reos::Retry(std::chrono::milliseconds(static_cast<long long>(after)),
                      message + (after > 0 ? " (server asks to retry after " +
                                                 std::to_string(after / 1000) + " s)"
                                           : ""));
  }
  throw reos::ServiceError(status, message);
}

}  // namespace reso
