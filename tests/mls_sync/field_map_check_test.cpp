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
  EXPECT_NE(r.err.find(map + ":3:17: fields.City.from: \"Towne\" is not a field of the source"
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

TEST_F(FieldMapCheck, RetsGenericMapsAGenericServersStatusCodesAndDecodedValues) {
  // A server with every system name rets_generic.yaml reads; the rows fill only a few.
  const std::vector<std::string>& columns = reos::test::rets_generic_extra_columns();
  server_.set_extra_columns(columns);
  const std::vector<std::string> statuses = {"A", "Pending", "S", "Temp Off Market", "Q"};
  auto rows = listings(5);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].extra.assign(columns.size(), "");
    rows[i].extra[1] = statuses[i];
    rows[i].extra[9] = "3";     // Bedrooms
    rows[i].extra[10] = "2.5";  // BathsTotal, rounded down
    rows[i].extra[16] = "12";   // StreetNumber
    rows[i].extra[17] = "Pine St";
  }
  server_.set_listings(rows);
  write_tenant(REOS_SOURCE_DIR "/connectors/mls/rets_generic.yaml");
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(text("SELECT string_agg(listing_key || '=' || coalesce(standard_status, '-'), ','"
                 " ORDER BY listing_key) FROM properties"),
            "L1=Active,L2=Pending,L3=Closed,L4=Hold,L5=-");  // an unknown code is left out
  EXPECT_EQ(text("SELECT data->>'UnparsedAddress' || '|' || (data->>'BathroomsTotalInteger') ||"
                 " '|' || (data->>'BedroomsTotal') FROM properties WHERE listing_key = 'L1'"),
            "12 Pine St|2|3");
  EXPECT_EQ(count("SELECT count(*) FROM quarantine"), 0);
}

}  // namespace
