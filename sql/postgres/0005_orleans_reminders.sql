-- Mesos.Orleans on PostgreSQL, migration 5: Orleans ADO.NET reminders (framework failover timeouts,
-- maintenance windows). A row per (service, grain, reminder name); version guards deletes.

CREATE TABLE IF NOT EXISTS orleansreminderstable (
    serviceid    varchar(150)   NOT NULL,
    grainid      varchar(150)   NOT NULL,
    remindername varchar(150)   NOT NULL,
    starttime    timestamptz(3) NOT NULL,
    period       bigint         NOT NULL,   -- milliseconds
    grainhash    integer        NOT NULL,   -- where the grain falls on the silos' hash ring
    version      integer        NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('UpsertReminderRowKey', '
    INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
    SET starttime = excluded.starttime, period = excluded.period, grainhash = excluded.grainhash,
        version = orleansreminderstable.version + 1
    RETURNING version AS "Version";'),

('ReadReminderRowsKey', '
    SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
    FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND grainid = @GrainId;'),

('ReadReminderRowKey', '
    SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
    FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName;'),

-- A range of the hash ring that does not wrap around ...
('ReadRangeRows1Key', '
    SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
    FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash;'),

-- ... and one that does.
('ReadRangeRows2Key', '
    SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
    FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash);'),

('DeleteReminderRowKey', '
    WITH deleted AS (
        DELETE FROM orleansreminderstable
        WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName AND version = @Version
        RETURNING 1)
    SELECT count(*)::integer FROM deleted;'),

('DeleteReminderRowsKey', '
    DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId;')
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
