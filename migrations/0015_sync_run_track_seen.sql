-- A full run keeps the keys it saw (sync_run_seen) only to mark, at its end, the connector's
-- listings it did not see as gone (docs/listings.md, "Sync runs and gone listings"). A full
-- run that starts while the connector has no listing (its first sync) has nothing to compare:
-- everything it ends with it wrote itself, so it keeps no keys and runs no gone check.
-- `track_seen` says which: false for such runs, true for every other (and every older) run.
ALTER TABLE sync_runs ADD COLUMN track_seen boolean NOT NULL DEFAULT true;
