#pragma once

// The config folder a test hands to a `reos` child process (`reos --config DIR/hub.yaml …`).

#include <string>

namespace reos::test {

/// Creates a fresh folder under the temp directory named after `prefix`, the pid and a
/// counter, with an empty `tenants/` and a hub.yaml that loads plugins from `plugin_dir`,
/// reads tenants from tenants/, keeps blobs in blobs/ and logs JSON at warn. Returns its path;
/// the caller removes it.
std::string make_hub_config_dir(const std::string& prefix, const std::string& plugin_dir);

}  // namespace reos::test
