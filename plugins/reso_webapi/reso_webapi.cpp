// reso_webapi — a RESO Web API (OData 4.01) source plugin (docs/reso-webapi.md). Each pull is
// one page of the replication query: records later than the cursor's (timestamp, key)
// position, ordered by ModificationTimestamp then ListingKey, $top page_size, $expand=Media.
// The next position goes to set_cursor, which the host stores only with the committed page;
// a failed page sets no cursor and what it emitted is dropped, so it is fetched again whole.
#include <reos/plugin.hpp>

#include "oauth2_token_cache.hpp"
#include "odata_metadata.hpp"
#include "odata_query.hpp"
#include "reso_cursor.hpp"
#include "reso_http.hpp"
#include "reso_page_parser.hpp"
#include "reso_settings.hpp"
#include "reso_timestamp.hpp"

namespace reso {

namespace {

/// (instant, key) order: the order of the replication query.
bool before(const Instant& a, const std::string& ak, const Instant& b, const std::string& bk) {
  return a != b ? a < b : ak < bk;
}

/// The message of an OData error body ({"error": {"code", "message"}}), or "".
std::string odata_error(std::string_view body) {
  const nlohmann::json j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "";
  const nlohmann::json& e = j["error"];
  std::string out = e.value("code", "");
  if (e.contains("message") && e["message"].is_string())
    out += (out.empty() ? "" : ": ") + e["message"].get<std::string>();
  return out;
}

/// A nextLink as an absolute URL (OData allows it relative to the service root).
std::string absolute(const std::string& link, const std::string& base_url) {
  if (link.rfind("http://", 0) == 0 || link.rfind("https://", 0) == 0) return link;
  if (!link.empty() && link.front() == '/') {
    const std::size_t host_end = base_url.find('/', base_url.find("//") + 2);
    return base_url.substr(0, host_end) + link;
  }
  return base_url + "/" + link;
}

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  int depth = 0;
  std::string item;
  for (const char c : list + ",") {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      const auto b = item.find_first_not_of(' ');
      if (b != std::string::npos) out.push_back(item.substr(b, item.find_last_not_of(' ') - b + 1));
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}

}  // namespace

class ResoSource : public reos::Plugin {
 public:
  ResoSource(reos::Call& call, const nlohmann::json& settings)
      : settings_(parse_settings(settings)), tokens_(settings_) {
    call.debug("reso_webapi: source for " + settings_.base_url + "/" + settings_.resource);
  }

  reos::Result pull(reos::Call& call, std::string_view cursor_text) {
    const Cursor cursor = parse_cursor(cursor_text);
    try {
      if (settings_.check_metadata && !metadata_checked_) check_metadata(call);
      return page(call, cursor);
    } catch (const PageParseError& e) {
      const std::string what = "RESO " + settings_.resource + " page: " + e.what();
      if (e.truncated())
        return reos::Result::retry(0,
                                   what + "; the page was not recorded, it will be fetched again");
      return reos::Result::fail(what + "; the page was not recorded");
    }
  }

 private:
  /// GET with the access token; a 401 fetches a new token once and tries again.
  Reply get(reos::Call& call, const std::string& url, const char* accept) {
    auto request = [&] {
      reos::HttpRequest req;
      req.url = url;
      req.timeout = std::chrono::milliseconds(settings_.timeout_ms);
      req.headers.emplace_back("Accept", accept);
      req.headers.emplace_back("OData-MaxVersion", "4.01");
      const std::string auth = tokens_.authorization(call);
      if (!auth.empty()) req.headers.emplace_back("Authorization", auth);
      return send(call, req);
    };
    Reply r = request();
    if (r.status == 401 && settings_.auth == "oauth2") {
      call.info("reso_webapi: the access token was refused (HTTP 401); fetching a new one");
      tokens_.invalidate();
      r = request();
    }
    if (r.status == 401)
      throw reos::Invalid("RESO Web API refused the access token (HTTP 401" +
                          (odata_error(r.body).empty() ? "" : ": " + odata_error(r.body)) +
                          "); check the client credentials, scope or access_token");
    return r;
  }

  /// Throws for a status that is not a page to parse.
  void check_status(const Reply& r, const char* what) {
    if (r.status == 200) return;
    const std::string err = odata_error(r.body);
    const std::string detail =
        std::string(what) + ": HTTP " + std::to_string(r.status) + (err.empty() ? "" : ": " + err);
    if (r.status == 429 || r.status == 503 || r.status == 408 || r.status >= 500) {
      std::uint64_t after = 0;
      if (const auto h = r.header("Retry-After"))
        after = retry_after_ms(*h, std::time(nullptr)).value_or(0);
      throw reos::Retry(std::chrono::milliseconds(static_cast<long long>(after)),
                        err.empty() ? describe(what, r) : detail);
    }
    if (r.status == 403)
      throw reos::Invalid(detail + " (the client may not read " + settings_.resource +
                          "; check the scope and the MLS's grants)");
    if (r.status == 404)
      throw reos::Invalid(detail + " (no resource " + settings_.resource + " under " +
                          settings_.base_url + "; check base_url and resource)");
    if (r.status == 400)
      throw std::runtime_error(detail +
                               " (the server refused the query; check settings.filter, "
                               "select and expand)");
    throw std::runtime_error(err.empty() ? describe(what, r) : detail);
  }

  reos::Result page(reos::Call& call, const Cursor& cursor) {
    const bool follow = settings_.paging == "next_link" && !cursor.next_link.empty();
    const std::string url =
        follow ? cursor.next_link : page_url(settings_, cursor.after, !cursor.more);
    const std::string what = "RESO " + settings_.resource + " page";
    const Reply r = get(call, url, "application/json");
    check_status(r, what.c_str());

    std::optional<Instant> committed;
    if (cursor.after) committed = parse_instant(cursor.after->timestamp);
    std::optional<Position> last = cursor.after;
    std::optional<Instant> last_at = committed;
    std::size_t emitted = 0, duplicates = 0, without_position = 0;
    const reos_host_api* api = call.host().raw();
    auto emit = [&](std::string_view json) {
      const reos_status s = api->emit(call.raw(), json.data(), json.size());
      if (s != REOS_OK)
        throw reos::ServiceError(s, std::string("emit: ") + api->last_error(call.raw()));
      ++emitted;
    };
    const PageSummary summary = parse_page(
        r.body, settings_.key_field, settings_.timestamp_field, [&](const PageRecord& rec) {
          if (!rec.has_key || !rec.has_timestamp) {
            // Emitted as is: the normalize stage quarantines it with the reason. It does not
            // move the cursor.
            ++without_position;
            return emit(rec.json);
          }
          const std::optional<Instant> at = parse_instant(rec.timestamp);
          if (!at)
            throw PageParseError("value[" + std::to_string(rec.index) + "]." +
                                     settings_.timestamp_field + ": '" + rec.timestamp +
                                     "' is not an Edm.DateTimeOffset",
                                 false);
          if (last_at && !before(*last_at, last->key, *at, rec.key)) {
            if (committed && !before(*committed, cursor.after->key, *at, rec.key)) {
              ++duplicates;  // at or before the committed position: already stored
              return;
            }
            throw std::runtime_error(what + ": value[" + std::to_string(rec.index) + "] (" +
                                     rec.key + ", " + rec.timestamp +
                                     ") comes before the record preceding it: the server does not "
                                     "honour $orderby=" +
                                     settings_.timestamp_field + "," + settings_.key_field +
                                     "; replicating by cursor would lose records");
          }
          emit(rec.json);
          last = Position{rec.timestamp, rec.key};
          last_at = at;
        });

    const bool advanced = emitted > without_position;
    bool more;
    Cursor next;
    next.after = last;
    if (settings_.paging == "next_link") {
      more = !summary.next_link.empty();
      if (more) next.next_link = absolute(summary.next_link, settings_.base_url);
      if (more && next.next_link == url)
        throw std::runtime_error(what + ": @odata.nextLink points at the page itself");
    } else {
      more = !summary.next_link.empty() ||
             summary.records >= static_cast<std::size_t>(settings_.page_size);
      if (more && !advanced && summary.records > 0)
        throw std::runtime_error(
            what + ": every record of the page is at or before the cursor (" +
            (cursor.after ? cursor.after->timestamp + ", " + cursor.after->key : std::string()) +
            "): the server ignores the $filter tie-breaker; try paging: next_link");
      if (!advanced) more = false;
    }
    next.more = more;
    if (summary.count) call.gauge_set("reso_matches", static_cast<double>(*summary.count));
    call.counter_add("reso_rows", static_cast<double>(emitted));
    if (duplicates > 0)
      call.counter_add("reso_duplicates_skipped", static_cast<double>(duplicates));
    call.info("reso_webapi: page of " + std::to_string(summary.records) + " records" +
              (summary.count ? " (" + std::to_string(*summary.count) + " match)" : "") + ", " +
              std::to_string(emitted) + " emitted" +
              (duplicates ? ", " + std::to_string(duplicates) + " already stored" : "") +
              (more ? ", more follow" : ", sync complete"));
    call.set_cursor(dump_cursor(next), more);
    return reos::Result::ok();
  }

  /// Once per instance: the resource, key, timestamp, $select and $expand fields exist in the
  /// server's $metadata. A server without a usable $metadata is trusted (warning logged).
  void check_metadata(reos::Call& call) {
    const Reply r = get(call, metadata_url(settings_), "application/xml");
    metadata_checked_ = true;
    if (r.status != 200) {
      call.warn("reso_webapi: metadata check skipped: $metadata answered HTTP " +
                std::to_string(r.status));
      return;
    }
    EntityFields fields;
    try {
      fields = entity_fields(r.body, settings_.resource);
    } catch (const std::exception& e) {
      call.warn(std::string("reso_webapi: metadata check skipped: ") + e.what());
      return;
    }
    if (!fields.found)
      throw reos::Invalid("settings.resource: '" + settings_.resource +
                          "' is not an entity set in this server's $metadata");
    auto require = [&](const char* key, const std::string& field) {
      if (fields.properties.count(field) == 0)
        throw reos::Invalid(std::string("settings.") + key + ": '" + field +
                            "' is not a property of " + settings_.resource +
                            " in this server's $metadata");
    };
    require("timestamp_field", settings_.timestamp_field);
    require("key_field", settings_.key_field);
    for (const std::string& f : split_list(settings_.select)) require("select", f);
    for (const std::string& e : split_list(settings_.expand)) {
      const std::string name = e.substr(0, e.find('('));
      if (fields.navigation.count(name) == 0)
        throw reos::Invalid("settings.expand: '" + name + "' is not a navigation property of " +
                            settings_.resource + " in this server's $metadata");
    }
  }

  const Settings settings_;
  TokenCache tokens_;
  bool metadata_checked_ = false;
};

}  // namespace reso

REOS_CPP_PLUGIN(reso::ResoSource, "reso_webapi", "0.1.0",
                "RESO Web API (OData 4.01) source: OAuth2 client credentials, replication by "
                "ModificationTimestamp with a ListingKey tie-breaker, $expand=Media",
                REOS_KIND_SOURCE, 0, reso::kSettingsSchema);
