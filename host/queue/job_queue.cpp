#include "queue/job_queue.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <pqxx/pqxx>
#include <stdexcept>
#include <tuple>

namespace reos::queue {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

constexpr std::size_t kMaxErrorBytes = 4000;

// The columns every Job is read from, in the order row_to_job() expects. Timestamps travel as
// epoch seconds (double: microsecond precision for centuries) to avoid parsing text dates.
constexpr const char* kJobColumns =
    "j.id, j.tenant_id, j.kind, j.payload::text, coalesce(j.idempotency_key, ''), j.status, "
    "j.attempts, j.max_attempts, extract(epoch FROM j.run_at)::float8, "
    "coalesce(j.lease_owner, ''), extract(epoch FROM j.lease_expires_at)::float8, "
    "coalesce(j.last_error, ''), coalesce(j.correlation_id, ''), "
    "extract(epoch FROM j.created_at)::float8, extract(epoch FROM j.updated_at)::float8, "
    "extract(epoch FROM j.finished_at)::float8";
constexpr int kJobColumnCount = 16;

system_clock::time_point from_epoch(double seconds) {
  return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(
      std::chrono::microseconds(std::llround(seconds * 1e6))));
}

std::optional<system_clock::time_point> optional_time(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return from_epoch(f.as<double>());
}

Job row_to_job(const pqxx::row& r) {
  Job job;
  job.id = r[0].as<std::int64_t>();
  job.tenant_id = r[1].as<std::string>();
  job.kind = r[2].as<std::string>();
  job.payload_json = r[3].as<std::string>();
  job.idempotency_key = r[4].as<std::string>();
  job.status = parse_job_status(r[5].as<std::string>()).value_or(JobStatus::queued);
  job.attempts = r[6].as<int>();
  job.max_attempts = r[7].as<int>();
  job.run_at = from_epoch(r[8].as<double>());
  job.lease_owner = r[9].as<std::string>();
  job.lease_expires_at = optional_time(r[10]);
  job.last_error = r[11].as<std::string>();
  job.correlation_id = r[12].as<std::string>();
  job.created_at = from_epoch(r[13].as<double>());
  job.updated_at = from_epoch(r[14].as<double>());
  job.finished_at = optional_time(r[15]);
  return job;
}

// A PostgreSQL array literal of text values: {"a","b\"c"}.
std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (const char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string bigint_array(const std::vector<std::int64_t>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

std::vector<std::int64_t> ids_of(const pqxx::result& r) {
  std::vector<std::int64_t> ids;
  ids.reserve(r.size());
  for (const auto& row : r) ids.push_back(row[0].as<std::int64_t>());
  return ids;
}

// Cuts at a UTF-8 boundary so the database accepts the text.
std::string truncated_error(const std::string& error) {
  if (error.size() <= kMaxErrorBytes) return error;
  std::size_t end = kMaxErrorBytes;
  while (end > 0 && (static_cast<unsigned char>(error[end]) & 0xC0) == 0x80) --end;
  return error.substr(0, end) + "…";
}

long long whole_ms(milliseconds d) {
  return std::max<long long>(0, d.count());
}

}  // namespace

JobQueue::JobQueue(BackoffPolicy policy) : policy_(std::move(policy)) {}

EnqueueResult JobQueue::enqueue(pqxx::transaction_base& tx, const std::string& tenant_id,
                                const std::string& kind, const std::string& payload_json,
                                const std::string& idempotency_key,
                                const EnqueueOptions& options) const {
  if (tenant_id.empty()) throw std::invalid_argument("queue: enqueue needs a tenant id");
  if (kind.empty()) throw std::invalid_argument("queue: enqueue needs a job kind");
  const int max_attempts =
      options.max_attempts > 0 ? options.max_attempts : policy_.settings_for(kind).max_attempts;
  const bool absolute = options.run_at.has_value();
  const double run_at_epoch =
      absolute ? std::chrono::duration<double>(options.run_at->time_since_epoch()).count() : 0.0;
  // Within one statement the fallback SELECT cannot see a row that a concurrent enqueue of
  // the same key committed after this statement's snapshot (ON CONFLICT waited for it and
  // then did nothing), so an empty answer means "look again": the next statement sees it.
  for (int round = 0; round < 5; ++round) {
    const pqxx::result r = tx.exec_params(
        "WITH ins AS ("
        "  INSERT INTO jobs (tenant_id, kind, payload, idempotency_key, max_attempts, run_at,"
        "                    correlation_id)"
        "  VALUES ($1::text, $2::text, $3::jsonb, nullif($4::text, ''), $5::integer,"
        "          CASE WHEN $6::boolean THEN to_timestamp($7::float8)"
        "               ELSE now() + $8::bigint * interval '1 millisecond' END,"
        "          nullif($9::text, ''))"
        "  ON CONFLICT (tenant_id, kind, idempotency_key) DO NOTHING"
        "  RETURNING id)"
        " SELECT id, true FROM ins"
        " UNION ALL"
        " SELECT id, false FROM jobs"
        "  WHERE $4::text <> '' AND tenant_id = $1 AND kind = $2 AND idempotency_key = $4::text"
        " LIMIT 1",
        tenant_id, kind, payload_json, idempotency_key, max_attempts, absolute, run_at_epoch,
        whole_ms(options.delay), options.correlation_id);
    if (!r.empty()) return EnqueueResult{r[0][0].as<std::int64_t>(), r[0][1].as<bool>()};
  }
  throw std::runtime_error("queue: enqueue of " + kind + " for tenant " + tenant_id +
                           " found neither a new nor an existing job for key '" + idempotency_key +
                           "' (is the transaction REPEATABLE READ?)");
}

EnqueueResult JobQueue::enqueue(pqxx::connection_base& conn, const std::string& tenant_id,
                                const std::string& kind, const std::string& payload_json,
                                const std::string& idempotency_key,
                                const EnqueueOptions& options) const {
  pqxx::work tx(conn);
  const EnqueueResult result = enqueue(tx, tenant_id, kind, payload_json, idempotency_key, options);
  tx.commit();
  return result;
}

std::vector<EnqueueResult> JobQueue::enqueue_many(pqxx::transaction_base& tx,
                                                  const std::vector<NewJob>& jobs) const {
  std::vector<std::string> tenants, kinds, payloads, keys, correlations;
  std::vector<std::int64_t> attempts, delays;
  for (const NewJob& job : jobs) {
    if (job.tenant_id.empty() || job.kind.empty()) {
      throw std::invalid_argument("queue: enqueue needs a tenant id and a job kind");
    }
    tenants.push_back(job.tenant_id);
    kinds.push_back(job.kind);
    payloads.push_back(job.payload_json);
    keys.push_back(job.idempotency_key);
    correlations.push_back(job.correlation_id);
    attempts.push_back(job.max_attempts > 0 ? job.max_attempts
                                            : policy_.settings_for(job.kind).max_attempts);
    // A negative delay makes the job due that long ago (a follow-up that keeps its chain's
    // place in the (run_at, id) order); enqueue() keeps clamping to now.
    delays.push_back(job.delay.count());
  }
  std::vector<EnqueueResult> results(jobs.size());
  if (jobs.empty()) return results;
  // Keyed rows are matched back by key; keyless rows by identity order, which follows the
  // ORDER BY of the inserting SELECT. Existing jobs are looked up only for the keyed rows the
  // insert did not make (`missed`, usually none): joining every input row to `jobs` let the
  // planner, on the stale statistics of a fast-growing table, walk jobs_tenant_kind for all
  // jobs of the kind per row — quadratic in a sync's 100,000 listing.created jobs.
  const pqxx::result r = tx.exec_params(
      "WITH input AS MATERIALIZED ("
      "  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[],"
      "                       $6::bigint[], $7::text[])"
      "    WITH ORDINALITY AS t(tenant_id, kind, payload, key, max_attempts, delay_ms,"
      "                         correlation_id, ord)),"
      " ins AS ("
      "  INSERT INTO jobs (tenant_id, kind, payload, idempotency_key, max_attempts, run_at,"
      "                    correlation_id)"
      "  SELECT tenant_id, kind, payload::jsonb, nullif(key, ''), max_attempts,"
      "         now() + delay_ms * interval '1 millisecond', nullif(correlation_id, '')"
      "  FROM input ORDER BY ord"
      "  ON CONFLICT (tenant_id, kind, idempotency_key) DO NOTHING"
      "  RETURNING id, tenant_id, kind, idempotency_key),"
      " made AS MATERIALIZED ("
      "  SELECT i.ord, ins.id FROM input i JOIN ins"
      "   ON i.key <> '' AND ins.idempotency_key = i.key AND ins.tenant_id = i.tenant_id"
      "  AND ins.kind = i.kind),"
      " missed AS MATERIALIZED ("
      "  SELECT i.* FROM input i WHERE i.key <> ''"
      "   AND NOT EXISTS (SELECT 1 FROM made m WHERE m.ord = i.ord) LIMIT ALL)"
      " SELECT ord, id, true FROM made"
      " UNION ALL"
      " SELECT i.ord, j.id, false FROM missed i CROSS JOIN LATERAL"
      "  (SELECT j.id FROM jobs j WHERE j.tenant_id = i.tenant_id AND j.kind = i.kind"
      "    AND j.idempotency_key = i.key) j"
      " UNION ALL"
      " SELECT k.ord, u.id, true FROM"
      "  (SELECT ord, row_number() OVER (ORDER BY ord) AS n FROM input WHERE key = '') k"
      "  JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM ins"
      "        WHERE idempotency_key IS NULL) u ON u.n = k.n",
      text_array(tenants), text_array(kinds), text_array(payloads), text_array(keys),
      bigint_array(attempts), bigint_array(delays), text_array(correlations));
  std::vector<bool> seen(jobs.size(), false);
  for (const auto& row : r) {
    const std::size_t index = row[0].as<std::size_t>() - 1;
    if (index >= jobs.size() || seen[index]) continue;  // a key repeated in the batch
    results[index] = EnqueueResult{row[1].as<std::int64_t>(), row[2].as<bool>()};
    seen[index] = true;
  }
  // A key repeated within the batch: the first occurrence made (or found) the job.
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> first;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (jobs[i].idempotency_key.empty()) continue;
    const auto [it, inserted] =
        first.emplace(std::make_tuple(jobs[i].tenant_id, jobs[i].kind, jobs[i].idempotency_key), i);
    if (!inserted && seen[it->second]) {
      results[i] = EnqueueResult{results[it->second].id, false};
      seen[i] = true;
    }
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (seen[i]) continue;
    // Same key earlier in this batch, or a concurrent enqueue committed after our snapshot.
    results[i] =
        enqueue(tx, jobs[i].tenant_id, jobs[i].kind, jobs[i].payload_json, jobs[i].idempotency_key);
  }
  return results;
}

std::vector<Job> JobQueue::claim(pqxx::connection_base& conn, const std::string& owner,
                                 const std::vector<std::string>& kinds, int batch_size,
                                 milliseconds lease) const {
  if (owner.empty()) throw std::invalid_argument("queue: claim needs a lease owner");
  // A claim is committed without waiting for the WAL flush (one fsync less between a job's
  // enqueue and its start). Should the database crash before the flush, the claim is lost
  // and the job is simply queued again — the at-least-once case docs/job-queue.md describes;
  // the outcome written later (complete/fail) is a synchronous commit that flushes the claim
  // with it.
  pqxx::work tx(conn);
  tx.exec("SET LOCAL synchronous_commit = off");
  const pqxx::result r = tx.exec_params(
      std::string("WITH picked AS MATERIALIZED ("
                  "  SELECT id FROM jobs"
                  "  WHERE status = 'queued' AND run_at <= now()"
                  "    AND (cardinality($2::text[]) = 0 OR kind = ANY ($2::text[]))"
                  "  ORDER BY run_at, id"
                  "  LIMIT $3"
                  "  FOR UPDATE SKIP LOCKED)"
                  " UPDATE jobs j SET status = 'running', attempts = j.attempts + 1,"
                  "   lease_owner = $1,"
                  "   lease_expires_at = now() + $4::bigint * interval '1 millisecond',"
                  "   updated_at = now()"
                  " FROM picked WHERE j.id = picked.id"
                  " RETURNING ") +
          kJobColumns + ", extract(epoch FROM now() - greatest(j.run_at, j.created_at))::float8",
      owner, text_array(kinds), std::max(1, batch_size), std::max<long long>(1, lease.count()));
  std::vector<Job> jobs;
  jobs.reserve(r.size());
  for (const auto& row : r) {
    jobs.push_back(row_to_job(row));
    jobs.back().pickup_latency_s = std::max(0.0, row[kJobColumnCount].as<double>());
  }
  tx.commit();
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return a.run_at != b.run_at ? a.run_at < b.run_at : a.id < b.id;
  });
  return jobs;
}

bool JobQueue::complete(pqxx::connection_base& conn, std::int64_t job_id,
                        const std::string& owner) const {
  return !complete_many(conn, {job_id}, owner).empty();
}

std::vector<std::int64_t> JobQueue::complete_many(pqxx::connection_base& conn,
                                                  const std::vector<std::int64_t>& job_ids,
                                                  const std::string& owner) const {
  if (job_ids.empty()) return {};
  pqxx::nontransaction tx(conn);
  return ids_of(tx.exec_params(
      "UPDATE jobs SET status = 'succeeded', lease_owner = NULL, lease_expires_at = NULL,"
      "  updated_at = now(), finished_at = now()"
      " WHERE id = ANY ($1::bigint[]) AND status = 'running' AND lease_owner = $2"
      " RETURNING id",
      bigint_array(job_ids), owner));
}

FailResult JobQueue::fail(pqxx::connection_base& conn, const Job& job, const std::string& owner,
                          const std::string& error, bool retryable,
                          milliseconds retry_after) const {
  // The delay is computed here (policy + injected randomness) and applied to the database's
  // now(), so the schedule is testable and every host agrees on "due".
  const milliseconds delay = policy_.delay(job.kind, job.attempts, retry_after);
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(
      "WITH u AS ("
      "  UPDATE jobs SET"
      "    status = CASE WHEN NOT $4::boolean THEN 'failed'"
      "                  WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,"
      "    run_at = CASE WHEN $4::boolean AND attempts < max_attempts"
      "                  THEN now() + $5::bigint * interval '1 millisecond' ELSE run_at END,"
      "    finished_at = CASE WHEN $4::boolean AND attempts < max_attempts"
      "                       THEN NULL ELSE now() END,"
      "    lease_owner = NULL, lease_expires_at = NULL, last_error = $3, updated_at = now()"
      "  WHERE id = $1 AND status = 'running' AND lease_owner = $2"
      "  RETURNING status, kind),"
      " n AS (SELECT pg_notify('reos_jobs', kind) FROM u WHERE status = 'queued')"
      " SELECT u.status, (SELECT count(*) FROM n) FROM u",
      job.id, owner, truncated_error(error), retryable, whole_ms(delay));
  if (r.empty()) return FailResult::not_owner;
  const std::string status = r[0][0].as<std::string>();
  if (status == "queued") return FailResult::requeued;
  return status == "dead" ? FailResult::dead : FailResult::failed;
}

std::vector<std::int64_t> JobQueue::release(pqxx::connection_base& conn,
                                            const std::vector<std::int64_t>& job_ids,
                                            const std::string& owner) const {
  if (job_ids.empty()) return {};
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(
      "WITH u AS ("
      "  UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0),"
      "    lease_owner = NULL, lease_expires_at = NULL, updated_at = now()"
      "  WHERE id = ANY ($1::bigint[]) AND status = 'running' AND lease_owner = $2"
      "  RETURNING id, kind),"
      " n AS (SELECT pg_notify('reos_jobs', k.kind) FROM (SELECT DISTINCT kind FROM u) k)"
      " SELECT id, (SELECT count(*) FROM n) FROM u",
      bigint_array(job_ids), owner);
  return ids_of(r);
}

bool JobQueue::defer(pqxx::connection_base& conn, const Job& job, const std::string& owner,
                     milliseconds delay, const std::string& reason) const {
  pqxx::nontransaction tx(conn);
  // Notifies so that idle workers recompute their wait for the new run_at.
  const pqxx::result r = tx.exec_params(
      "WITH u AS ("
      "  UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0),"
      "    run_at = now() + $3::bigint * interval '1 millisecond',"
      "    lease_owner = NULL, lease_expires_at = NULL, last_error = $4, updated_at = now()"
      "  WHERE id = $1 AND status = 'running' AND lease_owner = $2"
      "  RETURNING kind),"
      " n AS (SELECT pg_notify('reos_jobs', kind) FROM u)"
      " SELECT (SELECT count(*) FROM n) FROM u",
      job.id, owner, whole_ms(std::max(milliseconds(0), delay)), truncated_error(reason));
  return !r.empty();
}

bool JobQueue::extend_lease(pqxx::connection_base& conn, std::int64_t job_id,
                            const std::string& owner, milliseconds lease) const {
  return !extend_leases(conn, {job_id}, owner, lease).empty();
}

std::vector<std::int64_t> JobQueue::extend_leases(pqxx::connection_base& conn,
                                                  const std::vector<std::int64_t>& job_ids,
                                                  const std::string& owner,
                                                  milliseconds lease) const {
  if (job_ids.empty()) return {};
  pqxx::nontransaction tx(conn);
  return ids_of(tx.exec_params(
      "UPDATE jobs SET lease_expires_at = now() + $3::bigint * interval '1 millisecond',"
      "  updated_at = now()"
      " WHERE id = ANY ($1::bigint[]) AND status = 'running' AND lease_owner = $2"
      " RETURNING id",
      bigint_array(job_ids), owner, std::max<long long>(1, lease.count())));
}

int JobQueue::recover_expired_leases(pqxx::connection_base& conn) const {
  pqxx::nontransaction tx(conn);
  // SKIP LOCKED: a row locked right now belongs to an owner that is completing or extending
  // it at this moment, or to another recoverer; either way not ours to take.
  const pqxx::result r = tx.exec(
      "WITH expired AS MATERIALIZED ("
      "  SELECT id FROM jobs WHERE status = 'running' AND lease_expires_at < now()"
      "  ORDER BY lease_expires_at LIMIT 10000 FOR UPDATE SKIP LOCKED),"
      " u AS ("
      "  UPDATE jobs j SET"
      "    status = CASE WHEN j.attempts >= j.max_attempts THEN 'dead' ELSE 'queued' END,"
      "    finished_at = CASE WHEN j.attempts >= j.max_attempts THEN now() END,"
      "    last_error = 'lease of ' || j.lease_owner || ' expired before the job finished"
      " (worker stopped or lost its database connection)',"
      "    lease_owner = NULL, lease_expires_at = NULL, updated_at = now()"
      "  FROM expired WHERE j.id = expired.id"
      "  RETURNING j.status, j.kind),"
      " n AS (SELECT pg_notify('reos_jobs', k.kind)"
      "       FROM (SELECT DISTINCT kind FROM u WHERE status = 'queued') k)"
      " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM n)");
  return r[0][0].as<int>();
}

bool JobQueue::replay(pqxx::connection_base& conn, std::int64_t job_id) const {
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(
      "WITH u AS ("
      "  UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), finished_at = NULL,"
      "    updated_at = now()"
      "  WHERE id = $1 AND status IN ('failed', 'dead')"
      "  RETURNING kind),"
      " n AS (SELECT pg_notify('reos_jobs', kind) FROM u)"
      " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM n)",
      job_id);
  return r[0][0].as<int>() > 0;
}

namespace {

std::vector<Job> select_jobs(pqxx::connection_base& conn, const JobFilter& filter,
                             bool dead_letters_only) {
  pqxx::nontransaction tx(conn);
  const std::string status = filter.status ? to_string(*filter.status) : "";
  const pqxx::result r =
      tx.exec_params(std::string("SELECT ") + kJobColumns +
                         " FROM jobs j"
                         " WHERE j.id > $1::bigint AND ($2::text = '' OR j.status = $2::text)"
                         "   AND ($3::text = '' OR j.kind = $3::text)"
                         "   AND ($4::text = '' OR j.tenant_id = $4::text)"
                         "   AND (NOT $5::boolean OR j.status IN ('failed', 'dead'))"
                         " ORDER BY j.id LIMIT $6::integer",
                     filter.after_id, dead_letters_only ? std::string() : status, filter.kind,
                     filter.tenant_id, dead_letters_only, std::clamp(filter.limit, 1, 1000));
  std::vector<Job> jobs;
  jobs.reserve(r.size());
  for (const auto& row : r) jobs.push_back(row_to_job(row));
  return jobs;
}

}  // namespace

std::vector<Job> JobQueue::list(pqxx::connection_base& conn, const JobFilter& filter) const {
  return select_jobs(conn, filter, false);
}

std::vector<Job> JobQueue::dead_letters(pqxx::connection_base& conn,
                                        const JobFilter& filter) const {
  return select_jobs(conn, filter, true);
}

std::optional<Job> JobQueue::find(pqxx::connection_base& conn, std::int64_t job_id) const {
  pqxx::nontransaction tx(conn);
  const pqxx::result r =
      tx.exec_params(std::string("SELECT ") + kJobColumns + " FROM jobs j WHERE j.id = $1", job_id);
  if (r.empty()) return std::nullopt;
  return row_to_job(r[0]);
}

QueueStats JobQueue::stats(pqxx::connection_base& conn) const {
  pqxx::nontransaction tx(conn);
  QueueStats stats;
  for (const auto& row :
       tx.exec("SELECT kind, status, count(*) FROM jobs GROUP BY kind, status ORDER BY 1, 2")) {
    stats.counts.push_back({row[0].as<std::string>(),
                            parse_job_status(row[1].as<std::string>()).value_or(JobStatus::queued),
                            row[2].as<std::int64_t>()});
  }
  const pqxx::row due = tx.exec1(
      "SELECT (SELECT count(*) FROM jobs WHERE status = 'queued' AND run_at <= now()),"
      " coalesce((SELECT extract(epoch FROM now() - min(run_at))::float8 FROM jobs"
      "           WHERE status = 'queued' AND run_at <= now()), 0),"
      " (SELECT count(*) FROM jobs WHERE status = 'running' AND lease_expires_at < now())");
  stats.ready = due[0].as<std::int64_t>();
  stats.oldest_ready_age_s = due[1].as<double>();
  stats.expired_leases = due[2].as<std::int64_t>();
  return stats;
}

std::optional<milliseconds> JobQueue::time_until_next_job(
    pqxx::connection_base& conn, const std::vector<std::string>& kinds) const {
  pqxx::nontransaction tx(conn);
  const pqxx::row r = tx.exec_params1(
      "SELECT extract(epoch FROM min(run_at) - now())::float8 * 1000 FROM jobs"
      " WHERE status = 'queued' AND (cardinality($1::text[]) = 0 OR kind = ANY ($1::text[]))",
      text_array(kinds));
  if (r[0].is_null()) return std::nullopt;
  const double ms = std::ceil(r[0].as<double>());
  return milliseconds(static_cast<long long>(std::max(0.0, ms)));
}

}  // namespace reos::queue
