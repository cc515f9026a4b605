-- Mesos.Orleans on PostgreSQL, migration 7: the master's records moved into grain state (orleansstorage,
-- migration 4): each agent, framework, role and machine keeps its record in its own grain, and the master
-- grain's term is its own grain state (src/Grains/Registry/). The registry's tables and the incarnation row
-- that fenced them go. Their rows are not carried over: an agent reregisters with what it knows, and
-- frameworks resubscribe; weights, quotas and maintenance set before this version must be set again.
DROP TABLE IF EXISTS agents;
DROP TABLE IF EXISTS frameworks;
DROP TABLE IF EXISTS roles;
DROP TABLE IF EXISTS maintenance;
DROP TABLE IF EXISTS reservations;
DROP TABLE IF EXISTS master_incarnation;
