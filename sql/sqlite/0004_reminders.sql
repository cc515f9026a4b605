-- Migration 4 (SQLite): reminders of the embedded single silo (src/Grains/Storage/SqliteReminderTable.cs),
-- so that a framework's failover timeout or a maintenance window survives a restart of the master.
-- grain_hash places the grain on the silos' hash ring; etag guards a removal against a newer upsert.
CREATE TABLE IF NOT EXISTS reminders (
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    start_at      TEXT    NOT NULL,
    period_ms     INTEGER NOT NULL,
    grain_hash    INTEGER NOT NULL,
    etag          INTEGER NOT NULL,
    PRIMARY KEY (grain_id, reminder_name)
);

INSERT INTO schema_version (version) VALUES (4);
