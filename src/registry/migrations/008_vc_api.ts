/**
 * The generic VC-API issuer's own Bitstring Status Lists (src/server/vc-api-status.ts), apart from
 * the ledger's: its lists are signed by the VC-API issuer's DID, never the registry's. One bit per
 * credential and purpose (revocation or suspension); an index is never handed out twice. And the
 * ledger's credentials table learns a third kind, the premium allocation report that the ledger
 * now builds and signs (POST /registry/allocations).
 */
export const vcApi008 = `
CREATE TABLE vc_api_status_lists (
  id serial PRIMARY KEY,
  url text NOT NULL UNIQUE,
  purpose text NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
  size integer NOT NULL CHECK (size >= 131072 AND size % 8 = 0),
  bits bytea NOT NULL,
  allocated integer NOT NULL DEFAULT 0 CHECK (allocated >= 0),
  version integer NOT NULL DEFAULT 1,
  credential jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER vc_api_status_lists_kept BEFORE DELETE ON vc_api_status_lists FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE vc_api_status_entries (
  list_id integer NOT NULL REFERENCES vc_api_status_lists(id),
  idx integer NOT NULL CHECK (idx >= 0),
  credential_id text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (list_id, idx),
  UNIQUE (credential_id, purpose)
);
CREATE TRIGGER vc_api_status_entries_immutable BEFORE UPDATE OR DELETE ON vc_api_status_entries FOR EACH ROW EXECUTE FUNCTION forbid_change();

ALTER TABLE credentials DROP CONSTRAINT credentials_kind_check;
ALTER TABLE credentials ADD CONSTRAINT credentials_kind_check CHECK (kind IN ('issuance', 'retirement', 'allocation'));
`;
