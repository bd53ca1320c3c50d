#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace reos::db {
class ConnectionPool;
}

namespace reos::plugin_runtime {

/// One tenant connector's durable key → string state: the `state` jsonb of its row in
/// `connectors`, read and written inside the tenant's row-level-security scope. Each call is
/// its own transaction. Thread-safe (the pool is); throws std::runtime_error on database
/// errors and when the connector row does not exist (a write would silently do nothing).
class ConnectorStateStore {
 public:
  /// `pool` must outlive the store.
  ConnectorStateStore(db::ConnectionPool& pool, std::string tenant_id, std::string connector_id);

  /// The value under `key`, or nullopt when unset.
  std::optional<std::string> get(std::string_view key) const;

  /// Sets `key` to `value` (a JSON string in the jsonb), committed before returning.
  void put(std::string_view key, std::string_view value) const;

 private:
  db::ConnectionPool& pool_;
  std::string tenant_id_;
  std::string connector_id_;
};

}  // namespace reos::plugin_runtime
