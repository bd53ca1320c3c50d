#include "plugin_runtime/connector_registry.hpp"

#include <mutex>

namespace reos::plugin_runtime {

void ConnectorRegistry::add_running(const std::string& tenant_id, const std::string& connector_id,
                                    const std::string& plugin,
                                    std::shared_ptr<PluginInstance> instance) {
  std::unique_lock lock(mutex_);
  entries_[{tenant_id, connector_id}] =
      Entry{tenant_id, connector_id, plugin, std::move(instance), ""};
}

void ConnectorRegistry::add_failing(const std::string& tenant_id, const std::string& connector_id,
                                    const std::string& plugin, std::string error) {
  std::unique_lock lock(mutex_);
  entries_[{tenant_id, connector_id}] =
      Entry{tenant_id, connector_id, plugin, nullptr, std::move(error)};
}

std::shared_ptr<PluginInstance> ConnectorRegistry::find(const std::string& tenant_id,
                                                        const std::string& connector_id) const {
  std::shared_lock lock(mutex_);
  const auto it = entries_.find({tenant_id, connector_id});
  return it == entries_.end() ? nullptr : it->second.instance;
}

ConnectorRegistry::Entry ConnectorRegistry::entry(const std::string& tenant_id,
                                                  const std::string& connector_id) const {
  std::shared_lock lock(mutex_);
  const auto it = entries_.find({tenant_id, connector_id});
  return it == entries_.end() ? Entry{} : it->second;
}

std::vector<ConnectorRegistry::Entry> ConnectorRegistry::entries() const {
  std::shared_lock lock(mutex_);
  std::vector<Entry> all;
  for (const auto& [key, entry] : entries_) {
    (void)key;
    all.push_back(entry);
  }
  return all;
}

std::size_t ConnectorRegistry::running_count() const {
  std::shared_lock lock(mutex_);
  std::size_t n = 0;
  for (const auto& [key, entry] : entries_) n += entry.instance ? 1 : 0;
  return n;
}

std::size_t ConnectorRegistry::failing_count() const {
  std::shared_lock lock(mutex_);
  std::size_t n = 0;
  for (const auto& [key, entry] : entries_) n += entry.instance ? 0 : 1;
  return n;
}

}  // namespace reos::plugin_runtime
