/**
 * Premium allocations (src/impact): each PremiumAllocationCredential the registry records, the
 * retirements whose premium it reports (by the retirement's credential digest) and the committee's
 * allocation items. Append-only like the ledger; amounts are exact numeric(20,2), and the database
 * itself refuses an allocation above the premium received.
 */
export const impact003 = `
CREATE TABLE impact_allocations (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:-]{1,128}$'),
  credential_id text NOT NULL UNIQUE,
  jws text NOT NULL,
  digest text NOT NULL,
  site_id text NOT NULL,
  site_name text NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  received numeric(20,2) NOT NULL CHECK (received >= 0),
  allocated numeric(20,2) NOT NULL CHECK (allocated >= 0 AND allocated <= received),
  period_start date NOT NULL,
  period_end date NOT NULL CHECK (period_end >= period_start),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER impact_allocations_immutable BEFORE UPDATE OR DELETE ON impact_allocations FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE impact_allocation_retirements (
  allocation_id text NOT NULL REFERENCES impact_allocations(id),
  retirement_id text NOT NULL REFERENCES retirements(id),
  retirement_digest text NOT NULL,
  credits bigint NOT NULL CHECK (credits > 0),
  amount numeric(20,2) NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (allocation_id, retirement_id)
);
CREATE INDEX impact_allocation_retirements_retirement ON impact_allocation_retirements (retirement_id);
CREATE TRIGGER impact_allocation_retirements_immutable BEFORE UPDATE OR DELETE ON impact_allocation_retirements FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE impact_allocation_items (
  allocation_id text NOT NULL REFERENCES impact_allocations(id),
  seq integer NOT NULL CHECK (seq >= 0),
  impact_area text NOT NULL CHECK (impact_area IN ('health-and-safety', 'child-rights', 'cooperative-governance', 'environment')),
  amount numeric(20,2) NOT NULL CHECK (amount >= 0),
  funded text NOT NULL,
  decision_date date NOT NULL,
  disbursed_date date,
  PRIMARY KEY (allocation_id, seq)
);
CREATE TRIGGER impact_allocation_items_immutable BEFORE UPDATE OR DELETE ON impact_allocation_items FOR EACH ROW EXECUTE FUNCTION forbid_change();
`;
