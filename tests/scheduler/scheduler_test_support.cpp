#include "scheduler_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <pqxx/pqxx>

#include "pipeline/schedule_spec.hpp"

namespace reos::test {

scheduler::TimePoint utc(const std::string& text) {
  std::tm tm{};
  const int fields = std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon,
                                 &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
  EXPECT_GE(fields, 5) << text;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return scheduler::Clock::from_time_t(timegm(&tm));
}

config::HubConfig hub_with(const std::string& tenant, const std::vector<SourceDef>& sources) {
  config::HubConfig hub;
  config::TenantConfig t;
  t.id = tenant;
  t.name = tenant;
  for (const SourceDef& s : sources) {
    const auto c =
        std::find_if(t.connectors.begin(), t.connectors.end(),
                     [&](const config::ConnectorConfig& x) { return x.id == s.connector; });
    if (c == t.connectors.end()) {
      config::ConnectorConfig connector;
      connector.id = s.connector;
      connector.plugin = "file_feed";
      connector.enabled = s.connector_enabled;
      t.connectors.push_back(connector);
    }
    auto p = std::find_if(t.pipelines.begin(), t.pipelines.end(),
                          [&](const pipeline::PipelineConfig& x) { return x.id == s.pipeline; });
    if (p == t.pipelines.end()) {
      pipeline::PipelineConfig pipeline;
      pipeline.id = s.pipeline;
      pipeline.record_type = "property";
      pipeline.enabled = s.pipeline_enabled;
      t.pipelines.push_back(pipeline);
      p = t.pipelines.end() - 1;
    }
    p->sources.push_back({s.connector, pipeline::parse_schedule(s.spec)});
  }
  hub.tenants.push_back(t);
  return hub;
}

SchedulerDatabase::SchedulerDatabase() : conninfo_(db_.conninfo()) {
  migrate_to_current(conninfo_);
  pqxx::connection conn(conninfo_);
  pqxx::work tx(conn);
  tx.exec("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme Realty'), ('beta', 'Beta Homes')");
  tx.commit();
}

std::int64_t SchedulerDatabase::scalar(const std::string& sql) const {
  pqxx::connection conn(conninfo_);
  pqxx::nontransaction tx(conn);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

std::vector<std::string> SchedulerDatabase::column(const std::string& sql) const {
  pqxx::connection conn(conninfo_);
  pqxx::nontransaction tx(conn);
  std::vector<std::string> out;
  for (const pqxx::row& r : tx.exec(sql))
    out.push_back(r[0].is_null() ? std::string() : r[0].as<std::string>());
  return out;
}

}  // namespace reos::test
