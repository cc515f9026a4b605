-- Mesos.Orleans registry on PostgreSQL, migration 1: what the leading master must remember across
-- failovers. Tasks are not here: they live on agents, which report them when they reregister with a new
-- leader. Applied by the master at start (inside one transaction, under an advisory lock, recorded in
-- schema_migrations); a DBA can apply it by hand with psql -1 -f.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer     NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- Agents the cluster has admitted, and where each stands.
CREATE TABLE IF NOT EXISTS agents (
    agent_id      text        NOT NULL PRIMARY KEY,
    hostname      text        NOT NULL,
    info_json     text        NOT NULL,           -- AgentInfo, Mesos v1 JSON
    state         text        NOT NULL DEFAULT 'active'
                  CHECK (state IN ('active', 'deactivated', 'draining', 'unreachable', 'gone')),
    drain_json    text        NULL,               -- DrainConfig while draining
    registered_at timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Frameworks that subscribed; removed ones stay (removed_at) so that their IDs cannot come back.
CREATE TABLE IF NOT EXISTS frameworks (
    framework_id     text             NOT NULL PRIMARY KEY,
    info_json        text             NOT NULL,   -- FrameworkInfo, Mesos v1 JSON
    failover_timeout double precision NOT NULL DEFAULT 0,  -- seconds
    registered_at    timestamptz      NOT NULL,
    removed_at       timestamptz      NULL
);

-- Roles with an operator-set weight or quota.
CREATE TABLE IF NOT EXISTS roles (
    role       text             NOT NULL PRIMARY KEY,
    weight     double precision NULL,             -- NULL: the default weight 1
    quota_json text             NULL,             -- QuotaConfig (guarantees, limits), Mesos v1 JSON
    updated_at timestamptz      NOT NULL DEFAULT now()
);

-- Machines an operator took down (START_MAINTENANCE); their agents may not register.
CREATE TABLE IF NOT EXISTS maintenance (
    machine    text        NOT NULL PRIMARY KEY,  -- hostname or IP, as in MachineID
    mode       text        NOT NULL DEFAULT 'down' CHECK (mode IN ('down')),
    since      timestamptz NOT NULL DEFAULT now()
);

-- Dynamic reservations per agent: the conversions (from → to) applied again when the agent reregisters.
CREATE TABLE IF NOT EXISTS reservations (
    agent_id         text        NOT NULL PRIMARY KEY,
    conversions_json text        NOT NULL,        -- [{"from":[Resource…],"to":[Resource…]}…]
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Every master process that has started against this database (the membership).
CREATE TABLE IF NOT EXISTS masters (
    master_id      text        NOT NULL PRIMARY KEY,
    hostname       text        NOT NULL,
    ip             text        NOT NULL,
    port           integer     NOT NULL,
    status         text        NOT NULL CHECK (status IN ('starting', 'standby', 'leader', 'stopped')),
    term           bigint      NULL,              -- the term it leads in, while leader
    started_at     timestamptz NOT NULL DEFAULT now(),
    last_heartbeat timestamptz NOT NULL DEFAULT now()
);

-- The leader lease: one row. The term only grows (a fencing token: every registry write checks it in its
-- own transaction); expires_at is read and written by the database clock only.
CREATE TABLE IF NOT EXISTS leader_lease (
    id         integer     NOT NULL PRIMARY KEY CHECK (id = 1),
    term       bigint      NOT NULL DEFAULT 0,
    holder     text        NULL,                  -- master_id of the leader
    address    text        NULL,                  -- host:port of the leader, for redirects
    expires_at timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO leader_lease (id) VALUES (1) ON CONFLICT (id) DO NOTHING;

-- Bumped by every registry write, so a standby knows when its warm copy is stale.
CREATE TABLE IF NOT EXISTS registry_version (
    id      integer NOT NULL PRIMARY KEY CHECK (id = 1),
    version bigint  NOT NULL DEFAULT 0
);
INSERT INTO registry_version (id) VALUES (1) ON CONFLICT (id) DO NOTHING;
