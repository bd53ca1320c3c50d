// reso_test_records.hpp — listings for the RESO test server: RESO Data Dictionary Property
// records with Media, generated deterministically (optionally many sharing one
// ModificationTimestamp) or read from RESO's own web-api-commander payload in
// shared/testdata/reso.
#pragma once

#include <string>
#include <vector>

namespace reos::test {

/// One Property as the server stores it: its JSON without Media, its Media array.
struct ResoListing {
  std::string key;       ///< ListingKey
  std::string modified;  ///< ModificationTimestamp, as the server sends it
  std::string json;      ///< the record object without Media
  std::string media;     ///< the Media array ("[]" when none)
};

struct GeneratedListings {
  int count = 0;
  int first = 0;                              ///< keys are "L<first + i>" (zero-padded to 7 digits)
  std::string start = "2024-01-01T10:00:00";  ///< first timestamp (UTC, no zone)
  int per_timestamp = 1;                      ///< this many consecutive listings share a timestamp
  int media_per_listing = 2;
  /// MediaURL = <photo_base>/<ListingKey>/<n>.jpg (ResoTestServer::photo_base_url() serves them)
  std::string photo_base = "https://photos.example.com";
  long long price_offset = 0;  ///< added to every ListPrice (for "changed" feeds)
  int fraction_digits = 0;     ///< 0: …:00Z, 2: …:00.00Z (mixed precision traps)
};

/// Listings as described, keys in ascending order.
std::vector<ResoListing> generate_listings(const GeneratedListings& spec);

/// The records of a RESO payload ({"value": [...]}) file, e.g. the commander's good payload.
/// Throws std::runtime_error when the file cannot be read or has no value array.
std::vector<ResoListing> listings_from_payload(const std::string& path);

/// A copy of `listing` with `field` set to `json_value` (raw JSON text) and a new timestamp.
ResoListing with_change(const ResoListing& listing, const std::string& field,
                        const std::string& json_value, const std::string& modified);

}  // namespace reos::test
