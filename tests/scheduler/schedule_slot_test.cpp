// The slot rules without a database: which slot a due schedule fires for, when it is due
// next (missed slots collapse into one run), and how a firing is named.
#include "scheduler/schedule_slot.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pipeline/schedule_spec.hpp"
#include "scheduler_test_support.hpp"

namespace reos::scheduler {
namespace {

using pipeline::parse_schedule;
using test::utc;

TEST(SchedulePlan, OnTimeIntervalFiresItsSlotAndIsDueAtTheNextOne) {
  const auto plan = plan_fire(parse_schedule("every 4h"), utc("2024-01-15 12:00"),
                              utc("2024-01-15 12:00:00") + std::chrono::milliseconds(300));
  EXPECT_EQ(plan.slot, utc("2024-01-15 12:00"));
  EXPECT_EQ(plan.next, utc("2024-01-15 16:00"));
  EXPECT_EQ(plan.skipped, 0);
}

TEST(SchedulePlan, FiringExactlyAtTheSlotIsDueStrictlyLater) {
  const auto plan =
      plan_fire(parse_schedule("every 4h"), utc("2024-01-15 16:00"), utc("2024-01-15 16:00"));
  EXPECT_EQ(plan.next, utc("2024-01-15 20:00"));
}

TEST(SchedulePlan, FiveMissedIntervalSlotsCollapseIntoOneRun) {
  // Due at 12:00, down until 08:10 the next day: 16:00, 20:00, 00:00, 04:00, 08:00 missed.
  const auto plan =
      plan_fire(parse_schedule("every 4h"), utc("2024-01-15 12:00"), utc("2024-01-16 08:10"));
  EXPECT_EQ(plan.slot, utc("2024-01-15 12:00")) << "the run is named by the due slot";
  EXPECT_EQ(plan.next, utc("2024-01-16 12:00")) << "next_after(now), not next_after(slot)";
  EXPECT_EQ(plan.skipped, 5);
}

TEST(SchedulePlan, MissedCronSlotsCollapseIntoOneRun) {
  const auto quarter = parse_schedule("*/15 * * * *");
  const auto plan = plan_fire(quarter, utc("2024-01-15 10:15"), utc("2024-01-15 11:07"));
  EXPECT_EQ(plan.slot, utc("2024-01-15 10:15"));
  EXPECT_EQ(plan.next, utc("2024-01-15 11:15"));
  EXPECT_EQ(plan.skipped, 3);  // 10:30, 10:45, 11:00

  // Friday 09:00 due, down over the weekend until Monday 10:00 (Monday 09:00 missed).
  const auto weekdays = parse_schedule("0 9 * * mon-fri");
  const auto late = plan_fire(weekdays, utc("2024-01-12 09:00"), utc("2024-01-15 10:00"));
  EXPECT_EQ(late.next, utc("2024-01-16 09:00"));
  EXPECT_EQ(late.skipped, 1);
}

TEST(SchedulePlan, RefusesToFireBeforeTheSlot) {
  EXPECT_THROW(
      plan_fire(parse_schedule("every 1h"), utc("2024-01-15 12:00"), utc("2024-01-15 11:59")),
      std::invalid_argument);
}

TEST(SchedulePlan, FirstDueIsAfterNowAndNeverAtOrBeforeTheLastSlot) {
  const auto spec = parse_schedule("every 1h");
  EXPECT_EQ(first_due(spec, utc("2024-01-15 10:20")), utc("2024-01-15 11:00"));
  EXPECT_EQ(first_due(spec, utc("2024-01-15 11:00")), utc("2024-01-15 12:00"));
  // This host's clock is behind the one that fired 11:00: 11:00 must not come round again.
  EXPECT_EQ(first_due(spec, utc("2024-01-15 10:59"), utc("2024-01-15 11:00")),
            utc("2024-01-15 12:00"));
  EXPECT_EQ(first_due(parse_schedule("0 9 * * *"), utc("2024-01-15 10:00")),
            utc("2024-01-16 09:00"));
}

TEST(ScheduleNames, SlotsAreIsoUtcAndKeysNameTheSource) {
  const ScheduleKey key{"acme", "listings", "kc-sales"};
  EXPECT_EQ(iso_utc(utc("2024-01-15 04:00")), "2024-01-15T04:00:00Z");
  EXPECT_EQ(iso_utc(utc("2024-01-15 04:00") + std::chrono::microseconds(1500)),
            "2024-01-15T04:00:00.001500Z");
  EXPECT_EQ(idempotency_key(key, utc("2024-01-15 04:00")),
            "schedule:acme:listings:kc-sales:2024-01-15T04:00:00Z");
  EXPECT_EQ(pg_timestamp(utc("2024-01-15 04:00:07") + std::chrono::microseconds(42)),
            "2024-01-15 04:00:07.000042+00");
}

TEST(ScheduleNames, PayloadIsTheSourcePullContract) {
  const auto payload = nlohmann::json::parse(pull_payload_json({"acme", "listings", "kc\"sales"}));
  EXPECT_EQ(
      payload,
      (nlohmann::json{{"tenant", "acme"}, {"pipeline", "listings"}, {"connector", "kc\"sales"}}));
  EXPECT_STREQ(kSourcePullKind, "source.pull");
}

TEST(ScheduleNames, InstantsRoundTripAtMicrosecondPrecision) {
  const TimePoint t = utc("2024-01-15 04:00") + std::chrono::nanoseconds(1234567);
  EXPECT_EQ(to_db_precision(t), utc("2024-01-15 04:00") + std::chrono::microseconds(1234));
  EXPECT_EQ(from_unix_micros(to_unix_micros(t)), to_db_precision(t));
  EXPECT_EQ(to_unix_micros(utc("1970-01-01 00:00:01")), 1000000);
}

}  // namespace
}  // namespace reos::scheduler
