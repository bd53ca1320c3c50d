-- Canonical listings (schemas/property.json, RESO Data Dictionary names) and their history.
-- See docs/listings.md.
--
-- properties: one row per (tenant, ListingKey). `data` holds the whole canonical record; the
-- typed columns repeat the fields that are filtered, sorted or searched by (route predicates,
-- CMA comps by distance, the console). `record_hash` is the sha256 (hex) of the canonical
-- record: an upsert whose hash equals the stored one writes nothing. `gone_at` marks a
-- listing that is no longer in its source (kept, never deleted); it is cleared when the
-- listing comes back.
CREATE TABLE properties (
  tenant_id              text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  listing_key            text NOT NULL CHECK (length(listing_key) BETWEEN 1 AND 255),
  source_connector       text NOT NULL,   -- the connector that last wrote the listing
  data                   jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  record_hash            text NOT NULL,
  standard_status        text,
  list_price             numeric(14, 2),
  close_price            numeric(14, 2),
  bedrooms_total         integer,
  bathrooms_total        numeric(5, 2),
  city                   text,
  postal_code            text,
  geog                   geography(Point, 4326),
  modification_timestamp timestamptz,
  first_seen_at          timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  gone_at                timestamptz,
  PRIMARY KEY (tenant_id, listing_key)
);
CREATE INDEX properties_status ON properties (tenant_id, standard_status);
CREATE INDEX properties_price ON properties (tenant_id, list_price);
CREATE INDEX properties_geog ON properties USING gist (geog);
CREATE INDEX properties_modified ON properties (tenant_id, modification_timestamp DESC);
CREATE INDEX properties_postal ON properties (tenant_id, postal_code);
CREATE INDEX properties_gone ON properties (tenant_id, source_connector) WHERE gone_at IS NOT NULL;

-- property_history: every creation, price change and status change of a listing, with the
-- old and new value and when the hub saw it. Append-only for the application.
CREATE TABLE property_history (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  listing_key  text NOT NULL,
  change       text NOT NULL CHECK (change IN ('created', 'price', 'status', 'gone', 'returned')),
  old_value    text,
  new_value    text,
  changed_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, listing_key) REFERENCES properties (tenant_id, listing_key)
    ON DELETE CASCADE
);
CREATE INDEX property_history_listing ON property_history (tenant_id, listing_key, changed_at);
CREATE INDEX property_history_time ON property_history (tenant_id, changed_at DESC);

ALTER TABLE properties ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON properties
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE property_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON property_history
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

GRANT SELECT, INSERT, UPDATE ON properties TO reos_app;
GRANT SELECT, INSERT ON property_history TO reos_app;
