#include "config/secret_reference.hpp"

#include <cstdlib>
#include <string>

#include "config/config_error.hpp"
#include "config/hub_config.hpp"
#include "config/text_file.hpp"

namespace reos::config {
namespace {

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string_view env_name_of(std::string_view reference) {
  if (reference.size() < 4 || reference.substr(0, 2) != "${" || reference.back() != '}') {
    return {};
  }
  const std::string_view name = reference.substr(2, reference.size() - 3);
  return is_env_name(name) ? name : std::string_view{};
}

[[noreturn]] void fail(std::string message) {
  throw ConfigErrors({ConfigError{"", 0, 0, "", std::move(message)}});
}

}  // namespace

bool is_secret_reference(std::string_view text) {
  return !env_name_of(text).empty() || (text.size() > 6 && text.substr(0, 6) == "file:/");
}

std::string resolve_secret(const std::string& reference, EnvLookup env) {
  if (const std::string_view name = env_name_of(reference); !name.empty()) {
    const std::string variable(name);
    const char* value = env ? env(variable.c_str()) : std::getenv(variable.c_str());
    if (!value) fail("secret reference " + reference + " is not set");
    return value;
  }
  if (is_secret_reference(reference)) {
    std::string content;
    if (const std::string reason = read_text_file(reference.substr(5), content); !reason.empty()) {
      fail("secret reference " + reference + " cannot be read: " + reason);
    }
    // Secret files are usually written with `echo`; the trailing newline is not the secret.
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
      content.pop_back();
    }
    return content;
  }
  fail("not a secret reference (expected ${ENV_NAME} or file:/path)");
}

}  // namespace reos::config
