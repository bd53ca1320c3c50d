// GET /api/v1/admin/dead-letters: failed and dead jobs, the ones an operator may retry.

#include "admin_api/admin_context.hpp"
#include "admin_api/job_json.hpp"
#include "admin_api/list_query.hpp"

namespace reos::admin_api {
namespace {

http::Response list_dead_letters(const AdminContext& context, const http::Request& request) {
  http::Response error;
  std::optional<ListQuery> query =
      parse_list_query(request, {queue::JobStatus::failed, queue::JobStatus::dead}, error);
  if (!query) return error;
  const int page_size = query->filter.limit;
  query->filter.limit = page_size + 1;  // one more tells whether another page exists
  auto conn = context.connection();
  // With a status (failed or dead) a plain listing selects exactly those; without one,
  // dead_letters() selects both.
  std::vector<queue::Job> rows = query->filter.status
                                     ? context.queue.list(*conn, query->filter)
                                     : context.queue.dead_letters(*conn, query->filter);
  Page page = make_page(std::move(rows), page_size);
  return http::json_response(200, job_page_json(page.items, page.next_after, kListPayloadBytes));
}

}  // namespace

void add_dead_letter_routes(http::Router& router, const AdminContext& context,
                            const std::function<http::Handler(http::Handler)>& wrap) {
  router.add("GET", "/api/v1/admin/dead-letters",
             wrap([&context](const http::Request& r) { return list_dead_letters(context, r); }));
}

}  // namespace reos::admin_api
