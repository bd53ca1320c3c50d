-- Listing photos (docs/photos.md): which blob holds photo n of a listing. Photos are stored
-- once per content (blob key photos/sha256/<hh>/<sha256>), so many rows, across listings and
-- tenants, may name the same blob. `n` is the RESO Media `Order` (see docs/photos.md).
CREATE TABLE property_photos (
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  listing_key   text NOT NULL,
  n             integer NOT NULL CHECK (n >= 0),
  source_url    text NOT NULL,             -- MediaURL as it was fetched
  media_key     text,                      -- RESO MediaKey, when the feed gives one
  blob_key      text NOT NULL,
  content_hash  text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),  -- sha256, the ETag
  content_type  text NOT NULL,
  byte_size     bigint NOT NULL CHECK (byte_size >= 0),
  fetched_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, listing_key, n),
  FOREIGN KEY (tenant_id, listing_key) REFERENCES properties (tenant_id, listing_key)
    ON DELETE CASCADE
);
CREATE INDEX property_photos_hash ON property_photos (content_hash);

ALTER TABLE property_photos ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON property_photos
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON property_photos TO reos_app;

-- The hook that fetches photos: whenever a listing is inserted with a non-empty Media array,
-- or an update changes its Media, one `photos.fetch` job is queued in the same transaction
-- (so a rolled-back sync page queues nothing, and a committed one never loses its jobs).
-- Statement-level with transition tables: one INSERT per upsert page, and an unchanged
-- re-sync (which updates no row) costs nothing. Runs as the caller (reos_app inside the
-- tenant scope): the jobs policy applies as for any enqueue.
CREATE FUNCTION reos_property_photos_enqueue_new() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO jobs (tenant_id, kind, payload)
  SELECT n.tenant_id, 'photos.fetch', jsonb_build_object('listing_key', n.listing_key)
    FROM new_rows n
   WHERE jsonb_typeof(n.data -> 'Media') = 'array' AND jsonb_array_length(n.data -> 'Media') > 0;
  RETURN NULL;
END
$$;

CREATE FUNCTION reos_property_photos_enqueue_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO jobs (tenant_id, kind, payload)
  SELECT n.tenant_id, 'photos.fetch', jsonb_build_object('listing_key', n.listing_key)
    FROM new_rows n
    JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.listing_key = n.listing_key
   WHERE (o.data -> 'Media') IS DISTINCT FROM (n.data -> 'Media');
  RETURN NULL;
END
$$;

CREATE TRIGGER properties_photos_on_insert
  AFTER INSERT ON properties REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reos_property_photos_enqueue_new();
CREATE TRIGGER properties_photos_on_update
  AFTER UPDATE ON properties REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reos_property_photos_enqueue_changed();

GRANT EXECUTE ON FUNCTION reos_property_photos_enqueue_new() TO reos_app;
GRANT EXECUTE ON FUNCTION reos_property_photos_enqueue_changed() TO reos_app;
