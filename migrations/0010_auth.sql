-- REST API authentication and the audit log's request context (host/auth, host/api;
-- docs/auth.md, docs/api.md).

-- A membership can be switched off by the tenant's admins without touching the global user
-- (who may belong to other tenants): a disabled member cannot log in to or refresh into it.
ALTER TABLE tenant_memberships
  ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled'));

-- An API key acts with one membership-like role; its scopes narrow what it may touch.
ALTER TABLE api_keys
  ADD COLUMN role text NOT NULL DEFAULT 'agent' CHECK (role IN ('admin', 'agent', 'viewer'));

-- Rotating refresh tokens. Only the SHA-256 digest of a token is stored. Every rotation
-- keeps the family_id of the login it descends from; presenting a token that was already
-- rotated (a stolen copy, or the legitimate client after theft) revokes the whole family.
CREATE TABLE refresh_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id    uuid NOT NULL,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash   bytea NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  rotated_at   timestamptz,  -- exchanged for a successor: presenting it again is reuse
  revoked_at   timestamptz,  -- logout, reuse detection, membership removed or disabled
  user_agent   text,
  ip           text
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (tenant_id, user_id) WHERE revoked_at IS NULL;

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refresh_tokens
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());
-- Tenant admins revoke a member's sessions (UPDATE) when disabling or removing them.
GRANT SELECT, UPDATE ON refresh_tokens TO reos_app;

-- The audit trail records where a write came from and what it changed.
ALTER TABLE audit_log
  ADD COLUMN ip text,
  ADD COLUMN user_agent text,
  ADD COLUMN before jsonb,
  ADD COLUMN after jsonb;
CREATE INDEX audit_log_tenant_id ON audit_log (tenant_id, id DESC);
CREATE INDEX audit_log_entity ON audit_log (tenant_id, entity_type, entity_id);
