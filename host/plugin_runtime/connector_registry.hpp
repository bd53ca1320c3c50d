#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "plugin_runtime/plugin_instance.hpp"

namespace reos::plugin_runtime {

/// The plugin instances of every tenant connector the host runs, and why the others are not
/// running. Filled once at start-up (connector_startup.hpp), read by the pipeline.
/// Thread-safe: lookups take a shared lock; instances are shared_ptr so a caller keeps the
/// one it found alive even if the registry is replaced meanwhile.
class ConnectorRegistry {
 public:
  /// One connector: either `instance` is set, or `error` says why it is failing.
  struct Entry {
    std::string tenant_id;
    std::string connector_id;
    std::string plugin;
    std::shared_ptr<PluginInstance> instance;
    std::string error;
  };

  /// Records a running connector (replaces an earlier entry for the same key).
  void add_running(const std::string& tenant_id, const std::string& connector_id,
                   const std::string& plugin, std::shared_ptr<PluginInstance> instance);
  /// Records a connector that could not be started and why.
  void add_failing(const std::string& tenant_id, const std::string& connector_id,
                   const std::string& plugin, std::string error);

  /// The instance serving (tenant, connector), or nullptr when it is not running.
  std::shared_ptr<PluginInstance> find(const std::string& tenant_id,
                                       const std::string& connector_id) const;
  /// A copy of the entry for (tenant, connector), or nullptr-like empty entry when unknown.
  Entry entry(const std::string& tenant_id, const std::string& connector_id) const;
  /// Every entry, ordered by tenant then connector.
  std::vector<Entry> entries() const;
  std::size_t running_count() const;
  std::size_t failing_count() const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::pair<std::string, std::string>, Entry> entries_;
};

}  // namespace reos::plugin_runtime
