#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "blobs/blob_store.hpp"

namespace reos::config {
struct BlobsConfig;
}

namespace reos::blobs {

/// The store hub.yaml `blobs:` selects: LocalBlobStore on blobs.dir (store: local, the
/// default) or S3BlobStore (store: s3, credentials already resolved by the config loader).
std::shared_ptr<BlobStore> make_blob_store(const config::BlobsConfig& config);

/// Where a plugin's blob `key` of one tenant connector lives in the hub's store:
/// "connectors/<tenant>/<connector>/<sha256(key)>" (ids that are not safe key segments are
/// hashed too), so plugin keys of any shape are safe and connectors never see each other's.
std::string plugin_blob_key(const std::string& tenant_id, const std::string& connector_id,
                            std::string_view key);

}  // namespace reos::blobs
