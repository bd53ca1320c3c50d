// The property upsert with change detection, against a real PostgreSQL (REOS_TEST_PG).
#include "listings/property_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "db/tenant_scope.hpp"
#include "support/test_database.hpp"

namespace reos::listings {
namespace {

using nlohmann::json;
using pipeline::RecordJson;

class PropertyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::migrate_to_current(db_.conninfo());
    pqxx::connection c(db_.conninfo());
    pqxx::work tx(c);
    tx.exec("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme'), ('beta', 'Beta')");
    tx.commit();
  }

  /// One upsert in its own committed transaction, in `tenant`'s scope.
  UpsertSummary upsert(const std::vector<json>& page, const std::string& tenant = "acme") {
    std::vector<RecordJson> records;
    for (const json& r : page) records.push_back(RecordJson::parse(r.dump()));
    pqxx::connection c(db_.conninfo());
    pqxx::work tx(c);
    db::enter_tenant_scope(tx, tenant);
    UpsertSummary s = upsert_properties(tx, tenant, "kc-sales", records);
    tx.commit();
    std::sort(s.changes.begin(), s.changes.end(), [](const auto& a, const auto& b) {
      return std::tie(a.listing_key, a.event) < std::tie(b.listing_key, b.event);
    });
    return s;
  }

  long long count(const std::string& sql) {
    pqxx::connection c(db_.conninfo());
    pqxx::work tx(c);
    return tx.exec1(sql)[0].as<long long>();
  }

  static json listing(const std::string& key, double price, const std::string& status) {
    return {{"ListingKey", key},
            {"ListPrice", price},
            {"StandardStatus", status},
            {"City", "Kent"},
            {"PostalCode", "98030"},
            {"BedroomsTotal", 3},
            {"Latitude", 47.38},
            {"Longitude", -122.2},
            {"ModificationTimestamp", "2014-10-13T00:00:00Z"}};
  }

  test::TestDatabase db_;
};

TEST_F(PropertyStoreTest, NewListingsAreInsertedWithHistoryAndEvents) {
  const UpsertSummary s = upsert({listing("A", 450000, "Active"), listing("B", 300000, "Active")});
  EXPECT_EQ(s.inserted, 2u);
  EXPECT_EQ(s.updated, 0u);
  EXPECT_EQ(s.unchanged, 0u);
  ASSERT_EQ(s.changes.size(), 2u);
  EXPECT_EQ(s.changes[0].listing_key, "A");
  EXPECT_EQ(s.changes[0].event, "listing.created");
  EXPECT_EQ(s.changes[0].new_value, "450000");
  EXPECT_EQ(s.changes[0].record_hash.size(), 64u);
  EXPECT_EQ(count("SELECT count(*) FROM properties WHERE tenant_id = 'acme'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM property_history WHERE change = 'created'"), 2);
  // Typed columns, geography included.
  EXPECT_EQ(count("SELECT count(*) FROM properties WHERE listing_key = 'A' AND list_price = "
                  "450000 AND standard_status = 'Active' AND city = 'Kent' AND bedrooms_total = 3"
                  " AND postal_code = '98030' AND gone_at IS NULL AND modification_timestamp = "
                  "'2014-10-13T00:00:00Z' AND round(ST_Y(geog::geometry)::numeric, 2) = 47.38"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM properties WHERE data->>'ListingKey' = 'A'"), 1);
}

TEST_F(PropertyStoreTest, ASyncOfTheSamePageWritesNothing) {
  upsert({listing("A", 450000, "Active"), listing("B", 300000, "Active")});
  const long long xmin_before = count("SELECT sum(xmin::text::bigint) FROM properties");
  const UpsertSummary s = upsert({listing("A", 450000, "Active"), listing("B", 300000, "Active")});
  EXPECT_EQ(s.unchanged, 2u);
  EXPECT_EQ(s.inserted + s.updated, 0u);
  EXPECT_TRUE(s.changes.empty());
  EXPECT_EQ(count("SELECT sum(xmin::text::bigint) FROM properties"), xmin_before);  // no rewrite
  EXPECT_EQ(count("SELECT count(*) FROM property_history"), 2);
}

TEST_F(PropertyStoreTest, PriceAndStatusChangesAreRecordedWithOldAndNewValues) {
  upsert({listing("A", 450000, "Active"), listing("B", 300000, "Active"),
          listing("C", 200000, "Active")});
  json c_other = listing("C", 200000, "Active");
  c_other["BedroomsTotal"] = 4;  // changed, but neither price nor status
  const UpsertSummary s =
      upsert({listing("A", 425000, "Active"), listing("B", 300000, "Pending"), c_other});
  EXPECT_EQ(s.inserted, 0u);
  EXPECT_EQ(s.updated, 3u);
  ASSERT_EQ(s.changes.size(), 2u);
  EXPECT_EQ(s.changes[0].listing_key, "A");
  EXPECT_EQ(s.changes[0].event, "listing.price_changed");
  EXPECT_EQ(s.changes[0].old_value, "450000");
  EXPECT_EQ(s.changes[0].new_value, "425000");
  EXPECT_EQ(s.changes[1].listing_key, "B");
  EXPECT_EQ(s.changes[1].event, "listing.status_changed");
  EXPECT_EQ(s.changes[1].old_value, "Active");
  EXPECT_EQ(s.changes[1].new_value, "Pending");
  EXPECT_EQ(count("SELECT count(*) FROM property_history WHERE listing_key = 'A' AND change = "
                  "'price' AND old_value = '450000' AND new_value = '425000'"),
            1);
  EXPECT_EQ(count("SELECT bedrooms_total FROM properties WHERE listing_key = 'C'"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM property_history"), 5);
}

TEST_F(PropertyStoreTest, DuplicateKeysInAPageAndRecordsWithoutAKey) {
  const UpsertSummary s = upsert({listing("A", 1, "Active"), listing("A", 2, "Active"),
                                  json{{"ListPrice", 5}}, json{{"ListingKey", 7}}});
  EXPECT_EQ(s.inserted, 1u);
  EXPECT_EQ(s.skipped, 2u);
  EXPECT_EQ(count("SELECT list_price::bigint FROM properties WHERE listing_key = 'A'"), 2);
}

TEST_F(PropertyStoreTest, TenantsAreIsolated) {
  upsert({listing("A", 1, "Active")}, "acme");
  const UpsertSummary s = upsert({listing("A", 1, "Active")}, "beta");
  EXPECT_EQ(s.inserted, 1u);  // beta does not see acme's "A"
  EXPECT_EQ(count("SELECT count(*) FROM properties"), 2);
}

}  // namespace
}  // namespace reos::listings
