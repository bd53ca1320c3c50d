#include "listings/property_store.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "db/migration_set.hpp"

namespace reos::listings {
namespace {

using nlohmann::json;

/// A member if it has the wanted JSON kind, else null (the typed columns never fail a page).
json member(const json& record, const char* key, bool (json::*is)() const noexcept) {
  const auto it = record.find(key);
  return it != record.end() && ((*it).*is)() ? *it : json(nullptr);
}

// The page's rows as a relation, and the properties columns they fill: shared by the two
// statements below.
constexpr const char* kPageInput = R"SQL(WITH input AS (
  SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(
    listing_key text, data jsonb, record_hash text, standard_status text, list_price numeric,
    close_price numeric, bedrooms_total integer, bathrooms_total numeric, city text,
    postal_code text, latitude float8, longitude float8, modification_timestamp timestamptz)
))SQL";
constexpr const char* kPageInsertRows =
    R"SQL((tenant_id, listing_key, source_connector, data, record_hash,
    standard_status, list_price, close_price, bedrooms_total, bathrooms_total, city,
    postal_code, geog, modification_timestamp)
  SELECT $1, i.listing_key, $2, i.data, i.record_hash, i.standard_status, i.list_price,
    i.close_price, i.bedrooms_total, i.bathrooms_total, i.city, i.postal_code,
    CASE WHEN i.latitude IS NOT NULL AND i.longitude IS NOT NULL
      THEN ST_SetSRID(ST_MakePoint(i.longitude, i.latitude), 4326)::geography END,
    i.modification_timestamp
  FROM input i)SQL";

// One statement per page: the input rows, the stored rows they replace (locked), the upsert
// (a row is only rewritten when its hash differs or it was gone), the detected changes and
// their history rows.
const std::string kUpsert = std::string(kPageInput) + R"SQL(, prev AS (
  SELECT p.listing_key, p.record_hash, p.standard_status, p.list_price, p.gone_at
  FROM properties p JOIN input i ON i.listing_key = p.listing_key
  WHERE p.tenant_id = $1 FOR UPDATE OF p
), up AS (
  INSERT INTO properties AS p )SQL" +
                            kPageInsertRows + R"SQL(
  ON CONFLICT (tenant_id, listing_key) DO UPDATE SET
    source_connector = EXCLUDED.source_connector, data = EXCLUDED.data,
    record_hash = EXCLUDED.record_hash, standard_status = EXCLUDED.standard_status,
    list_price = EXCLUDED.list_price, close_price = EXCLUDED.close_price,
    bedrooms_total = EXCLUDED.bedrooms_total, bathrooms_total = EXCLUDED.bathrooms_total,
    city = EXCLUDED.city, postal_code = EXCLUDED.postal_code, geog = EXCLUDED.geog,
    modification_timestamp = EXCLUDED.modification_timestamp, updated_at = now(),
    gone_at = NULL
  WHERE p.record_hash IS DISTINCT FROM EXCLUDED.record_hash OR p.gone_at IS NOT NULL
  RETURNING p.listing_key
), changes AS (
  SELECT i.listing_key, 'created' AS change, NULL::text AS old_value,
         trim_scale(i.list_price)::text AS new_value, i.record_hash
  FROM input i LEFT JOIN prev p ON p.listing_key = i.listing_key WHERE p.listing_key IS NULL
  UNION ALL
  SELECT i.listing_key, 'price', trim_scale(p.list_price)::text, trim_scale(i.list_price)::text,
         i.record_hash
  FROM input i JOIN prev p ON p.listing_key = i.listing_key
  WHERE p.list_price IS DISTINCT FROM i.list_price
  UNION ALL
  SELECT i.listing_key, 'status', p.standard_status, i.standard_status, i.record_hash
  FROM input i JOIN prev p ON p.listing_key = i.listing_key
  WHERE p.standard_status IS DISTINCT FROM i.standard_status
  UNION ALL
  SELECT i.listing_key, 'returned', p.gone_at::text, i.standard_status, i.record_hash
  FROM input i JOIN prev p ON p.listing_key = i.listing_key
  WHERE p.gone_at IS NOT NULL
), hist AS (
  INSERT INTO property_history (tenant_id, listing_key, change, old_value, new_value)
  SELECT $1, listing_key, change, old_value, new_value FROM changes
)
SELECT listing_key, change, coalesce(old_value, ''), coalesce(new_value, ''), record_hash
FROM changes
UNION ALL
SELECT '', '#counts', (SELECT count(*) FROM up)::text, (SELECT count(*) FROM prev)::text, ''
)SQL";

// A page whose listings are all new (the stored hashes read just before found none of them,
// as on a first sync): a plain INSERT, without locking previous rows that do not exist and
// without the speculative insertion of ON CONFLICT. A listing another writer inserted in
// between makes the INSERT fail on the primary key: the page's transaction rolls back and
// its job's next attempt finds the listing and takes kUpsert. Same result rows as kUpsert.
const std::string kInsertNew = std::string(kPageInput) + R"SQL(, up AS (
  INSERT INTO properties )SQL" +
                               kPageInsertRows + R"SQL(
  RETURNING listing_key
), hist AS (
  INSERT INTO property_history (tenant_id, listing_key, change, old_value, new_value)
  SELECT $1, listing_key, 'created', NULL, trim_scale(list_price)::text FROM input
)
SELECT listing_key, 'created', '', coalesce(trim_scale(list_price)::text, ''), record_hash
FROM input
UNION ALL
SELECT '', '#counts', (SELECT count(*) FROM up)::text, '0', ''
)SQL";

}  // namespace

std::string record_hash(const pipeline::RecordJson& record) {
  return db::sha256_hex(record.dump());
}

namespace {

/// One record of the page, reduced to what the upsert needs.
struct PageRow {
  std::string key;
  const PreparedListing* listing = nullptr;
};

// Stored hashes of the page's keys (and whether each is gone): one indexed read, so that an
// unchanged page is settled without sending its records to the server at all.
std::map<std::string, std::pair<std::string, bool>> stored_hashes(
    pqxx::transaction_base& tx, const std::string& tenant, const std::vector<PageRow>& rows) {
  json keys = json::array();
  for (const PageRow& r : rows) keys.push_back(r.key);
  std::map<std::string, std::pair<std::string, bool>> out;
  for (const auto& row :
       tx.exec_params("SELECT listing_key, record_hash, gone_at IS NOT NULL FROM properties"
                      " WHERE tenant_id = $1 AND listing_key IN"
                      " (SELECT jsonb_array_elements_text($2::jsonb))",
                      tenant, keys.dump(-1, ' ', false, json::error_handler_t::replace)))
    out[row[0].as<std::string>()] = {row[1].is_null() ? "" : row[1].as<std::string>(),
                                     row[2].as<bool>()};
  return out;
}

// The statement's input row: the record text spliced in as `data` (not copied into a second
// JSON tree and dumped again), then the typed columns.
std::string input_row(const std::string& key, const std::string& text, const std::string& hash,
                      const json& rec) {
  const json typed = {
      {"listing_key", key},
      {"record_hash", hash},
      {"standard_status", member(rec, "StandardStatus", &json::is_string)},
      {"list_price", member(rec, "ListPrice", &json::is_number)},
      {"close_price", member(rec, "ClosePrice", &json::is_number)},
      {"bedrooms_total", member(rec, "BedroomsTotal", &json::is_number_integer)},
      {"bathrooms_total", member(rec, "BathroomsTotalInteger", &json::is_number)},
      {"city", member(rec, "City", &json::is_string)},
      {"postal_code", member(rec, "PostalCode", &json::is_string)},
      {"latitude", member(rec, "Latitude", &json::is_number)},
      {"longitude", member(rec, "Longitude", &json::is_number)},
      {"modification_timestamp", member(rec, "ModificationTimestamp", &json::is_string)}};
  std::string out = "{\"data\":";
  out += text;
  out += ',';
  const std::string rest = typed.dump(-1, ' ', false, json::error_handler_t::replace);
  out.append(rest, 1, std::string::npos);  // without its opening brace
  return out;
}

// The ListingKey of a canonical record ("" when it has none: the record is skipped).
std::string listing_key_of(const json& r) {
  if (!r.is_object()) return "";
  const auto key = r.find("ListingKey");
  return key != r.end() && key->is_string() ? key->get<std::string>() : "";
}

}  // namespace

PreparedListing prepare_listing(pipeline::RecordJson record) {
  PreparedListing out;
  out.text = record.dump();
  out.hash = db::sha256_hex(out.text);
  out.key = listing_key_of(record.value());
  out.record = std::move(record);
  return out;
}

UpsertSummary upsert_properties(pqxx::transaction_base& tx, const std::string& tenant,
                                const std::string& source_connector,
                                const std::vector<pipeline::RecordJson>& records) {
  std::vector<PreparedListing> prepared;
  prepared.reserve(records.size());
  for (const pipeline::RecordJson& r : records) prepared.push_back(prepare_listing(r));
  return upsert_properties(tx, tenant, source_connector, prepared);
}

UpsertSummary upsert_properties(pqxx::transaction_base& tx, const std::string& tenant,
                                const std::string& source_connector,
                                const std::vector<PreparedListing>& listings) {
  UpsertSummary summary;
  std::vector<PageRow> rows;
  std::map<std::string, std::size_t> index;  // by ListingKey: the last occurrence wins
  rows.reserve(listings.size());
  for (const PreparedListing& listing : listings) {
    if (listing.key.empty()) {
      ++summary.skipped;
      continue;
    }
    const auto [at, inserted] = index.emplace(listing.key, rows.size());
    if (inserted) {
      rows.push_back({listing.key, &listing});
    } else {
      rows[at->second] = {listing.key, &listing};
    }
  }
  if (rows.empty()) return summary;
  summary.keys.reserve(rows.size());
  for (const PageRow& r : rows) summary.keys.push_back(r.key);

  const auto stored = stored_hashes(tx, tenant, rows);
  std::string input = "[";
  std::size_t candidates = 0;
  bool all_new = true;
  for (const PageRow& r : rows) {
    const auto it = stored.find(r.key);
    if (it != stored.end() && it->second.first == r.listing->hash && !it->second.second) continue;
    // Built here, for the rows sent only: an unchanged page (a re-sync) builds none.
    if (input.size() > 1) input += ',';
    input += input_row(r.key, r.listing->text, r.listing->hash, r.listing->record.value());
    ++candidates;
    all_new = all_new && it == stored.end();
  }
  input += ']';
  summary.unchanged = rows.size() - candidates;
  if (candidates == 0) return summary;

  // kUpsert re-checks the hash under the row lock, so a concurrent writer between the read
  // above and here is still detected (kInsertNew: fails on the primary key instead).
  const pqxx::result result =
      tx.exec_params(all_new ? kInsertNew : kUpsert, tenant, source_connector, input);
  static const std::map<std::string, std::string> events = {{"created", "listing.created"},
                                                            {"price", "listing.price_changed"},
                                                            {"status", "listing.status_changed"},
                                                            {"returned", "listing.returned"}};
  std::size_t written = 0, existing = 0;
  for (const auto& row : result) {
    const std::string change = row[1].as<std::string>();
    if (change == "#counts") {
      written = std::stoul(row[2].as<std::string>());
      existing = std::stoul(row[3].as<std::string>());
      continue;
    }
    summary.changes.push_back({row[0].as<std::string>(), events.at(change),
                               row[2].as<std::string>(), row[3].as<std::string>(),
                               row[4].as<std::string>()});
  }
  const std::size_t created = candidates - existing;
  summary.inserted = created;
  summary.updated = written - created;
  summary.unchanged += candidates - written;
  return summary;
}

std::vector<ListingChange> mark_gone(pqxx::transaction_base& tx, const std::string& tenant,
                                     const std::string& source_connector, std::int64_t run_id) {
  const pqxx::result r = tx.exec_params(
      // EXCEPT (a hashed or sorted set difference) is linear whatever the planner believes
      // about sync_run_seen, which is written during the run and rarely analyzed; an
      // anti-join planned on stale statistics can turn into a nested loop over both tables.
      "WITH missing AS ("
      "  SELECT listing_key FROM properties"
      "  WHERE tenant_id = $1 AND source_connector = $2 AND gone_at IS NULL"
      "  EXCEPT SELECT listing_key FROM sync_run_seen WHERE run_id = $3),"
      " gone AS ("
      "  UPDATE properties p SET gone_at = now(), updated_at = now() FROM missing m"
      "  WHERE p.tenant_id = $1 AND p.listing_key = m.listing_key AND p.gone_at IS NULL"
      "  RETURNING p.listing_key, p.standard_status, p.record_hash),"
      " hist AS ("
      "  INSERT INTO property_history (tenant_id, listing_key, change, old_value, new_value)"
      "  SELECT $1, listing_key, 'gone', standard_status, NULL FROM gone)"
      " SELECT listing_key, coalesce(standard_status, ''), coalesce(record_hash, '') FROM gone",
      tenant, source_connector, run_id);
  std::vector<ListingChange> out;
  out.reserve(r.size());
  for (const auto& row : r)
    out.push_back({row[0].as<std::string>(), "listing.gone", row[1].as<std::string>(), "",
                   // The run makes the event's key: a listing gone, back and gone again
                   // raises a second listing.gone.
                   "run" + std::to_string(run_id) + ":" + row[2].as<std::string>()});
  return out;
}

}  // namespace reos::listings
