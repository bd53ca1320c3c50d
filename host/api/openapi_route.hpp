#pragma once

// GET /api/v1/openapi.json: the API description (schemas/openapi.yaml, compiled into the
// binary) converted to JSON, public like any published API description.

#include <string>

namespace reos::http {
class Router;
}

namespace reos::api {

class ApiContext;

/// The embedded OpenAPI document as JSON text; converted once, then cached. Throws
/// std::runtime_error when the embedded YAML does not parse (a build defect).
const std::string& openapi_json();

/// Converts YAML text to JSON text. Plain scalars follow the YAML 1.2 core schema (null,
/// true/false, integers, floats); quoted scalars stay strings. Throws std::runtime_error
/// naming the line and column of a YAML syntax error.
std::string yaml_to_json(const std::string& yaml_text);

/// Registers GET /api/v1/openapi.json without authentication (per-IP rate limit only).
void add_openapi_route(http::Router& router, const ApiContext& api);

}  // namespace reos::api
