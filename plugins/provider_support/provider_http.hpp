// provider_http.hpp — an HTTP exchange through host->http that keeps the provider's answer
// even when the host gives up retrying (REOS_RETRY after 429/503): the plugin still needs the
// status and the rate-limit headers of the last attempt to say when to try again.
#pragma once

#include <reos/plugin.hpp>

namespace provider_support {

struct ProviderResponse {
  reos_status transport = REOS_OK;  ///< what host->http returned
  std::string error;                ///< host->last_error when transport is not OK
  reos::HttpResponse http;          ///< the last attempt's answer (status 0: none)
};

/// Sends `request` through the host's client. Throws reos::ServiceError only when the host
/// offers no http service.
ProviderResponse send_through_host(reos::Call& call, const reos::HttpRequest& request);

}  // namespace provider_support
