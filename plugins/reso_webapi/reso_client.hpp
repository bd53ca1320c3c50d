// reso_client.hpp — requests to one RESO Web API server: a GET carrying the connector's access
// token (a 401 drops the token, fetches a new one and sends once more), and the mapping of HTTP
// statuses that are not a page to the plugin's outcomes (docs/reso-webapi.md, "Failures").
#pragma once

#include <reos/plugin.hpp>
#include <string>
#include <string_view>

#include "oauth2_token_cache.hpp"
#include "reso_http.hpp"
#include "reso_settings.hpp"

namespace reso {

class Client {
 public:
  /// `settings` must outlive the client.
  explicit Client(const Settings& settings) : settings_(settings), tokens_(settings) {}

  /// GETs `url` with Accept: `accept`, OData-MaxVersion 4.01 and the access token. Throws
  /// reos::Invalid when a fresh token is refused too, else like send().
  Reply get(reos::Call& call, const std::string& url, const char* accept);

  /// Throws for any status but 200: reos::Retry for 429/503/408/5xx (with the Retry-After),
  /// reos::Invalid for 403/404, std::runtime_error for 400 and the rest, each with the OData
  /// error's code and message. `what` names the request ("RESO Property page").
  void check_status(const Reply& reply, const std::string& what) const;

 private:
  const Settings& settings_;
  TokenCache tokens_;
};

/// "code: message" of an OData error body ({"error": {"code", "message"}}), or "".
std::string odata_error(std::string_view body);

}  // namespace reso
