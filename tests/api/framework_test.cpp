// ApiContext as a module sees it: a custom route doing tenant-scoped work, auditing and
// emitting an event in one transaction; exceptions mapped to problem+json.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <stdexcept>

#include "api/api_context.hpp"
#include "api_test_util.hpp"
#include "http/router.hpp"

namespace reos::test {
namespace {

using nlohmann::json;

void add_probe_routes(http::Router& r, const api::ApiContext& api) {
  // Writes an event and an audit row, then fails when asked: both must roll back together.
  api.route(r, "POST", "/api/v1/probe/{mode}", {api::Role::agent, "probe:write"},
            [&api](const api::ApiRequest& req) {
              const std::string mode = req.http.path_params.at("mode");
              api.in_tenant(req, [&](pqxx::transaction_base& tx) {
                api.emit_event(tx, req.caller.tenant_id, "probe.happened",
                               R"({"mode":")" + mode + "\"}", "probe-" + mode);
                api.audit(tx, req, {"probe.run", "probe", mode, "", R"({"ok":true})"});
                if (mode == "fail") throw std::runtime_error("secret internal detail");
                if (mode == "conflict") api::throw_conflict("probe conflict");
              });
              return http::json_response(201, R"({"tenant":")" + req.caller.tenant_id + "\"}");
            });
  api.route(r, "GET", "/api/v1/probe/public", {api::Role::admin, "x:write", false},
            [](const api::ApiRequest& req) {
              return http::json_response(200, json{{"tenant", req.caller.tenant_id}}.dump());
            });
  api.route(r, "GET", "/api/v1/probe/tenant-rows", {api::Role::viewer, ""},
            [&api](const api::ApiRequest& req) {
              long n = 0;
              // RLS: only the caller's tenant's audit rows are visible inside in_tenant.
              api.in_tenant(req, [&](pqxx::transaction_base& tx) {
                n = tx.exec1("SELECT count(DISTINCT tenant_id) FROM audit_log")[0].as<long>();
              });
              return http::json_response(200, json{{"tenants", n}}.dump());
            });
}

class Framework : public ::testing::Test {
 protected:
  ApiHarness h{add_probe_routes};
};

TEST_F(Framework, EventAndAuditCommitWithTheWrite) {
  const ClientResponse r = h.call("POST", "/api/v1/probe/ok", h.token("bob@one.test"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(
      sql_text(h,
               "SELECT count(*) FROM jobs WHERE kind = 'probe.happened' AND tenant_id = 't-one'"),
      "1");
  EXPECT_EQ(sql_text(h, "SELECT count(*) FROM audit_log WHERE action = 'probe.run'"), "1");
  // The same request again emits the event once (same idempotency key), audits twice.
  ASSERT_EQ(h.call("POST", "/api/v1/probe/ok", h.token("bob@one.test")).status, 201);
  EXPECT_EQ(sql_text(h, "SELECT count(*) FROM jobs WHERE kind = 'probe.happened'"), "1");
}

TEST_F(Framework, AThrowingHandlerRollsBackAndHidesItsText) {
  const std::string bob = h.token("bob@one.test");
  const ClientResponse r = h.call("POST", "/api/v1/probe/fail", bob);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.body.find("secret internal detail"), std::string::npos);
  const ClientResponse c = h.call("POST", "/api/v1/probe/conflict", bob);
  EXPECT_EQ(c.status, 409);
  EXPECT_EQ(json_of(c)["detail"], "probe conflict");
  EXPECT_EQ(sql_text(h, "SELECT count(*) FROM jobs"), "0");
  EXPECT_EQ(sql_text(h, "SELECT count(*) FROM audit_log WHERE action = 'probe.run'"), "0");
}

TEST_F(Framework, RoleAndScopeAreCheckedBeforeTheHandler) {
  EXPECT_EQ(h.call("POST", "/api/v1/probe/ok", h.token("carol@one.test")).status, 403);
  EXPECT_EQ(
      h.call("POST", "/api/v1/probe/ok", h.api_key("t-one", {"contacts:write"}, "agent")).status,
      403);
  EXPECT_EQ(h.call("POST", "/api/v1/probe/ok", h.api_key("t-one", {"probe:write"}, "agent")).status,
            201);
  EXPECT_EQ(sql_text(h, "SELECT actor_type FROM audit_log WHERE action = 'probe.run'"), "api_key");
}

TEST_F(Framework, AnUnauthenticatedRouteNeedsNoCredentialAndSeesNoCaller) {
  const ClientResponse r = h.call("GET", "/api/v1/probe/public", "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json_of(r)["tenant"], "");
}

TEST_F(Framework, TenantScopeHidesOtherTenantsRows) {
  ASSERT_EQ(h.call("POST", "/api/v1/probe/ok", h.token("dave@two.test")).status, 201);
  ASSERT_EQ(h.call("POST", "/api/v1/probe/ok", h.token("bob@one.test")).status, 201);
  const ClientResponse r = h.call("GET", "/api/v1/probe/tenant-rows", h.token("carol@one.test"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json_of(r)["tenants"], 1);
  EXPECT_EQ(sql_text(h, "SELECT count(DISTINCT tenant_id) FROM audit_log"), "2");
}

}  // namespace
}  // namespace reos::test
