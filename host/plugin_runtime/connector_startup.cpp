#include "plugin_runtime/connector_startup.hpp"

#include <filesystem>
#include <pqxx/pqxx>

#include "blobs/blob_store_factory.hpp"
#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"
#include "log/logger.hpp"
#include "plugin_runtime/connector_settings_check.hpp"
#include "plugin_runtime/default_host_services.hpp"
#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/isolation_factory.hpp"
#include "plugin_runtime/plugin_kinds.hpp"

namespace reos::plugin_runtime {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string not_installed(const config::HubConfig& hub, const std::vector<LoadOutcome>& plugins,
                          const std::string& name) {
  std::string message = "plugin '" + name + "' is not installed (plugin_dirs: " +
                        (hub.plugin_dirs.empty() ? "none" : joined(hub.plugin_dirs)) + ")";
  // A refused file named for this plugin is almost certainly the one the operator meant.
  const std::string file_name = "libreos_" + name + ".so";
  for (const LoadOutcome& outcome : plugins) {
    if (!outcome.library && std::filesystem::path(outcome.path).filename() == file_name) {
      message += "; " + file_name + " was refused: " + outcome.refusal;
    }
  }
  return message;
}

void record_status(db::ConnectionPool& pool, const std::string& tenant_id,
                   const std::string& connector_id, const std::string* error) {
  try {
    auto lease = pool.acquire();
    pqxx::work tx(*lease);
    db::enter_tenant_scope(tx, tenant_id);
    if (error) {
      tx.exec_params(
          "UPDATE connectors SET status = 'failing', last_error = $3, updated_at = now() "
          "WHERE tenant_id = $1 AND id = $2",
          tenant_id, connector_id, *error);
    } else {
      tx.exec_params(
          "UPDATE connectors SET status = 'idle', last_error = NULL, updated_at = now() "
          "WHERE tenant_id = $1 AND id = $2 AND status = 'failing'",
          tenant_id, connector_id);
    }
    tx.commit();
  } catch (const std::exception& e) {
    log::error("cannot record connector status",
               {{"tenant", tenant_id}, {"connector", connector_id}, {"error", e.what()}});
  }
}

// Starts one connector; returns "" on success, else why not.
std::string start_one(const config::HubConfig& hub, const config::TenantConfig& tenant,
                      const config::ConnectorConfig& connector,
                      const std::vector<LoadOutcome>& plugins, db::ConnectionPool& pool,
                      http::MetricsRegistry& metrics, std::shared_ptr<PluginInstance>& started) {
  const std::shared_ptr<PluginLibrary> library = find_loaded_plugin(plugins, connector.plugin);
  if (!library) return not_installed(hub, plugins, connector.plugin);

  const std::vector<config::ConfigError> problems =
      check_connector_settings(tenant, connector, library->settings_schema());
  if (!problems.empty()) {
    std::string text = "invalid settings: ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
      text += (i ? "; " : "") + problems[i].to_string();
    }
    return text;
  }

  ConnectorServiceSettings settings;
  settings.plugin = connector.plugin;
  settings.tenant_id = tenant.id;
  settings.connector_id = connector.id;
  settings.settings_json = connector.settings_json;
  settings.secrets = tenant.secrets;
  settings.blob_root = hub.blobs.dir;
  settings.blob_store = blobs::make_blob_store(hub.blobs);  // hub.yaml blobs: (docs/blobs.md)
  auto services = std::make_shared<DefaultHostServices>(std::move(settings), pool, metrics);

  CallContext ctx;
  ctx.tenant_id = tenant.id;
  ctx.connector_id = connector.id;
  ctx.correlation_id = "start:" + tenant.id + "/" + connector.id;
  CallResult created;
  std::unique_ptr<PluginInstance> instance =
      connector.isolation == "process"
          ? create_isolated_instance(library->info().path, services, ctx, connector.settings_json,
                                     created)
          : create_in_process_instance(library, services, ctx, connector.settings_json, created);
  if (!instance) {
    return "plugin '" + connector.plugin + "' refused to start: " + status_name(created.status) +
           (created.message.empty() ? "" : ": " + created.message);
  }
  started = std::move(instance);
  return "";
}

}  // namespace

void log_plugin_scan(const std::vector<LoadOutcome>& plugins) {
  for (const LoadOutcome& outcome : plugins) {
    if (outcome.library) {
      const PluginInfo& info = outcome.library->info();
      log::info("plugin loaded", {{"plugin", info.name},
                                  {"version", info.version},
                                  {"kinds", kind_names(info.kinds)},
                                  {"path", info.path}});
    } else {
      log::warn("plugin refused", {{"path", outcome.path}, {"reason", outcome.refusal}});
    }
  }
}

void start_connectors(const config::HubConfig& hub, const std::vector<LoadOutcome>& plugins,
                      db::ConnectionPool& pool, http::MetricsRegistry& metrics,
                      ConnectorRegistry& registry) {
  for (const config::TenantConfig& tenant : hub.tenants) {
    for (const config::ConnectorConfig& connector : tenant.connectors) {
      if (!connector.enabled) continue;
      std::shared_ptr<PluginInstance> instance;
      std::string error;
      try {
        error = start_one(hub, tenant, connector, plugins, pool, metrics, instance);
      } catch (const std::exception& e) {
        error = std::string("cannot start: ") + e.what();
      }
      if (error.empty()) {
        registry.add_running(tenant.id, connector.id, connector.plugin, std::move(instance));
        record_status(pool, tenant.id, connector.id, nullptr);
        log::info("connector started", {{"tenant", tenant.id},
                                        {"connector", connector.id},
                                        {"plugin", connector.plugin},
                                        {"isolation", connector.isolation}});
      } else {
        registry.add_failing(tenant.id, connector.id, connector.plugin, error);
        record_status(pool, tenant.id, connector.id, &error);
        log::error("connector failing", {{"tenant", tenant.id},
                                         {"connector", connector.id},
                                         {"plugin", connector.plugin},
                                         {"error", error}});
      }
    }
  }
}

}  // namespace reos::plugin_runtime
