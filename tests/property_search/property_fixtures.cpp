#include "property_fixtures.hpp"

#include <pqxx/pqxx>

namespace reos::property_search::test {

namespace {
template <typename T>
std::optional<std::string> text(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return nlohmann::json(*value).dump();
}
}  // namespace

void insert_listings(const std::string& conninfo, const std::vector<Listing>& rows) {
  pqxx::connection conn(conninfo);
  pqxx::work tx(conn);
  for (const Listing& l : rows) {
    nlohmann::json record = {{"ListingKey", l.key},
                             {"StandardStatus", l.status},
                             {"City", l.city},
                             {"PostalCode", l.postal_code},
                             {"UnparsedAddress", "1 " + l.key + " St"}};
    if (l.price) record["ListPrice"] = *l.price;
    tx.exec_params(
        "INSERT INTO properties (tenant_id, listing_key, source_connector, data, record_hash,"
        " standard_status, list_price, bedrooms_total, bathrooms_total, city, postal_code, geog,"
        " modification_timestamp, gone_at) VALUES ($1, $2, 'test', $3::jsonb, md5($3::text), $4,"
        " $5::numeric, $6::integer, $7::numeric, $8, $9,"
        " CASE WHEN $10::float8 IS NULL THEN NULL ELSE"
        " ST_SetSRID(ST_MakePoint($11::float8, $10::float8), 4326)::geography END,"
        " NULLIF($12, '')::timestamptz, CASE WHEN $13 THEN now() END)",
        l.tenant, l.key, record.dump(), l.status, text(l.price), text(l.beds), text(l.baths),
        l.city, l.postal_code, text(l.lat), text(l.lng), l.modified, l.gone);
  }
  tx.commit();
}

std::vector<std::string> keys_of(const nlohmann::json& page) {
  std::vector<std::string> keys;
  for (const nlohmann::json& item : page.at("items")) {
    keys.push_back(item.at("listing_key").get<std::string>());
  }
  return keys;
}

}  // namespace reos::property_search::test
