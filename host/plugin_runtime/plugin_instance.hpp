#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reos::plugin_runtime {

/// Who a call is for and how long it may take. Copied into every log line and metric.
struct CallContext {
  std::string tenant_id;
  std::string connector_id;
  std::string correlation_id;
  std::chrono::milliseconds deadline{30000};
};

/// An inbound webhook as the plugin sees it (raw bytes kept for signature checks).
struct WebhookRequest {
  std::string method;
  std::string url;  ///< the public URL the provider called
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/// Everything a plugin call produced, already copied out of the plugin and validated.
/// `status` is one of REOS_OK, REOS_RETRY, REOS_FAIL, REOS_INVALID (reos/plugin.h); a plugin
/// that returned anything else, wrote malformed JSON, threw, crashed or overran its deadline
/// gets REOS_FAIL here with `message` saying which.
struct CallResult {
  int32_t status = 2;  // REOS_FAIL until the plugin says otherwise
  std::string message;
  uint64_t retry_after_ms = 0;
  std::optional<std::string> output;  ///< set_output (enricher: absent = dropped)
  std::vector<std::string> emitted;   ///< emit, in order (source records, webhook events)
  std::optional<std::string> cursor;  ///< set_cursor (source)
  bool has_more = false;
  std::vector<std::pair<std::string, std::string>> state_writes;  ///< state_put, in order
  double duration_ms = 0;
};

/// Static facts about a loaded plugin.
struct PluginInfo {
  std::string name;
  std::string version;
  std::string description;
  uint32_t kinds = 0;           ///< REOS_KIND_* bits
  uint32_t flags = 0;           ///< REOS_FLAG_* bits
  std::string settings_schema;  ///< JSON Schema text ("" = any object)
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  uint16_t min_host_minor = 0;
  std::string path;  ///< the .so it came from
};

/// One plugin instance serving one tenant connector, in this process or in a child
/// process (same interface). A call for a kind the plugin did not declare returns
/// REOS_INVALID. Thread-safety: calls are serialized per instance unless the plugin
/// declared REOS_FLAG_THREAD_SAFE; implementations enforce that, callers need not.
class PluginInstance {
 public:
  virtual ~PluginInstance() = default;

  virtual const PluginInfo& info() const = 0;

  virtual CallResult pull(const CallContext& ctx, std::string_view cursor) = 0;
  virtual CallResult enrich(const CallContext& ctx, std::string_view record) = 0;
  virtual CallResult score(const CallContext& ctx, std::string_view features) = 0;
  virtual CallResult notify(const CallContext& ctx, std::string_view message) = 0;
  virtual CallResult export_record(const CallContext& ctx, std::string_view record,
                                   std::string_view idempotency_key) = 0;
  virtual CallResult webhook(const CallContext& ctx, const WebhookRequest& request) = 0;
};

}  // namespace reos::plugin_runtime
