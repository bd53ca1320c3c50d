#include "messaging_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "db/config_sync.hpp"
#include "db/tenant_scope.hpp"
#include "messaging/message_events.hpp"
#include "messaging/message_send_handler.hpp"
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

}  // namespace

std::string messaging_tenant_yaml() {
  return R"(id: acme
name: Acme Realty
secrets:
  unsub: file:{dir}/unsub.secret
connectors:
  - id: mailer
    plugin: recording_notifier
    settings: { log: "{dir}/sent.log", fail_file: "{dir}/mailer.fail" }
messaging:
  postal_address: "Acme Realty, 1 Main St, Seattle, WA 98101"
  public_url: https://hub.acme.test/
  unsubscribe_secret: unsub
  email: { from: agents@acme.test, from_name: Acme Realty }
  sms: { from: "+12065550100" }
  templates:
    new_listing:
      channel: email
      variables: [address, price, note_html]
      html_variables: [note_html]
      subject: "New listing: {{address}}"
      text: "Hi {{contact.first_name}}, {{address}} is listed at {{price}}."
      html: |
        <p>Hi {{contact.first_name}}, <b>{{address}}</b> is listed at {{price}}.</p>
        {{{note_html}}}
    reminder:
      channel: sms
      variables: [time]
      text: "Hi {{contact.first_name}}, your showing is at {{time}}."
)";
}

MessagingFixture::MessagingFixture(const std::string& extra_connectors,
                                   const std::vector<std::string>& extra_plugins)
    : conninfo_(db_.conninfo()) {
  migrate_to_current(conninfo_);
  dir_.add_plugin("recording_notifier", "plugins/libreos_recording_notifier.so");
  for (const std::string& plugin : extra_plugins) {
    std::filesystem::copy_file(
        plugin, dir_.file("plugins/" + std::filesystem::path(plugin).filename().string()),
        std::filesystem::copy_options::overwrite_existing);
  }
  dir_.write("unsub.secret", kUnsubscribeSecret);
  const std::string hub_path =
      dir_.write("hub.yaml",
                 "plugin_dirs: [plugins]\ntenants_dir: tenants\nblobs: { dir: blobs }\n"
                 "queue:\n  kinds:\n    message.send: { max_attempts: 3, backoff_base_ms: 0, "
                 "backoff_cap_ms: 0 }\n"
                 "log: { level: warn, format: json }\n");
  std::string tenant = messaging_tenant_yaml();
  tenant.insert(tenant.find("messaging:\n"), extra_connectors);
  dir_.write("tenants/acme.yaml", replace_all(tenant, "{dir}", dir_.path()));
  hub_ = config::load_hub_config(hub_path, {"REOS_DATABASE__URL=" + conninfo_});
  conn_ = db::connect(conninfo_);
  db::sync_tenants_from_config(*conn_, hub_);
  pool_ = std::make_unique<db::ConnectionPool>(conninfo_, 4);
  registry_ = std::make_unique<plugin_runtime::ConnectorRegistry>();
  plugin_runtime::start_connectors(hub_, plugin_runtime::scan_plugin_dirs(hub_.plugin_dirs), *pool_,
                                   metrics_, *registry_);
  for (const auto& e : registry_->entries()) {
    EXPECT_TRUE(e.instance) << e.connector_id << ": " << e.error;
  }
  queue_ = std::make_unique<queue::JobQueue>(queue::backoff_policy_from_config(hub_.queue));
  pipeline_exec::PipelineRuntimeOptions options;
  options.fault_injection = [this](std::string_view point) {
    if (fault) fault(point);
  };
  runtime_ = std::make_unique<pipeline_exec::PipelineRuntime>(hub_, *registry_, *pool_, metrics_,
                                                              std::move(options));
  tenants_ = std::make_unique<messaging::MessagingTenants>(hub_);
}

MessagingFixture::~MessagingFixture() {
  runtime_.reset();
  registry_.reset();
  conn_.reset();
  pool_->close();
}

std::string MessagingFixture::queue_message(const messaging::NewMessage& message) {
  pqxx::work tx(*conn_);
  db::enter_tenant_scope(tx, "acme");
  const std::string id = messaging::create_message(tx, *queue_, "acme", message).id;
  tx.commit();
  return id;
}

messaging::NewMessage MessagingFixture::email(const std::string& to) const {
  messaging::NewMessage m;
  m.channel = "email";
  m.recipient = to;
  m.connector = "mailer";
  m.content_json = R"({"subject":"Hello","text":"Plain <text> & more"})";
  return m;
}

std::optional<queue::JobOutcome> MessagingFixture::run_send() {
  return run_job(messaging::kMessageSendJob, [this](const queue::Job& job) {
    return messaging::handle_message_send({*tenants_, *runtime_}, job);
  });
}

std::optional<queue::JobOutcome> MessagingFixture::run_job(
    const std::string& kind, const std::function<queue::JobOutcome(const queue::Job&)>& handler) {
  const std::string owner = "test-driver";
  const auto jobs = queue_->claim(*conn_, owner, {kind}, 1, std::chrono::milliseconds(30000));
  if (jobs.empty()) return std::nullopt;
  const queue::Job& job = jobs.front();
  queue::JobOutcome outcome;
  try {
    outcome = handler(job);
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

void MessagingFixture::enqueue(const std::string& kind, const std::string& payload,
                               const std::string& key) {
  queue_->enqueue(*conn_, "acme", kind, payload, key);
}

void MessagingFixture::apply(const std::string& event_json) {
  pqxx::work tx(*conn_);
  db::enter_tenant_scope(tx, "acme");
  messaging::apply_message_event(tx, *queue_, "acme", "mailer", event_json);
  tx.commit();
}

std::string MessagingFixture::add_contact(const std::string& first_name, const std::string& email,
                                          const std::string& phone, bool consent_email,
                                          bool consent_sms) {
  pqxx::work tx(*conn_);
  const std::string id =
      tx.exec_params1(
            "INSERT INTO contacts (tenant_id, first_name, email, phone, consent_email,"
            "  consent_sms) VALUES ('acme', $1, nullif($2, ''), nullif($3, ''), $4, $5)"
            " RETURNING id::text",
            first_name, email, phone, consent_email, consent_sms)[0]
          .as<std::string>();
  tx.commit();
  return id;
}

void MessagingFixture::exec(const std::string& sql) const {
  pqxx::work tx(*conn_);
  tx.exec(sql);
  tx.commit();
}

std::int64_t MessagingFixture::scalar(const std::string& sql) const {
  pqxx::nontransaction tx(*conn_);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

std::string MessagingFixture::text(const std::string& sql) const {
  pqxx::nontransaction tx(*conn_);
  const auto row = tx.exec1(sql);
  return row[0].is_null() ? "" : row[0].as<std::string>();
}

std::vector<std::string> MessagingFixture::lines(const std::string& name) const {
  std::vector<std::string> out;
  std::ifstream in(file(name));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void MessagingFixture::remove(const std::string& name) const {
  std::filesystem::remove(file(name));
}

}  // namespace reos::test
