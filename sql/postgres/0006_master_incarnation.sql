-- Mesos.Orleans on PostgreSQL, migration 6: the master grain's incarnations (its fencing term).
--
-- The master grain's activations, in order. Each activation claims the next term before it recovers from
-- the registry, and every registry write first checks (FOR SHARE) that its term is still the latest: a
-- claim's UPDATE waits for the writes in flight under the old term, and after it they fail. Orleans keeps one
-- activation of the master; this keeps a stale one (a silo declared dead that wakes up) from writing.
-- The term carries on from the leader lease it replaces, because agents refuse a term older than one seen.
CREATE TABLE IF NOT EXISTS master_incarnation (
    id     integer NOT NULL PRIMARY KEY CHECK (id = 1),
    term   bigint  NOT NULL DEFAULT 0,
    holder text    NULL,      -- the activation's master ID
    silo   text    NULL       -- the silo it runs on (host:port of its HTTP endpoint)
);

DO $$
BEGIN
    IF to_regclass('leader_lease') IS NOT NULL THEN
        INSERT INTO master_incarnation (id, term) SELECT 1, term FROM leader_lease WHERE id = 1 ON CONFLICT (id) DO NOTHING;
    END IF;
END $$;
INSERT INTO master_incarnation (id) VALUES (1) ON CONFLICT (id) DO NOTHING;

-- The lease election, its membership list and the standbys' registry version go with the code that used them.
DROP TABLE IF EXISTS leader_lease;
DROP TABLE IF EXISTS masters;
DROP TABLE IF EXISTS registry_version;
