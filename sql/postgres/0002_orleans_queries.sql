-- Mesos.Orleans on PostgreSQL, migration 2: the table from which the Orleans ADO.NET providers (10.4.2) read
-- the text of every query they run, by key. Orleans ships no SQL in its packages; the queries in the next
-- migrations are ours, written to the keys, parameter names and result columns those providers use.
-- Applied by the silo at start, once, under the advisory lock of PostgresSchema.

CREATE TABLE IF NOT EXISTS orleansquery (
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);
