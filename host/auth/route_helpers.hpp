#pragma once

// Small helpers shared by the auth and admin route files.

#include <string>
#include <vector>

#include "http/http_types.hpp"
#include "http/problem_json.hpp"

namespace reos::auth {

/// True for a canonical textual UUID; path ids that are not one answer 404 without a query.
bool is_uuid(const std::string& text);
/// 204 with no body.
http::Response no_content();
/// Query-parameter problems renamed "query.<name>" (the REST API convention, docs/api.md).
std::vector<http::InvalidParam> as_query_params(std::vector<http::InvalidParam> errors);
/// The path parameter `name` (empty when absent).
std::string path_param(const http::Request& req, const std::string& name);

}  // namespace reos::auth
