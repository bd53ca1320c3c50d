// A field map naming a field the RETS server's metadata (METADATA-TABLE) does not have is a
// configuration error at connector start, reported as file:line:col: key.path: what — not a
// page of quarantined records.
#include <filesystem>
#include <fstream>

#include "mls_sync_fixture.hpp"

namespace {

using reos::test::MlsSyncFixture;
using FieldMapCheck = MlsSyncFixture;

TEST_F(FieldMapCheck, AFieldTheServerLacksIsAConfigErrorWithItsPlace) {
  server_.set_listings(listings(3));
  const std::string map = dir_ + "/bad_map.yaml";
  std::ofstream(map) << "fields:\n"
                     << "  ListingKey: { from: ListingKey, required: true }\n"
                     << "  City: { from: Towne }\n"
                     << "  ListPrice: { from: ListPrice, type: number }\n";
  write_tenant(map);
  const auto r = sync();
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_NE(r.err.find(map + ":3:19: fields.City.from: \"Towne\" is not a field of the source"
                             " (its metadata has: ListingKey, ModificationTimestamp, ListPrice,"
                             " City)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM properties"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM quarantine"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM connectors WHERE status = 'failing'"
                  " AND last_error LIKE '%config: %Towne%'"),
            1);
}

TEST_F(FieldMapCheck, TheGenericRetsMapFitsAServerWithThoseFields) {
  server_.set_extra_columns({"ListingID", "Status"});
  auto rows = listings(2);
  rows[0].extra = {"M1", "A"};
  rows[1].extra = {"M2", "Sold"};
  server_.set_listings(rows);
  // rets_generic.yaml names more fields than this server has: a map for a smaller server.
  const std::string map = dir_ + "/small_map.yaml";
  std::ofstream(map)
      << "fields:\n"
      << "  ListingKey: { from: ListingKey, required: true }\n"
      << "  ListingId: { from: ListingID }\n"
      << "  StandardStatus: { from: Status, lookup: { A: Active, Sold: Closed } }\n"
      << "  ModificationTimestamp: { from: ModificationTimestamp, type: timestamp }\n";
  write_tenant(map);
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM properties WHERE standard_status IN ('Active', 'Closed')"),
            2);
}

TEST_F(FieldMapCheck, RetsGenericMapsStatusCodesAndDecodedValuesToStandardStatus) {
  server_.set_extra_columns({"Status"});
  auto rows = listings(4);
  rows[0].extra = {"A"};
  rows[1].extra = {"Pending"};
  rows[2].extra = {"S"};
  rows[3].extra = {"Temp Off Market"};
  server_.set_listings(rows);
  const auto r = sync();
  // The test server's metadata lacks most of rets_generic.yaml's fields: refused, with each.
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("fields.BedroomsTotal.from: \"Bedrooms\" is not a field"), std::string::npos)
      << r.err;
}

}  // namespace
