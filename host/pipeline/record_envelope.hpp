#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/record_json.hpp"

namespace reos::pipeline {

/// One record travelling through a pipeline: who owns it, what it is, where it came from, the
/// correlation id every log line and plugin call about it carries, and its canonical JSON.
struct RecordEnvelope {
  std::string tenant;            ///< tenant id
  std::string type;              ///< record type: property, contact, event, message
  std::string id;                ///< the record's id within (tenant, type), e.g. a ListingKey
  std::string source_connector;  ///< connector id that produced it
  std::string correlation_id;    ///< follows the record through every stage
  RecordJson payload;            ///< canonical record (a JSON object)
};

/// The records of one pull (a page of listings) carried as ONE job: tenant, type and source are
/// shared; each record keeps its own id, correlation id and payload. `correlation_id` names
/// the page (the pull that fetched it); `pipeline` the pipeline that will process it.
struct BatchEnvelope {
  struct Item {
    std::string id;
    std::string correlation_id;
    RecordJson payload;
  };
  std::string tenant;
  std::string type;
  std::string source_connector;
  std::string pipeline;
  std::string correlation_id;
  std::vector<Item> records;

  /// Record `index` as a stand-alone envelope (shares the parsed payload; no copy of the JSON).
  RecordEnvelope record(std::size_t index) const;
};

/// Thrown by the readers when a text is not a valid envelope; the message names the field,
/// e.g. "batch envelope: records[3].payload: expected a JSON object".
class EnvelopeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Format version written as `"v"`; readers refuse other versions.
inline constexpr int kEnvelopeVersion = 1;

/// `{"v":1,"tenant":…,"type":…,"id":…,"source":…,"correlation_id":…,"payload":{…}}`.
std::string to_json(const RecordEnvelope& envelope);
/// `{"v":1,"tenant":…,"type":…,"source":…,"pipeline":…,"correlation_id":…,
///   "records":[{"id":…,"correlation_id":…,"payload":{…}},…]}`.
std::string to_json(const BatchEnvelope& batch);

/// Reads what to_json(RecordEnvelope) wrote. Throws EnvelopeError.
RecordEnvelope record_envelope_from_json(std::string_view text);
/// Reads what to_json(BatchEnvelope) wrote, parsing the text once (payloads are moved out of
/// the parsed document, not copied). Throws EnvelopeError.
BatchEnvelope batch_envelope_from_json(std::string_view text);

}  // namespace reos::pipeline
