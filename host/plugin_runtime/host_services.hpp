#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin_runtime/plugin_instance.hpp"

namespace reos::plugin_runtime {

/// Outcome of a host service: `status` is a reos_status (REOS_OK, REOS_NOT_FOUND, …);
/// `error` explains anything but OK.
struct ServiceStatus {
  int32_t status = 0;
  std::string error;
};

struct HttpExchange {
  // request
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> request_headers;
  std::string request_body;
  uint32_t timeout_ms = 0;  ///< 0 = the connector's default
  // response
  int32_t status = 0;
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::string response_body;
};

/// The services the host offers a plugin instance (the implementation behind
/// reos_host_api). One object serves one tenant connector; every method is thread-safe.
/// The in-process runtime calls it directly; the out-of-process runtime calls it in the
/// parent on behalf of the child.
class HostServices {
 public:
  virtual ~HostServices() = default;

  /// level: REOS_LOG_DEBUG..REOS_LOG_ERROR.
  virtual void log(const CallContext& ctx, int32_t level, std::string_view msg) = 0;
  virtual ServiceStatus state_get(const CallContext& ctx, std::string_view key,
                                  std::string& value) = 0;
  virtual ServiceStatus state_put(const CallContext& ctx, std::string_view key,
                                  std::string_view value) = 0;
  virtual ServiceStatus secret(const CallContext& ctx, std::string_view reference,
                               std::string& value) = 0;
  /// Fills the response half of `exchange`.
  virtual ServiceStatus http(const CallContext& ctx, HttpExchange& exchange) = 0;
  virtual ServiceStatus counter_add(const CallContext& ctx, std::string_view name,
                                    double delta) = 0;
  virtual ServiceStatus gauge_set(const CallContext& ctx, std::string_view name, double value) = 0;
  virtual ServiceStatus blob_put(const CallContext& ctx, std::string_view key,
                                 std::string_view data, std::string_view content_type) = 0;
  virtual ServiceStatus blob_get(const CallContext& ctx, std::string_view key,
                                 std::string& data) = 0;
};

}  // namespace reos::plugin_runtime
