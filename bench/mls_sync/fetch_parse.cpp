#include "fetch_parse.hpp"

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "http/metrics_registry.hpp"
#include "net/connector_http_client.hpp"
#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/memory_host_services.hpp"
#include "plugin_runtime/plugin_library.hpp"

namespace reos::bench {
namespace {

using namespace reos::plugin_runtime;

/// MemoryHostServices with the production HTTP client (no rate limit: the bench measures the
/// client and the parser, not the politeness setting).
class LoopbackHostServices final : public HostServices {
 public:
  explicit LoopbackHostServices(const std::string& settings_json)
      : memory_(settings_json), client_(http_settings(), metrics_, "bench", "rets") {}

  static net::ConnectorHttpSettings http_settings() {
    net::ConnectorHttpSettings s;
    s.rate_per_s = 0;
    return s;
  }
  void log(const CallContext& c, int32_t level, std::string_view msg) override {
    memory_.log(c, level, msg);
  }
  ServiceStatus state_get(const CallContext& c, std::string_view k, std::string& v) override {
    return memory_.state_get(c, k, v);
  }
  ServiceStatus state_put(const CallContext& c, std::string_view k, std::string_view v) override {
    return memory_.state_put(c, k, v);
  }
  ServiceStatus secret(const CallContext& c, std::string_view r, std::string& v) override {
    return memory_.secret(c, r, v);
  }
  ServiceStatus http(const CallContext& c, HttpExchange& e) override {
    return client_.perform(e, c.deadline);
  }
  ServiceStatus counter_add(const CallContext& c, std::string_view n, double d) override {
    return memory_.counter_add(c, n, d);
  }
  ServiceStatus gauge_set(const CallContext& c, std::string_view n, double v) override {
    return memory_.gauge_set(c, n, v);
  }
  ServiceStatus blob_put(const CallContext& c, std::string_view k, std::string_view d,
                         std::string_view t) override {
    return memory_.blob_put(c, k, d, t);
  }
  ServiceStatus blob_get(const CallContext& c, std::string_view k, std::string& d) override {
    return memory_.blob_get(c, k, d);
  }

 private:
  MemoryHostServices memory_;
  http::MetricsRegistry metrics_;
  net::ConnectorHttpClient client_;
};

}  // namespace

FetchParseResult fetch_and_parse(const std::string& plugin_path, const std::string& login_url,
                                 int page_size) {
  const nlohmann::json settings = {
      {"login_url", login_url}, {"username", "bench"}, {"password", "${RETS_BENCH_PASSWORD}"},
      {"class", "RES"},         {"limit", page_size},  {"key_field", "ListingKey"}};
  auto services = std::make_shared<LoopbackHostServices>(settings.dump());
  CallContext ctx;
  ctx.tenant_id = "bench";
  ctx.connector_id = "rets";
  ctx.correlation_id = "bench-fetch-parse";
  ctx.deadline = std::chrono::milliseconds(60000);
  CallResult created;
  auto instance = create_in_process_instance(PluginLibrary::open(plugin_path), services, ctx,
                                             settings.dump(), created);
  if (!instance) throw std::runtime_error("rets plugin: " + created.message);

  FetchParseResult out;
  std::string cursor;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const CallResult r = instance->pull(ctx, cursor);
    if (r.status != REOS_OK) throw std::runtime_error("rets pull failed: " + r.message);
    out.rows += static_cast<long long>(r.emitted.size());
    ++out.pages;
    if (r.cursor) cursor = *r.cursor;
    if (!r.has_more) break;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace reos::bench
