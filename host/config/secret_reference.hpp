#pragma once

#include <string_view>

namespace reos::config {

/// True for `${ENV_NAME}` and `file:/path`, the only ways a config file may name a secret.
bool is_secret_reference(std::string_view text);

}  // namespace reos::config
