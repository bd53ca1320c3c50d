#include "plugin_runtime/secret_policy.hpp"

#include <nlohmann/json.hpp>

#include "config/secret_reference.hpp"

namespace reos::plugin_runtime {
namespace {

void collect_references(const nlohmann::json& node, std::set<std::string, std::less<>>& out) {
  if (node.is_string()) {
    const std::string& text = node.get_ref<const std::string&>();
    if (config::is_secret_reference(text)) out.insert(text);
  } else if (node.is_object() || node.is_array()) {
    for (const auto& child : node) collect_references(child, out);
  }
}

}  // namespace

SecretPolicy::SecretPolicy(std::string_view settings_json,
                           const std::map<std::string, std::string>& secrets) {
  const nlohmann::json settings = nlohmann::json::parse(settings_json, nullptr, false);
  if (!settings.is_discarded()) collect_references(settings, allowed_);
  for (const auto& [name, reference] : secrets) {
    (void)name;
    if (config::is_secret_reference(reference)) allowed_.insert(reference);
  }
}

bool SecretPolicy::allows(std::string_view reference) const {
  return allowed_.find(reference) != allowed_.end();
}

}  // namespace reos::plugin_runtime
