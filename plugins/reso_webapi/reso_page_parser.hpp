// reso_page_parser.hpp — one OData JSON page of a RESO Web API collection
// ({"@odata.context", "@odata.count", "value": [...], "@odata.nextLink"}) in a single
// validating pass over the body, without building a document: each record of `value` is
// handed over as its exact text (emitted as is) plus its key and timestamp fields. Memory is
// one record's two small strings, whatever the page size.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace reso {

/// The body is not one valid OData page. truncated() when it ends early (a cut transfer:
/// worth fetching again), else it is malformed (fetching again would not help).
class PageParseError : public std::runtime_error {
 public:
  PageParseError(const std::string& what, bool truncated)
      : std::runtime_error(what), truncated_(truncated) {}
  bool truncated() const noexcept { return truncated_; }

 private:
  bool truncated_;
};

/// One record of `value`. Valid only during the callback.
struct PageRecord {
  std::size_t index = 0;  ///< 0-based position in `value`
  std::string_view json;  ///< the record object's exact text, borrowed from the body
  bool has_key = false;   ///< the key field is present and a string
  std::string key;        ///< its value, unescaped
  bool has_timestamp = false;
  std::string timestamp;  ///< the timestamp field's string value, unescaped
};

/// What the page says besides its records.
struct PageSummary {
  std::optional<long long> count;  ///< @odata.count, sent as a number or as a string
  std::string next_link;           ///< @odata.nextLink ("" when absent)
  std::size_t records = 0;
};

using RecordFn = std::function<void(const PageRecord&)>;

/// Parses `body`, calling `on_record` for each element of `value` in order. Throws
/// PageParseError naming line, column and what was expected; a `value` element that is not an
/// object, a missing `value` array and an unusable @odata.count are errors too.
PageSummary parse_page(std::string_view body, std::string_view key_field,
                       std::string_view timestamp_field, const RecordFn& on_record);

}  // namespace reso
