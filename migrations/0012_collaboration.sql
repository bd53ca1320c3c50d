-- Collaboration (REST API v1): Idempotency-Key records, assignments and approvals.
-- docs/collaboration.md and docs/idempotency-and-limits.md explain the rules encoded here.

-- Idempotency-Key records, per tenant. A row is claimed ('running', with a short lease)
-- before the handler runs and completed ('done', with the stored response) after it, in
-- separate transactions; the lease lets a retry take over a claim left by a crashed process.
-- Rows expire 24 hours after creation and are purged by the API (expired rows are ignored).
CREATE TABLE idempotency_keys (
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash  text NOT NULL,  -- SHA-256 hex of method, path and body
  state         text NOT NULL CHECK (state IN ('running', 'done')),
  claim_token   text NOT NULL,  -- random per claim, so a late finisher cannot overwrite a takeover
  lease_until   timestamptz NOT NULL,
  status        integer,
  content_type  text,
  body          text,
  headers       jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL DEFAULT now() + interval '24 hours',
  PRIMARY KEY (tenant_id, key),
  CHECK (state = 'running' OR status IS NOT NULL)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Who works on an entity. History is kept: reassigning closes the current row as
-- 'reassigned' and inserts a new one; at most one current ('active' or 'accepted') row per
-- entity, enforced by the partial unique index below.
CREATE TABLE assignments (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  entity_type  text NOT NULL CHECK (entity_type IN ('contact', 'property', 'task', 'note')),
  entity_id    text NOT NULL CHECK (length(entity_id) BETWEEN 1 AND 255),
  assignee_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  assigned_by  text NOT NULL,  -- actor id (user or API key) that made the assignment
  note         text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  state        text NOT NULL DEFAULT 'active'
                 CHECK (state IN ('active', 'accepted', 'done', 'reassigned')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  accepted_at  timestamptz,
  done_at      timestamptz,
  ended_at     timestamptz,  -- when it stopped being current (done or reassigned)
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX assignments_one_current ON assignments (tenant_id, entity_type, entity_id)
  WHERE state IN ('active', 'accepted');
CREATE INDEX assignments_entity ON assignments (tenant_id, entity_type, entity_id, created_at);
CREATE INDEX assignments_assignee ON assignments (tenant_id, assignee_id, state);

-- Allowed moves: active → accepted | done | reassigned; accepted → done | reassigned;
-- 'done' and 'reassigned' are final. Who, what and when-created never change.
CREATE FUNCTION assignments_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.entity_type <> OLD.entity_type
     OR NEW.entity_id <> OLD.entity_id OR NEW.assignee_id <> OLD.assignee_id
     OR NEW.assigned_by <> OLD.assigned_by OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'assignment %: identity columns are immutable', OLD.id
      USING ERRCODE = 'RE409';
  END IF;
  IF NEW.state <> OLD.state AND NOT (
       (OLD.state = 'active' AND NEW.state IN ('accepted', 'done', 'reassigned'))
    OR (OLD.state = 'accepted' AND NEW.state IN ('done', 'reassigned'))) THEN
    RAISE EXCEPTION 'assignment %: % → % is not allowed', OLD.id, OLD.state, NEW.state
      USING ERRCODE = 'RE409';
  END IF;
  IF OLD.state IN ('done', 'reassigned') AND NEW IS DISTINCT FROM OLD THEN
    RAISE EXCEPTION 'assignment %: % is final', OLD.id, OLD.state USING ERRCODE = 'RE409';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER assignments_guard BEFORE UPDATE ON assignments
  FOR EACH ROW EXECUTE FUNCTION assignments_guard();

-- Review requests. pending → approved | rejected | cancelled, nothing else: the trigger
-- refuses any change to a decided row, so of two concurrent decisions the second fails even
-- if a caller forgot the conditional `WHERE status = 'pending'`. At most one pending
-- approval per entity.
CREATE TABLE approvals (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  entity_type     text NOT NULL CHECK (entity_type IN ('contact', 'property', 'task', 'note')),
  entity_id       text NOT NULL CHECK (length(entity_id) BETWEEN 1 AND 255),
  requested_by    text NOT NULL,  -- actor id (user or API key)
  requester_type  text NOT NULL CHECK (requester_type IN ('user', 'api_key')),
  approver_id     uuid REFERENCES users (id) ON DELETE SET NULL,  -- NULL: any tenant admin
  request_note    text NOT NULL DEFAULT '' CHECK (length(request_note) <= 2000),
  status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  decided_by      text,
  decision_note   text NOT NULL DEFAULT '' CHECK (length(decision_note) <= 2000),
  decided_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX approvals_one_pending ON approvals (tenant_id, entity_type, entity_id)
  WHERE status = 'pending';
CREATE INDEX approvals_status ON approvals (tenant_id, status, created_at DESC);
CREATE INDEX approvals_approver ON approvals (tenant_id, approver_id) WHERE status = 'pending';

CREATE FUNCTION approvals_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'pending' THEN
    -- The one change a decided row accepts: its approver's user account being deleted
    -- (ON DELETE SET NULL), which must not be blocked by history.
    IF NOT (NEW.approver_id IS NULL AND OLD.approver_id IS NOT NULL
            AND (NEW.status, NEW.decided_by, NEW.decision_note, NEW.decided_at,
                 NEW.request_note, NEW.entity_type, NEW.entity_id, NEW.requested_by)
                IS NOT DISTINCT FROM
                (OLD.status, OLD.decided_by, OLD.decision_note, OLD.decided_at,
                 OLD.request_note, OLD.entity_type, OLD.entity_id, OLD.requested_by)) THEN
      RAISE EXCEPTION 'approval %: already %', OLD.id, OLD.status USING ERRCODE = 'RE409';
    END IF;
  END IF;
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.entity_type <> OLD.entity_type
     OR NEW.entity_id <> OLD.entity_id OR NEW.requested_by <> OLD.requested_by
     OR NEW.requester_type <> OLD.requester_type OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'approval %: identity columns are immutable', OLD.id
      USING ERRCODE = 'RE409';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER approvals_guard BEFORE UPDATE ON approvals
  FOR EACH ROW EXECUTE FUNCTION approvals_guard();

-- Row-level security ---------------------------------------------------------------------
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON assignments
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE approvals ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON approvals
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO reos_app;
-- No DELETE: assignments and approvals are history (tenant deletion cascades as the owner).
GRANT SELECT, INSERT, UPDATE ON assignments, approvals TO reos_app;
