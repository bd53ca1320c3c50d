#include "messaging/suppression_store.hpp"

#include <pqxx/pqxx>

namespace reos::messaging {

bool add_suppression(pqxx::transaction_base& tx, const std::string& tenant,
                     const SuppressionEntry& entry) {
  const pqxx::result r = tx.exec_params(
      "INSERT INTO suppressions (tenant_id, channel, address, reason, source, message_id, detail)"
      " VALUES ($1, $2, $3, $4, $5, nullif($6, '')::uuid, $7)"
      " ON CONFLICT (tenant_id, channel, address) DO NOTHING RETURNING 1",
      tenant, entry.channel, entry.address, entry.reason, entry.source, entry.message_id,
      entry.detail.substr(0, 2000));
  return !r.empty();
}

bool remove_suppression(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& channel, const std::string& address) {
  const pqxx::result r = tx.exec_params(
      "DELETE FROM suppressions WHERE tenant_id = $1 AND channel = $2 AND address = $3"
      " RETURNING 1",
      tenant, channel, address);
  return !r.empty();
}

std::optional<std::string> suppression_reason(pqxx::transaction_base& tx, const std::string& tenant,
                                              const std::string& channel,
                                              const std::string& address) {
  const pqxx::result r = tx.exec_params(
      "SELECT reason FROM suppressions WHERE tenant_id = $1 AND channel = $2 AND address = $3",
      tenant, channel, address);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

}  // namespace reos::messaging
