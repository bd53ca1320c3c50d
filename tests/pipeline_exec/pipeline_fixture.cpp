#include "pipeline_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <thread>

#include "db/config_sync.hpp"
#include "pipeline_exec/job_kinds.hpp"
#include "pipeline_exec/pipeline_handlers.hpp"
#include "plugin_runtime/connector_startup.hpp"
#include "plugin_runtime/plugin_scan.hpp"
#include "queue/job_workers.hpp"

namespace reos::test {
namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

const std::vector<std::string> kKinds = {pipeline_exec::kSourcePull,
                                         pipeline_exec::kPipelineProcess,
                                         pipeline_exec::kSinkNotify, pipeline_exec::kSinkExport};

}  // namespace

std::string tenant_yaml(const std::string& source_settings, const std::string& routes_yaml,
                        const std::string& stages_yaml) {
  return "id: acme\nname: Acme\nconnectors:\n"
         "  - id: src\n    plugin: counting_source\n    settings: " +
         source_settings +
         "\n"
         "  - id: vendor\n    plugin: counting_enricher\n"
         "    settings: { log: \"{dir}/enrich.log\", fail_file: \"{dir}/vendor.fail\" }\n"
         "  - id: mailer\n    plugin: counting_notifier\n"
         "    settings: { log: \"{dir}/side.log\", fail_file: \"{dir}/mailer.fail\" }\n"
         "pipelines:\n"
         "  - id: listings\n    record_type: property\n"
         "    sources: [{ connector: src, schedule: \"every 4h\" }]\n" +
         stages_yaml + "    routes:\n" + routes_yaml;
}

std::string pipeline_hub_yaml(int max_attempts) {
  std::string kinds;
  for (const auto& k : kKinds) {
    kinds += "    " + k + ": { max_attempts: " + std::to_string(max_attempts) +
             ", backoff_base_ms: 0, backoff_cap_ms: 0 }\n";
  }
  return "plugin_dirs: [plugins]\ntenants_dir: tenants\nblobs: { dir: blobs }\n"
         "workers: { count: 2 }\n"
         "queue:\n  lease_ms: 5000\n  batch_size: 8\n  kinds:\n" +
         kinds + "log: { level: warn, format: json }\n";
}

PipelineFixture::PipelineFixture(const std::string& tenant,
                                 pipeline_exec::PipelineRuntimeOptions options, int max_attempts)
    : conninfo_(db_.conninfo()) {
  migrate_to_current(conninfo_);
  for (const char* p : {"counting_source", "counting_enricher", "counting_notifier"}) {
    dir_.add_plugin(p, std::string("plugins/libreos_") + p + ".so");
  }
  hub_path_ = dir_.write("hub.yaml", pipeline_hub_yaml(max_attempts));
  dir_.write("tenants/acme.yaml", replace_all(tenant, "{dir}", dir_.path()));
  hub_ = config::load_hub_config(hub_path_, {"REOS_DATABASE__URL=" + conninfo_});
  conn_ = db::connect(conninfo_);
  db::sync_tenants_from_config(*conn_, hub_);
  pool_ = std::make_unique<db::ConnectionPool>(conninfo_, 8);
  registry_ = std::make_unique<plugin_runtime::ConnectorRegistry>();
  const auto plugins = plugin_runtime::scan_plugin_dirs(hub_.plugin_dirs);
  plugin_runtime::start_connectors(hub_, plugins, *pool_, metrics_, *registry_);
  for (const auto& e : registry_->entries()) {
    EXPECT_TRUE(e.instance) << e.connector_id << ": " << e.error;
  }
  queue_ = std::make_unique<queue::JobQueue>(queue::backoff_policy_from_config(hub_.queue));
  runtime_ = std::make_unique<pipeline_exec::PipelineRuntime>(hub_, *registry_, *pool_, metrics_,
                                                              std::move(options));
}

PipelineFixture::~PipelineFixture() {
  runtime_.reset();
  registry_.reset();
  conn_.reset();
  pool_->close();
}

std::int64_t PipelineFixture::enqueue_pull(const std::string& pipeline,
                                           const std::string& connector, const std::string& key) {
  const std::string payload =
      R"({"tenant":"acme","pipeline":")" + pipeline + R"(","connector":")" + connector + "\"}";
  return queue_->enqueue(*conn_, "acme", pipeline_exec::kSourcePull, payload, key).id;
}

std::optional<queue::JobOutcome> PipelineFixture::run_next(const std::string& kind) {
  const std::string owner = "test-driver";
  const auto jobs = queue_->claim(*conn_, owner, {kind}, 1, std::chrono::milliseconds(30000));
  if (jobs.empty()) return std::nullopt;
  const queue::Job& job = jobs.front();
  const auto handlers = pipeline_exec::pipeline_handlers(*runtime_);
  queue::JobOutcome outcome;
  try {
    outcome = handlers.at(kind)(job);
  } catch (const std::exception& e) {
    outcome = queue::JobOutcome::retry(std::chrono::milliseconds(0),
                                       std::string("handler threw: ") + e.what());
  }
  switch (outcome.kind) {
    case queue::JobOutcome::Kind::ok:
      EXPECT_TRUE(queue_->complete(*conn_, job.id, owner));
      break;
    case queue::JobOutcome::Kind::retry:
    case queue::JobOutcome::Kind::fail:
      queue_->fail(*conn_, job, owner, outcome.message,
                   outcome.kind == queue::JobOutcome::Kind::retry, outcome.retry_after);
      break;
    case queue::JobOutcome::Kind::defer:
      EXPECT_TRUE(queue_->defer(*conn_, job, owner, outcome.retry_after, outcome.message));
      break;
  }
  return outcome;
}

int PipelineFixture::drain(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int runs = 0;
  for (;;) {
    bool ran = false;
    for (const auto& kind : kKinds) {
      while (run_next(kind)) {
        ++runs;
        ran = true;
      }
    }
    if (ran) continue;
    if (scalar("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND kind IN "
               "('source.pull', 'pipeline.process', 'sink.notify', 'sink.export')") == 0) {
      return runs;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "drain: pipeline jobs still pending after the timeout";
      return runs;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

queue::Job PipelineFixture::job(std::int64_t id) const {
  const auto found = queue_->find(*conn_, id);
  if (!found) throw std::runtime_error("no job " + std::to_string(id));
  return *found;
}

void PipelineFixture::exec(const std::string& sql) const {
  pqxx::work tx(*conn_);
  tx.exec(sql);
  tx.commit();
}

std::int64_t PipelineFixture::scalar(const std::string& sql) const {
  pqxx::nontransaction tx(*conn_);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

std::string PipelineFixture::text(const std::string& sql) const {
  pqxx::nontransaction tx(*conn_);
  const auto row = tx.exec1(sql);
  return row[0].is_null() ? "" : row[0].as<std::string>();
}

std::vector<std::string> PipelineFixture::lines(const std::string& name) const {
  std::vector<std::string> out;
  std::ifstream in(file(name));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void PipelineFixture::write(const std::string& name, const std::string& text) const {
  dir_.write(name, text);
}

void PipelineFixture::remove(const std::string& name) const {
  std::filesystem::remove(file(name));
}

}  // namespace reos::test
