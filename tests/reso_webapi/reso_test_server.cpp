// The RESO Web API test server (see the header).
#include "reso_test_server.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/router.hpp"

namespace reos::test {

namespace {

std::string metadata_document() {
  std::string props;
  for (const auto& [name, type] : reso_property_fields())
    props += std::string("<Property Name=\"") + name + "\" Type=\"" + type + "\"/>\n";
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<edmx:Edmx xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\" Version=\"4.0\">\n"
         "<edmx:DataServices>\n"
         "<Schema xmlns=\"http://docs.oasis-open.org/odata/ns/edm\" "
         "Namespace=\"org.reso.metadata\" Alias=\"reso\">\n"
         "<EntityType Name=\"Property\">\n<Key><PropertyRef Name=\"ListingKey\"/></Key>\n" +
         props +
         "<NavigationProperty Name=\"Media\" Type=\"Collection(org.reso.metadata.Media)\"/>\n"
         "</EntityType>\n"
         "<EntityType Name=\"Media\">\n<Key><PropertyRef Name=\"MediaKey\"/></Key>\n"
         "<Property Name=\"MediaKey\" Type=\"Edm.String\"/>\n"
         "<Property Name=\"ResourceRecordKey\" Type=\"Edm.String\"/>\n"
         "<Property Name=\"MediaURL\" Type=\"Edm.String\"/>\n"
         "<Property Name=\"Order\" Type=\"Edm.Int32\"/>\n"
         "<Property Name=\"MediaCategory\" Type=\"Edm.String\"/>\n"
         "<Property Name=\"ShortDescription\" Type=\"Edm.String\"/>\n"
         "</EntityType>\n"
         "<EntityContainer Name=\"Default\">\n"
         "<EntitySet Name=\"Property\" EntityType=\"reso.Property\"/>\n"
         "<EntitySet Name=\"Media\" EntityType=\"org.reso.metadata.Media\"/>\n"
         "</EntityContainer>\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n";
}

std::vector<std::pair<std::string, std::string>> raw_params(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  while (i < query.size()) {
    std::size_t amp = query.find('&', i);
    if (amp == std::string::npos) amp = query.size();
    const std::string pair = query.substr(i, amp - i);
    const std::size_t eq = pair.find('=');
    if (!pair.empty())
      out.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
    i = amp + 1;
  }
  return out;
}

std::string form_decode(const std::string& s) {
  std::string plus = s;
  std::replace(plus.begin(), plus.end(), '+', ' ');
  return http::percent_decode(plus);
}

std::string base64_decode(const std::string& in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (const char c : in) {
    if (c == '=') break;
    const std::size_t v = kAlphabet.find(c);
    if (v == std::string::npos) return "";
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  return out;
}

http::Response json_reply(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json;odata.metadata=minimal";
  r.body = std::move(body);
  r.headers.emplace_back("OData-Version", "4.01");
  return r;
}

http::Response oauth_error(int status, const std::string& error, const std::string& description) {
  http::Response r;
  r.status = status;
  r.body = nlohmann::json{{"error", error}, {"error_description", description}}.dump();
  r.headers.emplace_back("Cache-Control", "no-store");
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"reso-test\"");
  return r;
}

}  // namespace

/// Property fields and their EDM types ($metadata; unknown names in a query are refused).
const std::vector<std::pair<const char*, const char*>>& reso_property_fields() {
  static const std::vector<std::pair<const char*, const char*>> fields = {
      {"ListingKey", "Edm.String"},
      {"ListingId", "Edm.String"},
      {"StandardStatus", "Edm.String"},
      {"PropertyType", "Edm.String"},
      {"ListPrice", "Edm.Decimal"},
      {"OriginalListPrice", "Edm.Decimal"},
      {"ClosePrice", "Edm.Decimal"},
      {"CloseDate", "Edm.Date"},
      {"BedroomsTotal", "Edm.Int32"},
      {"BathroomsTotalInteger", "Edm.Int32"},
      {"LivingArea", "Edm.Decimal"},
      {"LotSizeSquareFeet", "Edm.Decimal"},
      {"YearBuilt", "Edm.Int32"},
      {"StreetNumber", "Edm.String"},
      {"StreetName", "Edm.String"},
      {"UnparsedAddress", "Edm.String"},
      {"City", "Edm.String"},
      {"StateOrProvince", "Edm.String"},
      {"PostalCode", "Edm.String"},
      {"CountyOrParish", "Edm.String"},
      {"Latitude", "Edm.Decimal"},
      {"Longitude", "Edm.Decimal"},
      {"ListAgentKey", "Edm.String"},
      {"ListOfficeKey", "Edm.String"},
      {"ListingContractDate", "Edm.Date"},
      {"PublicRemarks", "Edm.String"},
      {"ModificationTimestamp", "Edm.DateTimeOffset"},
      {"PhotosCount", "Edm.Int32"},
      {"DaysOnMarket", "Edm.Int32"},
      {"AccessibilityFeatures", "Collection(Edm.String)"}};
  return fields;
}

std::string odata_error_json(const std::string& code, const std::string& message) {
  return nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
}

ResoTestServer::ResoTestServer(ResoServerOptions options) : options_(std::move(options)) {
  server_.router.add("POST", "/oauth2/token", [this](const http::Request& r) { return token(r); });
  server_.router.add("GET", "/odata/Property",
                     [this](const http::Request& r) { return property(r); });
  server_.router.add("GET", "/odata/$metadata",
                     [this](const http::Request& r) { return metadata(r); });
  server_.router.add("GET", "/photos/{key}/{file}",
                     [this](const http::Request& r) { return photo(r); });
  http::HttpServerSettings settings;
  settings.shutdown_grace_ms = 3000;
  server_.start(settings);
}

std::string ResoTestServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(server_.port()) + "/odata";
}

std::string ResoTestServer::photo_base_url() const {
  return "http://127.0.0.1:" + std::to_string(server_.port()) + "/photos";
}

// The bytes of a JPEG file's frame (SOI, a JFIF APP0 segment, a COM segment naming the photo,
// EOI): what the hub's photo fetcher checks (the JPEG signature; it does not decode images),
// distinct per URL so every photo is its own blob, as real photos are.
http::Response ResoTestServer::photo(const http::Request& req) {
  ++photo_requests;
  const std::string name =
      req.path_params.at("key") + "/" + req.path_params.at("file") + " (reso test server)";
  std::string body("\xFF\xD8", 2);
  body += std::string("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
  const std::size_t len = name.size() + 2;
  body += std::string("\xFF\xFE", 2);
  body.push_back(static_cast<char>(len >> 8));
  body.push_back(static_cast<char>(len & 0xFF));
  body += name;
  body += std::string("\xFF\xD9", 2);
  http::Response r;
  r.content_type = "image/jpeg";
  r.body = std::move(body);
  return r;
}

std::string ResoTestServer::token_url() const {
  return "http://127.0.0.1:" + std::to_string(server_.port()) + "/oauth2/token";
}

void ResoTestServer::set_listings(std::vector<ResoListing> listings) {
  std::lock_guard<std::mutex> lock(mutex_);
  records_.clear();
  records_.reserve(listings.size());
  for (auto& l : listings) {
    const auto at = reso::parse_instant(l.modified);
    records_.push_back({std::move(l), at.value_or(reso::Instant{})});
  }
  std::sort(records_.begin(), records_.end(), [](const Stored& a, const Stored& b) {
    return a.at != b.at ? a.at < b.at : a.listing.key < b.listing.key;
  });
}

void ResoTestServer::upsert(const std::vector<ResoListing>& listings) {
  std::vector<ResoListing> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& s : records_) all.push_back(s.listing);
  }
  for (const auto& l : listings) {
    auto it =
        std::find_if(all.begin(), all.end(), [&](const ResoListing& x) { return x.key == l.key; });
    if (it != all.end())
      *it = l;
    else
      all.push_back(l);
  }
  set_listings(std::move(all));
}

std::string ResoTestServer::issue_token(int lifetime_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string tok = "fixed-" + std::to_string(next_token_++);
  tokens_[tok] = std::chrono::steady_clock::now() + std::chrono::seconds(lifetime_s);
  return tok;
}

void ResoTestServer::expire_tokens() {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_.clear();
}

void ResoTestServer::set_token_lifetime(int seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  options_.token_lifetime_s = seconds;
}

std::vector<std::map<std::string, std::string>> ResoTestServer::page_log() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return page_log_;
}

// RFC 6749 §4.4.2 / §5.1 / §5.2.
http::Response ResoTestServer::token(const http::Request& req) {
  if (faults.token_500) return oauth_error(500, "server_error", "token service unavailable");
  if (req.header("content-type").rfind("application/x-www-form-urlencoded", 0) != 0)
    return ++token_refusals,
           oauth_error(400, "invalid_request", "expected application/x-www-form-urlencoded");
  std::map<std::string, std::string> form;
  for (const auto& [k, v] : raw_params(req.body)) form[form_decode(k)] = form_decode(v);
  if (form["grant_type"] != "client_credentials")
    return ++token_refusals,
           oauth_error(400, "unsupported_grant_type", "only client_credentials is supported");
  std::string id, secret;
  const std::string auth = req.header("authorization");
  const bool in_body = form.count("client_id") > 0;
  if (auth.rfind("Basic ", 0) == 0) {
    if (in_body)
      return ++token_refusals,
             oauth_error(400, "invalid_request", "more than one client authentication method");
    const std::string pair = base64_decode(auth.substr(6));
    const std::size_t colon = pair.find(':');
    if (colon != std::string::npos) {
      id = form_decode(pair.substr(0, colon));
      secret = form_decode(pair.substr(colon + 1));
    }
  } else if (in_body) {
    id = form["client_id"];
    secret = form["client_secret"];
  }
  if (id != options_.client_id || secret != options_.client_secret)
    return ++token_refusals, oauth_error(401, "invalid_client", "client authentication failed");
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string tok =
      "tok-" + std::to_string(next_token_++) + "-" + std::to_string(std::rand());
  tokens_[tok] = std::chrono::steady_clock::now() + std::chrono::seconds(options_.token_lifetime_s);
  ++token_requests;
  http::Response r;
  r.body = nlohmann::json{{"access_token", tok},
                          {"token_type", "Bearer"},
                          {"expires_in", options_.token_lifetime_s}}
               .dump();
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Pragma", "no-cache");
  return r;
}

bool ResoTestServer::authorized(const http::Request& req) {
  const std::string auth = req.header("authorization");
  std::lock_guard<std::mutex> lock(mutex_);
  if (auth.rfind("Bearer ", 0) != 0) return false;
  const auto it = tokens_.find(auth.substr(7));
  return it != tokens_.end() && std::chrono::steady_clock::now() < it->second;
}

http::Response ResoTestServer::metadata(const http::Request& req) {
  if (!authorized(req)) {
    ++unauthorized;
    http::Response r = json_reply(401, odata_error_json("Unauthorized", "invalid token"));
    r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
  }
  ++metadata_requests;
  http::Response r;
  r.content_type = "application/xml";
  r.body = metadata_document();
  r.headers.emplace_back("OData-Version", "4.01");
  return r;
}

}  // namespace reos::test
