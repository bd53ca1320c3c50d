-- Pipeline execution (docs/pipeline-execution.md): the outbox that makes sink side effects
-- happen at most once, and the quarantine where bad records are kept with the reason.
--
-- outbox: one row per side effect (a notification, an export), keyed by the sink job's
-- idempotency key. A sink job marks its row 'sending' in a short transaction BEFORE calling
-- the provider and 'sent' (with the provider's id) after; a row found 'sending' at the start
-- of an attempt means an earlier worker stopped after handing the message over, so the
-- outcome is unknown (docs/job-queue.md, "Side effects at most once").
CREATE TABLE outbox (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 400),
  kind             text NOT NULL CHECK (kind IN ('notify', 'export')),
  connector_id     text NOT NULL,   -- the target connector (notifier or exporter)
  job_id           bigint,          -- the sink job of the latest attempt (no FK: jobs are pruned)
  status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  provider_id      text,            -- the provider's message / record id once sent
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),  -- provider calls started
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX outbox_unsettled ON outbox (tenant_id, updated_at) WHERE status IN ('sending', 'failed');

-- quarantine: a record a stage refused (an enricher or scorer FAIL/INVALID), kept with the
-- stage and the reason so an operator can fix and replay it; the rest of its batch carried on.
-- One row per (record, pull): re-running the batch job does not quarantine it twice.
CREATE TABLE quarantine (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  pipeline_id     text NOT NULL,
  record_id       text NOT NULL,
  correlation_id  text NOT NULL,   -- the record's correlation id (stable per pulled page)
  stage           text NOT NULL,   -- 'enrich' or 'score'
  connector_id    text NOT NULL,   -- the connector whose plugin refused the record
  reason          text NOT NULL,
  payload         jsonb NOT NULL,  -- the record as it entered the refusing stage
  job_id          bigint,          -- the pipeline.process job
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, pipeline_id, record_id, correlation_id)
);
CREATE INDEX quarantine_tenant_time ON quarantine (tenant_id, created_at DESC);

ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE quarantine ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON quarantine
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

GRANT SELECT, INSERT, UPDATE ON outbox TO reos_app;
GRANT SELECT, INSERT, DELETE ON quarantine TO reos_app;
