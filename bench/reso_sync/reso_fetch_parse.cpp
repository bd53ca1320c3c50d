// Fetch and parse without the database (see the header).
#include "reso_fetch_parse.hpp"

#include <stdlib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "reso_page_parser.hpp"
#include "reso_test_records.hpp"
#include "support/loopback_host_services.hpp"

namespace reos::bench {

FetchParse reso_fetch_and_parse(const std::string& plugin, const std::string& base_url,
                                const std::string& token_url, int page_size) {
  const std::string settings = nlohmann::json{
      {"base_url", base_url},
      {"token_url", token_url},
      {"client_id", "${RESO_BENCH_CLIENT_ID}"},
      {"client_secret", "${RESO_BENCH_SECRET}"},
      {"page_size", page_size}}.dump();
  net::ConnectorHttpSettings http = test::LoopbackHostServices::test_http_settings();
  http.timeout_ms = 60000;
  auto services = std::make_shared<test::LoopbackHostServices>(settings, http);
  plugin_runtime::CallContext ctx{"bench", "reso", "bench-fetch", std::chrono::seconds(60)};
  plugin_runtime::CallResult created;
  auto instance = plugin_runtime::create_in_process_instance(
      plugin_runtime::PluginLibrary::open(plugin), services, ctx, settings, created);
  if (!instance) throw std::runtime_error("reso_webapi: " + created.message);
  FetchParse out;
  std::string cursor;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const plugin_runtime::CallResult r = instance->pull(ctx, cursor);
    if (r.status != REOS_OK) throw std::runtime_error("pull: " + r.message);
    out.rows += static_cast<long long>(r.emitted.size());
    ++out.pages;
    cursor = r.cursor.value_or(cursor);
    if (!r.has_more) break;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

double reso_parse_rate(int page_size, int rounds) {
  test::GeneratedListings spec;
  spec.count = page_size;
  std::string body = "{\"@odata.context\":\"x\",\"value\":[";
  for (const auto& l : test::generate_listings(spec)) {
    if (body.back() != '[') body += ',';
    body.append(l.json, 0, l.json.size() - 1);
    body += ",\"Media\":" + l.media + "}";
  }
  body += "]}";
  long long rows = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < rounds; ++i)
    rows += static_cast<long long>(
        reso::parse_page(body, "ListingKey", "ModificationTimestamp", [](const reso::PageRecord&) {
        }).records);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(rows) / s;
}

}  // namespace reos::bench
