-- Contacts/leads, notes with @mentions, tasks (REST API v1, host/contacts), and the indexes
-- the property search filters use (host/property_search). docs/contacts.md and
-- docs/property-search.md explain the rules encoded here.

-- A contact is a person the brokerage talks to; a lead is a contact whose status has not yet
-- reached 'client'. Deleting a contact is soft (deleted_at): its notes, tasks and consent
-- history stay for the audit trail, and the API answers 404 for it from then on.
CREATE TABLE contacts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  first_name        text NOT NULL DEFAULT '' CHECK (length(first_name) <= 100),
  last_name         text NOT NULL DEFAULT '' CHECK (length(last_name) <= 100),
  email             text CHECK (email IS NULL OR (position('@' IN email) > 1 AND length(email) <= 254)),
  phone             text CHECK (phone IS NULL OR phone ~ '^\+[1-9][0-9]{6,14}$'),  -- E.164
  status            text NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'contacted', 'qualified', 'nurturing', 'client',
                                        'closed', 'lost')),
  source            text CHECK (source IS NULL OR length(source) <= 100),
  owner_user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
  score             integer CHECK (score BETWEEN 0 AND 100),
  tags              text[] NOT NULL DEFAULT '{}',
  -- Consent: the flag and when it last changed (proof for CAN-SPAM/TCPA questions).
  consent_email     boolean NOT NULL DEFAULT false,
  consent_email_at  timestamptz,
  consent_sms       boolean NOT NULL DEFAULT false,
  consent_sms_at    timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz,
  CHECK (first_name <> '' OR last_name <> '' OR email IS NOT NULL OR phone IS NOT NULL)
);
-- One live contact per e-mail address within a tenant (a second one is a 409).
CREATE UNIQUE INDEX contacts_email_key ON contacts (tenant_id, lower(email))
  WHERE deleted_at IS NULL AND email IS NOT NULL;
-- The listing order (newest first) and its keyset cursor.
CREATE INDEX contacts_created ON contacts (tenant_id, created_at DESC, id DESC)
  WHERE deleted_at IS NULL;
CREATE INDEX contacts_status ON contacts (tenant_id, status, created_at DESC)
  WHERE deleted_at IS NULL;
CREATE INDEX contacts_owner ON contacts (tenant_id, owner_user_id, created_at DESC)
  WHERE deleted_at IS NULL;
CREATE INDEX contacts_tags ON contacts USING gin (tags) WHERE deleted_at IS NULL;

-- Notes on a contact. Append-only for the application (a correction is a new note).
CREATE TABLE notes (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id          text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  contact_id         uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  body               text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  author_user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
  author_api_key_id  uuid REFERENCES api_keys (id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_contact ON notes (tenant_id, contact_id, created_at DESC, id DESC);

-- Who a note mentions; read by the inbox (host/collaboration).
CREATE TABLE note_mentions (
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  note_id     uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (note_id, user_id)
);
CREATE INDEX note_mentions_user ON note_mentions (tenant_id, user_id, created_at DESC);

-- To-dos for people of the tenant, optionally about a contact or a listing.
CREATE TABLE tasks (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description       text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  due_date          date,
  assignee_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  related_type      text CHECK (related_type IN ('contact', 'property')),
  related_id        text CHECK (length(related_id) BETWEEN 1 AND 255),
  created_by        uuid REFERENCES users (id) ON DELETE SET NULL,
  completed_at      timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((related_type IS NULL) = (related_id IS NULL)),
  CHECK ((status = 'done') = (completed_at IS NOT NULL))
);
-- The listing order: due date first (undated last), then id.
CREATE INDEX tasks_due ON tasks (tenant_id, (coalesce(due_date, 'infinity'::date)), id);
CREATE INDEX tasks_assignee ON tasks (tenant_id, assignee_user_id, status);
CREATE INDEX tasks_related ON tasks (tenant_id, related_type, related_id);

-- Row-level security ---------------------------------------------------------------------
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contacts
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notes
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE note_mentions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON note_mentions
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tasks
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

-- Contacts are soft-deleted (an UPDATE); notes and mentions are append-only.
GRANT SELECT, INSERT, UPDATE ON contacts TO reos_app;
GRANT SELECT, INSERT ON notes, note_mentions TO reos_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tasks TO reos_app;

-- Properties ------------------------------------------------------------------------------
-- 0006 already enabled row-level security with the tenant_isolation policy on properties and
-- property_history and granted reos_app what the listings pipeline needs; the search only
-- reads. Restated here (both statements are idempotent) because the search relies on them.
ALTER TABLE properties ENABLE ROW LEVEL SECURITY;
ALTER TABLE property_history ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON properties, property_history TO reos_app;

-- What the search reads. Under row-level security PostgreSQL evaluates the policy before any
-- qual whose function is not LEAKPROOF, so numeric ranges (numeric_ge), lower(city), the
-- keyset row comparisons and every PostGIS test could not use an index: a radius search or a
-- price band scanned the whole tenant. This view, owned (like the table) by the migrating role,
-- applies the same tenant condition as the policy itself; as a plain view its quals are
-- planned together with the caller's, so every index is usable. The hub queries it only with
-- its own SQL and bound parameters (host/property_search), inside the tenant scope.
CREATE VIEW tenant_properties AS
  SELECT * FROM properties WHERE tenant_id = reos_current_tenant();
GRANT SELECT ON tenant_properties TO reos_app;

-- The search's filters and keyset orders (host/property_search/property_query.cpp): sorts
-- put NULLs last in both directions, so each direction has its own index.
CREATE INDEX properties_city ON properties (tenant_id, lower(city));
CREATE INDEX properties_price_asc ON properties (tenant_id, list_price ASC NULLS LAST, listing_key);
CREATE INDEX properties_price_desc
  ON properties (tenant_id, list_price DESC NULLS LAST, listing_key DESC);
CREATE INDEX properties_modified_desc
  ON properties (tenant_id, modification_timestamp DESC NULLS LAST, listing_key DESC);
-- Bounding boxes are planar (lng/lat rectangles), so they test the geometry of the point.
CREATE INDEX properties_geom ON properties USING gist ((geog::geometry));
