#include "db/config_sync.hpp"

#include <pqxx/pqxx>

#include "config/hub_config.hpp"
#include "db/migration_set.hpp"

namespace reos::db {

SyncResult sync_tenants_from_config(pqxx::connection_base& conn, const config::HubConfig& hub) {
  SyncResult result;
  pqxx::work tx(conn);
  for (const config::TenantConfig& t : hub.tenants) {
    tx.exec_params(
        "INSERT INTO tenants (id, name) VALUES ($1, $2) "
        "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now() "
        "WHERE tenants.name IS DISTINCT FROM EXCLUDED.name",
        t.id, t.name);
    ++result.tenants;
    std::string ids = "{";
    for (const config::ConnectorConfig& c : t.connectors) {
      tx.exec_params(
          "INSERT INTO connectors (tenant_id, id, plugin, enabled, settings_ref, settings_checksum,"
          " status) VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $4 THEN 'idle' ELSE 'disabled' END) "
          "ON CONFLICT (tenant_id, id) DO UPDATE SET plugin = EXCLUDED.plugin, "
          " enabled = EXCLUDED.enabled, settings_ref = EXCLUDED.settings_ref, "
          " settings_checksum = EXCLUDED.settings_checksum, "
          " status = CASE WHEN EXCLUDED.enabled THEN "
          "   (CASE WHEN connectors.status = 'disabled' THEN 'idle' ELSE connectors.status END) "
          "   ELSE 'disabled' END, updated_at = now()",
          t.id, c.id, c.plugin, c.enabled, t.file + "#connectors." + c.id,
          sha256_hex(c.settings_json));
      ++result.connectors;
      ids += (ids.size() > 1 ? "," : "") + std::string("\"") + c.id + "\"";
    }
    ids += "}";
    auto r = tx.exec_params(
        "UPDATE connectors SET enabled = false, status = 'disabled', updated_at = now() "
        "WHERE tenant_id = $1 AND enabled AND NOT (id = ANY($2::text[]))",
        t.id, ids);
    result.connectors_disabled += static_cast<int>(r.affected_rows());
  }
  tx.commit();
  return result;
}

}  // namespace reos::db
