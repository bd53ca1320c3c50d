// /api/v1/messages and /api/v1/messages/{id}: queue a message, list, read with its timeline.

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "contacts/list_params.hpp"
#include "http/router.hpp"
#include "messaging/contact_lookup.hpp"
#include "messaging/message_address.hpp"
#include "messaging/message_json.hpp"
#include "messaging/message_model.hpp"
#include "messaging/message_render.hpp"
#include "messaging/message_store.hpp"
#include "messaging/messaging_routes.hpp"
#include "messaging/messaging_tenants.hpp"
#include "messaging/sms_segments.hpp"
#include "property_search/property_columns.hpp"
#include "property_search/sql_params.hpp"

namespace reos::messaging {
namespace {

using nlohmann::json;

const api::RouteAccess kRead{api::Role::viewer, "messages:read"};
const api::RouteAccess kWrite{api::Role::agent, "messages:write"};
const char* kCursorKind = "messages";

std::string str(const json& body, const char* key) {
  return body.value(key, std::string());
}

std::string address_problem(const std::string& channel) {
  return channel == "email" ? "must be an email address like name@example.com"
                            : "must be an E.164 phone number like +14155550123";
}

std::vector<std::string> data_keys(const json& body) {
  std::vector<std::string> keys;
  const auto data = body.find("data");
  if (data != body.end()) {
    for (auto it = data->begin(); it != data->end(); ++it) keys.push_back(it.key());
  }
  return keys;
}

// The checks the body schema cannot express; every problem at once.
std::vector<http::InvalidParam> check_send(const json& body, const TenantMessaging* tm) {
  std::vector<http::InvalidParam> bad;
  const std::string channel = str(body, "channel");
  if (!body.contains("to") && !body.contains("contact_id")) {
    bad.push_back({"to", "give to or contact_id"});
  } else if (body.contains("to") && normalize_address(channel, str(body, "to")).empty()) {
    bad.push_back({"to", address_problem(channel)});
  }
  const bool has_inline =
      body.contains("subject") || body.contains("text") || body.contains("html");
  const std::string tpl_name = str(body, "template");
  if (!tpl_name.empty()) {
    if (has_inline)
      bad.push_back({"template", "give a template or inline subject/text/html, not both"});
    const MessageTemplate* tpl = nullptr;
    if (tm) {
      const auto it = tm->settings.templates.find(tpl_name);
      if (it != tm->settings.templates.end()) tpl = &it->second;
    }
    if (!tpl) {
      bad.push_back(
          {"template", "no template '" + tpl_name + "' in the tenant's messaging config"});
    } else {
      if (tpl->channel != channel) {
        bad.push_back({"template", "'" + tpl_name + "' is an " + tpl->channel + " template"});
      }
      for (const std::string& key : data_keys(body)) {
        if (std::find(tpl->variables.begin(), tpl->variables.end(), key) == tpl->variables.end()) {
          bad.push_back({"data/" + key, "not a declared variable of template '" + tpl_name + "'"});
        }
      }
    }
  } else {
    if (body.contains("data")) bad.push_back({"data", "only with a template"});
    if (!has_inline) {
      bad.push_back({"", "give a template or inline content"});
    } else if (channel == "email") {
      if (!body.contains("subject")) bad.push_back({"subject", "an email needs a subject"});
      if (!body.contains("text") && !body.contains("html")) {
        bad.push_back({"text", "an email needs text or html"});
      }
    } else {
      if (!body.contains("text")) bad.push_back({"text", "an SMS needs text"});
      for (const char* key : {"subject", "html"}) {
        if (body.contains(key)) bad.push_back({key, "an SMS has only text"});
      }
    }
  }
  if (body.value("marketing", false) && channel == "email" &&
      (!tm || tm->settings.postal_address.empty() || tm->unsubscribe_secret.empty() ||
       tm->public_url.empty())) {
    bad.push_back({"marketing",
                   "marketing email needs messaging.postal_address, messaging.unsubscribe_secret "
                   "and a public_url in the tenant config"});
  }
  return bad;
}

// The SMS as it will be measured when sent (the body may still change by a contact's name
// between now and then; the stored figures are the sent ones).
json sms_estimate(const json& body, const TenantMessaging* tm, const std::string& recipient,
                  const ContactInfo* contact) {
  std::string text = str(body, "text");
  if (body.contains("template") && tm) {
    const MessageTemplate& tpl = tm->settings.templates.at(str(body, "template"));
    ModelInput in{"",      "sms", recipient, str(body, "to_name"), tm->tenant_id, tm->tenant_name,
                  contact, ""};
    text = render_mustache(
        tpl.text, build_model(in, tm->settings, body.value("data", json::object())), false);
  }
  const SmsSize size = measure_sms(text);
  return {{"encoding", size.encoding}, {"length", size.length}, {"segments", size.segments}};
}

http::Response send(const api::ApiContext& api, const MessagingTenants& tenants,
                    const api::ApiRequest& req) {
  const json body = api::parse_json_body(req.http, "message_send", api.settings().max_json_depth);
  const TenantMessaging* tm = tenants.find(req.caller.tenant_id);
  if (auto bad = check_send(body, tm); !bad.empty()) api::throw_invalid(std::move(bad));
  const std::string channel = str(body, "channel");
  std::string message_json;
  json estimate;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    if (tx.exec_params("SELECT 1 FROM connectors WHERE tenant_id = $1 AND id = $2",
                       req.caller.tenant_id, str(body, "connector"))
            .empty()) {
      api::throw_invalid(
          {{"connector", "no connector '" + str(body, "connector") + "' in this tenant"}});
    }
    std::optional<ContactInfo> contact;
    if (body.contains("contact_id")) {
      contact = find_contact(tx, req.caller.tenant_id, str(body, "contact_id"));
      if (!contact) api::throw_invalid({{"contact_id", "no such contact in this tenant"}});
    }
    std::string recipient = normalize_address(channel, str(body, "to"));
    if (recipient.empty() && contact) {
      recipient = normalize_address(channel, channel == "email" ? contact->email : contact->phone);
      if (recipient.empty()) {
        api::throw_invalid(
            {{"contact_id", std::string("the contact has no ") +
                                (channel == "email" ? "email address" : "phone number")}});
      }
    }
    json content = json::object();
    for (const char* key : {"data", "subject", "text", "html", "categories"}) {
      if (body.contains(key)) content[key] = body[key];
    }
    NewMessage m;
    m.channel = channel;
    m.recipient = recipient;
    m.recipient_name = str(body, "to_name");
    m.contact_id = contact ? contact->id : "";
    m.template_name = str(body, "template");
    m.connector = str(body, "connector");
    m.marketing = body.value("marketing", false);
    m.content_json = content.dump();
    m.correlation_id = req.http.request_id;
    const CreatedMessage created = create_message(tx, api.queue(), req.caller.tenant_id, m);
    message_json =
        tx.exec_params1("SELECT " + message_json_sql() +
                            "::text FROM messages m WHERE m.tenant_id = $1 AND m.id = $2::uuid",
                        req.caller.tenant_id, created.id)[0]
            .as<std::string>();
    if (channel == "sms")
      estimate = sms_estimate(body, tm, recipient, contact ? &*contact : nullptr);
    api.audit(tx, req, {"message.create", "message", created.id, "", message_json});
  });
  json out = json::parse(message_json);
  if (!estimate.is_null()) out["sms"] = estimate;
  http::Response response = http::json_response(202, out.dump());
  response.headers.emplace_back("Location", "/api/v1/messages/" + out["id"].get<std::string>());
  return response;
}

http::Response list(const api::ApiContext& api, const api::ApiRequest& req) {
  admin_api::QueryParams params(
      req.http.query, {"status", "channel", "to", "contact_id", "template", "limit", "cursor"});
  property_search::SqlParams sql;
  std::string where = "m.tenant_id = reos_current_tenant()";
  if (const auto status = params.text("status")) where += " AND m.status = " + sql.add(*status);
  const auto channel = params.text("channel");
  if (channel) {
    if (*channel != "email" && *channel != "sms") params.reject("channel", "must be email or sms");
    where += " AND m.channel = " + sql.add(*channel);
  }
  if (const auto to = params.text("to")) {
    const std::string ch = channel ? *channel : (to->rfind('+', 0) == 0 ? "sms" : "email");
    const std::string address = normalize_address(ch, *to);
    if (address.empty()) params.reject("to", address_problem(ch));
    where += " AND m.recipient = " + sql.add(address);
  }
  if (const auto contact = params.text("contact_id")) {
    if (!contacts::is_uuid(*contact)) params.reject("contact_id", "must be a contact id (UUID)");
    where += " AND m.contact_id::text = lower(" + sql.add(*contact) + ")";
  }
  if (const auto tpl = params.text("template")) where += " AND m.template = " + sql.add(*tpl);
  const contacts::PageParams page = contacts::page_params(params, kCursorKind);
  contacts::throw_if_invalid(params);
  if (page.after) {
    where += " AND (m.created_at, m.id) < (" + sql.add(page.after->value) + "::timestamptz, " +
             sql.add(page.after->id) + "::uuid)";
  }
  const std::string query = "SELECT " + message_json_sql() + "::text AS item, " +
                            property_search::utc_text_sql("m.created_at") +
                            " AS sort_value, m.id::text AS id FROM messages m WHERE " + where +
                            " ORDER BY m.created_at DESC, m.id DESC LIMIT " +
                            sql.add(std::to_string(page.limit + 1)) + "::bigint";
  std::string body;
  contacts::read_page(api, req, [&](pqxx::transaction_base& tx) {
    body = contacts::page_json(property_search::exec_with(tx, query, sql), page.limit, kCursorKind);
  });
  return http::json_response(200, body);
}

http::Response get_one(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = contacts::path_uuid(req, "message");
  std::string message;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const pqxx::result rows = tx.exec_params(
        "SELECT (" + message_json_sql() +
            " || jsonb_build_object('events', coalesce((SELECT"
            " jsonb_agg(" +
            message_event_json_sql() +
            " ORDER BY e.occurred_at, e.id)"
            " FROM message_events e WHERE e.tenant_id = m.tenant_id AND e.message_id = m.id),"
            " '[]'::jsonb)))::text FROM messages m WHERE m.tenant_id = reos_current_tenant()"
            " AND m.id = $1::uuid",
        id);
    if (!rows.empty()) message = rows[0][0].as<std::string>();
  });
  if (message.empty()) api::throw_not_found("message " + id);
  return http::json_response(200, message);
}

}  // namespace

void add_message_routes(http::Router& router, const api::ApiContext& api,
                        std::shared_ptr<const MessagingTenants> tenants) {
  const api::ApiContext* a = &api;
  api.route(router, "POST", "/api/v1/messages", kWrite,
            [a, tenants](const api::ApiRequest& req) { return send(*a, *tenants, req); });
  api.route(router, "GET", "/api/v1/messages", kRead,
            [a](const api::ApiRequest& req) { return list(*a, req); });
  api.route(router, "GET", "/api/v1/messages/{id}", kRead,
            [a](const api::ApiRequest& req) { return get_one(*a, req); });
}

}  // namespace reos::messaging
