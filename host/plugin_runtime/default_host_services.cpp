#include "plugin_runtime/default_host_services.hpp"

#include <stdexcept>

#include "blobs/blob_store_factory.hpp"
#include "http/metrics_registry.hpp"
#include "log/logger.hpp"
#include "reos/plugin.h"

// The per-connector HTTP client lives in host/net (its own module). Until it is part of the
// build, the http service answers REOS_UNSUPPORTED instead of failing to compile.
#if __has_include("net/connector_http_client.hpp")
#include "net/connector_http_client.hpp"
#define REOS_HAVE_CONNECTOR_HTTP_CLIENT 1
#else
#define REOS_HAVE_CONNECTOR_HTTP_CLIENT 0
namespace reos::net {
class ConnectorHttpClient {};
}  // namespace reos::net
#endif

namespace reos::plugin_runtime {
namespace {

log::Level log_level(int32_t level) {
  switch (level) {
    case REOS_LOG_DEBUG:
      return log::Level::debug;
    case REOS_LOG_WARN:
      return log::Level::warn;
    case REOS_LOG_ERROR:
      return log::Level::error;
    default:
      return log::Level::info;
  }
}

}  // namespace

bool valid_plugin_metric_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

DefaultHostServices::DefaultHostServices(ConnectorServiceSettings settings,
                                         db::ConnectionPool& pool, http::MetricsRegistry& metrics)
    : settings_(std::move(settings)),
      metrics_(metrics),
      state_(pool, settings_.tenant_id, settings_.connector_id),
      secrets_(settings_.settings_json, settings_.secrets),
      blobs_(settings_.blob_root + "/" + settings_.tenant_id + "/" + settings_.connector_id) {
#if REOS_HAVE_CONNECTOR_HTTP_CLIENT
  http_ = std::make_unique<net::ConnectorHttpClient>(net::ConnectorHttpSettings{}, metrics_,
                                                     settings_.tenant_id, settings_.connector_id);
#endif
}

DefaultHostServices::~DefaultHostServices() = default;

void DefaultHostServices::log(const CallContext& ctx, int32_t level, std::string_view msg) {
  const log::Level lvl = log_level(level);
  if (!log::enabled(lvl)) return;
  log::write(lvl, msg,
             {{"plugin", settings_.plugin},
              {"tenant", ctx.tenant_id},
              {"connector", ctx.connector_id},
              {"correlation_id", ctx.correlation_id}});
}

ServiceStatus DefaultHostServices::state_get(const CallContext&, std::string_view key,
                                             std::string& value) {
  std::optional<std::string> stored = state_.get(key);
  if (!stored) return {REOS_NOT_FOUND, "state_get: no state under '" + std::string(key) + "'"};
  value = std::move(*stored);
  return {};
}

ServiceStatus DefaultHostServices::state_put(const CallContext&, std::string_view key,
                                             std::string_view value) {
  state_.put(key, value);
  return {};
}

ServiceStatus DefaultHostServices::secret(const CallContext&, std::string_view reference,
                                          std::string& value) {
  if (!secrets_.allows(reference)) {
    return {REOS_NOT_FOUND, "secret: '" + std::string(reference) +
                                "' is not a reference in this connector's settings or the "
                                "tenant's secrets"};
  }
  try {
    value = config::resolve_secret(std::string(reference), settings_.env);
  } catch (const std::exception& e) {
    return {REOS_NOT_FOUND, std::string("secret: ") + e.what()};
  }
  return {};
}

ServiceStatus DefaultHostServices::http(const CallContext& ctx, HttpExchange& exchange) {
#if REOS_HAVE_CONNECTOR_HTTP_CLIENT
  return http_->perform(exchange, ctx.deadline);
#else
  (void)ctx;
  (void)exchange;
  return {REOS_UNSUPPORTED, "http: this build of the host has no connector HTTP client"};
#endif
}

ServiceStatus DefaultHostServices::counter_add(const CallContext& ctx, std::string_view name,
                                               double delta) {
  if (!valid_plugin_metric_name(name)) {
    return {REOS_INVALID, "counter_add: name '" + std::string(name) +
                              "' must be [a-z_][a-z0-9_]*, at most 64 characters"};
  }
  try {
    metrics_
        .counter("reos_plugin_" + std::string(name) + "_total",
                 "Counter a plugin reports (reos_host_api.counter_add)", {"tenant", "connector"})
        .with({ctx.tenant_id, ctx.connector_id})
        .inc(delta);
  } catch (const std::invalid_argument& e) {
    return {REOS_INVALID, std::string("counter_add: ") + e.what()};
  }
  return {};
}

ServiceStatus DefaultHostServices::gauge_set(const CallContext& ctx, std::string_view name,
                                             double value) {
  if (!valid_plugin_metric_name(name)) {
    return {REOS_INVALID, "gauge_set: name '" + std::string(name) +
                              "' must be [a-z_][a-z0-9_]*, at most 64 characters"};
  }
  try {
    metrics_
        .gauge("reos_plugin_" + std::string(name),
               "Gauge a plugin reports (reos_host_api.gauge_set)", {"tenant", "connector"})
        .with({ctx.tenant_id, ctx.connector_id})
        .set(value);
  } catch (const std::invalid_argument& e) {
    return {REOS_INVALID, std::string("gauge_set: ") + e.what()};
  }
  return {};
}

ServiceStatus DefaultHostServices::blob_put(const CallContext&, std::string_view key,
                                            std::string_view data, std::string_view content_type) {
  if (!settings_.blob_store) return blobs_.put(key, data, content_type);
  try {
    settings_.blob_store->put(
        blobs::plugin_blob_key(settings_.tenant_id, settings_.connector_id, key), data,
        std::string(content_type));
    return {};
  } catch (const blobs::BlobError& e) {
    return {e.retryable() ? REOS_RETRY : REOS_FAIL, std::string("blob_put: ") + e.what()};
  }
}

ServiceStatus DefaultHostServices::blob_get(const CallContext&, std::string_view key,
                                            std::string& data) {
  if (!settings_.blob_store) return blobs_.get(key, data);
  try {
    auto blob = settings_.blob_store->get(
        blobs::plugin_blob_key(settings_.tenant_id, settings_.connector_id, key));
    if (!blob) return {REOS_NOT_FOUND, "blob_get: no blob '" + std::string(key) + "'"};
    data = std::move(blob->data);
    return {};
  } catch (const blobs::BlobError& e) {
    return {e.retryable() ? REOS_RETRY : REOS_FAIL, std::string("blob_get: ") + e.what()};
  }
}

}  // namespace reos::plugin_runtime
