#pragma once

// A hub for the messaging tests: a fresh migrated database, a scratch folder with the
// recording_notifier plugin (connector `mailer`, log {dir}/sent.log, fail file
// {dir}/mailer.fail), tenant `acme` with a messaging section (templates new_listing (email)
// and reminder (sms), postal address, unsubscribe secret), connectors started, a
// PipelineRuntime and the tenants' MessagingTenants. message.send jobs run one at a time on
// the test thread (run_send), so a test can change the world between enqueue and send.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/hub_config.hpp"
#include "db/connection_pool.hpp"
#include "http/metrics_registry.hpp"
#include "messaging/message_store.hpp"
#include "messaging/messaging_tenants.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "plugin_runtime/test_plugins.hpp"
#include "queue/job_queue.hpp"
#include "support/test_database.hpp"

namespace reos::test {

/// The unsubscribe secret the fixture's tenant uses.
inline constexpr const char* kUnsubscribeSecret = "test-unsubscribe-secret-0123456789";

class MessagingFixture {
 public:
  /// `extra_connectors`: YAML list items appended to acme's connectors ("{dir}" works);
  /// `extra_plugins`: built plugin files copied into the plugin folder.
  explicit MessagingFixture(const std::string& extra_connectors = "",
                            const std::vector<std::string>& extra_plugins = {});
  ~MessagingFixture();

  std::string file(const std::string& name) const { return dir_.file(name); }
  const queue::JobQueue& queue() const { return *queue_; }
  const config::HubConfig& hub() const { return hub_; }
  plugin_runtime::ConnectorRegistry& registry() { return *registry_; }
  db::ConnectionPool& pool() { return *pool_; }
  http::MetricsRegistry& metrics() { return metrics_; }
  /// Claims the oldest due job of `kind` and runs `handler` on it like a worker; nullopt when
  /// none is due.
  std::optional<queue::JobOutcome> run_job(
      const std::string& kind, const std::function<queue::JobOutcome(const queue::Job&)>& handler);
  messaging::MessagingTenants& tenants() { return *tenants_; }

  /// Creates a queued message of acme (and its message.send job); returns its id.
  std::string queue_message(const messaging::NewMessage& message);
  /// An email to `to` through `mailer` with inline content.
  messaging::NewMessage email(const std::string& to) const;
  /// Claims the oldest due message.send job, runs the handler, records the outcome as a
  /// worker would. nullopt when none is due.
  std::optional<queue::JobOutcome> run_send();
  /// Enqueues a job of acme directly (a duplicate or hand-made job).
  void enqueue(const std::string& kind, const std::string& payload, const std::string& key);
  /// apply_message_event for acme through connector `mailer`, in its own transaction.
  void apply(const std::string& event_json);
  /// A contact of acme (as the owner: no RLS); returns its id.
  std::string add_contact(const std::string& first_name, const std::string& email,
                          const std::string& phone, bool consent_email, bool consent_sms);

  void exec(const std::string& sql) const;
  std::int64_t scalar(const std::string& sql) const;
  std::string text(const std::string& sql) const;
  /// The lines of a scratch file ({} when absent).
  std::vector<std::string> lines(const std::string& name) const;
  void write(const std::string& name, const std::string& text) const { dir_.write(name, text); }
  void remove(const std::string& name) const;

  /// Called at the handler's fault points ("message.send:after-provider-call"); throwing
  /// simulates the worker dying there.
  std::function<void(std::string_view)> fault;

 private:
  ScratchDir dir_;
  TestDatabase db_;
  std::string conninfo_;
  config::HubConfig hub_;
  std::unique_ptr<db::ConnectionPool> pool_;
  http::MetricsRegistry metrics_;
  std::unique_ptr<plugin_runtime::ConnectorRegistry> registry_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<pipeline_exec::PipelineRuntime> runtime_;
  std::unique_ptr<messaging::MessagingTenants> tenants_;
  db::ConnectionPtr conn_;
};

/// The acme tenant file the fixture writes ("{dir}" = the scratch folder).
std::string messaging_tenant_yaml();

}  // namespace reos::test
