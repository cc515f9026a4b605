-- The embedded registry (SQLite): what the master must remember across restarts when no PostgreSQL is
-- configured. Tasks are not here: they live on agents, which report them when they reregister.
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL PRIMARY KEY
);

CREATE TABLE IF NOT EXISTS agents (
    agent_id      TEXT NOT NULL PRIMARY KEY,
    hostname      TEXT NOT NULL,
    info_json     TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'active',  -- active | draining | unreachable | gone
    registered_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS frameworks (
    framework_id     TEXT NOT NULL PRIMARY KEY,
    info_json        TEXT NOT NULL,
    failover_timeout REAL NOT NULL DEFAULT 0,
    registered_at    TEXT NOT NULL,
    removed_at       TEXT NULL
);

INSERT OR IGNORE INTO schema_version (version) VALUES (1);
