#pragma once

// GET /api/v1/properties/{ListingKey}/photos/{n} (docs/photos.md).

#include <memory>

namespace reos::http {
class Router;
}
namespace reos::api {
class ApiContext;
}

namespace reos::blobs {

class BlobStore;

/// Registers the photo route: an authenticated, tenant-scoped read (viewer role; API keys
/// need properties:read) answering the photo's bytes with its Content-Type, ETag = the
/// quoted sha256, Cache-Control, 304 on a matching If-None-Match, and 404 problem+json for
/// an unknown listing or photo number. `store` must hold the blobs the fetch job wrote.
void add_photo_routes(http::Router& router, const api::ApiContext& api,
                      std::shared_ptr<BlobStore> store);

}  // namespace reos::blobs
