#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace reos::http {

/// One HTTP request as handlers see it: fully read (body included) before the handler runs.
struct Request {
  std::string method;  ///< as sent, e.g. "GET" (HEAD requests reach GET handlers as "HEAD")
  std::string path;    ///< percent-decoded path, without the query
  std::string query;   ///< raw query string after '?', not decoded ("" when absent)
  std::map<std::string, std::string> headers;  ///< names lowercased; repeats joined by ", "
  std::string body;
  std::string request_id;  ///< the X-Request-Id echoed on the response
  std::string route;       ///< pattern that matched, e.g. "/api/v1/admin/jobs/{id}"
  std::map<std::string, std::string> path_params;  ///< percent-decoded segment values
  std::string remote_addr;  ///< the TCP peer's numeric address ("" when unknown)

  /// Header value by lowercase name, or `fallback` when absent.
  std::string header(const std::string& lowercase_name, std::string fallback = "") const {
    auto it = headers.find(lowercase_name);
    return it == headers.end() ? fallback : it->second;
  }
};

/// What a handler returns; the server adds X-Request-Id (and Connection: close while stopping).
struct Response {
  int status = 200;
  std::string content_type = "application/json";  ///< empty: no Content-Type header
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers, in order
};

/// A JSON response; `body` must already be serialized JSON.
inline Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

/// A text/plain response (UTF-8).
inline Response text_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

/// Runs on one of the server's worker threads; may throw (the client then gets a 500
/// problem+json without the exception text). Must be safe to call concurrently.
using Handler = std::function<Response(const Request&)>;

}  // namespace reos::http
