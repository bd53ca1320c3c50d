#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "queue/job.hpp"

namespace reos::admin_api {

/// RFC 3339 UTC with microseconds: "2025-03-01T12:00:00.123456Z".
std::string format_utc(std::chrono::system_clock::time_point t);

/// `job` as the admin API shows it (docs/admin-api.md). The payload is embedded as JSON when
/// it is at most `max_payload_bytes` long; otherwise `payload` is a string holding its first
/// `max_payload_bytes` bytes (cut at a UTF-8 character boundary) and `payload_truncated` is
/// true. `payload_bytes` is always the full size.
std::string job_json(const queue::Job& job, std::size_t max_payload_bytes);

/// `{"items":[job…],"next":"<id>"|null}` for a listing page.
std::string job_page_json(const std::vector<queue::Job>& jobs,
                          std::optional<std::int64_t> next_after, std::size_t max_payload_bytes);

}  // namespace reos::admin_api
