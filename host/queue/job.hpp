#pragma once

// The value types of the job queue: a job row, its status, and what a handler reports.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reos::queue {

/// A job's place in its life cycle (docs/job-queue.md has the transitions).
enum class JobStatus {
  queued,     ///< waiting for run_at, then for a worker
  running,    ///< leased to lease_owner until lease_expires_at
  succeeded,  ///< done (final)
  failed,     ///< the handler said retrying cannot help (final until replayed)
  dead,       ///< every attempt failed (final until replayed)
};

/// "queued", "running", … as stored in jobs.status.
const char* to_string(JobStatus status);
/// The status named `text`, or nullopt for anything else.
std::optional<JobStatus> parse_job_status(std::string_view text);

/// One row of `jobs`. Times are the database server's clock.
struct Job {
  std::int64_t id = 0;
  std::string tenant_id;
  std::string kind;
  std::string payload_json;     ///< the jsonb payload rendered as JSON text
  std::string idempotency_key;  ///< "" when the job was enqueued without one
  JobStatus status = JobStatus::queued;
  int attempts = 0;  ///< attempts started so far, this one included while running
  int max_attempts = 1;
  std::chrono::system_clock::time_point run_at;
  std::string lease_owner;  ///< "" unless running
  std::optional<std::chrono::system_clock::time_point> lease_expires_at;
  std::string last_error;  ///< the latest failure's message, kept after success or replay
  std::string correlation_id;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
  std::optional<std::chrono::system_clock::time_point> finished_at;
  /// Only for jobs returned by claim(): seconds from max(run_at, created_at) to the claim.
  double pickup_latency_s = 0;
};

/// What a handler reports for one job.
struct JobOutcome {
  /// defer: the job was not attempted (its dependency is known to be down, e.g. an open
  /// circuit breaker); it goes back to the queue without using up an attempt.
  enum class Kind { ok, retry, fail, defer };
  Kind kind = Kind::ok;
  /// For retry: the earliest the next attempt may start (a provider's Retry-After); the
  /// backoff policy's delay applies when it is longer. For defer: exactly how long to wait.
  std::chrono::milliseconds retry_after{0};
  std::string message;  ///< kept as the job's last_error on retry and fail

  static JobOutcome ok() { return {}; }
  static JobOutcome retry(std::chrono::milliseconds retry_after, std::string message) {
    return {Kind::retry, retry_after, std::move(message)};
  }
  static JobOutcome fail(std::string message) {
    return {Kind::fail, std::chrono::milliseconds(0), std::move(message)};
  }
  /// Not attempted: queued again `delay` from now with the attempt given back
  /// (JobQueue::defer), `message` kept as last_error.
  static JobOutcome defer(std::chrono::milliseconds delay, std::string message) {
    return {Kind::defer, delay, std::move(message)};
  }
};

}  // namespace reos::queue
