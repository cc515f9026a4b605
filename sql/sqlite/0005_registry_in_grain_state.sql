-- Migration 5 (SQLite): the master's records moved into grain state (grain_state, migration 3): each agent,
-- framework, role and machine keeps its record in its own grain (src/Grains/Registry/GrainRegistry.cs). The
-- registry's own tables go. Their rows are not carried over: an agent reregisters with what it knows, and
-- frameworks resubscribe; weights, quotas and maintenance set before this version must be set again.
DROP TABLE IF EXISTS agents;
DROP TABLE IF EXISTS frameworks;
DROP TABLE IF EXISTS roles;
DROP TABLE IF EXISTS maintenance;
DROP TABLE IF EXISTS reservations;

INSERT INTO schema_version (version) VALUES (5);
