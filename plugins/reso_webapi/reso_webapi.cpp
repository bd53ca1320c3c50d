// reso_webapi — a RESO Web API (OData 4.01) source plugin (docs/reso-webapi.md). Each pull is
// one page of the replication query: records later than the cursor's (timestamp, key)
// position, ordered by ModificationTimestamp then ListingKey, $top page_size, $expand=Media.
// The next position goes to set_cursor, which the host stores only with the committed page;
// a failed page sets no cursor and what it emitted is dropped, so it is fetched again whole.
#include <reos/plugin.hpp>

#include "metadata_check.hpp"
#include "odata_metadata.hpp"
#include "odata_query.hpp"
#include "reso_client.hpp"
#include "reso_cursor.hpp"
#include "reso_page_parser.hpp"
#include "reso_settings.hpp"
#include "reso_timestamp.hpp"

namespace reso {

namespace {

/// (instant, key) order: the order of the replication query.
bool before(const Instant& a, const std::string& ak, const Instant& b, const std::string& bk) {
  return a != b ? a < b : ak < bk;
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

}  // namespace

class ResoSource : public reos::Plugin {
 public:
  ResoSource(reos::Call& call, const nlohmann::json& settings)
      : settings_(parse_settings(settings)), client_(settings_) {
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
  reos::Result page(reos::Call& call, const Cursor& cursor) {
    const bool follow = settings_.paging == "next_link" && !cursor.next_link.empty();
    const std::string url =
        follow ? cursor.next_link : page_url(settings_, cursor.after, !cursor.more);
    const std::string what = "RESO " + settings_.resource + " page";
    const Reply r = client_.get(call, url, "application/json");
    client_.check_status(r, what);

    std::optional<Instant> committed;
    if (cursor.after) committed = parse_instant(cursor.after->timestamp);
    std::optional<Position> last = cursor.after;
    std::optional<Instant> last_at = committed;
    std::size_t emitted = 0, duplicates = 0, without_position = 0;
    // Records are emitted as the exact bytes of the page (no re-serialization).
    if (!call.host().has(&reos_host_api::emit))
      throw reos::ServiceError(REOS_UNSUPPORTED, "host service 'emit' is not available");
    const reos_host_api* api = call.host().raw();
    auto emit = [&](std::string_view json) {
      const reos_status s = api->emit(call.raw(), json.data(), json.size());
      if (s != REOS_OK)
        throw reos::ServiceError(
            s, std::string("emit: ") +
                   (api->last_error != nullptr ? api->last_error(call.raw()) : "refused"));
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
      // A full page that cannot move the cursor would be asked for again forever.
      if (more && !advanced && duplicates > 0)
        throw std::runtime_error(
            what + ": every record of the page is at or before the cursor (" +
            (cursor.after ? cursor.after->timestamp + ", " + cursor.after->key : std::string()) +
            "): the server ignores the $filter tie-breaker; try paging: next_link");
      if (more && !advanced && without_position > 0)
        throw std::runtime_error(what + ": no record of the page has a string " +
                                 settings_.key_field + " and " + settings_.timestamp_field +
                                 ", so the cursor cannot advance");
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

  /// Once per instance, before the first page (metadata_check.hpp). A server without a usable
  /// $metadata is trusted (warning logged).
  void check_metadata(reos::Call& call) {
    const Reply r = client_.get(call, metadata_url(settings_), "application/xml");
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
    check_against_metadata(settings_, fields);
  }

  const Settings settings_;
  Client client_;
  bool metadata_checked_ = false;
};

}  // namespace reso

REOS_CPP_PLUGIN(reso::ResoSource, "reso_webapi", "0.1.0",
                "RESO Web API (OData 4.01) source: OAuth2 client credentials, replication by "
                "ModificationTimestamp with a ListingKey tie-breaker, $expand=Media",
                REOS_KIND_SOURCE, 0, reso::kSettingsSchema);
