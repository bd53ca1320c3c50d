-- The durable job queue (docs/job-queue.md): every hop of the pipeline is a row here.
--
-- Jobs are claimed with FOR UPDATE SKIP LOCKED and leased to one worker (lease_owner until
-- lease_expires_at); completion and failure are fenced by lease_owner, so a worker whose
-- lease was taken over cannot overwrite the new owner's outcome. Inserting a job notifies
-- channel `reos_jobs` (payload: the kind) so idle workers wake at once instead of polling.
--
-- Tenancy: jobs belong to a tenant and carry the same row-level-security policy as the other
-- tenant tables, so tenant-scoped code (reos_app) sees and enqueues only its own jobs. The
-- queue machinery itself (claim, lease recovery, admin listing) is cross-tenant system work
-- and runs as the owning role.

CREATE TABLE jobs (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id         text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind              text NOT NULL CHECK (kind ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  payload           jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Same (tenant, kind, key) = the same job: a second enqueue returns the first one's id.
  -- NULL = no de-duplication.
  idempotency_key   text CHECK (length(idempotency_key) BETWEEN 1 AND 400),
  status            text NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'dead')),
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts      integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  run_at            timestamptz NOT NULL DEFAULT now(),  -- not claimable before this
  lease_owner       text,
  lease_expires_at  timestamptz,
  last_error        text,
  correlation_id    text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,  -- set on succeeded / failed / dead
  CONSTRAINT jobs_lease_only_while_running
    CHECK ((status = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);

CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant_id, kind, idempotency_key);
-- What claim() scans: the queued jobs in due order.
CREATE INDEX jobs_ready ON jobs (run_at, id) WHERE status = 'queued';
-- What recover_expired_leases() scans.
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE status = 'running';
-- The admin API's dead-letter listing.
CREATE INDEX jobs_dead_letters ON jobs (id) WHERE status IN ('failed', 'dead');
CREATE INDEX jobs_tenant_kind ON jobs (tenant_id, kind, id);

-- One notification per kind and statement (PostgreSQL folds identical notifications of one
-- transaction into one), delivered at commit.
CREATE FUNCTION reos_jobs_notify() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_notify('reos_jobs', k.kind) FROM (SELECT DISTINCT kind FROM new_jobs) AS k;
  RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify_on_insert
  AFTER INSERT ON jobs REFERENCING NEW TABLE AS new_jobs
  FOR EACH STATEMENT EXECUTE FUNCTION reos_jobs_notify();

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON jobs
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

-- Tenant code may enqueue and read its jobs; claiming, completing and replaying are the
-- queue's (owner's) business.
GRANT SELECT, INSERT ON jobs TO reos_app;
GRANT EXECUTE ON FUNCTION reos_jobs_notify() TO reos_app;
