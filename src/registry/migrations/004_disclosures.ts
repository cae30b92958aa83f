/**
 * Disclosure releases of withheld fields (docs/privacy.md): the signed release a registry publishes
 * on (or after) a retirement's disclosure date. Append-only like the ledger: one release per
 * commitment of a retirement, never changed or deleted.
 */
export const disclosures004 = `
CREATE TABLE disclosure_releases (
  retirement_id text NOT NULL REFERENCES retirements(id),
  commitment text NOT NULL CHECK (commitment LIKE '/%'),
  release text NOT NULL,
  released_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (retirement_id, commitment)
);
CREATE TRIGGER disclosure_releases_append_only BEFORE UPDATE OR DELETE ON disclosure_releases FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER disclosure_releases_no_truncate BEFORE TRUNCATE ON disclosure_releases FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
`;
