// The replication cursor (see the header).
#include "reso_cursor.hpp"

#include <reos/plugin.hpp>

#include "reso_timestamp.hpp"

namespace reso {

Cursor parse_cursor(std::string_view text) {
  Cursor c;
  if (text.empty()) return c;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) throw reos::Invalid("reso_webapi: the cursor is not a JSON object");
  const std::string ts = j.value("ts", "");
  if (!ts.empty()) {
    if (!parse_instant(ts))
      throw reos::Invalid("reso_webapi: the cursor's ts '" + ts + "' is not a DateTimeOffset");
    c.after = Position{ts, j.value("key", "")};
  }
  c.more = j.value("more", false);
  c.next_link = j.value("next", "");
  return c;
}

std::string dump_cursor(const Cursor& c) {
  nlohmann::json j = nlohmann::json::object();
  if (c.after) {
    j["ts"] = c.after->timestamp;
    j["key"] = c.after->key;
  }
  j["more"] = c.more;
  if (!c.next_link.empty()) j["next"] = c.next_link;
  return j.dump();
}

}  // namespace reso
