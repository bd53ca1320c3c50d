#pragma once

namespace pqxx {
class connection_base;
}

namespace reos::config {
struct HubConfig;
}

namespace reos::db {

struct SyncResult {
  int tenants = 0;              ///< tenants inserted or updated from config
  int connectors = 0;           ///< connector instances inserted or updated
  int connectors_disabled = 0;  ///< in the database but no longer in config
};

/// Makes the tenants and connectors tables match the tenant config files, in one
/// transaction. Connector state (cursors) survives; a connector removed from config is
/// disabled, never deleted, so its cursor is kept if it comes back. Tenants that exist only
/// in the database (created through the API) are left alone.
SyncResult sync_tenants_from_config(pqxx::connection_base& conn, const config::HubConfig& hub);

}  // namespace reos::db
