#include "fetch_parse.hpp"

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "support/loopback_host_services.hpp"

namespace reos::bench {
namespace {

using namespace reos::plugin_runtime;

/// The production HTTP client with no rate limit: the bench measures the client and the
/// parser, not the politeness setting.
reos::net::ConnectorHttpSettings bench_http_settings() {
  reos::net::ConnectorHttpSettings s;
  s.rate_per_s = 0;
  return s;
}

}  // namespace

FetchParseResult fetch_and_parse(const std::string& plugin_path, const std::string& login_url,
                                 int page_size) {
  const nlohmann::json settings = {
      {"login_url", login_url}, {"username", "bench"}, {"password", "${RETS_BENCH_PASSWORD}"},
      {"class", "RES"},         {"limit", page_size},  {"key_field", "ListingKey"}};
  auto services =
      std::make_shared<reos::test::LoopbackHostServices>(settings.dump(), bench_http_settings());
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
