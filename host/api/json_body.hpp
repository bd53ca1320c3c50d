#pragma once

// Parsing and validating JSON request bodies against schemas/api/<name>.json (compiled into
// the binary). Every invalid field is reported at once (docs/api.md "Errors").

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "http/http_types.hpp"

namespace reos::api {

/// The body of `request` as JSON, validated against schemas/api/<schema_name>.json.
/// Throws ApiError 400: malformed JSON or nesting deeper than `max_depth` (detail says
/// which), or "Invalid request" with one invalid_params entry per problem (name = JSON
/// pointer without the leading '/', "" for the body itself). Throws std::invalid_argument
/// for an unknown schema name (a programming error → 500).
nlohmann::json parse_json_body(const http::Request& request, const std::string& schema_name,
                               std::size_t max_depth);

/// The deepest nesting of arrays/objects in `text` (strings skipped; no full parse). Used to
/// refuse deep documents before any parser recurses into them.
std::size_t json_nesting_depth(const std::string& text);

/// The raw text of schemas/api/<file_name> ("" when there is none).
std::string api_schema_text(const std::string& file_name);

}  // namespace reos::api
