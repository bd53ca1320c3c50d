#pragma once

#include <map>
#include <string>

namespace reos::test {

/// A finished HTTP exchange as a client saw it.
struct HttpReply {
  long status = 0;                             ///< 0 when the request could not be made
  std::map<std::string, std::string> headers;  ///< names lowercased
  std::string body;
  std::string error;  ///< libcurl's message when status is 0
};

/// One request over real HTTP (libcurl). `headers` are full lines ("X-Request-Id: abc").
HttpReply http_request(const std::string& method, const std::string& url,
                       const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {},
                       long timeout_ms = 10000);

inline HttpReply http_get(const std::string& url,
                          const std::map<std::string, std::string>& headers = {}) {
  return http_request("GET", url, "", headers);
}

}  // namespace reos::test
