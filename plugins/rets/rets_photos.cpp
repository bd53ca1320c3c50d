// A page's photos as Media[] (see the header).
#include "rets_photos.hpp"

#include <map>

#include "rets_record_json.hpp"

namespace rets {

namespace {

bool is_order(const std::string& id) {
  return !id.empty() && id.size() <= 9 && id.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::string photo_blob_key(const Settings& s, const RetsObject& o) {
  return "rets/" + s.resource + "/" + s.photo_type + "/" + o.content_id + "/" +
         (o.object_id.empty() ? "0" : o.object_id);
}

std::string media_json(const Settings& settings, const std::vector<const RetsObject*>& objects) {
  std::string out = "[";
  for (const RetsObject* o : objects) {
    if (out.size() > 1) out += ',';
    out += "{\"MediaURL\":";
    append_json_string(out, o->data.empty() && !o->location.empty()
                                ? o->location
                                : "reos-blob:" + photo_blob_key(settings, *o));
    if (is_order(o->object_id)) out += ",\"Order\":" + std::to_string(std::stol(o->object_id));
    out += ",\"MediaKey\":";
    append_json_string(out, o->content_id + ":" + (o->object_id.empty() ? "0" : o->object_id));
    out += ",\"MediaCategory\":\"Photo\"";
    if (!o->description.empty()) {
      out += ",\"ShortDescription\":";
      append_json_string(out, o->description);
    }
    out += '}';
  }
  return out + "]";
}

std::string with_media(const std::string& record, const std::string& media) {
  const std::size_t close = record.find_last_of('}');
  if (close == std::string::npos) return record;
  const bool empty = record.find_first_not_of(" \t\r\n", record.find('{') + 1) == close;
  return record.substr(0, close) + (empty ? "" : ",") + "\"Media\":" + media + "}";
}

void PhotoBatch::add(reos::Call& call, const std::string& key, const std::string& record,
                     const EmitFn& emit) {
  if (key.empty()) return emit(record);
  held_.emplace_back(key, record);
  if (held_.size() >= kKeysPerRequest) flush(call, emit);
}

void PhotoBatch::flush(reos::Call& call, const EmitFn& emit) {
  if (held_.empty()) return;
  std::string ids;
  for (const auto& [key, record] : held_) ids += (ids.empty() ? "" : ",") + key + ":*";
  const std::vector<RetsObject> objects = client_.get_objects(call, ids);
  std::map<std::string, std::vector<const RetsObject*>> by_key;
  std::size_t stored = 0;
  for (const RetsObject& o : objects) {
    if (o.reply_code == 20403) continue;  // this listing has no photos
    if (o.reply_code != 0)
      throw ReplyError(
          "RETS GetObject failed: ReplyCode " + std::to_string(o.reply_code) + ": " + o.reply_text,
          o.reply_code);
    if (o.data.empty() && o.location.empty()) continue;
    if (!o.data.empty()) {
      call.blob_put(photo_blob_key(settings_, o), o.data,
                    o.content_type.empty() ? "application/octet-stream" : o.content_type);
      ++stored;
    }
    by_key[o.content_id].push_back(&o);
  }
  // Every held row gets Media, [] when the server has no photo for it: a listing whose photos
  // were all removed then loses them in the hub too.
  for (const auto& [key, record] : held_) {
    const auto it = by_key.find(key);
    emit(with_media(
        record,
        media_json(settings_, it == by_key.end() ? std::vector<const RetsObject*>() : it->second)));
  }
  held_.clear();
  stored_ += stored;
}

}  // namespace rets
