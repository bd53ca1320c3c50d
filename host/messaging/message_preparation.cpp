#include "messaging/message_preparation.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>

#include "messaging/contact_lookup.hpp"
#include "messaging/marketing_footer.hpp"
#include "messaging/message_model.hpp"
#include "messaging/message_render.hpp"
#include "messaging/message_status.hpp"
#include "messaging/message_store.hpp"
#include "messaging/messaging_tenants.hpp"
#include "messaging/sms_segments.hpp"
#include "messaging/suppression_store.hpp"
#include "messaging/unsubscribe_token.hpp"

namespace reos::messaging {
namespace {

using nlohmann::json;

struct Row {
  std::string id, channel, recipient, recipient_name, contact_id, template_name, connector, status;
  bool marketing = false;
  json content;
};

std::optional<Row> load(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& id) {
  const pqxx::result r = tx.exec_params(
      "SELECT id::text, channel, recipient, recipient_name, coalesce(contact_id::text, ''),"
      "  coalesce(template, ''), connector_id, status, marketing, content::text"
      " FROM messages WHERE tenant_id = $1 AND id::text = $2 FOR UPDATE",
      tenant, id);
  if (r.empty()) return std::nullopt;
  Row row;
  row.id = r[0][0].as<std::string>();
  row.channel = r[0][1].as<std::string>();
  row.recipient = r[0][2].as<std::string>();
  row.recipient_name = r[0][3].as<std::string>();
  row.contact_id = r[0][4].as<std::string>();
  row.template_name = r[0][5].as<std::string>();
  row.connector = r[0][6].as<std::string>();
  row.status = r[0][7].as<std::string>();
  row.marketing = r[0][8].as<bool>();
  row.content = json::parse(r[0][9].as<std::string>());
  return row;
}

// Consent (docs/messaging.md, "Consent"): marketing needs the contact's consent for the
// channel; any SMS to a known contact who has not consented is not sent (TCPA).
std::string consent_problem(const Row& row, const std::optional<ContactInfo>& contact) {
  const bool sms = row.channel == "sms";
  if (contact) {
    const bool consent = sms ? contact->consent_sms : contact->consent_email;
    if (!consent && (row.marketing || sms)) {
      return std::string("no consent: contact has not agreed to ") + (sms ? "SMS" : "email");
    }
    return "";
  }
  if (row.marketing) return "no consent: no contact with this address has agreed to marketing";
  return "";
}

PreparedMessage stop(pqxx::transaction_base& tx, const std::string& tenant, const Row& row,
                     PreparedMessage::Outcome outcome, const std::string& error) {
  advance_status(tx, tenant, row.id,
                 outcome == PreparedMessage::Outcome::suppressed ? "suppressed" : "failed", error);
  PreparedMessage out;
  out.outcome = outcome;
  out.connector = row.connector;
  out.channel = row.channel;
  out.error = error;
  return out;
}

}  // namespace

std::string advance_status(pqxx::transaction_base& tx, const std::string& tenant,
                           const std::string& message_id, const std::string& status,
                           const std::string& error, const std::string& provider_message_id) {
  const pqxx::row current = tx.exec_params1(
      "SELECT status, connector_id, channel FROM messages WHERE tenant_id = $1 AND id = $2::uuid",
      tenant, message_id);
  const std::string before = current[0].as<std::string>();
  const std::string after = status_rank(status) > status_rank(before) ? status : before;
  const std::string column(status_time_column(status));
  tx.exec_params("UPDATE messages SET status = $3, " + column + " = coalesce(" + column +
                     ", now()), error = coalesce(nullif($4, ''), error),"
                     " provider_message_id = coalesce(nullif($5, ''), provider_message_id),"
                     " updated_at = now() WHERE tenant_id = $1 AND id = $2::uuid",
                 tenant, message_id, after, error.substr(0, 4000), provider_message_id);
  add_host_event(tx, tenant, message_id, current[1].as<std::string>(), current[2].as<std::string>(),
                 status, before, after,
                 json{{"error", error}, {"provider_message_id", provider_message_id}}.dump());
  return after;
}

PreparedMessage prepare_message(pqxx::transaction_base& tx, const TenantMessaging& tm,
                                const std::string& message_id, std::int64_t now_unix) {
  using Outcome = PreparedMessage::Outcome;
  const std::string& tenant = tm.tenant_id;
  const std::optional<Row> found = load(tx, tenant, message_id);
  if (!found) {
    PreparedMessage none;
    none.error = "message " + message_id + " does not exist";
    return none;
  }
  const Row& row = *found;
  if (row.status != "queued") {
    PreparedMessage done;
    done.outcome = Outcome::done;
    return done;
  }
  const bool help_reply = row.content.value("help_reply", false);
  std::optional<ContactInfo> contact =
      !row.contact_id.empty() ? find_contact(tx, tenant, row.contact_id)
                              : find_contact_by_address(tx, tenant, row.channel, row.recipient);
  // A message an earlier attempt already handed to the provider (outbox 'sending'/'sent') is
  // not re-judged: marking it suppressed now would hide what the provider reports about it.
  const pqxx::result handed = tx.exec_params(
      "SELECT 1 FROM outbox WHERE tenant_id = $1 AND idempotency_key = $2"
      " AND status IN ('sending', 'sent')",
      tenant, "message:" + row.id);
  if (!help_reply && handed.empty()) {  // HELP is answered even to an opted-out number (CTIA)
    if (const auto reason = suppression_reason(tx, tenant, row.channel, row.recipient)) {
      return stop(tx, tenant, row, Outcome::suppressed, "suppressed: " + *reason);
    }
    if (const std::string problem = consent_problem(row, contact); !problem.empty()) {
      return stop(tx, tenant, row, Outcome::suppressed, problem);
    }
  }

  const bool marketing_email = row.marketing && row.channel == "email";
  std::string unsubscribe_url;
  if (marketing_email) {
    if (tm.settings.postal_address.empty() || tm.unsubscribe_secret.empty() ||
        tm.public_url.empty()) {
      return stop(tx, tenant, row, Outcome::failed,
                  "marketing email needs messaging.postal_address, messaging.unsubscribe_secret "
                  "and a public_url in the tenant config");
    }
    const UnsubscribeClaims claims{
        tenant, row.channel, row.recipient, row.id,
        now_unix + std::int64_t{tm.settings.unsubscribe_ttl_days} * 86400};
    unsubscribe_url = tm.public_url + "/api/v1/unsubscribe/" +
                      sign_unsubscribe_token(claims, tm.unsubscribe_secret);
  }

  RenderedContent content;
  try {
    if (!row.template_name.empty()) {
      const auto tpl = tm.settings.templates.find(row.template_name);
      if (tpl == tm.settings.templates.end()) {
        return stop(tx, tenant, row, Outcome::failed,
                    "template '" + row.template_name + "' is not in the tenant config");
      }
      ModelInput in{row.id,
                    row.channel,
                    row.recipient,
                    row.recipient_name,
                    tenant,
                    tm.tenant_name,
                    contact ? &*contact : nullptr,
                    unsubscribe_url};
      content = render_template(
          tpl->second, build_model(in, tm.settings, row.content.value("data", json::object())));
    } else {
      content.subject = row.content.value("subject", "");
      content.text = row.content.value("text", "");
      content.html = row.content.value("html", "");
    }
  } catch (const std::exception& e) {
    return stop(tx, tenant, row, Outcome::failed, e.what());
  }
  if (marketing_email) add_email_footer(content, tm.settings.postal_address, unsubscribe_url);
  if (row.marketing && row.channel == "sms") content.text = with_sms_opt_out(content.text);

  json message = {{"message_id", row.id},
                  {"tenant", tenant},
                  {"channel", row.channel},
                  {"to", row.recipient},
                  {"marketing", row.marketing}};
  if (!row.recipient_name.empty()) message["to_name"] = row.recipient_name;
  if (row.channel == "email") {
    if (!tm.settings.email_from.empty()) message["from"] = tm.settings.email_from;
    if (!tm.settings.email_from_name.empty()) message["from_name"] = tm.settings.email_from_name;
    if (!tm.settings.email_reply_to.empty()) message["reply_to"] = tm.settings.email_reply_to;
    message["subject"] = content.subject;
    if (!content.html.empty()) message["html"] = content.html;
  } else {
    if (!tm.settings.sms_from.empty()) message["from"] = tm.settings.sms_from;
    if (!tm.webhook_base_url.empty()) {
      message["status_callback_url"] =
          tm.webhook_base_url + "/webhooks/" + tenant + "/" + row.connector;
    }
  }
  if (!content.text.empty()) message["text"] = content.text;
  if (!unsubscribe_url.empty()) message["unsubscribe_url"] = unsubscribe_url;
  if (row.content.contains("categories")) message["categories"] = row.content["categories"];

  const json rendered = {
      {"subject", content.subject}, {"text", content.text}, {"html", content.html}};
  if (row.channel == "sms") {
    const SmsSize size = measure_sms(content.text);
    tx.exec_params(
        "UPDATE messages SET rendered = $3::jsonb, sms_encoding = $4, sms_length = $5,"
        " sms_segments = $6, updated_at = now() WHERE tenant_id = $1 AND id = $2::uuid",
        tenant, row.id, rendered.dump(), size.encoding, size.length, size.segments);
  } else {
    tx.exec_params(
        "UPDATE messages SET rendered = $3::jsonb, updated_at = now()"
        " WHERE tenant_id = $1 AND id = $2::uuid",
        tenant, row.id, rendered.dump());
  }
  PreparedMessage out;
  out.outcome = Outcome::send;
  out.connector = row.connector;
  out.channel = row.channel;
  out.notifier_json = message.dump();
  return out;
}

}  // namespace reos::messaging
