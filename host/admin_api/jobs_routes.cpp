// GET /api/v1/admin/jobs, GET /api/v1/admin/jobs/{id}, POST /api/v1/admin/jobs/{id}/retry.

#include <limits>

#include "admin_api/admin_context.hpp"
#include "admin_api/job_json.hpp"
#include "admin_api/list_query.hpp"
#include "admin_api/query_params.hpp"
#include "http/problem_json.hpp"
#include "log/logger.hpp"

namespace reos::admin_api {
namespace {

using queue::JobStatus;

const std::vector<JobStatus> kAllStatuses = {JobStatus::queued, JobStatus::running,
                                             JobStatus::succeeded, JobStatus::failed,
                                             JobStatus::dead};

// The {id} of the path, or the 400 response for one that is not a positive integer.
std::optional<std::int64_t> job_id(const http::Request& request, http::Response& error) {
  const auto it = request.path_params.find("id");
  const std::optional<std::int64_t> id =
      it == request.path_params.end() ? std::nullopt : parse_decimal(it->second);
  if (!id || *id < 1) {
    error = http::problem(400, "Bad Request", "invalid job id", request.path,
                          {{"id", "must be a positive integer"}});
    return std::nullopt;
  }
  return id;
}

http::Response no_such_job(const http::Request& request, std::int64_t id) {
  return http::problem(404, "Not Found", "no job " + std::to_string(id), request.path);
}

http::Response list_jobs(const AdminContext& context, const http::Request& request) {
  http::Response error;
  std::optional<ListQuery> query = parse_list_query(request, kAllStatuses, error);
  if (!query) return error;
  const int page_size = query->filter.limit;
  query->filter.limit = page_size + 1;  // one more tells whether another page exists
  auto conn = context.connection();
  Page page = make_page(context.queue.list(*conn, query->filter), page_size);
  return http::json_response(200, job_page_json(page.items, page.next_after, kListPayloadBytes));
}

http::Response get_job(const AdminContext& context, const http::Request& request) {
  http::Response error;
  const std::optional<std::int64_t> id = job_id(request, error);
  if (!id) return error;
  auto conn = context.connection();
  const std::optional<queue::Job> job = context.queue.find(*conn, *id);
  if (!job) return no_such_job(request, *id);
  return http::json_response(200, job_json(*job, std::numeric_limits<std::size_t>::max()));
}

http::Response conflict(const http::Request& request, const queue::Job& job) {
  return http::problem(409, "Conflict",
                       "job " + std::to_string(job.id) + " is " + queue::to_string(job.status) +
                           "; only failed or dead jobs can be retried",
                       request.path);
}

bool retryable(JobStatus status) {
  return status == JobStatus::failed || status == JobStatus::dead;
}

// failed | dead → queued with attempts reset (JobQueue::replay); 409 for any other state.
http::Response retry_job(const AdminContext& context, const http::Request& request) {
  http::Response error;
  const std::optional<std::int64_t> id = job_id(request, error);
  if (!id) return error;
  auto conn = context.connection();
  const std::optional<queue::Job> before = context.queue.find(*conn, *id);
  if (!before) return no_such_job(request, *id);
  if (!retryable(before->status)) return conflict(request, *before);
  const bool replayed = context.queue.replay(*conn, *id);
  const std::optional<queue::Job> after = context.queue.find(*conn, *id);
  if (!after) return no_such_job(request, *id);     // deleted meanwhile (tenant removed)
  if (!replayed) return conflict(request, *after);  // another request retried it first
  log::info("admin API: job requeued", {{"job_id", std::to_string(*id)},
                                        {"tenant", after->tenant_id},
                                        {"kind", after->kind},
                                        {"from_status", queue::to_string(before->status)}});
  return http::json_response(200, job_json(*after, std::numeric_limits<std::size_t>::max()));
}

}  // namespace

void add_job_routes(http::Router& router, const AdminContext& context,
                    const std::function<http::Handler(http::Handler)>& wrap) {
  router.add("GET", "/api/v1/admin/jobs",
             wrap([&context](const http::Request& r) { return list_jobs(context, r); }));
  router.add("GET", "/api/v1/admin/jobs/{id}",
             wrap([&context](const http::Request& r) { return get_job(context, r); }));
  router.add("POST", "/api/v1/admin/jobs/{id}/retry",
             wrap([&context](const http::Request& r) { return retry_job(context, r); }));
}

}  // namespace reos::admin_api
