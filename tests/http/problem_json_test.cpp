#include "http/problem_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace reos::http {
namespace {

TEST(ProblemJson, RendersRequiredMembersAndOmitsEmptyOnes) {
  Response r = problem(404, "Not Found", "");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc.at("type"), "about:blank");
  EXPECT_EQ(doc.at("title"), "Not Found");
  EXPECT_EQ(doc.at("status"), 404);
  EXPECT_FALSE(doc.contains("detail"));
  EXPECT_FALSE(doc.contains("instance"));
  EXPECT_FALSE(doc.contains("invalid_params"));
}

TEST(ProblemJson, ListsEveryInvalidParam) {
  Response r = problem(422, "Validation failed", "2 fields are invalid", "/api/v1/leads",
                       {{"email", "not an email address"}, {"price", "must be > 0"}});
  auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc.at("detail"), "2 fields are invalid");
  EXPECT_EQ(doc.at("instance"), "/api/v1/leads");
  ASSERT_EQ(doc.at("invalid_params").size(), 2u);
  EXPECT_EQ(doc["invalid_params"][0].at("name"), "email");
  EXPECT_EQ(doc["invalid_params"][0].at("reason"), "not an email address");
  EXPECT_EQ(doc["invalid_params"][1].at("name"), "price");
}

TEST(ProblemJson, CustomTypeAndDefaultTitle) {
  Problem p;
  p.status = 409;
  p.type = "https://reos.example/problems/duplicate";
  Response r = problem_response(p);
  auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc.at("type"), "https://reos.example/problems/duplicate");
  EXPECT_EQ(doc.at("title"), "Conflict");
}

TEST(ProblemJson, EscapesAndSurvivesInvalidUtf8) {
  Response r = problem(400, "Bad", std::string("quote \" and bad byte \xff"));
  nlohmann::json doc;
  ASSERT_NO_THROW(doc = nlohmann::json::parse(r.body));
  EXPECT_NE(doc.at("detail").get<std::string>().find("quote \""), std::string::npos);
}

}  // namespace
}  // namespace reos::http
