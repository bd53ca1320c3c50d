// rets_object.hpp — GetObject replies (RETS 1.7.2 §5): a multipart/parallel (or /mixed) body
// with one part per object, or a single object whose Content-ID / Object-ID are HTTP headers.
// A part (or a whole reply) that is text/xml is a RETS reply instead of an object, e.g.
// ReplyCode 20403 "no object found": it is returned with `reply_code` set and no data.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rets {

struct RetsObject {
  std::string content_id;    ///< the resource key the object belongs to
  std::string object_id;     ///< 1, 2, … (0 = the preferred object)
  std::string content_type;  ///< e.g. image/jpeg
  std::string description;
  std::string location;  ///< a URL when Location=1 was asked for
  std::string data;      ///< the object's bytes
  int reply_code = 0;    ///< nonzero: this part is a RETS error reply, not an object
  std::string reply_text;
};

/// The boundary parameter of a multipart Content-Type ("" when absent). Quotes removed.
std::string multipart_boundary(std::string_view content_type);

/// Parses a GetObject reply from its Content-Type, headers and body. Throws ParseError
/// (truncated) for a multipart body that stops before its closing boundary, and
/// std::runtime_error for one without any boundary.
std::vector<RetsObject> parse_get_object(
    std::string_view content_type, const std::vector<std::pair<std::string, std::string>>& headers,
    std::string_view body);

}  // namespace rets
