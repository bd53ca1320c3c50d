// GET /odata/Property of the RESO test server: OData system query options over the stored
// listings (OData 4.01 URL Conventions §5.1), faults first.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "http/router.hpp"
#include "odata_filter.hpp"
#include "reso_test_server.hpp"

namespace reos::test {

namespace {

http::Response odata_reply(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json;odata.metadata=minimal";
  r.body = std::move(body);
  r.headers.emplace_back("OData-Version", "4.01");
  return r;
}

http::Response bad_request(const std::string& message) {
  return odata_reply(400, odata_error_json("BadRequest", message));
}

std::vector<std::string> items(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t c = s.find(',', i);
    if (c == std::string::npos) c = s.size();
    std::string item = s.substr(i, c - i);
    const auto b = item.find_first_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, item.find_last_not_of(' ') - b + 1));
    i = c + 1;
  }
  return out;
}

bool whole(const std::string& s, long long& out) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stoll(s);
  return true;
}

bool known(const std::string& f) {
  for (const auto& [name, type] : reso_property_fields())
    if (f == name) return true;
  return false;
}

std::string unknown_property(const std::string& f) {
  return "Could not find a property named '" + f + "' on type 'org.reso.metadata.Property'.";
}

/// A value of a record for ordering: instants for the timestamp, else JSON order.
bool json_less(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_null() != b.is_null()) return a.is_null();  // nulls first
  return a < b;
}

}  // namespace

http::Response ResoTestServer::property(const http::Request& req) {
  if (const int slow = faults.slow_ms.load(); slow > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(slow));
  if (!authorized(req)) {
    ++unauthorized;
    http::Response r =
        odata_reply(401, odata_error_json("Unauthorized", "invalid or expired token"));
    r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
  }
  if (faults.throttle.load() > 0) {
    --faults.throttle;
    http::Response r = odata_reply(429, odata_error_json("TooManyRequests", "rate limit exceeded"));
    r.headers.emplace_back("Retry-After", std::to_string(faults.retry_after_s.load()));
    return r;
  }
  if (faults.status_500.load() > 0) {
    --faults.status_500;
    return odata_reply(500, odata_error_json("InternalServerError", "database unavailable"));
  }

  // Parse the system query options.
  std::map<std::string, std::string> q;
  std::vector<std::pair<std::string, std::string>> raw;
  {
    std::size_t i = 0;
    while (i < req.query.size()) {
      std::size_t amp = req.query.find('&', i);
      if (amp == std::string::npos) amp = req.query.size();
      const std::string pair = req.query.substr(i, amp - i);
      const std::size_t eq = pair.find('=');
      if (!pair.empty()) {
        raw.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
        q[http::percent_decode(raw.back().first)] = http::percent_decode(raw.back().second);
      }
      i = amp + 1;
    }
  }
  auto param = [&q](const char* name) {
    const auto it = q.find(name);
    return it == q.end() ? std::string() : it->second;
  };
  ODataFilter filter;
  try {
    filter = ODataFilter::parse(faults.ignore_filter ? "" : param("$filter"));
  } catch (const FilterError& e) {
    return bad_request(e.what());
  }
  for (const auto& f : filter.fields())
    if (!known(f)) return bad_request(unknown_property(f));
  const std::vector<std::string> select = items(param("$select"));
  for (const auto& f : select)
    if (!known(f)) return bad_request(unknown_property(f));
  const std::string expand = param("$expand");
  if (!expand.empty() && expand != "Media")
    return bad_request("Could not find a navigation property named '" + expand + "'.");
  std::vector<std::pair<std::string, bool>> order;  // field, descending
  for (const auto& item : items(param("$orderby"))) {
    const std::size_t sp = item.find(' ');
    const std::string field = item.substr(0, sp);
    const std::string dir =
        sp == std::string::npos ? "asc" : item.substr(item.find_last_of(' ') + 1);
    if (!known(field)) return bad_request(unknown_property(field));
    if (dir != "asc" && dir != "desc")
      return bad_request("invalid $orderby direction '" + dir + "'");
    order.emplace_back(field, dir == "desc");
  }
  long long top = options_.max_page_size, skip = 0;
  if (q.count("$top") && !whole(param("$top"), top)) return bad_request("invalid $top");
  if (q.count("$skip") && !whole(param("$skip"), skip)) return bad_request("invalid $skip");
  if (q.count("$skiptoken") && !whole(param("$skiptoken"), skip))
    return bad_request("invalid $skiptoken");
  const long long page = std::min<long long>(top, options_.max_page_size);
  const bool with_count = param("$count") == "true";
  const bool default_order =
      order.empty() || (order.size() == 2 &&
                        order[0] == std::make_pair(std::string("ModificationTimestamp"), false) &&
                        order[1] == std::make_pair(std::string("ListingKey"), false));

  std::string body;
  long long total = 0;
  bool more = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Records are sorted by (timestamp, key): start at the filter's lower bound.
    std::size_t start = 0;
    if (const auto bound = filter.lower_bound("ModificationTimestamp"))
      start = static_cast<std::size_t>(
          std::lower_bound(records_.begin(), records_.end(), *bound,
                           [](const Stored& s, const reso::Instant& at) { return s.at < at; }) -
          records_.begin());
    std::vector<const Stored*> hits;
    const std::size_t want = static_cast<std::size_t>(skip + page + 1);
    for (std::size_t i = start; i < records_.size(); ++i) {
      const Stored& s = records_[i];
      std::optional<nlohmann::json> parsed;
      nlohmann::json key_value, ts_value;
      const ODataFilter::FieldFn field = [&](const std::string& name) -> const nlohmann::json& {
        if (name == "ListingKey") return key_value = s.listing.key;
        if (name == "ModificationTimestamp") return ts_value = s.listing.modified;
        if (!parsed) parsed = nlohmann::json::parse(s.listing.json);
        static const nlohmann::json null_value;
        const auto it = parsed->find(name);
        return it == parsed->end() ? null_value : *it;
      };
      if (!filter.matches(field)) continue;
      ++total;
      if (!default_order || hits.size() < want) hits.push_back(&s);
      if (default_order && !with_count && hits.size() >= want) break;
    }
    if (!default_order) {
      std::stable_sort(hits.begin(), hits.end(), [&](const Stored* a, const Stored* b) {
        const nlohmann::json ja = nlohmann::json::parse(a->listing.json);
        const nlohmann::json jb = nlohmann::json::parse(b->listing.json);
        for (const auto& [f, desc] : order) {
          const nlohmann::json& x = ja.contains(f) ? ja[f] : nlohmann::json();
          const nlohmann::json& y = jb.contains(f) ? jb[f] : nlohmann::json();
          if (json_less(x, y)) return !desc;
          if (json_less(y, x)) return desc;
        }
        return false;
      });
    }
    more = static_cast<long long>(hits.size()) > skip + page;
    body.reserve(static_cast<std::size_t>(page) * 900 + 256);
    body = "{\"@odata.context\":\"" + base_url() + "/$metadata#Property\"";
    if (with_count)
      body += ",\"@odata.count\":" + (faults.count_as_string ? "\"" + std::to_string(total) + "\""
                                                             : std::to_string(total));
    body += ",\"value\":[";
    for (long long i = skip; i < skip + page && i < static_cast<long long>(hits.size()); ++i) {
      const ResoListing& l = hits[static_cast<std::size_t>(i)]->listing;
      if (i > skip) body += ',';
      if (!select.empty()) {
        const nlohmann::json full = nlohmann::json::parse(l.json);
        nlohmann::json picked = nlohmann::json::object();
        for (const auto& f : select)
          if (full.contains(f)) picked[f] = full[f];
        std::string text = picked.dump();
        if (!expand.empty())
          text.insert(text.size() - 1,
                      (picked.empty() ? "" : ",") + std::string("\"Media\":") + l.media);
        body += text;
      } else if (!expand.empty()) {
        body.append(l.json, 0, l.json.size() - 1);
        body += ",\"Media\":" + l.media + "}";
      } else {
        body += l.json;
      }
    }
    body += "]";
    page_log_.push_back(q);
    ++pages;
  }
  if (more) {
    // Server-driven paging: the same request from the next position.
    std::string link = base_url() + "/Property?";
    for (const auto& [k, v] : raw) {
      const std::string name = http::percent_decode(k);
      if (name == "$skip" || name == "$skiptoken" || name == "$count") continue;
      link += k + "=" + v + "&";
    }
    link += "$skiptoken=" + std::to_string(skip + page);
    body += ",\"@odata.nextLink\":" + nlohmann::json(link).dump();
  }
  body += "}";
  if (faults.truncated) body.resize(body.size() * 2 / 3);
  if (faults.malformed) {
    const std::size_t v = body.find("\"value\":[{");
    const std::size_t comma = v == std::string::npos ? v : body.find(",\"", v + 10);
    if (comma != std::string::npos) body[comma] = ';';
  }
  return odata_reply(200, std::move(body));
}

}  // namespace reos::test
