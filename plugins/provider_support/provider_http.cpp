// host->http through the C table (reos::Call::http throws on RETRY and drops the response).
#include "provider_support/provider_http.hpp"

namespace provider_support {

ProviderResponse send_through_host(reos::Call& call, const reos::HttpRequest& request) {
  const reos_host_api* api = call.host().raw();
  if (!call.host().has(&reos_host_api::http))
    throw reos::ServiceError(REOS_UNSUPPORTED, "host service 'http' is not available");
  std::vector<reos_header> headers;
  for (const auto& h : request.headers)
    headers.push_back({h.first.data(), h.first.size(), h.second.data(), h.second.size()});
  reos_http_request req{};
  req.struct_size = sizeof(reos_http_request);
  req.method = request.method.c_str();
  req.url = request.url.c_str();
  req.headers = headers.empty() ? nullptr : headers.data();
  req.header_count = headers.size();
  req.body = request.body.empty() ? nullptr : request.body.data();
  req.body_len = request.body.size();
  req.timeout_ms = static_cast<uint32_t>(request.timeout.count());
  reos_http_response resp{};
  resp.struct_size = sizeof(reos_http_response);

  ProviderResponse out;
  out.transport = api->http(call.raw(), &req, &resp);
  if (out.transport != REOS_OK && api->last_error != nullptr) {
    const char* e = api->last_error(call.raw());
    out.error = e != nullptr ? e : "";
  }
  out.http.status = resp.status;
  for (std::size_t i = 0; i < resp.header_count && resp.headers != nullptr; ++i)
    out.http.headers.emplace_back(std::string(resp.headers[i].name, resp.headers[i].name_len),
                                  std::string(resp.headers[i].value, resp.headers[i].value_len));
  if (resp.body != nullptr) out.http.body.assign(resp.body, resp.body_len);
  return out;
}

}  // namespace provider_support
