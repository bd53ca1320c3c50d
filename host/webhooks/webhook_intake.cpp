#include "webhooks/webhook_intake.hpp"

#include <nlohmann/json.hpp>

#include "http/metrics_registry.hpp"
#include "http/problem_json.hpp"
#include "http/router.hpp"
#include "log/logger.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "reos/plugin.h"
#include "webhooks/inbox_event_check.hpp"
#include "webhooks/inbox_writer.hpp"

namespace reos::webhooks {
namespace {

// Credentials of the caller are not audit data; everything else (signature headers above
// all) is kept so an auditor can re-verify the stored body.
bool kept_for_audit(const std::string& lowercase_name) {
  return lowercase_name != "authorization" && lowercase_name != "cookie" &&
         lowercase_name != "proxy-authorization";
}

std::string audit_headers_json(const http::Request& request) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : request.headers) {
    if (kept_for_audit(name)) headers[name] = value;
  }
  return headers.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Printable ASCII only: the URL is stored as text and a provider signs plain URLs.
bool printable_ascii(const std::string& text) {
  for (const char c : text) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// REOS_FAIL from the plugin itself means "signature valid, content unusable": the request is
// kept as failed and acknowledged (a resend would fail the same way). A FAIL the runtime made
// — a crash or an overrun deadline — proves nothing about the signature: the provider retries.
bool verified_but_unusable(const plugin_runtime::CallResult& result) {
  if (result.status != REOS_FAIL) return false;
  for (const char* runtime_failure : {"deadline exceeded", "plugin process crashed"}) {
    if (result.message.rfind(runtime_failure, 0) == 0) return false;
  }
  return true;
}

}  // namespace

std::string public_webhook_url(const std::string& public_url, const http::Request& request) {
  std::string url =
      public_url.empty() ? "http://" + request.header("host", "localhost") : public_url;
  url += request.path;
  if (!request.query.empty()) url += "?" + request.query;
  return url;
}

WebhookIntake::WebhookIntake(WebhookIntakeSettings settings,
                             plugin_runtime::ConnectorRegistry& connectors, InboxWriter& inbox,
                             http::MetricsRegistry& metrics)
    : settings_(std::move(settings)),
      connectors_(connectors),
      inbox_(inbox),
      rejected_(metrics.counter("reos_webhook_rejected_total",
                                "Webhook requests refused before the inbox, by reason",
                                {"tenant", "connector", "reason"})),
      events_(metrics.counter("reos_webhook_events_total",
                              "Webhook events committed to the inbox, by outcome",
                              {"tenant", "connector", "outcome"})) {}

void WebhookIntake::add_routes(http::Router& router) const {
  router.add("POST", "/webhooks/{tenant}/{connector}",
             [this](const http::Request& r) { return handle(r); });
}

http::Response WebhookIntake::reject(const std::string& tenant, const std::string& connector,
                                     const std::string& reason, http::Response response) const {
  rejected_.with({tenant, connector, reason}).inc();
  return response;
}

http::Response WebhookIntake::handle(const http::Request& request) const {
  const std::string tenant = request.path_params.at("tenant");
  const std::string connector = request.path_params.at("connector");
  auto instance = connectors_.find(tenant, connector);
  if (!instance) {
    const auto entry = connectors_.entry(tenant, connector);
    if (!entry.tenant_id.empty()) {  // configured, but its plugin could not start
      http::Response r = http::problem(503, "Connector unavailable",
                                       "connector '" + connector + "' is not running");
      r.headers.emplace_back("Retry-After", "60");
      return reject(tenant, connector, "connector_unavailable", std::move(r));
    }
  }
  if (!instance || (instance->info().kinds & REOS_KIND_WEBHOOK) == 0) {
    // Path values are the caller's: they do not become label values (unbounded series).
    return reject(
        "", "", "unknown_connector",
        http::problem(404, "Not Found",
                      "no webhook connector '" + connector + "' for tenant '" + tenant + "'",
                      request.path));
  }
  if (request.body.size() > settings_.max_body_bytes) {
    return reject(tenant, connector, "too_large",
                  http::problem(413, "Payload Too Large",
                                "webhook bodies are limited to " +
                                    std::to_string(settings_.max_body_bytes) + " bytes"));
  }
  // From here on this request will likely reach the inbox: the writers may wait for it.
  InboxWriter::Arrival arrival(inbox_);
  plugin_runtime::WebhookRequest hook;
  hook.method = request.method;
  hook.url = public_webhook_url(settings_.public_url, request);
  if (!printable_ascii(hook.url)) {
    return reject(tenant, connector, "bad_url",
                  http::problem(400, "Bad Request", "the request URL is not printable ASCII"));
  }
  hook.headers.assign(request.headers.begin(), request.headers.end());
  hook.body = request.body;
  plugin_runtime::CallContext ctx{tenant, connector, request.request_id, settings_.plugin_deadline};
  const plugin_runtime::CallResult result = instance->webhook(ctx, hook);
  if (result.status == REOS_INVALID) {
    log::info("webhook refused: verification failed",
              {{"tenant", tenant}, {"connector", connector}, {"reason", result.message}});
    return reject(tenant, connector, "signature",
                  http::problem(401, "Unauthorized", "the webhook could not be verified"));
  }
  if (result.status != REOS_OK && !verified_but_unusable(result)) {
    const bool retry = result.status == REOS_RETRY;
    log::warn("webhook not verified: plugin did not finish",
              {{"tenant", tenant}, {"connector", connector}, {"reason", result.message}});
    http::Response r = http::problem(503, "Service Unavailable",
                                     "the webhook could not be handled now; send it again");
    r.headers.emplace_back("Retry-After", std::to_string(retry && result.retry_after_ms > 0
                                                             ? (result.retry_after_ms + 999) / 1000
                                                             : 30));
    return reject(tenant, connector, retry ? "plugin_retry" : "plugin_failed", std::move(r));
  }

  InboxEntry entry;
  entry.tenant_id = tenant;
  entry.connector_id = connector;
  entry.method = request.method;
  entry.url = hook.url;
  entry.headers_json = audit_headers_json(request);
  entry.body = std::move(hook.body);
  entry.request_id = request.request_id;
  if (result.status == REOS_OK) {
    entry.events = check_emitted_events(result.emitted);
  } else {
    entry.failure = result.message.empty() ? "the plugin could not use the body" : result.message;
  }
  const bool unusable = !entry.failure.empty();
  InboxReceipt receipt;
  try {
    receipt = inbox_.commit(std::move(entry), &arrival);
  } catch (const std::exception& e) {
    log::error("webhook inbox: commit failed; the provider will retry",
               {{"tenant", tenant}, {"connector", connector}, {"error", e.what()}});
    http::Response r =
        http::problem(503, "Service Unavailable", "the webhook could not be stored; send it again");
    r.headers.emplace_back("Retry-After", "5");
    return reject(tenant, connector, "inbox_unavailable", std::move(r));
  }
  if (receipt.accepted) events_.with({tenant, connector, "accepted"}).inc(receipt.accepted);
  if (receipt.duplicates) events_.with({tenant, connector, "duplicate"}).inc(receipt.duplicates);
  if (receipt.failed) events_.with({tenant, connector, "failed"}).inc(receipt.failed);
  if (unusable) rejected_.with({tenant, connector, "unusable_body"}).inc();
  const char* status = unusable || receipt.failed ? "failed" : "accepted";
  return http::json_response(200, "{\"inbox_id\":" + std::to_string(receipt.request_row) +
                                      ",\"status\":\"" + status + "\"" +
                                      ",\"accepted\":" + std::to_string(receipt.accepted) +
                                      ",\"duplicates\":" + std::to_string(receipt.duplicates) +
                                      ",\"failed\":" + std::to_string(receipt.failed) + "}");
}

}  // namespace reos::webhooks
