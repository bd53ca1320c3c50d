-- Initial schema: tenants, people, machine credentials, connector instances, audit trail.
--
-- Tenancy: every tenant-owned table carries tenant_id and a row-level-security policy keyed
-- on the session setting reos.tenant_id. The hub runs tenant work under the role reos_app
-- (SET LOCAL ROLE reos_app + set_config('reos.tenant_id', …, true)), which cannot bypass RLS;
-- the owning role is used only for migrations and cross-tenant system work.

CREATE EXTENSION IF NOT EXISTS postgis;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reos_app') THEN
    CREATE ROLE reos_app NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;

-- The tenant the current transaction acts for, or NULL outside a tenant scope (then every
-- policy below matches nothing).
CREATE FUNCTION reos_current_tenant() RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('reos.tenant_id', true), '') $$;

CREATE TABLE tenants (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- People are global identities: one agent may work for several brokerages (tenants).
CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text NOT NULL CHECK (position('@' IN email) > 1),
  display_name   text NOT NULL DEFAULT '',
  password_hash  text,  -- argon2id encoded string; NULL until a password is set
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE tenant_memberships (
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('admin', 'agent', 'viewer')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX tenant_memberships_user ON tenant_memberships (user_id);

-- Machine credentials. Only a hash of the secret is kept; `prefix` is the public part shown
-- in listings so an operator can tell keys apart.
CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name          text NOT NULL,
  prefix        text NOT NULL UNIQUE,
  key_hash      bytea NOT NULL,
  scopes        text[] NOT NULL DEFAULT '{}',
  created_by    uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  expires_at    timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

-- A tenant's enabled connector instances. Settings stay in the tenant's config file
-- (settings_ref points there, secrets by reference); the database holds the state that
-- changes at run time: the sync cursor, status, last run and last error.
CREATE TABLE connectors (
  tenant_id          text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                 text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  plugin             text NOT NULL,
  enabled            boolean NOT NULL DEFAULT true,
  settings_ref       text NOT NULL,
  settings_checksum  text NOT NULL DEFAULT '',
  state              jsonb NOT NULL DEFAULT '{}'::jsonb,
  status             text NOT NULL DEFAULT 'idle'
                       CHECK (status IN ('idle', 'running', 'failing', 'disabled')),
  last_run_at        timestamptz,
  last_error         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

-- Append-only: reos_app may insert and read its tenant's rows, never change or delete them.
CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  actor_type   text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id     text,
  action       text NOT NULL,
  entity_type  text,
  entity_id    text,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_time ON audit_log (tenant_id, created_at DESC);

-- Row-level security ---------------------------------------------------------------------
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_self ON tenants
  USING (id = reos_current_tenant()) WITH CHECK (id = reos_current_tenant());

ALTER TABLE tenant_memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_memberships
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE connectors ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON connectors
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

-- A user is visible inside a tenant only while a member of it (memberships are themselves
-- filtered by the policy above).
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_of_tenant ON users
  USING (EXISTS (SELECT 1 FROM tenant_memberships m WHERE m.user_id = users.id));

GRANT SELECT, INSERT, UPDATE, DELETE
  ON tenants, users, tenant_memberships, api_keys, connectors TO reos_app;
GRANT SELECT, INSERT ON audit_log TO reos_app;
GRANT EXECUTE ON FUNCTION reos_current_tenant() TO reos_app;
