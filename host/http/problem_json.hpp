#pragma once

// RFC 9457 "Problem Details for HTTP APIs": every error the hub's HTTP layer returns has this
// shape, so clients parse one format whatever went wrong.

#include <string>
#include <string_view>
#include <vector>

#include "http/http_types.hpp"

namespace reos::http {

/// One rejected input field; rendered under the "invalid_params" extension member so a
/// client can show every bad field at once instead of fixing them one request at a time.
struct InvalidParam {
  std::string name;    ///< field path, e.g. "listing.price" or "query.limit"
  std::string reason;  ///< why it was rejected, for people
};

/// The members of a problem document; empty strings and lists are omitted from the JSON
/// (except type, which defaults to "about:blank", and title, which defaults to the reason
/// phrase of the status).
struct Problem {
  int status = 500;
  std::string type = "about:blank";
  std::string title;
  std::string detail;
  std::string instance;
  std::vector<InvalidParam> invalid_params;
};

/// Renders `p` as an `application/problem+json` response with status `p.status`.
Response problem_response(const Problem& p);

/// Shorthand for the common case (type "about:blank").
Response problem(int status, std::string title, std::string detail, std::string instance = "",
                 std::vector<InvalidParam> invalid_params = {});

/// Standard reason phrase ("Not Found"), or "Unknown Status" for codes we do not name.
std::string_view reason_phrase(int status);

}  // namespace reos::http
