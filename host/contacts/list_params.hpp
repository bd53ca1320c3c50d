#pragma once

// Shared pieces of the CRM listings (contacts, notes, tasks): ids, page size and cursor
// parameters, and the "query.<name>" naming of bad query parameters.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "admin_api/query_params.hpp"
#include "property_search/page_cursor.hpp"

namespace pqxx {
class result;
class transaction_base;
}  // namespace pqxx
namespace reos::api {
class ApiContext;
struct ApiRequest;
}  // namespace reos::api

namespace reos::contacts {

constexpr long kDefaultPageSize = 50;
constexpr long kMaxPageSize = 200;

/// True for a canonical UUID text (any case).
bool is_uuid(const std::string& text);

/// The `{id}` path parameter when it is a UUID; otherwise throws 404 for `what` (an id that
/// cannot exist is answered like one of another tenant).
std::string path_uuid(const api::ApiRequest& req, const std::string& what);

/// Where a page continues: the sort value of the last row served and its id.
struct Keyset {
  std::string value;
  std::string id;
};

/// Reads `limit` and `cursor` (a cursor of listing `kind`, see page_cursor.hpp).
struct PageParams {
  long limit = kDefaultPageSize;
  std::optional<Keyset> after;
};
PageParams page_params(admin_api::QueryParams& params, const std::string& kind);

/// The cursor continuing after `at` in listing `kind`.
std::string next_cursor(const std::string& kind, const Keyset& at);

/// A user filter value: a UUID, or "me" for the calling user. Records an error otherwise.
std::optional<std::string> user_param(admin_api::QueryParams& params, const std::string& name,
                                      const api::ApiRequest& req);

/// Throws 400 naming every recorded problem as "query.<name>" (no-op when none).
void throw_if_invalid(const admin_api::QueryParams& params);

/// The comma-separated values of `text` ("a,b" → a, b; empty values kept).
std::vector<std::string> split_commas(const std::string& text);

/// {"items": [...], "next_cursor": …} from rows with the columns `item` (JSON text),
/// `sort_value` and `id`, fetched with LIMIT page_limit + 1.
std::string page_json(const pqxx::result& rows, long page_limit, const std::string& kind);

/// Runs a listing's read in the caller's tenant. Cursors are checked for shape when parsed;
/// a value that still does not cast (a hand-made cursor) is answered 400 `query.cursor`.
void read_page(const api::ApiContext& api, const api::ApiRequest& req,
               const std::function<void(pqxx::transaction_base&)>& fn);

/// `text` with LIKE wildcards escaped, wrapped in % for a substring match.
std::string like_pattern(const std::string& text);

}  // namespace reos::contacts
