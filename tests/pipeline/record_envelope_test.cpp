// Record and batch envelopes: one JSON text per job, round-tripped, and refused with a message
// naming the field when malformed.
#include "pipeline/record_envelope.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/predicate_parser.hpp"

namespace reos::pipeline {
namespace {

TEST(RecordEnvelope, RoundTripsEveryField) {
  RecordEnvelope envelope{"demo-brokerage", "property", "KC-1",
                          "kc-sales",       "corr-1",   RecordJson::parse(R"({"ListPrice":1})")};
  const std::string text = to_json(envelope);
  EXPECT_EQ(text, R"({"correlation_id":"corr-1","id":"KC-1","payload":{"ListPrice":1},)"
                  R"("source":"kc-sales","tenant":"demo-brokerage","type":"property","v":1})");
  const RecordEnvelope back = record_envelope_from_json(text);
  EXPECT_EQ(back.tenant, "demo-brokerage");
  EXPECT_EQ(back.type, "property");
  EXPECT_EQ(back.id, "KC-1");
  EXPECT_EQ(back.source_connector, "kc-sales");
  EXPECT_EQ(back.correlation_id, "corr-1");
  EXPECT_EQ(back.payload.dump(), R"({"ListPrice":1})");
}

BatchEnvelope page_of(std::size_t count) {
  BatchEnvelope batch{"demo-brokerage", "property", "kc-sales", "listings", "pull-7", {}};
  for (std::size_t i = 0; i < count; ++i) {
    batch.records.push_back(
        {"KC-" + std::to_string(i), "corr-" + std::to_string(i),
         RecordJson::parse("{\"ListPrice\":" + std::to_string(i * 1000) + ",\"City\":\"Kent\"}")});
  }
  return batch;
}

TEST(BatchEnvelope, APageTravelsAsOneTextAndComesBackIntact) {
  const std::string text = to_json(page_of(1000));
  const BatchEnvelope back = batch_envelope_from_json(text);
  EXPECT_EQ(back.tenant, "demo-brokerage");
  EXPECT_EQ(back.type, "property");
  EXPECT_EQ(back.source_connector, "kc-sales");
  EXPECT_EQ(back.pipeline, "listings");
  EXPECT_EQ(back.correlation_id, "pull-7");
  ASSERT_EQ(back.records.size(), 1000u);
  EXPECT_EQ(back.records[999].id, "KC-999");
  EXPECT_EQ(back.records[999].correlation_id, "corr-999");
  EXPECT_EQ(back.records[999].payload.dump(), R"({"City":"Kent","ListPrice":999000})");
  EXPECT_EQ(to_json(back), text) << "serialising what was read gives the same text";
}

TEST(BatchEnvelope, RecordExpandsToAStandAloneEnvelope) {
  const BatchEnvelope batch = page_of(3);
  const RecordEnvelope second = batch.record(1);
  EXPECT_EQ(second.tenant, "demo-brokerage");
  EXPECT_EQ(second.source_connector, "kc-sales");
  EXPECT_EQ(second.id, "KC-1");
  EXPECT_EQ(second.correlation_id, "corr-1");
  EXPECT_EQ(&second.payload.value(), &batch.records[1].payload.value()) << "shared, not copied";
  EXPECT_THROW(batch.record(3), std::out_of_range);
}

TEST(BatchEnvelope, RoutesEvaluateOnTheParsedPayloads) {
  const BatchEnvelope batch = batch_envelope_from_json(to_json(page_of(1000)));
  const Predicate cheap = parse_predicate("ListPrice < 500000 and City in ['Kent', 'Seattle']");
  std::size_t matched = 0;
  for (const auto& record : batch.records) matched += cheap.matches(record.payload);
  EXPECT_EQ(matched, 500u);
}

struct BadRow {
  const char* text;
  const char* message;
};

TEST(BatchEnvelope, MalformedTextNamesTheField) {
  const BadRow rows[] = {
      {"[]", "batch envelope: expected a JSON object"},
      {R"({"tenant":"t"})",
       "batch envelope: v: unsupported envelope version (this hub reads "
       "version 1)"},
      {R"({"v":2})", "batch envelope: v: unsupported envelope version (this hub reads version 1)"},
      {R"({"v":1,"type":"property","source":"s","correlation_id":"c","records":[]})",
       "batch envelope: tenant: missing"},
      {R"({"v":1,"tenant":5,"type":"property","source":"s","correlation_id":"c","records":[]})",
       "batch envelope: tenant: expected a string"},
      {R"({"v":1,"tenant":"t","type":"property","source":"s","correlation_id":"c"})",
       "batch envelope: records: missing"},
      {R"({"v":1,"tenant":"t","type":"property","source":"s","correlation_id":"c","records":[)"
       R"({"id":"a","correlation_id":"c","payload":{}},{"id":"b","correlation_id":"c","payload":3}]})",
       "batch envelope: records[1].payload: expected a JSON object"},
      {R"({"v":1,"tenant":"t","type":"property","source":"s","correlation_id":"c","records":[1]})",
       "batch envelope: records[0]: expected an object"},
  };
  for (const BadRow& row : rows) {
    SCOPED_TRACE(row.text);
    try {
      batch_envelope_from_json(row.text);
      ADD_FAILURE() << "accepted";
    } catch (const EnvelopeError& e) {
      EXPECT_EQ(std::string(e.what()), row.message);
    }
  }
  EXPECT_THROW(batch_envelope_from_json("{not json"), EnvelopeError);
  EXPECT_THROW(record_envelope_from_json(R"({"v":1})"), EnvelopeError);
}

}  // namespace
}  // namespace reos::pipeline
