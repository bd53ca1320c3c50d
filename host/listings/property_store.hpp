#pragma once

// The `properties` table: upsert of canonical listings with change detection, writing
// `property_history` for every new listing, price change and status change. See
// docs/listings.md and migrations/0006_properties.sql.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/record_json.hpp"

namespace pqxx {
class transaction_base;
}

namespace reos::listings {

/// One change the upsert detected (also one property_history row).
struct ListingChange {
  std::string listing_key;
  /// listing.created | listing.price_changed | listing.status_changed | listing.returned
  /// (a gone listing is back; old_value = when it went) | listing.gone (see mark_gone)
  std::string event;
  std::string old_value;  ///< "" for listing.created and for a value that was null
  std::string new_value;
  std::string record_hash;  ///< sha256 of the canonical record that made the change
};

/// What one page's upsert did.
struct UpsertSummary {
  std::size_t inserted = 0;   ///< new listings
  std::size_t updated = 0;    ///< known listings whose record changed (or came back)
  std::size_t unchanged = 0;  ///< same record hash: nothing written
  std::size_t skipped = 0;    ///< records without a string ListingKey (not stored)
  std::vector<ListingChange> changes;
  std::vector<std::string> keys;  ///< every ListingKey of the page (what a full sync saw)
};

/// The sha256 (hex) of the canonical record's compact JSON (keys sorted): its record_hash.
std::string record_hash(const pipeline::RecordJson& record);

/// A canonical listing with its compact JSON text (keys sorted) and record_hash, computed once
/// — by a page's pull before its transaction opens (pipeline_exec/page_store.hpp).
struct PreparedListing {
  pipeline::RecordJson record;
  std::string text;
  std::string hash;
  std::string key;  ///< its ListingKey; "" = none (the upsert skips the record)
};
PreparedListing prepare_listing(pipeline::RecordJson record);

/// upsert_properties of listings already prepared.
UpsertSummary upsert_properties(pqxx::transaction_base& tx, const std::string& tenant,
                                const std::string& source_connector,
                                const std::vector<PreparedListing>& listings);

/// Upserts `records` (canonical Property objects) for `tenant` from `source_connector` in ONE
/// statement inside `tx`, which must be in the tenant's scope. A record whose hash equals the
/// stored one writes nothing. New listings, ListPrice changes and StandardStatus changes are
/// written to property_history and returned. When a page holds the same ListingKey twice, the
/// last one wins. A listing that was marked gone is un-marked.
UpsertSummary upsert_properties(pqxx::transaction_base& tx, const std::string& tenant,
                                const std::string& source_connector,
                                const std::vector<pipeline::RecordJson>& records);

/// The end of a full sync run: every listing of `source_connector` that is not gone and whose
/// key is not in sync_run_seen for `run_id` gets gone_at = now() and a property_history 'gone'
/// row (old_value = its status). Nothing is deleted; the upsert un-marks a listing that comes
/// back (listing.returned). Returns one listing.gone change per listing marked.
std::vector<ListingChange> mark_gone(pqxx::transaction_base& tx, const std::string& tenant,
                                     const std::string& source_connector, std::int64_t run_id);

}  // namespace reos::listings
