-- Migration 3 (SQLite): grain state for the embedded single silo (src/Grains/Storage/SqliteGrainStorage.cs).
-- A row per (state name, grain ID); etag is the version a write must name to replace the row, so that a
-- stale activation's write fails instead of overwriting a newer state. Grain IDs include the grain type
-- ("agent/…"), so two grain classes never share a row.
CREATE TABLE IF NOT EXISTS grain_state (
    state_name  TEXT    NOT NULL,
    grain_id    TEXT    NOT NULL,
    payload     BLOB    NOT NULL,
    etag        INTEGER NOT NULL,
    modified_at TEXT    NOT NULL,
    PRIMARY KEY (state_name, grain_id)
);

INSERT INTO schema_version (version) VALUES (3);
