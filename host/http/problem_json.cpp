#include "http/problem_json.hpp"

#include <nlohmann/json.hpp>

namespace reos::http {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown Status";
  }
}

Response problem_response(const Problem& p) {
  nlohmann::json doc = {
      {"type", p.type.empty() ? std::string("about:blank") : p.type},
      {"title", p.title.empty() ? std::string(reason_phrase(p.status)) : p.title},
      {"status", p.status},
  };
  if (!p.detail.empty()) doc["detail"] = p.detail;
  if (!p.instance.empty()) doc["instance"] = p.instance;
  if (!p.invalid_params.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& ip : p.invalid_params)
      list.push_back({{"name", ip.name}, {"reason", ip.reason}});
    doc["invalid_params"] = std::move(list);
  }
  Response r;
  r.status = p.status;
  r.content_type = "application/problem+json";
  // `replace` keeps a stray invalid UTF-8 byte in a detail from turning an error into a throw.
  r.body = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response problem(int status, std::string title, std::string detail, std::string instance,
                 std::vector<InvalidParam> invalid_params) {
  Problem p;
  p.status = status;
  p.title = std::move(title);
  p.detail = std::move(detail);
  p.instance = std::move(instance);
  p.invalid_params = std::move(invalid_params);
  return problem_response(p);
}

}  // namespace reos::http
