// base64_codec.hpp — standard base64 (RFC 4648 §4) over OpenSSL, for keys and signatures.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace provider_support {

/// Encodes bytes as padded base64 without line breaks.
std::string base64_encode(std::string_view bytes);

/// Decodes padded base64; ASCII whitespace is ignored. nullopt when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace provider_support
