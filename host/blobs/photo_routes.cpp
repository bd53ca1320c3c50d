#include "blobs/photo_routes.hpp"

#include <pqxx/pqxx>
#include <sstream>

#include "api/api_context.hpp"
#include "blobs/blob_store.hpp"
#include "http/router.hpp"

namespace reos::blobs {
namespace {

// Photos are addressed by content, so a cached copy is right for as long as (listing, n) still
// names it: clients may keep it an hour, then revalidate with the ETag (a cheap 304).
constexpr char kCacheControl[] = "private, max-age=3600";

// If-None-Match is a list of entity tags (weak ones compare equal for GET, RFC 9110 §13.1.2).
bool etag_matches(const std::string& header, const std::string& etag) {
  std::istringstream in(header);
  std::string tag;
  while (std::getline(in, tag, ',')) {
    const std::size_t a = tag.find_first_not_of(' ');
    if (a == std::string::npos) continue;
    tag = tag.substr(a, tag.find_last_not_of(' ') - a + 1);
    if (tag == "*" || tag == etag || tag == "W/" + etag) return true;
  }
  return false;
}

std::optional<int> photo_number(const std::string& text) {
  if (text.empty() || text.size() > 7) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  return std::stoi(text);
}

}  // namespace

void add_photo_routes(http::Router& router, const api::ApiContext& api,
                      std::shared_ptr<BlobStore> store) {
  api::RouteAccess access;
  access.min_role = api::Role::viewer;
  access.scope = "properties:read";
  api.route(
      router, "GET", "/api/v1/properties/{ListingKey}/photos/{n}", access,
      [&api, store](const api::ApiRequest& req) {
        const std::string& listing_key = req.http.path_params.at("ListingKey");
        const std::optional<int> n = photo_number(req.http.path_params.at("n"));
        if (!n) api::throw_invalid({{"n", "must be a photo number: an integer from 0"}});
        bool listing = false, photo = false;
        std::string blob_key, content_type, hash;
        api.in_tenant(req, [&](pqxx::transaction_base& tx) {
          const pqxx::result r = tx.exec_params(
              "SELECT ph.blob_key, ph.content_type, ph.content_hash FROM properties p "
              "LEFT JOIN property_photos ph ON ph.tenant_id = p.tenant_id "
              " AND ph.listing_key = p.listing_key AND ph.n = $2 "
              "WHERE p.listing_key = $1",
              listing_key, *n);
          listing = !r.empty();
          photo = listing && !r[0][0].is_null();
          if (photo) {
            blob_key = r[0][0].as<std::string>();
            content_type = r[0][1].as<std::string>();
            hash = r[0][2].as<std::string>();
          }
        });
        if (!listing) api::throw_not_found("listing '" + listing_key + "'");
        if (!photo)
          api::throw_not_found("photo " + std::to_string(*n) + " of listing '" + listing_key + "'");
        const std::string etag = "\"" + hash + "\"";
        http::Response res;
        res.headers = {{"ETag", etag}, {"Cache-Control", kCacheControl}};
        if (etag_matches(req.http.header("if-none-match"), etag)) {
          res.status = 304;
          res.content_type.clear();
          return res;
        }
        std::optional<Blob> blob = store->get(blob_key);
        // The row is written only after the blob is stored, so a missing blob means the store
        // was changed under the hub (or lost data): a server-side fault, not the client's.
        if (!blob) throw std::runtime_error("photo blob " + blob_key + " missing from the store");
        res.content_type = content_type;
        res.body = std::move(blob->data);
        res.headers.emplace_back("X-Content-Type-Options", "nosniff");
        return res;
      });
}

}  // namespace reos::blobs
