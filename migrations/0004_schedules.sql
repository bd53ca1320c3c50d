-- Pipeline source schedules (docs/scheduler.md): one row per (tenant, pipeline, source
-- connector), synced from the tenant config files at start.
--
-- next_run_at is the instant the schedule is next due. A firing moves it forward with a
-- compare-and-set (`… WHERE next_run_at = <the value read>`) in the same transaction that
-- enqueues the `source.pull` job, so of several `reos serve` processes exactly one fires each
-- slot; the job's idempotency key `schedule:<tenant>:<pipeline>:<connector>:<slot>` is a
-- second line of defence. After downtime the next due instant is computed from the current
-- time, so all missed slots collapse into one run.
--
-- Tenancy: the scheduler (sync and firing) is cross-tenant system work and runs as the owning
-- role; tenant code (reos_app) may only read its own schedules (the config owns them).

CREATE TABLE schedules (
  tenant_id      text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  pipeline_id    text NOT NULL CHECK (pipeline_id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  connector_id   text NOT NULL CHECK (connector_id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  spec           text NOT NULL CHECK (length(spec) BETWEEN 1 AND 1000),
  next_run_at    timestamptz NOT NULL,  -- due instant (a slot of `spec`)
  last_fired_at  timestamptz,           -- when the latest run was enqueued (firing host's clock)
  last_slot      timestamptz,           -- the slot that run stood for
  enabled        boolean NOT NULL DEFAULT true,  -- false: removed from config or switched off there
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, pipeline_id, connector_id)
);

-- What the scheduler scans: enabled schedules in due order.
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE enabled;

ALTER TABLE schedules ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON schedules
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

GRANT SELECT ON schedules TO reos_app;
