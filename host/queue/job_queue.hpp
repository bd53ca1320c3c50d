#pragma once

// The durable job queue on PostgreSQL (table `jobs`, migrations/0003_job_queue.sql).
// docs/job-queue.md describes the states, leases, fencing, backoff and the delivery guarantee.
//
// JobQueue holds no connection: every call runs on the connection (or inside the
// transaction) the caller passes, so a worker keeps its own connection, the admin API uses a
// pooled one, and a producer can enqueue in the same transaction as the write that caused the
// job (the outbox pattern). Calls taking a connection run in their own short transaction
// (single statements run in autocommit). Errors from the database propagate as the
// std::exception subclasses libpqxx throws.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "queue/backoff_policy.hpp"
#include "queue/job.hpp"

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace reos::queue {

/// Per-job choices at enqueue time.
struct EnqueueOptions {
  int max_attempts = 0;  ///< 0 = the kind's setting in the backoff policy
  /// The job is not claimed before now() + delay (database clock) …
  std::chrono::milliseconds delay{0};
  /// … or before this instant, when set (overrides delay).
  std::optional<std::chrono::system_clock::time_point> run_at;
  std::string correlation_id;  ///< follows the job into its handler's log lines
};

/// What enqueue() did.
struct EnqueueResult {
  std::int64_t id = 0;
  bool created = false;  ///< false: a job with the same idempotency key already existed
};

/// One job for enqueue_many().
struct NewJob {
  std::string tenant_id;
  std::string kind;
  std::string payload_json;
  std::string idempotency_key;  ///< "" = no de-duplication
  int max_attempts = 0;         ///< 0 = the kind's setting
  /// run_at = now() + delay; negative: due that long ago, so that a follow-up job keeps the
  /// place in the queue of the job that made it (claims go by run_at, then id).
  std::chrono::milliseconds delay{0};
  std::string correlation_id;
};

/// How fail() left the job.
enum class FailResult {
  not_owner,  ///< the caller no longer holds the lease: nothing changed
  requeued,   ///< queued again with run_at = now() + backoff
  failed,     ///< permanently failed (the handler said retrying cannot help)
  dead,       ///< the last allowed attempt failed
};

/// Selects jobs for list() and dead_letters(); empty fields do not filter.
struct JobFilter {
  std::optional<JobStatus> status;
  std::string kind;
  std::string tenant_id;
  int limit = 100;            ///< clamped to 1..1000
  std::int64_t after_id = 0;  ///< keyset paging: only ids greater than this, ascending
};

/// Queue depth and age, for the admin API and metrics.
struct QueueStats {
  struct Count {
    std::string kind;
    JobStatus status;
    std::int64_t jobs;
  };
  std::vector<Count> counts;        ///< per kind and status, sorted
  std::int64_t ready = 0;           ///< queued and due now
  double oldest_ready_age_s = 0;    ///< how long the oldest due job has waited
  std::int64_t expired_leases = 0;  ///< running with an expired lease (awaiting recovery)
};

/// Thread-safe (const, stateless apart from the policy).
class JobQueue {
 public:
  explicit JobQueue(BackoffPolicy policy = BackoffPolicy());

  const BackoffPolicy& policy() const { return policy_; }

  /// Adds a job to `tenant_id`'s queue inside the caller's transaction (the job and the
  /// write that caused it commit or roll back together; workers are notified at commit).
  /// With a non-empty `idempotency_key`, a second enqueue of the same (tenant, kind, key)
  /// returns the existing job's id with created = false and changes nothing — also when the
  /// two enqueues race. `payload_json` must be valid JSON (the database rejects it otherwise).
  /// Throws std::invalid_argument for an empty tenant or kind.
  EnqueueResult enqueue(pqxx::transaction_base& tx, const std::string& tenant_id,
                        const std::string& kind, const std::string& payload_json,
                        const std::string& idempotency_key,
                        const EnqueueOptions& options = {}) const;
  /// The same in a transaction of its own, committed before returning.
  EnqueueResult enqueue(pqxx::connection_base& conn, const std::string& tenant_id,
                        const std::string& kind, const std::string& payload_json,
                        const std::string& idempotency_key,
                        const EnqueueOptions& options = {}) const;

  /// enqueue() for many jobs in one statement (a feed page's records, say): results in
  /// input order, with the same idempotency rules; a key repeated within `jobs` yields the
  /// first one's id.
  std::vector<EnqueueResult> enqueue_many(pqxx::transaction_base& tx,
                                          const std::vector<NewJob>& jobs) const;

  /// Leases up to `batch_size` due, queued jobs of `kinds` (any kind when empty) to `owner`
  /// for `lease`, oldest run_at first, incrementing their attempts. One statement
  /// (FOR UPDATE SKIP LOCKED), so concurrent claimers never block each other and never get
  /// the same job.
  std::vector<Job> claim(pqxx::connection_base& conn, const std::string& owner,
                         const std::vector<std::string>& kinds, int batch_size,
                         std::chrono::milliseconds lease) const;

  /// Marks the job succeeded if `owner` still holds its lease; false (and no change) when
  /// the lease expired and was recovered or taken over by another worker.
  bool complete(pqxx::connection_base& conn, std::int64_t job_id, const std::string& owner) const;
  /// complete() for several jobs in one statement and one commit; returns the ids that
  /// `owner` still held (and that are now succeeded).
  std::vector<std::int64_t> complete_many(pqxx::connection_base& conn,
                                          const std::vector<std::int64_t>& job_ids,
                                          const std::string& owner) const;

  /// Records a failed attempt of `job` (as returned by claim()) if `owner` still holds its
  /// lease. `retryable` with attempts left: queued again after the policy's delay (or
  /// `retry_after` when longer); `retryable` on the last attempt: dead; not retryable:
  /// failed. `error` becomes last_error either way (truncated to 4000 bytes).
  FailResult fail(pqxx::connection_base& conn, const Job& job, const std::string& owner,
                  const std::string& error, bool retryable,
                  std::chrono::milliseconds retry_after = {}) const;

  /// Gives claimed jobs `owner` has not started back to the queue untouched (attempts
  /// decremented, due as before) — used when a worker stops with part of a batch unstarted.
  /// Returns the ids released.
  std::vector<std::int64_t> release(pqxx::connection_base& conn,
                                    const std::vector<std::int64_t>& job_ids,
                                    const std::string& owner) const;

  /// Puts a running job `owner` holds back in the queue WITHOUT counting the attempt
  /// (attempts − 1, as if never claimed), due at now() + `delay` on the database clock, with
  /// `reason` as last_error. For a job that was not attempted because its dependency is
  /// known to be down (an open circuit breaker): waiting for it must not burn the job's
  /// attempts. False (and no change) when `owner` no longer holds the lease.
  bool defer(pqxx::connection_base& conn, const Job& job, const std::string& owner,
             std::chrono::milliseconds delay, const std::string& reason) const;

  /// Pushes the lease of a running job `owner` holds to now() + `lease`; false when it no
  /// longer holds it.
  bool extend_lease(pqxx::connection_base& conn, std::int64_t job_id, const std::string& owner,
                    std::chrono::milliseconds lease) const;
  /// extend_lease() for several jobs in one statement; returns the ids still held.
  std::vector<std::int64_t> extend_leases(pqxx::connection_base& conn,
                                          const std::vector<std::int64_t>& job_ids,
                                          const std::string& owner,
                                          std::chrono::milliseconds lease) const;

  /// Returns running jobs whose lease has expired (their worker died, hung or lost its
  /// database connection) to queued, or to dead when that was their last attempt. Returns
  /// how many it changed. Safe to run from every process at once.
  int recover_expired_leases(pqxx::connection_base& conn) const;

  /// Queues a failed or dead job again, due now, with attempts reset to 0 (last_error is
  /// kept). False when the job does not exist or is not failed/dead.
  bool replay(pqxx::connection_base& conn, std::int64_t job_id) const;

  /// Jobs matching `filter`, ascending id.
  std::vector<Job> list(pqxx::connection_base& conn, const JobFilter& filter) const;
  /// Failed and dead jobs matching `filter` (its status is ignored), ascending id.
  std::vector<Job> dead_letters(pqxx::connection_base& conn, const JobFilter& filter) const;
  /// One job by id, or nullopt.
  std::optional<Job> find(pqxx::connection_base& conn, std::int64_t job_id) const;

  QueueStats stats(pqxx::connection_base& conn) const;

  /// How long until the earliest queued job of `kinds` (any kind when empty) is due:
  /// 0 when one is due now, nullopt when none is queued. Workers sleep this long at most.
  std::optional<std::chrono::milliseconds> time_until_next_job(
      pqxx::connection_base& conn, const std::vector<std::string>& kinds) const;

 private:
  BackoffPolicy policy_;
};

}  // namespace reos::queue
