// /api/v1/unsubscribe/{token}: the link in every marketing email. No login — the signed,
// expiring token is the credential. GET only shows a confirmation page (mail scanners follow
// links, so a GET must never unsubscribe); POST with the body `List-Unsubscribe=One-Click`
// (RFC 8058, sent by mail clients and by the page's button) suppresses the address at once.

#include <pqxx/pqxx>

#include "admin_api/query_params.hpp"
#include "api/api_context.hpp"
#include "http/router.hpp"
#include "messaging/marketing_footer.hpp"
#include "messaging/messaging_routes.hpp"
#include "messaging/messaging_tenants.hpp"
#include "messaging/suppression_store.hpp"
#include "messaging/unsubscribe_token.hpp"

namespace reos::messaging {
namespace {

http::Response page(int status, const std::string& title, const std::string& body_html) {
  http::Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  r.body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
           "</title><meta name=\"viewport\" content=\"width=device-width\"></head><body style=\""
           "font-family:sans-serif;max-width:40em;margin:3em auto\"><h1>" +
           html_escape(title) + "</h1>" + body_html + "</body></html>";
  return r;
}

// "ann@example.com" → "a**@example.com": enough to recognize, not to harvest.
std::string masked(const std::string& address) {
  const auto at = address.find('@');
  if (at != std::string::npos) {
    return address.substr(0, 1) + std::string(at > 1 ? 2 : 0, '*') + address.substr(at);
  }
  return address.size() > 4
             ? std::string(address.size() - 4, '*') + address.substr(address.size() - 4)
             : address;
}

struct Verified {
  std::optional<UnsubscribeClaims> claims;
  std::optional<http::Response> refusal;
  const TenantMessaging* tenant = nullptr;
};

Verified verify(const MessagingTenants& tenants, const http::Request& req) {
  Verified out;
  const std::string token = req.path_params.at("token");
  const auto tenant_id = unsubscribe_token_tenant(token);
  out.tenant = tenant_id ? tenants.find(*tenant_id) : nullptr;
  UnsubscribeClaims claims;
  const TokenCheck check = out.tenant
                               ? verify_unsubscribe_token(token, out.tenant->unsubscribe_secret,
                                                          tenants.now_unix(), claims)
                               : TokenCheck::malformed;
  if (check == TokenCheck::expired) {
    out.refusal = page(410, "This link has expired",
                       "<p>Unsubscribe links expire. Use the link in a more recent message, or "
                       "reply to the sender.</p>");
  } else if (check != TokenCheck::valid) {
    out.refusal = page(400, "This link is not valid",
                       "<p>The unsubscribe link is incomplete or was changed. Copy the whole "
                       "link from the message.</p>");
  } else {
    out.claims = claims;
  }
  return out;
}

bool is_one_click(const http::Request& req) {
  for (std::size_t start = 0; start <= req.body.size();) {
    const std::size_t end = std::min(req.body.find('&', start), req.body.size());
    if (admin_api::decode_query_component(req.body.substr(start, end - start)) ==
        "List-Unsubscribe=One-Click") {
      return true;
    }
    start = end + 1;
  }
  return false;
}

http::Response confirm_page(const MessagingTenants& tenants, const http::Request& req) {
  const Verified v = verify(tenants, req);
  if (v.refusal) return *v.refusal;
  return page(200, "Unsubscribe",
              "<p>Stop " + std::string(v.claims->channel == "sms" ? "text messages" : "emails") +
                  " from " + html_escape(v.tenant->tenant_name) + " to <b>" +
                  html_escape(masked(v.claims->address)) +
                  "</b>?</p>"
                  "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" "
                  "value=\"One-Click\"><button type=\"submit\">Unsubscribe</button></form>");
}

http::Response unsubscribe(const api::ApiContext& api, const MessagingTenants& tenants,
                           const http::Request& req) {
  const Verified v = verify(tenants, req);
  if (v.refusal) return *v.refusal;
  if (!is_one_click(req)) {
    return page(400, "Unsubscribe needs confirmation",
                "<p>Send <code>List-Unsubscribe=One-Click</code> (RFC 8058), or open the link "
                "and press the button.</p>");
  }
  const UnsubscribeClaims& c = *v.claims;
  api.in_tenant(c.tenant, [&](pqxx::transaction_base& tx) {
    add_suppression(tx, c.tenant,
                    {c.channel, c.address, "unsubscribed", "unsubscribe_link", c.message_id, ""});
    if (!c.message_id.empty()) {  // on the message's timeline, once
      tx.exec_params(
          "INSERT INTO message_events (tenant_id, message_id, connector_id, provider_event_id,"
          "  type, channel, address)"
          " SELECT m.tenant_id, m.id, m.connector_id, 'host:' || m.id || ':unsubscribed',"
          "  'unsubscribed', m.channel, $3 FROM messages m"
          " WHERE m.tenant_id = $1 AND m.id::text = $2"
          " ON CONFLICT (tenant_id, provider_event_id) DO NOTHING",
          c.tenant, c.message_id, c.address);
    }
  });
  return page(200, "You are unsubscribed",
              "<p>" + html_escape(masked(c.address)) + " will not get " +
                  (c.channel == "sms" ? "text messages" : "marketing emails") + " from " +
                  html_escape(v.tenant->tenant_name) + " any more.</p>");
}

}  // namespace

void add_unsubscribe_routes(http::Router& router, const api::ApiContext& api,
                            std::shared_ptr<const MessagingTenants> tenants) {
  const api::ApiContext* a = &api;
  api.public_route(router, "GET", "/api/v1/unsubscribe/{token}",
                   [tenants](const http::Request& req) { return confirm_page(*tenants, req); });
  api.public_route(
      router, "POST", "/api/v1/unsubscribe/{token}",
      [a, tenants](const http::Request& req) { return unsubscribe(*a, *tenants, req); });
}

}  // namespace reos::messaging
