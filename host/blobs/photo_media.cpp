#include "blobs/photo_media.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

namespace reos::blobs {
namespace {

using nlohmann::json;

bool is_picture_category(std::string category) {
  for (char& c : category) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return category.empty() || category == "photo" || category == "photos" ||
         category == "floor plan" || category == "floorplan" || category == "image";
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::vector<WantedPhoto> wanted_photos(std::string_view media_json) {
  const json media = json::parse(media_json, nullptr, false);
  std::vector<WantedPhoto> photos;
  if (!media.is_array()) return photos;
  std::vector<long long> orders;
  for (const json& item : media) {
    if (!item.is_object()) continue;
    const auto url = item.find("MediaURL");
    if (url == item.end() || !url->is_string() || url->get<std::string>().empty()) continue;
    const auto category = item.find("MediaCategory");
    if (category != item.end() && category->is_string() &&
        !is_picture_category(category->get<std::string>()))
      continue;
    WantedPhoto p;
    p.url = url->get<std::string>();
    const auto key = item.find("MediaKey");
    if (key != item.end() && key->is_string()) p.media_key = key->get<std::string>();
    const auto order = item.find("Order");
    orders.push_back(order != item.end() && order->is_number_integer() ? order->get<long long>()
                                                                       : -1);
    photos.push_back(std::move(p));
  }
  const std::set<long long> distinct(orders.begin(), orders.end());
  const bool use_order =
      distinct.size() == orders.size() &&
      std::all_of(orders.begin(), orders.end(), [](long long o) { return o >= 0 && o <= 1000000; });
  for (std::size_t i = 0; i < photos.size(); ++i)
    photos[i].n = use_order ? static_cast<int>(orders[i]) : static_cast<int>(i);
  return photos;
}

std::string photo_content_type(std::string_view b, std::string_view declared) {
  if (starts_with(b, "\xFF\xD8\xFF")) return "image/jpeg";
  if (starts_with(b, "\x89PNG\r\n\x1A\n")) return "image/png";
  if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) return "image/gif";
  if (b.size() >= 12 && starts_with(b, "RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
    const std::string_view brand = b.substr(8, 4);
    if (brand == "avif" || brand == "avis") return "image/avif";
    if (brand == "heic" || brand == "heix" || brand == "mif1") return "image/heic";
  }
  if (starts_with(b, std::string_view("II*\0", 4)) || starts_with(b, std::string_view("MM\0*", 4)))
    return "image/tiff";
  std::string type(declared.substr(0, declared.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // A declared image type we cannot sniff (e.g. image/bmp) is believed; text, HTML (an error
  // page served with 200) and octet-stream are not pictures.
  return starts_with(type, "image/") && type != "image/svg+xml" ? type : "";
}

std::string photo_blob_key(const std::string& sha256_hex) {
  return "photos/sha256/" + sha256_hex.substr(0, 2) + "/" + sha256_hex;
}

}  // namespace reos::blobs
