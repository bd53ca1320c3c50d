// rets_photos.hpp — a page's photos as RESO Media[] on its records (docs/rets.md, "Photos").
// With settings.photos the plugin holds each Search row until the GetObject for its key has
// answered, stores the objects with blob_put (or, with Location=1, takes their URLs) and emits
// the row with "Media": [{MediaURL, Order, MediaKey, MediaCategory, ShortDescription}], so the
// hub's photo fetcher (docs/photos.md) turns them into listing photos.
#pragma once

#include <functional>
#include <reos/plugin.hpp>
#include <string>
#include <utility>
#include <vector>

#include "rets_client.hpp"
#include "rets_object.hpp"

namespace rets {

/// The blob key an object is stored under: rets/<resource>/<photo type>/<key>/<object id>
/// (object id "0" when the server sent none). The record's MediaURL is "reos-blob:" + this.
std::string photo_blob_key(const Settings& settings, const RetsObject& object);

/// The Media array (JSON text) for one listing's objects, in the order given: MediaURL =
/// "reos-blob:<blob key>", or the object's Location when it has no bytes; Order = the Object-ID
/// when it is a non-negative integer; MediaKey = "<Content-ID>:<Object-ID>"; MediaCategory
/// "Photo"; ShortDescription = Content-Description when sent.
std::string media_json(const Settings& settings, const std::vector<const RetsObject*>& objects);

/// `record` (a JSON object's text) with `"Media":<media>` appended as its last member.
std::string with_media(const std::string& record, const std::string& media);

/// Holds rows until their photos are known; one GetObject per kKeysPerRequest held keys (a
/// bounded URL and bounded memory however large the page).
class PhotoBatch {
 public:
  using EmitFn = std::function<void(const std::string& record)>;
  static constexpr std::size_t kKeysPerRequest = 100;

  PhotoBatch(const Settings& settings, Client& client) : settings_(settings), client_(client) {}

  /// Holds `record` (of listing `key`); fetches and emits the held rows when the batch is full.
  /// A row without a key is emitted at once, without Media.
  void add(reos::Call& call, const std::string& key, const std::string& record, const EmitFn& emit);
  /// Fetches the photos of the held rows and emits them. Throws like Client::get_objects, and
  /// ReplyError for an object part with a RETS error other than 20403 (no object).
  void flush(reos::Call& call, const EmitFn& emit);
  /// Objects stored with blob_put so far.
  std::size_t stored() const noexcept { return stored_; }

 private:
  const Settings& settings_;
  Client& client_;
  std::vector<std::pair<std::string, std::string>> held_;  ///< key, record
  std::size_t stored_ = 0;
};

}  // namespace rets
