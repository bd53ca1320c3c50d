#pragma once

// A blocking libcurl client for the HTTP tests: one fresh connection per call, so each
// request observes the server as it is at that moment (no reused keep-alive sockets).

#include <curl/curl.h>

#include <map>
#include <string>
#include <vector>

namespace reos::test {

struct ClientRequest {
  std::string method = "GET";
  std::string url;
  std::string body;
  std::vector<std::string> headers;  ///< "Name: value"
  bool chunked = false;              ///< upload `body` with Transfer-Encoding: chunked
  long timeout_ms = 10000;
};

struct ClientResponse {
  CURLcode curl_code = CURLE_OK;
  std::string curl_error;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< lowercased names

  std::string header(const std::string& lowercase_name) const {
    auto it = headers.find(lowercase_name);
    return it == headers.end() ? "" : it->second;
  }
};

ClientResponse perform(const ClientRequest& req);

/// GET http://127.0.0.1:<port><path>.
ClientResponse get(int port, const std::string& path, std::vector<std::string> headers = {});

std::string url(int port, const std::string& path);

}  // namespace reos::test
