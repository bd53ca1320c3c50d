// The RETS test server (see the header).
#include "rets_test_server.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "http/router.hpp"
#include "rets_digest_auth.hpp"

namespace reos::test {

namespace {

constexpr char kRealm[] = "rets@test";

std::map<std::string, std::string> auth_params(std::string_view s) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',')) ++i;
    const std::size_t eq = s.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string name(s.substr(i, eq - i));
    i = eq + 1;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      const std::size_t close = s.find('"', i + 1);
      value = std::string(s.substr(i + 1, close - i - 1));
      i = close == std::string_view::npos ? s.size() : close + 1;
    } else {
      const std::size_t comma = s.find(',', i);
      value = std::string(s.substr(i, comma == std::string_view::npos ? s.npos : comma - i));
      i = comma == std::string_view::npos ? s.size() : comma;
    }
    out[name] = value;
  }
  return out;
}

std::map<std::string, std::string> query_params(const std::string& query) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i <= query.size()) {
    std::size_t amp = query.find('&', i);
    if (amp == std::string::npos) amp = query.size();
    const std::string pair = query.substr(i, amp - i);
    const std::size_t eq = pair.find('=');
    if (eq != std::string::npos)
      out[http::percent_decode(pair.substr(0, eq))] = http::percent_decode(pair.substr(eq + 1));
    i = amp + 1;
  }
  return out;
}

http::Response xml(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "text/xml";
  r.body = std::move(body);
  r.headers.emplace_back("RETS-Version", "RETS/1.7.2");
  return r;
}

}  // namespace

RetsTestServer::RetsTestServer(std::string user, std::string password, int port)
    : user_(std::move(user)), password_(std::move(password)) {
  server_.router.add("GET", "/rets/login", [this](const http::Request& r) { return login(r); });
  server_.router.add("GET", "/rets/search", [this](const http::Request& r) { return search(r); });
  server_.router.add("GET", "/rets/getmetadata",
                     [this](const http::Request& r) { return get_metadata(r); });
  server_.router.add("GET", "/rets/getobject",
                     [this](const http::Request& r) { return get_object(r); });
  server_.router.add("GET", "/rets/logout", [this](const http::Request& r) { return logout(r); });
  http::HttpServerSettings settings;
  settings.shutdown_grace_ms = 3000;
  if (port == 0) {
    server_.start(settings);
  } else {  // the demo server (rets_demo_server_main.cpp) listens where config/demo points
    settings.bind = "127.0.0.1";
    settings.port = port;
    server_.server = std::make_unique<http::HttpServer>(settings, server_.router, server_.metrics);
    server_.server->start();
  }
}

std::string RetsTestServer::login_url() const {
  return "http://127.0.0.1:" + std::to_string(server_.port()) + "/rets/login";
}

void RetsTestServer::require_ua_password(std::string ua_password) {
  std::lock_guard<std::mutex> lock(mutex_);
  ua_password_ = std::move(ua_password);
}

bool RetsTestServer::ua_ok(const http::Request& req, const std::string& session) const {
  // caller holds mutex_
  if (ua_password_.empty()) return true;
  return req.header("rets-ua-authorization") == rets::ua_authorization(req.header("user-agent"),
                                                                       ua_password_, "", session,
                                                                       req.header("rets-version"));
}

void RetsTestServer::set_listings(std::vector<RetsListing> listings) {
  std::lock_guard<std::mutex> lock(mutex_);
  listings_ = std::move(listings);
  sorted_ = false;
}

void RetsTestServer::add_listing(RetsListing listing) {
  std::lock_guard<std::mutex> lock(mutex_);
  listings_.push_back(std::move(listing));
  sorted_ = false;
}

const std::vector<std::string>& rets_generic_extra_columns() {
  static const std::vector<std::string> columns = {
      "ListingID",   "Status",       "OriginalListPrice",
      "ClosePrice",  "CloseDate",    "ListDate",
      "DOM",         "PropertyType", "PropertySubType",
      "Bedrooms",    "BathsTotal",   "BathsFull",
      "BathsHalf",   "SqFt",         "LotSqFt",
      "YearBuilt",   "StreetNumber", "StreetName",
      "State",       "ZipCode",      "County",
      "Latitude",    "Longitude",    "Remarks",
      "ListAgentID", "ListOfficeID", "PhotoCount"};
  return columns;
}

void RetsTestServer::set_extra_columns(std::vector<std::string> names) {
  std::lock_guard<std::mutex> lock(mutex_);
  extra_columns_ = std::move(names);
}

std::size_t RetsTestServer::listing_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return listings_.size();
}

void RetsTestServer::sort_listings() {
  if (sorted_) return;
  // Stable: a key listed twice keeps its insertion order (the later one is sent last).
  std::stable_sort(listings_.begin(), listings_.end(),
                   [](const RetsListing& a, const RetsListing& b) {
                     return a.modified != b.modified ? a.modified < b.modified : a.key < b.key;
                   });
  sorted_ = true;
}

std::vector<std::pair<std::string, std::string>> RetsTestServer::search_log() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return search_log_;
}

std::map<std::string, std::string> RetsTestServer::last_headers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_headers_;
}

http::Response RetsTestServer::challenge() {
  // caller holds mutex_
  const std::string nonce = rets::md5_hex("nonce-" + std::to_string(next_id_++));
  nonces_[nonce] = {0, ""};
  ++challenges;
  http::Response r = xml(401, "<RETS ReplyCode=\"20037\" ReplyText=\"Unauthorized\"/>");
  r.headers.emplace_back("WWW-Authenticate", std::string("Digest realm=\"") + kRealm +
                                                 "\", nonce=\"" + nonce +
                                                 "\", opaque=\"0pa9ue\", qop=\"auth\"");
  return r;
}

bool RetsTestServer::authorized(const http::Request& req) {
  // caller holds mutex_
  const std::string h = req.header("authorization");
  if (h.rfind("Basic ", 0) == 0) return h == rets::basic_authorization(user_, password_);
  if (h.rfind("Digest ", 0) != 0) return false;
  auto p = auth_params(std::string_view(h).substr(7));
  const auto nonce = nonces_.find(p["nonce"]);
  if (nonce == nonces_.end() || p["username"] != user_ || p["qop"] != "auth") return false;
  const std::string uri = req.path + (req.query.empty() ? "" : "?" + req.query);
  if (p["uri"] != uri) return false;
  const unsigned nc =
      static_cast<unsigned>(std::stoul(p["nc"].empty() ? "0" : p["nc"], nullptr, 16));
  // A replayed nc is refused, except an identical retransmission (the host's HTTP client
  // retries a 500 with the very same request).
  const std::string fingerprint = p["cnonce"] + " " + uri;
  if (nc < nonce->second.first ||
      (nc == nonce->second.first && fingerprint != nonce->second.second))
    return false;
  rets::DigestChallenge c;
  c.realm = kRealm;
  c.nonce = nonce->first;
  c.qop_auth = true;
  if (p["response"] != rets::digest_response(c, user_, password_, req.method, uri, nc, p["cnonce"]))
    return false;
  nonce->second = {nc, fingerprint};
  return true;
}

http::Response RetsTestServer::login(const http::Request& req) {
  std::lock_guard<std::mutex> lock(mutex_);
  last_headers_ = req.headers;
  if (req.header("rets-version").empty() || req.header("user-agent").empty())
    return xml(400,
               "<RETS ReplyCode=\"20036\" ReplyText=\"RETS-Version and User-Agent required\"/>");
  if (!authorized(req)) return challenge();
  if (!ua_ok(req, ""))
    return xml(401, "<RETS ReplyCode=\"20041\" ReplyText=\"User-agent authentication required\"/>");
  const std::string session = "S" + std::to_string(next_id_++);
  sessions_[session] = true;
  ++logins;
  http::Response r =
      xml(200,
          "<RETS ReplyCode=\"0\" ReplyText=\"Success\">\r\n<RETS-RESPONSE>\r\n"
          "MemberName=Test Agent\r\nUser=agent,1,2,3\r\n"
          "Search=/rets/search\r\nGetMetadata=/rets/getmetadata\r\n"
          "GetObject=http://127.0.0.1:" +
              std::to_string(server_.port()) +
              "/rets/getobject\r\n"
              "Logout = /rets/logout\r\nX-Odd=a=b\r\n</RETS-RESPONSE>\r\n</RETS>\r\n");
  r.headers.emplace_back("Set-Cookie", "RETS-Session-ID=" + session + "; Path=/");
  r.headers.emplace_back("Set-Cookie", "JSESSIONID=J" + session + "; Path=/rets; HttpOnly");
  return r;
}

http::Response RetsTestServer::search(const http::Request& req) {
  if (const int slow = faults.slow_ms.load(); slow > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(slow));
  std::lock_guard<std::mutex> lock(mutex_);
  last_headers_ = req.headers;
  if (!authorized(req)) return challenge();
  const std::string cookie = req.header("cookie");
  const std::size_t at = cookie.find("RETS-Session-ID=");
  std::string session;
  if (at != std::string::npos) {
    session = cookie.substr(at + 16);
    session = session.substr(0, session.find(';'));
  }
  if (faults.forget_sessions.exchange(false)) sessions_.clear();
  if (sessions_.count(session) == 0) return challenge();
  if (!ua_ok(req, session))
    return xml(200, "<RETS ReplyCode=\"20041\" ReplyText=\"User-agent authentication required\"/>");
  if (faults.search_500) return xml(500, "Internal Server Error");

  auto q = query_params(req.query);
  search_log_.emplace_back(q["Query"], q["Offset"]);
  if (const int code = faults.reply_code.load(); code != 0) {
    ++searches;
    return xml(200, "<RETS ReplyCode=\"" + std::to_string(code) +
                        "\" ReplyText=\"Miscellaneous search error\"/>");
  }
  std::string since;
  const std::string& query = q["Query"];
  const std::string marker = "(ModificationTimestamp=";
  if (const std::size_t m = query.find(marker); m != std::string::npos) {
    since = query.substr(m + marker.size());
    since = since.substr(0, since.find('+'));
  }
  // The listings stay sorted by (modified, key), so a page is a slice: no per-Search copy
  // (the benchmark pages through 100,000 of them).
  sort_listings();
  const auto first =
      std::lower_bound(listings_.begin(), listings_.end(), since,
                       [](const RetsListing& l, const std::string& ts) { return l.modified < ts; });
  const std::size_t begin = static_cast<std::size_t>(first - listings_.begin());
  const std::size_t matches = listings_.size() - begin;
  ++searches;
  if (matches == 0)
    return xml(
        200,
        "<?xml version=\"1.0\"?>\n<RETS ReplyCode=\"0\" ReplyText=\"Operation Successful\">\n"
        "<RETS-STATUS ReplyCode=\"20201\" ReplyText=\"No matching records were found\" />\n"
        "</RETS>\n");
  const std::size_t limit = q["Limit"].empty() ? 1000 : std::stoul(q["Limit"]);
  std::size_t offset = q["Offset"].empty() ? 0 : std::stoul(q["Offset"]) - 1;
  if (faults.ignore_offset) offset = 0;
  const int envelope = faults.code_with_rows.load();
  std::string body = "<RETS ReplyCode=\"" + std::to_string(envelope) + "\" ReplyText=\"" +
                     (envelope == 0 ? "Success" : "Maximum records exceeded") + "\">\n";
  if (q["Count"] == "1") body += "<COUNT Records=\"" + std::to_string(matches) + "\"/>\n";
  body += "<DELIMITER value=\"09\"/>\n";
  body += "<COLUMNS>\tListingKey\tModificationTimestamp\tListPrice\tCity\t";
  for (const std::string& c : extra_columns_) body += c + "\t";
  body += "</COLUMNS>\n";
  const std::size_t end = std::min(matches, offset + limit);
  if (end > offset) body.reserve(body.size() + (end - offset) * 64 * (1 + extra_columns_.size()));
  for (std::size_t i = offset; i < end; ++i) {
    const RetsListing& l = listings_[begin + i];
    body += "<DATA>\t";
    for (const std::string* v : {&l.key, &l.modified, &l.price, &l.city}) {
      body += *v;
      body += '\t';
    }
    for (std::size_t c = 0; c < extra_columns_.size(); ++c) {
      if (c < l.extra.size()) body += l.extra[c];
      body += '\t';
    }
    body += "</DATA>\n";
  }
  if (offset + limit < matches && envelope == 0) body += "<MAXROWS/>\n";
  body += "</RETS>\n";
  if (faults.truncated) body.resize(body.size() * 2 / 3);
  if (faults.malformed) {
    const std::size_t end = body.rfind("</DATA>");
    if (end != std::string::npos) body.replace(end, 7, "</DATUM>");
  }
  return xml(200, body);
}

http::Response RetsTestServer::logout(const http::Request& req) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!authorized(req)) return challenge();
  ++logouts;
  return xml(200, "<RETS ReplyCode=\"0\" ReplyText=\"Logged out\"/>");
}

}  // namespace reos::test

namespace reos::test {

// One JPEG-ish object per listing whose key ends in an even digit, two for keys ending in 0
// (the first with a Content-Description), and a 20403 XML part for the others (RETS 1.7.2 §5.6
// multipart/parallel). With Location=1 a part carries the object's URL and no bytes (§5.6.3).
http::Response RetsTestServer::get_object(const http::Request& req) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!authorized(req)) return challenge();
  ++get_objects;
  const auto q = query_params(req.query);
  const std::string ids = q.count("ID") ? q.at("ID") : "";
  const bool by_location = q.count("Location") && q.at("Location") == "1";
  if (by_location) ++get_objects_by_location;
  const std::string boundary = "simple boundary";
  std::string body;
  std::size_t start = 0;
  while (start < ids.size()) {
    std::size_t comma = ids.find(',', start);
    if (comma == std::string::npos) comma = ids.size();
    const std::string id = ids.substr(start, comma - start);
    const std::string key = id.substr(0, id.find(':'));
    start = comma + 1;
    const int digit = key.empty() ? 1 : key.back() - '0';
    const int photos = digit == 0 ? 2 : digit % 2 == 0 ? 1 : 0;
    if (photos == 0) {
      body += "--" + boundary + "\r\nContent-ID: " + key +
              "\r\nObject-ID: *\r\nContent-Type: text/xml\r\n\r\n"
              "<RETS ReplyCode=\"20403\" ReplyText=\"No Object Found\"/>\r\n";
    }
    for (int n = 1; n <= photos; ++n) {
      body += "--" + boundary + "\r\nContent-ID: " + key + "\r\nObject-ID: " + std::to_string(n) +
              "\r\nContent-Type: image/jpeg\r\n";
      if (n == 1 && photos == 2) body += "Content-Description: Front of house\r\n";
      if (by_location)
        body += "Location: http://photos.example.com/" + key + "/" + std::to_string(n) +
                ".jpg\r\n\r\n\r\n";
      else
        body += "\r\n\xFF\xD8\xFFjpeg " + key + " #" + std::to_string(n) + "\r\n\r\n\xFF\xD9\r\n";
    }
  }
  body += "--" + boundary + "--\r\n";
  if (faults.objects_truncated) body.resize(body.size() / 2);
  http::Response r;
  r.status = 200;
  r.content_type = "multipart/parallel; boundary=\"" + boundary + "\"";
  r.body = std::move(body);
  r.headers.emplace_back("RETS-Version", "RETS/1.7.2");
  return r;
}

}  // namespace reos::test

namespace reos::test {

std::string RetsTestServer::extra_metadata_rows() const {
  std::string rows;
  for (const std::string& c : extra_columns_)
    rows += "<DATA>\t" + c + "\t" + c + "\tCharacter\t</DATA>\n";
  return rows;
}

// METADATA-CLASS of Property (RES, CND) and METADATA-TABLE of Property:RES, in COMPACT.
http::Response RetsTestServer::get_metadata(const http::Request& req) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!authorized(req)) return challenge();
  ++get_metadata_calls;
  const auto q = query_params(req.query);
  const std::string type = q.count("Type") ? q.at("Type") : "";
  const std::string id = q.count("ID") ? q.at("ID") : "";
  if (type == "METADATA-CLASS" && id == "Property")
    return xml(200,
               "<RETS ReplyCode=\"0\" ReplyText=\"Success\">\n"
               "<METADATA-CLASS Resource=\"Property\" Version=\"1.0\" Date=\"2024-01-01\">\n"
               "<COLUMNS>\tClassName\tStandardName\tVisibleName\t</COLUMNS>\n"
               "<DATA>\tRES\tResidentialProperty\tResidential\t</DATA>\n"
               "<DATA>\tCND\tCondominium\tCondos\t</DATA>\n"
               "</METADATA-CLASS>\n</RETS>\n");
  if (type == "METADATA-TABLE" && id == "Property:RES")
    return xml(200,
               "<RETS ReplyCode=\"0\" ReplyText=\"Success\">\n"
               "<METADATA-TABLE Resource=\"Property\" Class=\"RES\">\n"
               "<COLUMNS>\tSystemName\tStandardName\tDataType\t</COLUMNS>\n"
               "<DATA>\tListingKey\tListingKey\tCharacter\t</DATA>\n"
               "<DATA>\tModificationTimestamp\tModificationTimestamp\tDateTime\t</DATA>\n"
               "<DATA>\tListPrice\tListPrice\tDecimal\t</DATA>\n"
               "<DATA>\tCity\tCity\tCharacter\t</DATA>\n" +
                   extra_metadata_rows() + "</METADATA-TABLE>\n</RETS>\n");
  return xml(200, "<RETS ReplyCode=\"20503\" ReplyText=\"No Metadata Found\"/>");
}

}  // namespace reos::test
