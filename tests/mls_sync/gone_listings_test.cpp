// Gone listings and sync runs through `reos sync` against the RETS test server: a full sync
// marks what the source no longer has (never deletes it), a listing that comes back is
// un-marked, an incremental sync marks nothing, and every run is recorded with its counters.
#include "mls_sync_fixture.hpp"

namespace {

using reos::test::MlsSyncFixture;
using GoneListings = MlsSyncFixture;

TEST_F(GoneListings, AFullSyncMarksListingsTheSourceNoLongerHasAndNeverDeletesThem) {
  server_.set_listings(listings(5));
  auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM properties WHERE gone_at IS NULL"), 5);
  // The first sync starts from an empty cursor: a full run, 3 pages of 2, 5 inserted; the
  // connector had no listing, so it kept no seen keys (track_seen false, migration 0015).
  EXPECT_EQ(text("SELECT string_agg(full_sync::text || ' ' || pages || ' ' || fetched || ' ' ||"
                 " inserted || ' ' || gone || ' ' || (finished_at IS NOT NULL)::text || ' ' ||"
                 " track_seen, '; ') FROM sync_runs"),
            "true 3 5 5 0 true false")
      << text("SELECT string_agg(run_key, ' | ') FROM sync_runs");

  auto without_l3 = listings(5);
  without_l3.erase(without_l3.begin() + 2);
  server_.set_listings(without_l3);
  r = sync(true);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM properties"), 5);  // nothing deleted
  EXPECT_EQ(text("SELECT string_agg(listing_key, ',') FROM properties WHERE gone_at IS NOT NULL"),
            "L3");
  EXPECT_EQ(text("SELECT track_seen::text FROM sync_runs ORDER BY id DESC LIMIT 1"), "true");
  EXPECT_EQ(text("SELECT string_agg(listing_key || '=' || coalesce(old_value, '<null>'), ',')"
                 " FROM property_history WHERE change = 'gone'"),
            "L3=<null>")
      << text(
             "SELECT string_agg(id || ':' || full_sync || ' ' || pages || '/' || pages_done || ' '"
             " || fetched || ' ' || unchanged || ' ' || gone, '; ') FROM sync_runs");
  EXPECT_EQ(count("SELECT count(*) FROM jobs, jsonb_array_elements(payload->'changes') c"
                  " WHERE kind = 'listing.gone' AND c->>'listing_key' = 'L3'"),
            1);
  EXPECT_EQ(text("SELECT unchanged || ' ' || inserted || ' ' || gone FROM sync_runs"
                 " ORDER BY id DESC LIMIT 1"),
            "4 0 1");
  EXPECT_EQ(count("SELECT count(*) FROM sync_run_seen"), 0);  // cleared when the run ends

  // L3 is back: un-marked, with a 'returned' history row and a listing.returned job.
  server_.set_listings(listings(5));
  r = sync(true);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM properties WHERE gone_at IS NOT NULL"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM property_history WHERE change = 'returned'"), 1);
  EXPECT_EQ(count("SELECT sum(jsonb_array_length(payload->'changes')) FROM jobs"
                  " WHERE kind = 'listing.returned'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM sync_runs"), 3);
}

TEST_F(GoneListings, AnIncrementalSyncMarksNothing) {
  server_.set_listings(listings(4));
  ASSERT_EQ(sync().exit_code, 0);
  server_.set_listings({listings(4)[3]});  // only the newest is left
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM properties WHERE gone_at IS NOT NULL"), 0);
  EXPECT_EQ(text("SELECT full_sync::text || ' ' || fetched || ' ' || unchanged FROM sync_runs"
                 " ORDER BY id DESC LIMIT 1"),
            "false 1 1");
}

TEST_F(GoneListings, AFailedRunIsRecordedWithItsErrorAndMarksNothing) {
  server_.set_listings(listings(3));
  ASSERT_EQ(sync().exit_code, 0);
  server_.faults.reply_code = 20203;
  const auto r = sync(true);
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM properties WHERE gone_at IS NOT NULL"), 0);
  EXPECT_NE(text("SELECT error FROM sync_runs ORDER BY id DESC LIMIT 1").find("20203"),
            std::string::npos);
}

TEST_F(GoneListings, SyncRefusesAnUnknownOption) {
  const auto r = sync(false, {"--fulll"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown option --fulll"), std::string::npos) << r.err;
}

}  // namespace
