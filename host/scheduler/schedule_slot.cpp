#include "scheduler/schedule_slot.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "pipeline/schedule_spec.hpp"

namespace reos::scheduler {
namespace {

using Micros = std::chrono::microseconds;

// Cron schedules have no closed form for "slots between two instants"; counting stops here.
constexpr std::int64_t kCronCountLimit = 10000;

std::int64_t count_skipped(const pipeline::ScheduleSpec& spec, TimePoint due, TimePoint now) {
  if (spec.is_interval()) {
    const auto period = std::chrono::duration_cast<Clock::duration>(spec.interval());
    return (now - due) / period;  // slots due + k·period ≤ now, k ≥ 1
  }
  std::int64_t n = 0;
  for (TimePoint t = spec.next_after(due); t <= now && n < kCronCountLimit; t = spec.next_after(t))
    ++n;
  return n;
}

struct Parts {
  std::tm tm{};
  long micros = 0;
};

Parts utc_parts(TimePoint t) {
  const std::int64_t us = to_unix_micros(t);
  std::int64_t seconds = us / 1000000;
  long micros = static_cast<long>(us % 1000000);
  if (micros < 0) {
    micros += 1000000;
    --seconds;
  }
  Parts p;
  const std::time_t tt = static_cast<std::time_t>(seconds);
  gmtime_r(&tt, &p.tm);
  p.micros = micros;
  return p;
}

}  // namespace

FirePlan plan_fire(const pipeline::ScheduleSpec& spec, TimePoint due, TimePoint now) {
  if (now < due) throw std::invalid_argument("scheduler: plan_fire before the schedule is due");
  FirePlan plan;
  plan.slot = due;
  plan.next = spec.next_after(now);  // not next_after(due): missed slots collapse into this run
  plan.skipped = count_skipped(spec, due, now);
  return plan;
}

TimePoint first_due(const pipeline::ScheduleSpec& spec, TimePoint now, TimePoint last_slot) {
  return spec.next_after(std::max(now, last_slot));
}

TimePoint to_db_precision(TimePoint t) {
  return TimePoint(std::chrono::floor<Micros>(t.time_since_epoch()));
}

std::int64_t to_unix_micros(TimePoint t) {
  return std::chrono::floor<Micros>(t.time_since_epoch()).count();
}

TimePoint from_unix_micros(std::int64_t micros) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(Micros(micros)));
}

std::string iso_utc(TimePoint t) {
  const Parts p = utc_parts(t);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &p.tm);
  std::string out = text;
  if (p.micros != 0) {
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%06ld", p.micros);
    out += fraction;
  }
  return out + "Z";
}

std::string pg_timestamp(TimePoint t) {
  const Parts p = utc_parts(t);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &p.tm);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06ld+00", p.micros);
  return std::string(text) + fraction;
}

std::string idempotency_key(const ScheduleKey& key, TimePoint slot) {
  return "schedule:" + key.tenant + ":" + key.pipeline + ":" + key.connector + ":" + iso_utc(slot);
}

std::string pull_payload_json(const ScheduleKey& key) {
  return nlohmann::json{
      {"tenant", key.tenant}, {"pipeline", key.pipeline}, {"connector", key.connector}}
      .dump();
}

}  // namespace reos::scheduler
