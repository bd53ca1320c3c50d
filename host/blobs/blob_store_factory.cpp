#include "blobs/blob_store_factory.hpp"

#include "blobs/local_blob_store.hpp"
#include "blobs/s3_blob_store.hpp"
#include "config/hub_config.hpp"

namespace reos::blobs {
namespace {

std::string safe_segment(const std::string& id) {
  try {
    if (id.find('/') == std::string::npos) {
      check_blob_key(id);
      return id;
    }
  } catch (const std::invalid_argument&) {
  }
  return "h-" + sha256_hex(id);
}

}  // namespace

std::shared_ptr<BlobStore> make_blob_store(const config::BlobsConfig& config) {
  if (config.store != "s3") return std::make_shared<LocalBlobStore>(config.dir);
  const config::S3BlobsConfig& c = config.s3;
  S3Settings s;
  s.endpoint = c.endpoint;
  s.bucket = c.bucket;
  s.region = c.region;
  s.prefix = c.prefix;
  s.virtual_hosted = c.virtual_hosted;
  s.credentials = {c.access_key_id, c.secret_access_key, c.session_token};
  s.timeout = std::chrono::milliseconds(c.timeout_ms);
  s.max_retries = c.max_retries;
  return std::make_shared<S3BlobStore>(std::move(s));
}

std::string plugin_blob_key(const std::string& tenant_id, const std::string& connector_id,
                            std::string_view key) {
  return "connectors/" + safe_segment(tenant_id) + "/" + safe_segment(connector_id) + "/" +
         sha256_hex(key);
}

}  // namespace reos::blobs
