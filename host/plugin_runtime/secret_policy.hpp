#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace reos::plugin_runtime {

/// Which secret references a connector's plugin may resolve: only those its operator wrote
/// down — string values of the connector's settings that are references (`${NAME}`,
/// `file:/path`) and the values of the tenant's `secrets:` map. Anything else (an arbitrary
/// environment variable, /etc/shadow) is refused, so a plugin cannot read the host's
/// environment or files. Immutable; thread-safe.
class SecretPolicy {
 public:
  SecretPolicy(std::string_view settings_json, const std::map<std::string, std::string>& secrets);

  bool allows(std::string_view reference) const;

 private:
  std::set<std::string, std::less<>> allowed_;
};

}  // namespace reos::plugin_runtime
