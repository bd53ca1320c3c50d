// The Twilio Messages API test server (see the header).
#include "twilio_test_server.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "form_encoding.hpp"
#include "http/router.hpp"
#include "provider_support/base64_codec.hpp"

namespace reos::test {

namespace {

using nlohmann::json;

http::Response twilio_error(int status, int code, const std::string& message) {
  return http::json_response(
      status, json{{"code", code},
                   {"message", message},
                   {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
                   {"status", status}}
                  .dump());
}

bool e164(const std::string& number) {
  static const std::regex pattern(R"(\+[1-9][0-9]{7,14})");
  return std::regex_match(number, pattern);
}

}  // namespace

TwilioTestServer::TwilioTestServer(std::string account_sid, std::string auth_token)
    : account_sid_(std::move(account_sid)), auth_token_(std::move(auth_token)) {
  server_.router.add("POST", "/2010-04-01/Accounts/{sid}/Messages.json",
                     [this](const http::Request& r) { return create_message(r); });
  http::HttpServerSettings settings;
  settings.shutdown_grace_ms = 3000;
  server_.start(settings);
}

void TwilioTestServer::add_api_key(std::string sid, std::string secret) {
  std::lock_guard<std::mutex> lock(mutex_);
  api_keys_[std::move(sid)] = std::move(secret);
}

std::string TwilioTestServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(server_.port());
}

std::vector<std::pair<std::map<std::string, std::string>, std::string>> TwilioTestServer::accepted()
    const {
  std::lock_guard<std::mutex> lock(mutex_);
  return accepted_;
}

std::map<std::string, std::string> TwilioTestServer::last_headers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_headers_;
}

bool TwilioTestServer::authorized(const http::Request& req) const {
  // caller holds mutex_
  const std::string h = req.header("authorization");
  if (h.rfind("Basic ", 0) != 0) return false;
  const auto decoded = provider_support::base64_decode(h.substr(6));
  if (!decoded) return false;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  const std::string user = decoded->substr(0, colon), password = decoded->substr(colon + 1);
  if (user == account_sid_) return password == auth_token_;
  const auto key = api_keys_.find(user);
  return key != api_keys_.end() && key->second == password;
}

http::Response TwilioTestServer::create_message(const http::Request& req) {
  ++requests;
  if (const int slow = faults.slow_ms.load(); slow > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(slow));
  std::lock_guard<std::mutex> lock(mutex_);
  last_headers_ = req.headers;
  if (!authorized(req)) return twilio_error(401, 20003, "Authenticate");
  if (req.path_params.at("sid") != account_sid_)
    return twilio_error(404, 20404, "The requested resource " + req.path + " was not found");
  if (faults.rate_limited.load() > 0) {
    --faults.rate_limited;
    http::Response r = twilio_error(429, 20429, "Too Many Requests");
    if (const int s = faults.retry_after_s.load(); s > 0)
      r.headers.emplace_back("Retry-After", std::to_string(s));
    return r;
  }
  if (faults.server_errors.load() > 0) {
    --faults.server_errors;
    return twilio_error(500, 20500, "An internal server error has occurred");
  }
  std::map<std::string, std::string> form;
  for (const auto& [k, v] : twilio::parse_form(req.body)) form.emplace(k, v);
  const auto get = [&](const char* k) { return form.count(k) ? form.at(k) : std::string(); };
  const std::string to = get("To"), from = get("From"), body = get("Body");
  if (to.empty()) return twilio_error(400, 21604, "A 'To' phone number is required.");
  if (from.empty() && get("MessagingServiceSid").empty())
    return twilio_error(400, 21603, "A 'From' phone number is required.");
  if (body.empty() && get("MediaUrl").empty())
    return twilio_error(400, 21602, "Message body is required.");
  if (!e164(to) || to == "+15005550001")
    return twilio_error(400, 21211, "The 'To' number " + to + " is not a valid phone number.");
  if (!from.empty() && (!e164(from) || from == "+15005550001"))
    return twilio_error(400, 21212,
                        "The 'From' number " + from +
                            " is not a valid phone number, "
                            "shortcode, or alphanumeric sender ID.");
  if (to == "+15005550004")
    return twilio_error(400, 21610, "Attempt to send to unsubscribed recipient");
  if (to == "+15005550009")
    return twilio_error(400, 21614, "'To' number is not a valid mobile number");

  char sid[40];
  std::snprintf(sid, sizeof sid, "SM%032d", next_id_++);
  accepted_.emplace_back(form, sid);
  if (faults.malformed.load()) return http::json_response(201, "{\"sid\": \"SM");
  return http::json_response(
      201, json{{"sid", sid},
                {"account_sid", account_sid_},
                {"to", to},
                {"from", from.empty() ? json() : json(from)},
                {"messaging_service_sid",
                 get("MessagingServiceSid").empty() ? json() : json(get("MessagingServiceSid"))},
                {"body", body},
                {"status", "queued"},
                {"num_segments", "1"},
                {"api_version", "2010-04-01"},
                {"uri", "/2010-04-01/Accounts/" + account_sid_ + "/Messages/" + sid + ".json"}}
               .dump());
}

}  // namespace reos::test
