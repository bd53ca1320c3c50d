#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/http_types.hpp"
#include "queue/job.hpp"
#include "queue/job_queue.hpp"

namespace reos::admin_api {

/// The query of a job listing (`status`, `kind`, `tenant`, `limit`, `after`), validated.
struct ListQuery {
  queue::JobFilter filter;  ///< filter.limit is the page size asked for (1..500)
};

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

/// Parses and checks the listing query of `request`. `statuses` are the status values this
/// listing accepts. On any problem returns the 400 problem+json response naming every bad
/// parameter (in `error`), else the query.
std::optional<ListQuery> parse_list_query(const http::Request& request,
                                          const std::vector<queue::JobStatus>& statuses,
                                          http::Response& error);

/// True for a job kind as the queue accepts it: `^[a-z0-9][a-z0-9_.-]{0,62}$`.
bool is_job_kind(const std::string& text);
/// True for a tenant id as config accepts it: `^[a-z0-9][a-z0-9-]{1,62}$`.
bool is_tenant_id(const std::string& text);

/// One page of a listing: fetch `page_size + 1` rows, keep `page_size`, and say where the
/// next page starts (the last kept id) when the extra row exists.
struct Page {
  std::vector<queue::Job> items;
  std::optional<std::int64_t> next_after;
};
Page make_page(std::vector<queue::Job> rows, int page_size);

}  // namespace reos::admin_api
