// The SendGrid Mail Send test server (see the header).
#include "sendgrid_test_server.hpp"

#include <chrono>
#include <ctime>
#include <thread>

#include "http/router.hpp"

namespace reos::test {

namespace {

using nlohmann::json;

json error(const std::string& message, const json& field, const std::string& help = "") {
  return {{"message", message}, {"field", field}, {"help", help.empty() ? json() : json(help)}};
}

http::Response errors(int status, const json& list) {
  return http::json_response(status, json{{"errors", list}}.dump());
}

bool email_ok(const json& address) {
  if (!address.is_object() || !address.contains("email") || !address.at("email").is_string())
    return false;
  const std::string e = address.at("email");
  const auto at = e.find('@');
  return at != std::string::npos && at > 0 && e.find('.', at) != std::string::npos;
}

/// Every problem SendGrid's validation reports for `body`, in its wording.
json validate(const json& body) {
  json list = json::array();
  const bool templated = body.contains("template_id");
  const auto& ps = body.value("personalizations", json());
  if (!ps.is_array() || ps.empty() || ps.size() > 1000) {
    list.push_back(
        error("The personalizations field is required and must have at least one personalization.",
              "personalizations",
              "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/"
              "errors.html#-Personalizations-Errors"));
  } else {
    for (std::size_t i = 0; i < ps.size(); ++i) {
      const json& to = ps[i].value("to", json());
      const std::string at = "personalizations." + std::to_string(i) + ".to";
      if (!to.is_array() || to.empty()) {
        list.push_back(
            error("The to array is required for all personalization objects, and "
                  "must have at least one email object with a valid email address.",
                  at));
        continue;
      }
      for (std::size_t j = 0; j < to.size(); ++j)
        if (!email_ok(to[j]))
          list.push_back(
              error("Does not contain a valid address.", at + "." + std::to_string(j) + ".email"));
    }
  }
  if (!email_ok(body.value("from", json())))
    list.push_back(error(
        "The from object must be provided for every email send. It is an object that requires "
        "the email parameter, but may also contain a name parameter.",
        "from"));
  bool every_subject = ps.is_array() && !ps.empty();
  if (ps.is_array())
    for (const auto& p : ps) every_subject = every_subject && p.contains("subject");
  if (!templated && !body.contains("subject") && !every_subject)
    list.push_back(
        error("The subject is required. You can get around this requirement if you use a template "
              "with a subject defined or if every personalization has a subject defined.",
              "subject"));
  const json& content = body.value("content", json());
  if (!templated && (!content.is_array() || content.empty())) {
    list.push_back(error(
        "Unless a valid template_id is provided, the content parameter is required. There must "
        "be at least one defined content block.",
        "content"));
  } else if (content.is_array()) {
    for (std::size_t i = 1; i < content.size(); ++i)
      if (content[i].value("type", "") == "text/plain")
        list.push_back(
            error("If present, text/plain and text/x-amp-html must be first, "
                  "followed by text/html, followed by any other content.",
                  "content"));
  }
  if (const json& c = body.value("categories", json()); c.is_array()) {
    if (c.size() > 10)
      list.push_back(error("Too many categories. Maximum 10 categories per email.", "categories"));
    for (const auto& v : c)
      if (!v.is_string() || v.get<std::string>().size() > 255)
        list.push_back(error("A category cannot be longer than 255 characters.", "categories"));
  }
  if (const json& a = body.value("custom_args", json()); a.is_object())
    for (const auto& [k, v] : a.items())
      if (!v.is_string())
        list.push_back(
            error("Invalid type. Expected: string, given: " + std::string(v.type_name()) + ".",
                  "custom_args." + k));
  if (const json& a = body.value("attachments", json()); a.is_array())
    for (std::size_t i = 0; i < a.size(); ++i)
      for (const char* key : {"content", "filename"})
        if (!a[i].contains(key))
          list.push_back(error(std::string("The attachment ") + key + " is required.",
                               "attachments." + std::to_string(i) + "." + key));
  return list;
}

}  // namespace

SendGridTestServer::SendGridTestServer(std::string api_key) : api_key_(std::move(api_key)) {
  server_.router.add("POST", "/v3/mail/send",
                     [this](const http::Request& r) { return mail_send(r); });
  http::HttpServerSettings settings;
  settings.shutdown_grace_ms = 3000;
  server_.start(settings);
}

std::string SendGridTestServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(server_.port());
}

std::vector<std::pair<nlohmann::json, std::string>> SendGridTestServer::accepted() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return accepted_;
}

std::map<std::string, std::string> SendGridTestServer::last_headers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_headers_;
}

http::Response SendGridTestServer::mail_send(const http::Request& req) {
  ++requests;
  if (const int slow = faults.slow_ms.load(); slow > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(slow));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    last_headers_ = req.headers;
  }
  if (req.header("authorization") != "Bearer " + api_key_)
    return errors(
        401, json::array({error("The provided authorization grant is invalid, expired, or revoked",
                                json())}));
  if (faults.rate_limited.load() > 0) {
    --faults.rate_limited;
    http::Response r = errors(429, json::array({error("too many requests", json())}));
    r.headers.emplace_back("X-RateLimit-Limit", "600");
    r.headers.emplace_back("X-RateLimit-Remaining", "0");
    r.headers.emplace_back("X-RateLimit-Reset",
                           std::to_string(std::time(nullptr) + faults.reset_in_s.load()));
    return r;
  }
  if (faults.server_errors.load() > 0) {
    --faults.server_errors;
    return errors(500, json::array({error("An internal server error occurred.", json())}));
  }
  if (faults.malformed.load()) {
    http::Response r;
    r.status = 400;
    r.content_type = "text/html";
    r.body = "<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.";
    return r;
  }
  const json body = json::parse(req.body, nullptr, false);
  if (!body.is_object()) return errors(400, json::array({error("Bad Request", json())}));
  if (const json problems = validate(body); !problems.empty()) return errors(400, problems);

  std::lock_guard<std::mutex> lock(mutex_);
  char id[32];
  std::snprintf(id, sizeof id, "tEsT%018dZ", next_id_++);
  accepted_.emplace_back(body, id);
  http::Response r;
  r.status = 202;
  r.content_type = "";
  r.headers.emplace_back("X-Message-Id", id);
  return r;
}

}  // namespace reos::test
