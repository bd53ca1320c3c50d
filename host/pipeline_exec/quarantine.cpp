#include "pipeline_exec/quarantine.hpp"

#include <pqxx/pqxx>

namespace reos::pipeline_exec {

void quarantine_record(pqxx::transaction_base& tx, const QuarantinedRecord& r) {
  tx.exec_params(
      "INSERT INTO quarantine (tenant_id, pipeline_id, record_id, correlation_id, stage,"
      "  connector_id, reason, payload, job_id)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)"
      " ON CONFLICT (tenant_id, pipeline_id, record_id, correlation_id) DO NOTHING",
      r.tenant, r.pipeline, r.record_id, r.correlation_id, r.stage, r.connector,
      r.reason.substr(0, 4000), r.payload_json, r.job_id);
}

}  // namespace reos::pipeline_exec
