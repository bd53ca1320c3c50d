// The schedules table follows the tenant config: new sources are scheduled from now, an
// unchanged spec keeps its due slot across restarts, a changed one is rescheduled, removed or
// switched-off ones are disabled.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "queue/job_queue.hpp"
#include "scheduler/schedule_store.hpp"
#include "scheduler_test_support.hpp"

namespace reos::scheduler {
namespace {

using test::hub_with;
using test::SourceDef;
using test::utc;

class ScheduleSync : public ::testing::Test {
 protected:
  ScheduleSyncResult sync(const std::vector<SourceDef>& sources, const std::string& at,
                          const std::string& tenant = "acme") {
    return sync_schedules_from_config(conn_, hub_with(tenant, sources), utc(at));
  }
  ScheduleRow row(const std::string& pipeline, const std::string& connector) {
    for (const ScheduleRow& r : list_schedules(conn_))
      if (r.key.pipeline == pipeline && r.key.connector == connector) return r;
    ADD_FAILURE() << "no schedule " << pipeline << "/" << connector;
    return {};
  }

  test::SchedulerDatabase db_;
  pqxx::connection conn_{db_.conninfo()};
  const queue::JobQueue queue_;
};

TEST_F(ScheduleSync, NewSourcesAreDueAtTheirFirstSlotAfterNow) {
  const auto r = sync({{"listings", "mls", "every 4h"}, {"listings", "crm", " */15 * * * * "}},
                      "2024-01-15 10:07");
  EXPECT_EQ(r.inserted, 2);
  const ScheduleRow mls = row("listings", "mls");
  EXPECT_EQ(mls.key.tenant, "acme");
  EXPECT_EQ(mls.spec, "every 4h");
  EXPECT_EQ(mls.next_run_at, utc("2024-01-15 12:00"));
  EXPECT_TRUE(mls.enabled);
  EXPECT_FALSE(mls.last_slot.has_value());
  EXPECT_FALSE(mls.last_fired_at.has_value());
  EXPECT_EQ(row("listings", "crm").spec, "*/15 * * * *") << "stored trimmed";
  EXPECT_EQ(row("listings", "crm").next_run_at, utc("2024-01-15 10:15"));
}

TEST_F(ScheduleSync, UnchangedSpecKeepsItsDueSlotAcrossARestart) {
  sync({{"listings", "mls", "every 4h"}}, "2024-01-15 10:07");
  // Restarted at 13:00: the 12:00 slot was never fired and must still run (once).
  const auto r = sync({{"listings", "mls", "every 4h"}}, "2024-01-15 13:00");
  EXPECT_EQ(r.unchanged, 1);
  EXPECT_EQ(r.inserted + r.rescheduled + r.disabled, 0);
  EXPECT_EQ(row("listings", "mls").next_run_at, utc("2024-01-15 12:00"));
}

TEST_F(ScheduleSync, ChangedSpecRecomputesNextRunAtNeverRepeatingTheLastSlot) {
  sync({{"listings", "mls", "every 4h"}}, "2024-01-15 10:07");
  ASSERT_EQ(fire_due_schedules(conn_, queue_, utc("2024-01-15 12:00:01")).size(), 1u);

  auto r = sync({{"listings", "mls", "every 1h"}}, "2024-01-15 12:30");
  EXPECT_EQ(r.rescheduled, 1);
  EXPECT_EQ(row("listings", "mls").spec, "every 1h");
  EXPECT_EQ(row("listings", "mls").next_run_at, utc("2024-01-15 13:00"));

  // A host whose clock is behind the one that fired 12:00 must not schedule 12:00 again.
  r = sync({{"listings", "mls", "every 30m"}}, "2024-01-15 11:40");
  EXPECT_EQ(r.rescheduled, 1);
  EXPECT_EQ(row("listings", "mls").next_run_at, utc("2024-01-15 12:30"));
}

TEST_F(ScheduleSync, RemovedSourceIsDisabledNeverFiresAndComesBackFromNow) {
  sync({{"listings", "mls", "every 4h"}, {"listings", "crm", "every 4h"}}, "2024-01-15 10:07");
  const auto r = sync({{"listings", "mls", "every 4h"}}, "2024-01-15 10:08");
  EXPECT_EQ(r.disabled, 1);
  EXPECT_EQ(r.unchanged, 1);
  EXPECT_FALSE(row("listings", "crm").enabled);
  EXPECT_TRUE(row("listings", "mls").enabled);

  const auto fired = fire_due_schedules(conn_, queue_, utc("2024-01-16 00:00"));
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].key.connector, "mls");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM jobs WHERE payload->>'connector' = 'crm'"), 0);

  // Back in config two days later: due at its next slot, not at the stale one (no catch-up).
  const auto back =
      sync({{"listings", "mls", "every 4h"}, {"listings", "crm", "every 4h"}}, "2024-01-17 09:00");
  EXPECT_EQ(back.rescheduled, 1);
  EXPECT_TRUE(row("listings", "crm").enabled);
  EXPECT_EQ(row("listings", "crm").next_run_at, utc("2024-01-17 12:00"));
}

TEST_F(ScheduleSync, DisabledPipelineOrConnectorIsNotScheduled) {
  SourceDef off_pipeline{"archive", "mls", "every 1h"};
  off_pipeline.pipeline_enabled = false;
  SourceDef off_connector{"listings", "outbox", "every 1h"};
  off_connector.connector_enabled = false;
  const auto r =
      sync({off_pipeline, off_connector, {"listings", "mls", "every 1h"}}, "2024-01-15 10:07");
  EXPECT_EQ(r.inserted, 3);
  EXPECT_FALSE(row("archive", "mls").enabled);
  EXPECT_FALSE(row("listings", "outbox").enabled);
  EXPECT_EQ(fire_due_schedules(conn_, queue_, utc("2024-01-15 12:00")).size(), 1u);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM jobs"), 1);

  // Switching the pipeline off later disables its schedule (hub_with takes a pipeline's
  // `enabled` from its first source).
  SourceDef now_off{"listings", "mls", "every 1h"};
  now_off.pipeline_enabled = false;
  EXPECT_EQ(sync({off_pipeline, now_off, off_connector}, "2024-01-15 12:10").disabled, 1);
  EXPECT_FALSE(row("listings", "mls").enabled);
  EXPECT_EQ(fire_due_schedules(conn_, queue_, utc("2024-01-16 00:00")).size(), 0u);
}

TEST_F(ScheduleSync, TenantsAbsentFromConfigAreLeftAlone) {
  sync({{"listings", "mls", "every 4h"}}, "2024-01-15 10:07", "acme");
  sync({{"listings", "mls", "every 4h"}}, "2024-01-15 10:07", "beta");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM schedules WHERE enabled"), 2);
}

}  // namespace
}  // namespace reos::scheduler
