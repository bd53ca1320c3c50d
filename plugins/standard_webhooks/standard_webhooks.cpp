// standard_webhooks — a reos webhook plugin for third parties that sign with the Standard
// Webhooks scheme: verifies webhook-id / webhook-timestamp / webhook-signature against the
// connector's secrets and emits the payload as one event. See README.md.
#include <chrono>
#include <reos/plugin.hpp>
#include <string>
#include <vector>

#include "webhook_signature.hpp"

namespace standard_webhooks {

/// One connector: its HMAC keys (every configured secret, for key rotation) and the replay
/// window. Immutable after construction, so concurrent webhook calls are safe.
class StandardWebhooks : public reos::Plugin {
 public:
  /// settings: {secrets: ["${ENV}" | "file:/path", …] (whsec_… values), tolerance_s (300)}.
  StandardWebhooks(reos::Call& call, const nlohmann::json& settings) {
    const auto& refs = settings.at("secrets");
    if (!refs.is_array() || refs.empty())
      throw reos::Invalid("settings.secrets: expected at least one secret reference");
    for (std::size_t i = 0; i < refs.size(); ++i) {
      const std::string value = call.secret(refs[i].get<std::string>());
      auto key = decode_secret(value);
      if (!key)
        throw reos::Invalid("settings.secrets[" + std::to_string(i) +
                            "]: the secret is not whsec_<base64> (its value is not shown)");
      keys_.push_back(std::move(*key));
    }
    tolerance_s_ = settings.value("tolerance_s", 300LL);
  }

  reos::Result webhook(reos::Call& call, const reos::WebhookRequest& request) {
    const auto id = request.header("webhook-id");
    const auto timestamp = request.header("webhook-timestamp");
    const auto signature = request.header("webhook-signature");
    if (!id || id->empty() || !timestamp || !signature)
      return reos::Result::invalid(
          "missing webhook-id, webhook-timestamp or webhook-signature header");
    const auto sent_at = parse_timestamp(*timestamp);
    if (!sent_at) return reos::Result::invalid("webhook-timestamp is not a Unix time in seconds");
    // The replay window: a captured request cannot be replayed after tolerance_s, nor a
    // request dated in the future accepted (both directions, as the reference libraries do).
    const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    if (*sent_at < now - tolerance_s_ || *sent_at > now + tolerance_s_)
      return reos::Result::invalid("webhook-timestamp is outside the " +
                                   std::to_string(tolerance_s_) + " s tolerance");
    if (!verify(keys_, *id, *timestamp, request.body, *signature))
      return reos::Result::invalid("no webhook-signature matches a configured secret");

    nlohmann::json event = {{"provider_event_id", std::string(*id)},
                            {"webhook_timestamp", *sent_at}};
    try {
      event["payload"] = nlohmann::json::parse(request.body.begin(), request.body.end());
    } catch (const nlohmann::json::parse_error& e) {
      // Signed by the sender but unusable: the host keeps it as failed with this reason.
      event["error"] = std::string("body is not valid JSON: ") + e.what();
    }
    call.emit(event);
    return reos::Result::ok();
  }

 private:
  std::vector<std::string> keys_;
  long long tolerance_s_ = 300;
};

constexpr char kSchema[] = R"({"type":"object","required":["secrets"],
  "additionalProperties":false,
  "properties":{
    "secrets":{"type":"array","minItems":1,"maxItems":8,
      "description":"whsec_ signing secrets as references; list the new one next to the old during a rotation",
      "items":{"type":"string","pattern":"^(\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}|file:/.+)$"}},
    "tolerance_s":{"type":"integer","minimum":1,"maximum":3600,
      "description":"replay window: how far webhook-timestamp may be from now, both ways"}}})";

}  // namespace standard_webhooks

REOS_CPP_PLUGIN(standard_webhooks::StandardWebhooks, "standard_webhooks", "0.1.0",
                "Standard Webhooks (HMAC-SHA256 v1, whsec_ secrets, rotation, replay window)",
                REOS_KIND_WEBHOOK, REOS_FLAG_THREAD_SAFE, standard_webhooks::kSchema);
