#include "admin_api/job_json.hpp"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace reos::admin_api {
namespace {

using nlohmann::json;

json optional_text(const std::string& text) {
  return text.empty() ? json() : json(text);
}

json optional_time(const std::optional<std::chrono::system_clock::time_point>& t) {
  return t ? json(format_utc(*t)) : json();
}

// The longest prefix of `text` of at most `bytes` bytes that does not split a UTF-8 sequence.
std::string utf8_prefix(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

json job_object(const queue::Job& job, std::size_t max_payload_bytes) {
  json payload;
  bool truncated = false;
  if (job.payload_json.size() > max_payload_bytes) {
    payload = utf8_prefix(job.payload_json, max_payload_bytes);
    truncated = true;
  } else {
    payload = json::parse(job.payload_json, nullptr, false);
    if (payload.is_discarded()) {  // cannot happen for jsonb text; shown rather than lost
      payload = job.payload_json;
    }
  }
  return {{"id", job.id},
          {"tenant", job.tenant_id},
          {"kind", job.kind},
          {"status", queue::to_string(job.status)},
          {"attempts", job.attempts},
          {"max_attempts", job.max_attempts},
          {"run_at", format_utc(job.run_at)},
          {"last_error", optional_text(job.last_error)},
          {"correlation_id", optional_text(job.correlation_id)},
          {"idempotency_key", optional_text(job.idempotency_key)},
          {"lease_owner", optional_text(job.lease_owner)},
          {"lease_expires_at", optional_time(job.lease_expires_at)},
          {"created_at", format_utc(job.created_at)},
          {"updated_at", format_utc(job.updated_at)},
          {"finished_at", optional_time(job.finished_at)},
          {"payload", std::move(payload)},
          {"payload_truncated", truncated},
          {"payload_bytes", job.payload_json.size()}};
}

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string format_utc(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto micros = duration_cast<microseconds>(t.time_since_epoch()).count();
  std::int64_t seconds = micros / 1000000;
  std::int64_t fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    seconds -= 1;
  }
  const std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(fraction));
  return buf;
}

std::string job_json(const queue::Job& job, std::size_t max_payload_bytes) {
  return dump(job_object(job, max_payload_bytes));
}

std::string job_page_json(const std::vector<queue::Job>& jobs,
                          std::optional<std::int64_t> next_after, std::size_t max_payload_bytes) {
  json items = json::array();
  for (const queue::Job& job : jobs) items.push_back(job_object(job, max_payload_bytes));
  return dump({{"items", std::move(items)},
               {"next", next_after ? json(std::to_string(*next_after)) : json()}});
}

}  // namespace reos::admin_api
