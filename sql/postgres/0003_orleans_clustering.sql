-- Mesos.Orleans on PostgreSQL, migration 3: silo membership for Orleans ADO.NET clustering.
-- One version row per cluster (DeploymentId = the ClusterId) serialises membership changes: every insert
-- or update of a silo's row must name the version it read, and bumps it, in one statement; a writer that
-- read an older version changes nothing and gets 0, and Orleans reads the table again.

CREATE TABLE IF NOT EXISTS orleansmembershipversiontable (
    deploymentid varchar(150)   NOT NULL PRIMARY KEY,
    "timestamp"  timestamptz(3) NOT NULL DEFAULT now(),
    version      integer        NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable (
    deploymentid varchar(150)   NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      varchar(45)    NOT NULL,
    port         integer        NOT NULL,
    generation   integer        NOT NULL,
    siloname     varchar(150)   NOT NULL,
    hostname     varchar(150)   NOT NULL,
    status       integer        NOT NULL,   -- Orleans SiloStatus: 3 = Active, 6 = Dead
    proxyport    integer        NULL,       -- the gateway port, 0 when the silo has none
    suspecttimes varchar(8000)  NULL,       -- who suspected it, and when
    starttime    timestamptz(3) NOT NULL,
    iamalivetime timestamptz(3) NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', '
    WITH inserted AS (
        INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
        ON CONFLICT (deploymentid) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer FROM inserted;'),

-- The version is bumped only when the silo''s row is new, in the same statement that inserts it.
('InsertMembershipKey', '
    WITH bumped AS (
        UPDATE orleansmembershipversiontable
        SET version = version + 1, "timestamp" = now()
        WHERE deploymentid = @DeploymentId AND version = @Version
          AND NOT EXISTS (
              SELECT 1 FROM orleansmembershiptable
              WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
        RETURNING deploymentid),
    inserted AS (
        INSERT INTO orleansmembershiptable
            (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
        SELECT deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
        FROM bumped
        RETURNING 1)
    SELECT count(*)::integer FROM inserted;'),

('UpdateMembershipKey', '
    WITH bumped AS (
        UPDATE orleansmembershipversiontable
        SET version = version + 1, "timestamp" = now()
        WHERE deploymentid = @DeploymentId AND version = @Version
          AND EXISTS (
              SELECT 1 FROM orleansmembershiptable
              WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
        RETURNING deploymentid),
    updated AS (
        UPDATE orleansmembershiptable m
        SET status = @Status, suspecttimes = @SuspectTimes, iamalivetime = @IAmAliveTime
        FROM bumped
        WHERE m.deploymentid = bumped.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
        RETURNING 1)
    SELECT count(*)::integer FROM updated;'),

-- A heartbeat: no version, nobody checks the result.
('UpdateIAmAlivetimeKey', '
    UPDATE orleansmembershiptable
    SET iamalivetime = @IAmAliveTime
    WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;'),

-- The version row comes back even when the silo has no row (a left join), so that Orleans learns the version.
('MembershipReadRowKey', '
    SELECT v.deploymentid AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
           m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
           m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime",
           v.version AS "Version"
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m
           ON m.deploymentid = v.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    WHERE v.deploymentid = @DeploymentId;'),

('MembershipReadAllKey', '
    SELECT v.deploymentid AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
           m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
           m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime",
           v.version AS "Version"
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
    WHERE v.deploymentid = @DeploymentId;'),

('DeleteMembershipTableEntriesKey', '
    DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
    DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;'),

-- What clients (and agent hosts) connect to: active silos with a gateway.
('GatewaysQueryKey', '
    SELECT address AS "Address", proxyport AS "ProxyPort", generation AS "Generation"
    FROM orleansmembershiptable
    WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;'),

-- Rows of silos long gone; an active silo''s row is never removed here.
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM orleansmembershiptable
    WHERE deploymentid = @DeploymentId AND iamalivetime < @IAmAliveTime AND status <> 3;')
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
