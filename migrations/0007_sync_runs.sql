-- Sync runs (docs/listings.md, "Sync runs and gone listings"): one row per run of a source
-- connector for a pipeline — a chain of source.pull pages from a starting cursor until the
-- source says it has no more — with its counters. A run that started from an empty cursor
-- (`reos sync --full`, the first sync) is a FULL run: the listing keys it saw are kept in
-- sync_run_seen until it finishes, and the connector's listings it did not see are then
-- marked gone (properties.gone_at, property_history 'gone', a listing.gone job).
CREATE TABLE sync_runs (
  id             bigserial PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  pipeline_id    text NOT NULL,
  connector_id   text NOT NULL,
  run_key        text NOT NULL,  -- the "run" of the source.pull payloads
  full_sync      boolean NOT NULL DEFAULT false,
  started_at     timestamptz NOT NULL DEFAULT now(),
  pulled_at      timestamptz,    -- the source said "no more"
  finished_at    timestamptz,    -- every page processed (or the run failed)
  pages          integer NOT NULL DEFAULT 0,  -- pages handed to pipeline.process
  pages_done     integer NOT NULL DEFAULT 0,
  fetched        bigint NOT NULL DEFAULT 0,
  inserted       bigint NOT NULL DEFAULT 0,
  updated        bigint NOT NULL DEFAULT 0,
  unchanged      bigint NOT NULL DEFAULT 0,
  quarantined    bigint NOT NULL DEFAULT 0,
  gone           bigint NOT NULL DEFAULT 0,
  error          text,
  UNIQUE (tenant_id, pipeline_id, connector_id, run_key)
);
CREATE INDEX sync_runs_connector ON sync_runs (tenant_id, connector_id, started_at DESC);
CREATE INDEX sync_runs_open ON sync_runs (tenant_id, pipeline_id, connector_id)
  WHERE finished_at IS NULL;

-- Which run each pipeline.process job (a page) belongs to.
CREATE TABLE sync_run_pages (
  job_id       bigint PRIMARY KEY,
  run_id       bigint NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
  tenant_id    text NOT NULL
);
CREATE INDEX sync_run_pages_run ON sync_run_pages (run_id);

-- Keys seen by a full run (deleted when it finishes).
CREATE TABLE sync_run_seen (
  run_id       bigint NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
  tenant_id    text NOT NULL,
  listing_key  text NOT NULL,
  PRIMARY KEY (run_id, listing_key)
);

ALTER TABLE sync_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_runs
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());
ALTER TABLE sync_run_seen ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_run_seen
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());
GRANT SELECT, INSERT, UPDATE ON sync_runs TO reos_app;
GRANT USAGE ON SEQUENCE sync_runs_id_seq TO reos_app;
GRANT SELECT, INSERT, DELETE ON sync_run_seen TO reos_app;
ALTER TABLE sync_run_pages ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_run_pages
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());
GRANT SELECT, INSERT ON sync_run_pages TO reos_app;

-- The claim query walks jobs_ready (run_at, id) and filters on kind. Jobs of kinds no worker
-- handles yet (listing.* events wait for the workflow engine: one per new listing, 100,000
-- after a first sync of a large MLS) sat in front of every claim, making each one scan them
-- all. Per kind, the planner reads only the kinds a worker asks for.
CREATE INDEX jobs_ready_kind ON jobs (kind, run_at, id) WHERE status = 'queued';
