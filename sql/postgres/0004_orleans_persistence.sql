-- Mesos.Orleans on PostgreSQL, migration 4: grain state for Orleans ADO.NET persistence.
-- A row per (service, state name, grain ID); version is the ETag. A write names the version it read (NULL:
-- it read nothing) and succeeds only if the row still has it; otherwise the provider gets the version it
-- sent back and throws InconsistentStateException, which deactivates a stale activation.
-- The provider keys rows by the state name ("graintypestring"), not by the grain class (Orleans issues
-- #9737, #8746): every grain class of ours uses its own state name, and keys carry a kind prefix (#9706).

CREATE TABLE IF NOT EXISTS orleansstorage (
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring varchar(512) NULL,
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea        NULL,
    modifiedon             timestamptz  NOT NULL DEFAULT now(),
    version                integer      NULL
);

CREATE INDEX IF NOT EXISTS ix_orleansstorage ON orleansstorage (grainidhash, graintypehash);

-- At most one row per grain state, even when two activations insert at once (a split brain): the second
-- insert conflicts instead of adding a twin. NULL extensions compare equal through coalesce.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_grain ON orleansstorage
    (serviceid, graintypestring, grainidn0, grainidn1, coalesce(grainidextensionstring, ''));

CREATE OR REPLACE FUNCTION mesos_write_grain_state(
    _grainidhash integer, _grainidn0 bigint, _grainidn1 bigint, _graintypehash integer,
    _graintypestring varchar, _grainidextensionstring varchar, _serviceid varchar,
    _grainstateversion integer, _payloadbinary bytea)
RETURNS TABLE (newgrainstateversion integer)
LANGUAGE plpgsql AS $$
DECLARE
    written integer;
BEGIN
    IF _grainstateversion IS NULL THEN
        INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                    grainidextensionstring, serviceid, payloadbinary, version)
        VALUES (_grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring,
                _grainidextensionstring, _serviceid, _payloadbinary, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO written;
    ELSE
        UPDATE orleansstorage
        SET payloadbinary = _payloadbinary, modifiedon = now(), version = version + 1
        WHERE serviceid = _serviceid AND graintypestring = _graintypestring
          AND grainidn0 = _grainidn0 AND grainidn1 = _grainidn1
          AND coalesce(grainidextensionstring, '') = coalesce(_grainidextensionstring, '')
          AND version = _grainstateversion
        RETURNING version INTO written;
    END IF;
    -- Unchanged version back: the provider's sign of a conflict.
    RETURN QUERY SELECT coalesce(written, _grainstateversion);
END
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('WriteToStorageKey', '
    SELECT newgrainstateversion AS "NewGrainStateVersion" FROM mesos_write_grain_state(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
        @ServiceId, @GrainStateVersion, @PayloadBinary);'),

('ReadFromStorageKey', '
    SELECT payloadbinary AS "PayloadBinary", now() AS "ModifiedOn", version AS "Version"
    FROM orleansstorage
    WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
      AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
      AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString, '''');'),

('ClearStorageKey', '
    UPDATE orleansstorage
    SET payloadbinary = NULL, version = version + 1
    WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
      AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
      AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString, '''')
      AND version = @GrainStateVersion
    RETURNING version AS "NewGrainStateVersion";'),

('DeleteStorageKey', '
    DELETE FROM orleansstorage
    WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
      AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
      AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString, '''')
      AND version = @GrainStateVersion
    RETURNING version + 1 AS "NewGrainStateVersion";')
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
