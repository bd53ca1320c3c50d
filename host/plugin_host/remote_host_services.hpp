#pragma once

#include "plugin_runtime/host_services.hpp"
#include "plugin_runtime/plugin_wire_channel.hpp"

namespace reos::plugin_host {

/// The HostServices the plugin sees inside `reos-plugin-host`: every service becomes a
/// SERVICE_REQUEST to the parent, which runs it against the real services with the context
/// of the call in progress, and a SERVICE_REPLY back (log is one-way). The `ctx` arguments
/// are ignored for that reason. If the parent is gone or answers with anything but a
/// SERVICE_REPLY, the child exits at once (status 70): there is nobody left to serve.
/// Single-threaded, like the whole child.
class RemoteHostServices final : public plugin_runtime::HostServices {
 public:
  explicit RemoteHostServices(plugin_runtime::wire::WireChannel& channel) : channel_(channel) {}

  void log(const plugin_runtime::CallContext& ctx, int32_t level, std::string_view msg) override;
  plugin_runtime::ServiceStatus state_get(const plugin_runtime::CallContext& ctx,
                                          std::string_view key, std::string& value) override;
  plugin_runtime::ServiceStatus state_put(const plugin_runtime::CallContext& ctx,
                                          std::string_view key, std::string_view value) override;
  plugin_runtime::ServiceStatus secret(const plugin_runtime::CallContext& ctx,
                                       std::string_view reference, std::string& value) override;
  plugin_runtime::ServiceStatus http(const plugin_runtime::CallContext& ctx,
                                     plugin_runtime::HttpExchange& exchange) override;
  plugin_runtime::ServiceStatus counter_add(const plugin_runtime::CallContext& ctx,
                                            std::string_view name, double delta) override;
  plugin_runtime::ServiceStatus gauge_set(const plugin_runtime::CallContext& ctx,
                                          std::string_view name, double value) override;
  plugin_runtime::ServiceStatus blob_put(const plugin_runtime::CallContext& ctx,
                                         std::string_view key, std::string_view data,
                                         std::string_view content_type) override;
  plugin_runtime::ServiceStatus blob_get(const plugin_runtime::CallContext& ctx,
                                         std::string_view key, std::string& data) override;

 private:
  /// Sends `request`; unless it is one-way, waits for and returns the reply.
  plugin_runtime::wire::ServiceReply round_trip(
      const plugin_runtime::wire::ServiceRequest& request);

  plugin_runtime::wire::WireChannel& channel_;
};

}  // namespace reos::plugin_host
