#include "admin_api/list_query.hpp"

#include <algorithm>
#include <limits>

#include "admin_api/query_params.hpp"
#include "http/problem_json.hpp"

namespace reos::admin_api {
namespace {

bool lower_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

bool is_job_kind(const std::string& text) {
  if (text.empty() || text.size() > 63 || !lower_or_digit(text[0])) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return lower_or_digit(c) || c == '_' || c == '.' || c == '-'; });
}

bool is_tenant_id(const std::string& text) {
  if (text.size() < 2 || text.size() > 63 || !lower_or_digit(text[0])) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return lower_or_digit(c) || c == '-'; });
}

std::optional<ListQuery> parse_list_query(const http::Request& request,
                                          const std::vector<queue::JobStatus>& statuses,
                                          http::Response& error) {
  QueryParams params(request.query, {"status", "kind", "tenant", "limit", "after"});
  ListQuery query;
  if (const auto status = params.text("status")) {
    const std::optional<queue::JobStatus> parsed = queue::parse_job_status(*status);
    if (!parsed || std::find(statuses.begin(), statuses.end(), *parsed) == statuses.end()) {
      std::string names;
      for (const queue::JobStatus s : statuses) {
        names += (names.empty() ? "" : ", ") + std::string(queue::to_string(s));
      }
      params.reject("status", "must be one of: " + names);
    } else {
      query.filter.status = parsed;
    }
  }
  if (const auto kind = params.text("kind")) {
    if (is_job_kind(*kind)) {
      query.filter.kind = *kind;
    } else {
      params.reject("kind", "must be a job kind (lowercase letters, digits, '_', '.', '-')");
    }
  }
  if (const auto tenant = params.text("tenant")) {
    if (is_tenant_id(*tenant)) {
      query.filter.tenant_id = *tenant;
    } else {
      params.reject("tenant", "must be a tenant id (lowercase letters, digits, '-')");
    }
  }
  query.filter.limit = static_cast<int>(params.integer("limit", 1, kMaxPageSize, kDefaultPageSize));
  query.filter.after_id = params.integer("after", 0, std::numeric_limits<std::int64_t>::max(), 0);
  if (!params.errors().empty()) {
    error = http::problem(400, "Bad Request", "invalid query parameters", request.path,
                          params.errors());
    return std::nullopt;
  }
  return query;
}

Page make_page(std::vector<queue::Job> rows, int page_size) {
  Page page;
  if (rows.size() > static_cast<std::size_t>(page_size)) {
    rows.resize(static_cast<std::size_t>(page_size));
    page.next_after = rows.back().id;
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace reos::admin_api
