#pragma once

// `reos config check` for a tenant file's `messaging:` section, beyond its JSON Schema: every
// template's parts fit its channel, every mustache tag parses, and every variable is in the
// message model or declared — reported as file:line:col at the tag itself, so a bad template
// is caught when the config is checked, not when a message is sent.

#include <string>
#include <vector>

namespace reos::config {
class YamlDocument;
struct ConfigError;
}  // namespace reos::config

namespace reos::messaging {

/// Appends the problems of `doc`'s messaging section (none when it has none). `file_text` is
/// the file as read, used to place errors inside block scalars (`html: |`).
void check_messaging_config(const config::YamlDocument& doc, const std::string& file_text,
                            std::vector<config::ConfigError>& errors);

}  // namespace reos::messaging
