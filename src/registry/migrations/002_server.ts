/**
 * The HTTP server's own tables (src/server): the registry identity (DID, public URL, signing keys)
 * and API keys (hashed), plus idempotent HTTP replies. Prefixed `server_`, apart from the ledger's.
 * Idempotent (IF NOT EXISTS) because servers of earlier releases created the same tables
 * themselves, outside schema_migrations.
 */
export const server002 = `
CREATE TABLE IF NOT EXISTS server_identity (
  name text PRIMARY KEY,
  did text NOT NULL,
  public_url text NOT NULL,
  display_name text NOT NULL,
  demo boolean NOT NULL,
  keys jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS server_api_keys (
  id text PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  scopes jsonb NOT NULL,
  label text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE TABLE IF NOT EXISTS server_idempotency (
  principal text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  body text,
  content_type text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, key)
);
`;
