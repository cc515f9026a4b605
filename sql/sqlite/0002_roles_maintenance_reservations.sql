-- Migration 2 (SQLite): agent drain state, roles with weights and quota, maintenance, dynamic reservations:
-- the same tables as the PostgreSQL registry (sql/postgres/0001_registry.sql).
ALTER TABLE agents ADD COLUMN drain_json TEXT NULL;
ALTER TABLE agents ADD COLUMN updated_at TEXT NULL;

CREATE TABLE IF NOT EXISTS roles (
    role       TEXT NOT NULL PRIMARY KEY,
    weight     REAL NULL,
    quota_json TEXT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS maintenance (
    machine TEXT NOT NULL PRIMARY KEY,
    mode    TEXT NOT NULL DEFAULT 'down',
    since   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS reservations (
    agent_id         TEXT NOT NULL PRIMARY KEY,
    conversions_json TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

INSERT INTO schema_version (version) VALUES (2);
