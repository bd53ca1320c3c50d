#pragma once

// Which photos a listing's RESO Media[] asks for, and how a fetched photo is named and typed
// (docs/photos.md).

#include <string>
#include <string_view>
#include <vector>

namespace reos::blobs {

/// One photo a listing should have.
struct WantedPhoto {
  int n = 0;              ///< the photo number in the URL: RESO Media `Order` (see photos.md)
  std::string url;        ///< MediaURL: http(s)://…, or reos-blob:<plugin blob key>
  std::string media_key;  ///< MediaKey, "" when absent
};

/// The photos of `media_json` (the listing's Media array as JSON text; anything else gives
/// none). Items without a MediaURL, and items whose MediaCategory says they are not a
/// picture (Video, Document, virtual tours, …), are left out. n = `Order` when every photo has
/// a distinct non-negative integer Order; otherwise n = the 0-based position among the photos.
std::vector<WantedPhoto> wanted_photos(std::string_view media_json);

/// The image type of `bytes` from its magic number (JPEG, PNG, GIF, WebP, AVIF/HEIC, TIFF),
/// else `declared` when it is an image/* type, else "" (not a picture: refused).
std::string photo_content_type(std::string_view bytes, std::string_view declared);

/// "photos/sha256/<first 2 hex>/<sha256 hex>": content-addressed, so a photo seen in many
/// listings (or tenants) is stored once.
std::string photo_blob_key(const std::string& sha256_hex);

/// MediaURLs with this scheme name a blob a plugin stored itself (e.g. RETS GetObject):
/// "reos-blob:<key>" is read from the listing's source connector's blobs.
inline constexpr std::string_view kPluginBlobScheme = "reos-blob:";

}  // namespace reos::blobs
