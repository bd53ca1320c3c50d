// A RETS session over reos::Call::http (see the header).
#include "rets_client.hpp"

namespace rets {

namespace {

constexpr std::size_t kChunk = 64 * 1024;

std::string http_problem(const char* what, const reos::HttpResponse& r) {
  std::string body = r.body.substr(0, 200);
  for (char& c : body)
    if (c == '\r' || c == '\n') c = ' ';
  return std::string(what) + ": HTTP " + std::to_string(r.status) +
         (body.empty() ? "" : " (" + body + ")");
}

// Throws for an HTTP status that is not an answer to parse.
void check_http(const char* what, const reos::HttpResponse& r) {
  if (r.status == 200) return;
  if (r.status == 401) throw AuthFailed(http_problem(what, r));
  if (r.status >= 500 || r.status == 429 || r.status == 408)
    throw reos::Retry(http_problem(what, r));
  throw std::runtime_error(http_problem(what, r));
}

}  // namespace

reos::HttpResponse Client::send_once(reos::Call& call, const std::string& url) {
  reos::HttpRequest req;
  req.method = "GET";
  req.url = url;
  req.timeout = std::chrono::milliseconds(settings_.timeout_ms);
  req.headers.emplace_back("User-Agent", settings_.user_agent);
  req.headers.emplace_back("RETS-Version", settings_.rets_version);
  req.headers.emplace_back("Accept", "*/*");
  if (!cookies_.empty()) req.headers.emplace_back("Cookie", cookies_.header());
  if (settings_.auth == "basic") {
    req.headers.emplace_back("Authorization", basic_authorization(settings_.username, password_));
  } else if (challenge_) {
    req.headers.emplace_back("Authorization",
                             digest_authorization(*challenge_, settings_.username, password_, "GET",
                                                  request_uri(url), ++nc_, make_cnonce()));
  }
  if (!ua_password_.empty())
    req.headers.emplace_back(
        "RETS-UA-Authorization",
        ua_authorization(settings_.user_agent, ua_password_, "", cookies_.get("RETS-Session-ID"),
                         settings_.rets_version));
  reos::HttpResponse r = call.http(req);
  for (const auto& [name, value] : r.headers)
    if (reos::detail::equals_ignoring_case(name, "Set-Cookie")) cookies_.set_cookie(value);
  return r;
}

reos::HttpResponse Client::send(reos::Call& call, const std::string& url, const char* what) {
  reos::HttpResponse r = send_once(call, url);
  if (r.status == 401 && settings_.auth == "digest") {
    // A new (or stale) challenge: answer it once.
    std::optional<DigestChallenge> fresh;
    for (const auto& [name, value] : r.headers)
      if (reos::detail::equals_ignoring_case(name, "WWW-Authenticate") && !fresh)
        fresh = parse_digest_challenge(value);
    if (!fresh) throw AuthFailed(std::string(what) + ": HTTP 401 without a Digest challenge");
    const bool first_answer = !challenge_ || fresh->stale || fresh->nonce != challenge_->nonce;
    if (first_answer) {
      challenge_ = std::move(fresh);
      nc_ = 0;
      r = send_once(call, url);
    }
  }
  return r;
}

void Client::login(reos::Call& call) {
  if (!secrets_loaded_) {
    password_ = call.secret(settings_.password);
    if (!settings_.ua_password.empty()) ua_password_ = call.secret(settings_.ua_password);
    secrets_loaded_ = true;
  }
  logged_in_ = false;
  cookies_.clear();
  const reos::HttpResponse r = send(call, settings_.login_url, "RETS Login");
  check_http("RETS Login", r);
  const ReplySummary reply = parse_reply(r.body);
  const int code = reply.reply_code();
  if (code == 20037 || code == 20041)
    throw AuthFailed("RETS Login: ReplyCode " + std::to_string(code) + ": " + reply.reply_text());
  if (code == 20050)
    throw reos::Retry(
        "RETS Login: server temporarily disabled (ReplyCode 20050: " + reply.reply_text() + ")");
  if (code != 0)
    throw ReplyError(
        "RETS Login failed: ReplyCode " + std::to_string(code) + ": " + reply.reply_text(), code);
  caps_ = capabilities_from_login(reply.response_text, settings_.login_url);
  if (caps_.search.empty())
    throw std::runtime_error("RETS Login reply has no Search capability URL");
  logged_in_ = true;
  call.debug("rets: logged in; Search at " + caps_.search);
}

std::string Client::search_url(const std::string& query, long long offset) const {
  std::string url = caps_.search;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "SearchType=" + url_encode(settings_.resource) +
         "&Class=" + url_encode(settings_.search_class) + "&QueryType=DMQL2" +
         "&Query=" + url_encode(query) + "&Format=" + url_encode(settings_.format) +
         "&Count=1&Limit=" + std::to_string(settings_.limit) +
         "&Offset=" + std::to_string(offset + 1);
  if (!settings_.select.empty()) url += "&Select=" + url_encode(settings_.select);
  if (settings_.standard_names) url += "&StandardNames=1";
  return url;
}

ReplySummary Client::search(reos::Call& call, const std::string& query, long long offset,
                            const ReplyParser::RowFn& on_row) {
  if (!logged_in_) login(call);
  reos::HttpResponse r = send(call, search_url(query, offset), "RETS Search");
  if (r.status == 401) {  // the session expired: log in again, once
    call.info("rets: session expired (HTTP 401); logging in again");
    login(call);
    r = send(call, search_url(query, offset), "RETS Search");
  }
  check_http("RETS Search", r);
  ReplyParser parser(on_row);
  const std::string_view body = r.body;
  for (std::size_t at = 0; at < body.size(); at += kChunk) parser.feed(body.substr(at, kChunk));
  parser.finish();
  return parser.summary();
}

std::vector<RetsObject> Client::get_objects(reos::Call& call, const std::string& ids) {
  if (!logged_in_) login(call);
  if (caps_.get_object.empty())
    throw std::runtime_error("RETS Login reply has no GetObject capability URL (settings.photos)");
  std::string url = caps_.get_object;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "Resource=" + url_encode(settings_.resource) +
         "&Type=" + url_encode(settings_.photo_type) + "&ID=" + url_encode(ids) +
         (settings_.photo_location ? "&Location=1" : "&Location=0");
  reos::HttpResponse r = send(call, url, "RETS GetObject");
  check_http("RETS GetObject", r);
  return parse_get_object(r.header("Content-Type").value_or(""), r.headers, r.body);
}

std::optional<std::vector<std::map<std::string, std::string>>> Client::metadata(
    reos::Call& call, const std::string& type, const std::string& id) {
  if (!logged_in_) login(call);
  if (caps_.get_metadata.empty()) return std::nullopt;
  std::string url = caps_.get_metadata;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "Type=" + url_encode(type) + "&ID=" + url_encode(id) + "&Format=COMPACT";
  const reos::HttpResponse r = send(call, url, "RETS GetMetadata");
  check_http("RETS GetMetadata", r);
  std::vector<std::map<std::string, std::string>> rows;
  ReplyParser parser(
      [&](const std::vector<std::string>& columns, std::vector<std::string>& values) {
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < columns.size() && i < values.size(); ++i)
          row[columns[i]] = std::move(values[i]);
        rows.push_back(std::move(row));
      });
  parser.feed(r.body);
  parser.finish();
  const ReplySummary& reply = parser.summary();
  if (reply.reply_code() != 0)
    throw ReplyError("RETS GetMetadata " + type + " " + id + ": ReplyCode " +
                         std::to_string(reply.reply_code()) + ": " + reply.reply_text(),
                     reply.reply_code());
  return rows;
}

void Client::logout(reos::Call& call) noexcept {
  try {
    if (logged_in_ && !caps_.logout.empty()) send_once(call, caps_.logout);
  } catch (...) {
    // best effort
  }
  logged_in_ = false;
  cookies_.clear();
  challenge_.reset();
}

}  // namespace rets
