#include "auth/route_helpers.hpp"

#include <cctype>

namespace reos::auth {

bool is_uuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

http::Response no_content() {
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

std::vector<http::InvalidParam> as_query_params(std::vector<http::InvalidParam> errors) {
  for (http::InvalidParam& p : errors) p.name = "query." + p.name;
  return errors;
}

std::string path_param(const http::Request& req, const std::string& name) {
  auto it = req.path_params.find(name);
  return it == req.path_params.end() ? "" : it->second;
}

}  // namespace reos::auth
