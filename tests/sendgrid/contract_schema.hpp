// contract_schema.hpp — checks JSON against the contracts between the plugins and the host:
// schemas/message.json (what a notifier receives) and schemas/message_event.json (what a
// webhook emits), with the host's own schema validator. Shared by tests/sendgrid and
// tests/twilio.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "plugin_runtime/settings_schema.hpp"

namespace reos::test {

/// "" when `json_text` matches schemas/<schema_file>, else the problems, one per line.
inline std::string contract_problems(const std::string& schema_file, const std::string& json_text) {
  std::ifstream in(std::string(REOS_SOURCE_DIR) + "/schemas/" + schema_file);
  std::stringstream text;
  text << in.rdbuf();
  // An empty schema would accept anything: a missing file must not pass silently.
  if (!in || text.str().empty()) throw std::runtime_error("cannot read schemas/" + schema_file);
  const auto schema = plugin_runtime::SettingsSchema::compile(text.str());
  std::string out;
  for (const auto& p : schema->validate(json_text)) out += p.pointer + ": " + p.message + "\n";
  return out;
}

}  // namespace reos::test
