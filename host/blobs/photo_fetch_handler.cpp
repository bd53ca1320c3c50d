#include "blobs/photo_fetch_handler.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "blobs/blob_store.hpp"
#include "blobs/blob_store_factory.hpp"
#include "blobs/photo_media.hpp"
#include "blobs/sigv4_signer.hpp"
#include "core/http_headers.hpp"
#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"
#include "log/logger.hpp"
#include "net/outbound_url.hpp"
#include "reos/plugin.h"

namespace reos::blobs {
namespace {

struct StoredPhoto {
  std::string source_url;
};

struct FetchedPhoto {
  WantedPhoto wanted;
  std::string blob_key, content_hash, content_type;
  std::size_t size = 0;
};

// An absolute Location, or one relative to `base`'s origin ("/x") — all CDNs send one of both.
std::string resolve_location(const std::string& base, const std::string& location) {
  if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) return location;
  const std::size_t scheme_end = base.find("://");
  if (scheme_end == std::string::npos || location.empty() || location[0] != '/') return "";
  const std::size_t path = base.find('/', scheme_end + 3);
  return base.substr(0, path) + location;
}

}  // namespace

struct PhotoFetchHandler::Download {
  enum class Kind { ok, skip, transient } kind = Kind::ok;
  std::string bytes, declared_type, reason;
};

PhotoFetchHandler::PhotoFetchHandler(db::ConnectionPool& pool, std::shared_ptr<BlobStore> store,
                                     http::MetricsRegistry& metrics, PhotoFetchSettings settings)
    : pool_(pool), store_(std::move(store)), metrics_(metrics), settings_(std::move(settings)) {}

PhotoFetchHandler::~PhotoFetchHandler() = default;

net::ConnectorHttpClient& PhotoFetchHandler::client(const std::string& tenant) {
  std::lock_guard<std::mutex> lock(clients_mutex_);
  auto& slot = clients_[tenant];
  if (!slot)
    slot = std::make_unique<net::ConnectorHttpClient>(settings_.http, metrics_, tenant, "photos",
                                                      settings_.http_options);
  return *slot;
}

PhotoFetchHandler::Download PhotoFetchHandler::download(const std::string& tenant,
                                                        const std::string& connector,
                                                        const std::string& url) {
  Download d;
  if (url.rfind(kPluginBlobScheme, 0) == 0) {
    try {
      auto blob =
          store_->get(plugin_blob_key(tenant, connector, url.substr(kPluginBlobScheme.size())));
      if (!blob) return {Download::Kind::skip, "", "", "no such plugin blob"};
      d.bytes = std::move(blob->data);
      d.declared_type = std::move(blob->content_type);
      return d;
    } catch (const BlobError& e) {
      return {e.retryable() ? Download::Kind::transient : Download::Kind::skip, "", "", e.what()};
    }
  }
  std::string target = url;
  for (int hop = 0; hop <= settings_.max_redirects; ++hop) {
    if (const std::string bad = net::check_outbound_url(target); !bad.empty())
      return {Download::Kind::skip, "", "", bad};
    plugin_runtime::HttpExchange exchange;
    exchange.method = "GET";
    exchange.url = target;
    exchange.request_headers = {{"Accept", "image/*"}};
    const plugin_runtime::ServiceStatus status =
        client(tenant).perform(exchange, settings_.per_photo_deadline);
    if (status.status == REOS_RETRY) return {Download::Kind::transient, "", "", status.error};
    if (status.status != REOS_OK) return {Download::Kind::skip, "", "", status.error};
    if (exchange.status >= 300 && exchange.status < 400) {
      target = resolve_location(target, core::header_value(exchange.response_headers, "location"));
      if (target.empty())
        return {Download::Kind::skip, "", "", "redirect without a usable Location"};
      continue;
    }
    if (exchange.status != 200)
      return {exchange.status >= 500 ? Download::Kind::transient : Download::Kind::skip, "", "",
              "HTTP " + std::to_string(exchange.status)};
    d.bytes = std::move(exchange.response_body);
    d.declared_type = core::header_value(exchange.response_headers, "content-type");
    return d;
  }
  return {Download::Kind::skip, "", "", "too many redirects"};
}

queue::JobOutcome PhotoFetchHandler::operator()(const queue::Job& job) {
  const nlohmann::json payload = nlohmann::json::parse(job.payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("listing_key") ||
      !payload["listing_key"].is_string())
    return queue::JobOutcome::fail("payload needs a string listing_key");
  const std::string listing_key = payload["listing_key"];
  const std::string& tenant = job.tenant_id;

  // 1. What the listing wants and what is stored (one short transaction).
  std::string media = "null", connector;
  std::map<int, StoredPhoto> stored;
  bool listing_exists = false;
  {
    db::ConnectionPool::Lease conn = pool_.acquire();
    pqxx::work tx(*conn);
    db::enter_tenant_scope(tx, tenant);
    const pqxx::result p = tx.exec_params(
        "SELECT coalesce(data -> 'Media', 'null')::text, source_connector FROM properties "
        "WHERE listing_key = $1",
        listing_key);
    if (!p.empty()) {
      listing_exists = true;
      media = p[0][0].as<std::string>();
      connector = p[0][1].is_null() ? "" : p[0][1].as<std::string>();
      for (const auto& row : tx.exec_params(
               "SELECT n, source_url FROM property_photos WHERE listing_key = $1", listing_key))
        stored[row[0].as<int>()] = {row[1].as<std::string>()};
    }
    tx.commit();
  }
  if (!listing_exists) return queue::JobOutcome::ok();  // deleted since: nothing to do

  // 2. Download and store what is new, outside any transaction.
  const std::vector<WantedPhoto> wanted = wanted_photos(media);
  std::vector<FetchedPhoto> fetched;
  std::vector<int> keep;  // n still in Media[] (fetched now, unchanged, or failing transiently)
  std::string transient;
  int skipped = 0;
  for (const WantedPhoto& w : wanted) {
    auto it = stored.find(w.n);
    if (it != stored.end() && it->second.source_url == w.url) {
      keep.push_back(w.n);  // unchanged: never fetched again
      continue;
    }
    Download d = download(tenant, connector, w.url);
    if (d.kind == Download::Kind::ok) {
      const std::string type = photo_content_type(d.bytes, d.declared_type);
      if (type.empty()) {
        d.kind = Download::Kind::skip;
        d.reason = "not a picture (Content-Type '" + d.declared_type + "')";
      } else {
        FetchedPhoto f{w, "", sha256_hex(d.bytes), type, d.bytes.size()};
        f.blob_key = photo_blob_key(f.content_hash);
        try {
          if (!store_->exists(f.blob_key)) store_->put(f.blob_key, d.bytes, type);
          fetched.push_back(std::move(f));
          keep.push_back(w.n);
          continue;
        } catch (const BlobError& e) {
          d.kind = e.retryable() ? Download::Kind::transient : Download::Kind::skip;
          d.reason = std::string("blob store: ") + e.what();
        }
      }
    }
    if (d.kind == Download::Kind::transient) {
      if (it != stored.end()) keep.push_back(w.n);  // keep the old photo until the new arrives
      transient = "photo " + std::to_string(w.n) + ": " + d.reason;
    } else {
      ++skipped;
    }
    log::warn("photo not stored",
              {{"listing_key", listing_key},
               {"n", std::to_string(w.n)},
               {"url", net::redact_url(w.url)},
               {"reason", d.reason},
               {"will_retry", d.kind == Download::Kind::transient ? "true" : "false"}});
  }

  // 3. Record them (and forget photos the listing no longer has).
  {
    db::ConnectionPool::Lease conn = pool_.acquire();
    pqxx::work tx(*conn);
    db::enter_tenant_scope(tx, tenant);
    // Locks the listing, so two jobs of one listing never interleave their writes; when its
    // Media changed while we downloaded, the job the change queued writes instead of us.
    const pqxx::result now = tx.exec_params(
        "SELECT coalesce(data -> 'Media', 'null')::text FROM properties WHERE listing_key = $1 "
        "FOR UPDATE",
        listing_key);
    if (now.empty() || now[0][0].as<std::string>() != media) {
      tx.commit();
      log::info("listing photos superseded", {{"listing_key", listing_key}});
      return queue::JobOutcome::ok();
    }
    for (const FetchedPhoto& f : fetched) {
      tx.exec_params(
          "INSERT INTO property_photos (tenant_id, listing_key, n, source_url, media_key, "
          "blob_key, content_hash, content_type, byte_size) "
          "SELECT tenant_id, listing_key, $2, $3, nullif($4, ''), $5, $6, $7, $8 "
          "FROM properties WHERE listing_key = $1 "
          "ON CONFLICT (tenant_id, listing_key, n) DO UPDATE SET source_url = EXCLUDED.source_url,"
          " media_key = EXCLUDED.media_key, blob_key = EXCLUDED.blob_key,"
          " content_hash = EXCLUDED.content_hash, content_type = EXCLUDED.content_type,"
          " byte_size = EXCLUDED.byte_size, fetched_at = now()",
          listing_key, f.wanted.n, f.wanted.url, f.wanted.media_key, f.blob_key, f.content_hash,
          f.content_type, static_cast<long long>(f.size));
    }
    std::string keep_array = "{";
    for (std::size_t i = 0; i < keep.size(); ++i)
      keep_array += (i ? "," : "") + std::to_string(keep[i]);
    keep_array += "}";
    tx.exec_params("DELETE FROM property_photos WHERE listing_key = $1 AND n <> ALL ($2::int[])",
                   listing_key, keep_array);
    tx.commit();
  }
  log::info("listing photos synced", {{"listing_key", listing_key},
                                      {"fetched", std::to_string(fetched.size())},
                                      {"kept", std::to_string(keep.size() - fetched.size())},
                                      {"skipped", std::to_string(skipped)}});
  if (!transient.empty()) return queue::JobOutcome::retry(std::chrono::milliseconds(0), transient);
  return queue::JobOutcome::ok();
}

}  // namespace reos::blobs
