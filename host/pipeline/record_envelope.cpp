#include "pipeline/record_envelope.hpp"

#include <nlohmann/json.hpp>

namespace reos::pipeline {
namespace {

using nlohmann::json;

class Reader {
 public:
  explicit Reader(const char* what) : what_(what) {}

  json parse(std::string_view text) const {
    try {
      json doc = json::parse(text);
      if (!doc.is_object()) fail("", "expected a JSON object");
      const auto version = doc.find("v");
      if (version == doc.end() || !version->is_number_integer() ||
          version->get<int>() != kEnvelopeVersion) {
        fail("v", "unsupported envelope version (this hub reads version " +
                      std::to_string(kEnvelopeVersion) + ")");
      }
      return doc;
    } catch (const json::parse_error& e) {
      throw EnvelopeError(std::string(what_) + ": not valid JSON: " + e.what());
    }
  }

  std::string text(const json& object, const char* key, const std::string& where,
                   bool required = true) const {
    const auto it = object.find(key);
    if (it == object.end()) {
      if (required) fail(where + key, "missing");
      return "";
    }
    if (!it->is_string()) fail(where + key, "expected a string");
    return it->get<std::string>();
  }

  RecordJson payload(json& object, const std::string& where) const {
    const auto it = object.find("payload");
    if (it == object.end()) fail(where + "payload", "missing");
    if (!it->is_object()) fail(where + "payload", "expected a JSON object");
    return RecordJson::adopt(std::move(*it));
  }

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw EnvelopeError(std::string(what_) + ": " + (field.empty() ? "" : field + ": ") + message);
  }

 private:
  const char* what_;
};

}  // namespace

RecordEnvelope BatchEnvelope::record(std::size_t index) const {
  const Item& item = records.at(index);
  return {tenant, type, item.id, source_connector, item.correlation_id, item.payload};
}

std::string to_json(const RecordEnvelope& envelope) {
  json out = {{"v", kEnvelopeVersion},
              {"tenant", envelope.tenant},
              {"type", envelope.type},
              {"id", envelope.id},
              {"source", envelope.source_connector},
              {"correlation_id", envelope.correlation_id},
              {"payload", envelope.payload.value()}};
  return out.dump();
}

std::string to_json(const BatchEnvelope& batch) {
  // Written by hand around each payload's own dump so a page is not copied into a second tree.
  json head = {{"v", kEnvelopeVersion},      {"tenant", batch.tenant},
               {"type", batch.type},         {"source", batch.source_connector},
               {"pipeline", batch.pipeline}, {"correlation_id", batch.correlation_id}};
  std::string text = head.dump();
  text.pop_back();  // the closing brace
  text += ",\"records\":[";
  for (std::size_t i = 0; i < batch.records.size(); ++i) {
    const BatchEnvelope::Item& item = batch.records[i];
    if (i > 0) text += ',';
    text += "{\"id\":" + json(item.id).dump() +
            ",\"correlation_id\":" + json(item.correlation_id).dump() +
            ",\"payload\":" + item.payload.dump() + "}";
  }
  return text + "]}";
}

RecordEnvelope record_envelope_from_json(std::string_view text) {
  const Reader reader("record envelope");
  json doc = reader.parse(text);
  RecordEnvelope envelope;
  envelope.tenant = reader.text(doc, "tenant", "");
  envelope.type = reader.text(doc, "type", "");
  envelope.id = reader.text(doc, "id", "");
  envelope.source_connector = reader.text(doc, "source", "");
  envelope.correlation_id = reader.text(doc, "correlation_id", "");
  envelope.payload = reader.payload(doc, "");
  return envelope;
}

BatchEnvelope batch_envelope_from_json(std::string_view text) {
  const Reader reader("batch envelope");
  json doc = reader.parse(text);
  BatchEnvelope batch;
  batch.tenant = reader.text(doc, "tenant", "");
  batch.type = reader.text(doc, "type", "");
  batch.source_connector = reader.text(doc, "source", "");
  batch.pipeline = reader.text(doc, "pipeline", "", false);
  batch.correlation_id = reader.text(doc, "correlation_id", "");
  const auto records = doc.find("records");
  if (records == doc.end()) reader.fail("records", "missing");
  if (!records->is_array()) reader.fail("records", "expected an array");
  batch.records.reserve(records->size());
  for (std::size_t i = 0; i < records->size(); ++i) {
    json& item = (*records)[i];
    const std::string where = "records[" + std::to_string(i) + "].";
    if (!item.is_object()) reader.fail(where.substr(0, where.size() - 1), "expected an object");
    BatchEnvelope::Item out;
    out.id = reader.text(item, "id", where);
    out.correlation_id = reader.text(item, "correlation_id", where);
    out.payload = reader.payload(item, where);
    batch.records.push_back(std::move(out));
  }
  return batch;
}

}  // namespace reos::pipeline
