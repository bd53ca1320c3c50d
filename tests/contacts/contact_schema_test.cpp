// schemas/contact.json (the canonical contact) describes exactly what the API returns: a
// contact with every member set and one with the minimum both conform, and the schema
// refuses what the API never returns.
#include <fstream>

#include "config/json_schema.hpp"
#include "crm_test_support.hpp"

namespace reos::contacts::test {
namespace {

std::shared_ptr<const config::JsonSchema> canonical_contact_schema() {
  std::ifstream in(REOS_SOURCE_DIR "/schemas/contact.json");
  return config::JsonSchema::compile(json::parse(in));
}

std::string problems(const config::JsonSchema& schema, const json& value) {
  std::string out;
  for (const config::SchemaProblem& p : schema.validate(value)) {
    out += p.pointer + ": " + p.message + "; ";
  }
  return out;
}

TEST_F(CrmApiTest, ApiContactsConformToTheCanonicalSchema) {
  const auto schema = canonical_contact_schema();
  const json full = create_contact({{"first_name", "Full"},
                                    {"last_name", "Member"},
                                    {"email", "full@example.com"},
                                    {"phone", "+14155550123"},
                                    {"status", "nurturing"},
                                    {"source", "open-house"},
                                    {"owner_user_id", h_.user_id("bob@one.test")},
                                    {"score", 42},
                                    {"tags", {"buyer"}},
                                    {"consent_email", true},
                                    {"consent_sms", true}});
  EXPECT_EQ(problems(*schema, full), "");
  const json minimal = create_contact({{"phone", "+442071838750"}});
  EXPECT_EQ(problems(*schema, minimal), "");
  json wrong = minimal;
  wrong["status"] = "hot";
  wrong["extra"] = 1;
  wrong.erase("created_at");
  EXPECT_NE(problems(*schema, wrong), "");
}

}  // namespace
}  // namespace reos::contacts::test
