/**
 * A lease on in-progress idempotent HTTP writes (src/server/idempotency-lease.ts): the process
 * running a request owns its row and keeps `lease_until` in the future; a row whose lease has run
 * out belongs to a process that died, and a retry with the same key may take it over. Idempotent
 * (IF NOT EXISTS) because servers of earlier releases ran it outside schema_migrations.
 */
export const serverLease005 = `
ALTER TABLE server_idempotency ADD COLUMN IF NOT EXISTS owner text;
ALTER TABLE server_idempotency ADD COLUMN IF NOT EXISTS lease_until timestamptz;
`;
