// rets — a RETS 1.7.2 / 1.8 source plugin (docs/rets.md). Each pull is one Search page:
// Limit/Offset paging while the server sends MAXROWS, then an incremental cursor on
// settings.timestamp_field. The cursor (JSON) is handed to set_cursor, which the host stores
// only after the page's records are committed; a failed page emits nothing that counts.
#include <reos/plugin.hpp>

#include "rets_client.hpp"
#include "rets_photos.hpp"
#include "rets_record_json.hpp"
#include "rets_settings.hpp"

namespace rets {

namespace {

/// Where the next pull starts.
struct Cursor {
  std::string since;     ///< timestamp of the last completed sync ("" = everything)
  long long offset = 0;  ///< rows of this sync already committed
  std::string max_ts;    ///< largest timestamp seen in this sync so far
  std::string first;     ///< first row key of the last page (ignored-Offset detection)
};

Cursor parse_cursor(std::string_view text) {
  Cursor c;
  if (text.empty()) return c;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) throw reos::Invalid("rets: the cursor is not a JSON object");
  c.since = j.value("since", "");
  c.offset = j.value("offset", 0LL);
  c.max_ts = j.value("max_ts", "");
  c.first = j.value("first", "");
  return c;
}

std::string dump_cursor(const Cursor& c) {
  nlohmann::json j = {{"since", c.since}, {"offset", c.offset}};
  if (!c.max_ts.empty()) j["max_ts"] = c.max_ts;
  if (!c.first.empty()) j["first"] = c.first;
  return j.dump();
}

std::string build_query(const Settings& s, const std::string& since) {
  if (since.empty())
    return s.query.empty() ? "(" + s.timestamp_field + "=1970-01-01T00:00:00+)" : s.query;
  const std::string ts = "(" + s.timestamp_field + "=" + since + "+)";
  return s.query.empty() ? ts : s.query + "," + ts;
}

}  // namespace

class RetsSource : public reos::Plugin {
 public:
  RetsSource(reos::Call& call, const nlohmann::json& settings)
      : settings_(parse_settings(settings)), client_(settings_) {
    call.debug("rets: source for " + settings_.resource + ":" + settings_.search_class);
  }

  reos::Result pull(reos::Call& call, std::string_view cursor_text) {
    const Cursor cursor = parse_cursor(cursor_text);
    try {
      if (!metadata_checked_) check_metadata(call);
      return page(call, cursor);
    } catch (const AuthFailed& e) {
      client_.logout(call);
      return reos::Result::invalid("login failed: check username/password for connector (" +
                                   std::string(e.what()) + ")");
    } catch (const ParseError& e) {
      client_.logout(call);
      if (e.truncated())
        return reos::Result::retry(0, std::string("RETS Search: ") + e.what() +
                                          "; the page was not recorded, it will be fetched again");
      return reos::Result::fail(std::string("RETS Search: ") + e.what() +
                                "; the page was not recorded");
    } catch (const ReplyError& e) {
      client_.logout(call);
      return reos::Result::fail(e.what());
    }
  }

 private:
  reos::Result page(reos::Call& call, const Cursor& cursor) {
    const std::string query = build_query(settings_, cursor.since);
    Cursor next = cursor;
    std::size_t emitted = 0;
    std::string first;
    PhotoBatch photos(settings_, client_);
    const PhotoBatch::EmitFn emit = [&call](const std::string& r) { emit_text(call, r); };
    std::string max_ts = cursor.max_ts;
    auto on_row = [&](const std::vector<std::string>& columns, std::vector<std::string>& values) {
      if (values.size() != columns.size())
        throw ReplyError("RETS Search: DATA row " + std::to_string(emitted + 1) + " has " +
                             std::to_string(values.size()) + " fields but COLUMNS has " +
                             std::to_string(columns.size()),
                         0);
      std::string key;
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == settings_.timestamp_field && values[i] > max_ts) max_ts = values[i];
        if (!settings_.key_field.empty() && columns[i] == settings_.key_field) key = values[i];
      }
      const std::string& record = row_json_.write(columns, values);
      if (emitted == 0) {
        first = settings_.key_field.empty() ? record : key;
        if (cursor.offset > 0 && !cursor.first.empty() && first == cursor.first)
          throw ReplyError(
              "RETS server ignores Offset: the page at offset " +
                  std::to_string(cursor.offset + 1) +
                  " starts with the same row as the previous page; lower the query's range or "
                  "raise Limit (settings.limit) so one page holds every match",
              0);
      }
      if (settings_.photos)
        photos.add(call, key, record, emit);  // emitted with Media once GetObject answered
      else
        emit_text(call, record);
      ++emitted;
    };
    const ReplySummary reply = client_.search(call, query, cursor.offset, on_row);
    const int code = reply.reply_code();
    bool more = reply.maxrows;
    if (code == 20201) {
      emitted = 0;
      more = false;
    } else if (code == 20208) {
      more = true;  // maximum records exceeded: the server cut the page; continue after it
    } else if (code == 20037 || code == 20041) {
      throw AuthFailed("RETS Search: ReplyCode " + std::to_string(code) + ": " +
                       reply.reply_text());
    } else if (code != 0) {
      throw ReplyError("RETS Search failed: ReplyCode " + std::to_string(code) + ": " +
                           (reply.reply_text().empty() ? "(no ReplyText)" : reply.reply_text()),
                       code);
    }
    if (settings_.photos) {
      photos.flush(call, emit);
      call.counter_add("rets_photos", static_cast<double>(photos.stored()));
    }
    if (reply.count) call.gauge_set("rets_search_matches", static_cast<double>(*reply.count));
    call.counter_add("rets_rows", static_cast<double>(emitted));
    if (more && emitted == 0)
      return reos::Result::fail(
          "RETS Search: the server signalled more rows (MAXROWS or 20208) but sent none at "
          "offset " +
          std::to_string(cursor.offset + 1));
    if (more) {
      next.offset = cursor.offset + static_cast<long long>(emitted);
      next.max_ts = max_ts;
      next.first = first;
    } else {
      next = Cursor{};
      next.since = max_ts.empty() ? cursor.since : max_ts;
      client_.logout(call);
    }
    call.info("rets: page at offset " + std::to_string(cursor.offset + 1) + ": " +
              std::to_string(emitted) + " rows" +
              (reply.count ? " of " + std::to_string(*reply.count) : "") +
              (more ? ", more follow" : ", sync complete"));
    call.set_cursor(dump_cursor(next), more);
    return reos::Result::ok();
  }

  /// Once per instance: the class exists on the server and the timestamp/key fields are
  /// fields of it (GetMetadata METADATA-CLASS and METADATA-TABLE). Settings that name
  /// something the server does not have are INVALID with what it does have; a server
  /// without GetMetadata, or one that refuses it, is trusted (warning logged).
  void check_metadata(reos::Call& call) {
    try {
      const auto classes = client_.metadata(call, "METADATA-CLASS", settings_.resource);
      if (!classes) {
        metadata_checked_ = true;
        return;
      }
      std::string names, system_class;
      auto get = [](const std::map<std::string, std::string>& row, const char* key) {
        const auto it = row.find(key);
        return it == row.end() ? std::string() : it->second;
      };
      for (const auto& row : *classes) {
        const std::string name = get(row, "ClassName");
        // With StandardNames=1 the class may be given by its standard name.
        if (name == settings_.search_class || get(row, "StandardName") == settings_.search_class)
          system_class = name;
        names += (names.empty() ? "" : ", ") + name;
      }
      if (system_class.empty())
        throw reos::Invalid("settings.class: \"" + settings_.search_class +
                            "\" is not a class of resource " + settings_.resource +
                            " on this RETS server (it has: " + names + ")");
      const auto table =
          client_.metadata(call, "METADATA-TABLE", settings_.resource + ":" + system_class);
      if (table && !table->empty()) {
        // The fields the server has, in the names Search will use: the host checks the
        // pipeline's field map against them (docs/rets.md, "Metadata check").
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& row : *table) {
          const std::string n = get(row, settings_.standard_names ? "StandardName" : "SystemName");
          if (!n.empty()) fields.push_back(n);
        }
        call.state_put("source_fields", fields.dump());
        auto has = [&](const std::string& field) {
          for (const auto& row : *table)
            if (get(row, "SystemName") == field || get(row, "StandardName") == field) return true;
          return false;
        };
        if (!has(settings_.timestamp_field))
          throw reos::Invalid("settings.timestamp_field: \"" + settings_.timestamp_field +
                              "\" is not a field of " + settings_.resource + ":" +
                              settings_.search_class + " on this RETS server");
        if (!settings_.key_field.empty() && !has(settings_.key_field))
          throw reos::Invalid("settings.key_field: \"" + settings_.key_field +
                              "\" is not a field of " + settings_.resource + ":" +
                              settings_.search_class + " on this RETS server");
      }
    } catch (const ReplyError& e) {
      call.warn(std::string("rets: metadata check skipped: ") + e.what());
    } catch (const ParseError& e) {
      call.warn(std::string("rets: metadata check skipped: ") + e.what());
    }
    metadata_checked_ = true;
  }

  // The SDK's emit takes an nlohmann object; the row is already JSON text, so it goes to the
  // host's C emit directly (the same service, one parse and one dump fewer per row).
  static void emit_text(reos::Call& call, const std::string& record) {
    const reos_host_api* api = call.host().raw();
    if (api == nullptr || api->emit == nullptr)
      throw reos::ServiceError(REOS_UNSUPPORTED, "host service 'emit' is not available");
    const reos_status s = api->emit(call.raw(), record.data(), record.size());
    if (s != REOS_OK) throw reos::ServiceError(s, "emit: the host refused the record");
  }

  const Settings settings_;
  Client client_;
  RowJsonWriter row_json_;
  bool metadata_checked_ = false;
};

}  // namespace rets

REOS_CPP_PLUGIN(rets::RetsSource, "rets", "0.1.0",
                "RETS 1.7.2/1.8 source: Login (Digest/Basic), Search COMPACT(-DECODED) with "
                "Limit/Offset paging and an incremental ModificationTimestamp cursor",
                REOS_KIND_SOURCE, 0, rets::kSettingsSchema);
