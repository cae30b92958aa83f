/**
 * Public search (docs/integration.md): expression indexes over the details each issuance and
 * retirement was recorded with, so that every filter of the search API is served from an index,
 * and `released_beneficiaries`, the beneficiary of a withheld retirement once its release is stored
 * (append-only, one row per retirement): a withheld beneficiary is searchable from then on, never
 * before, even when its disclosure date has passed.
 */
export const search010 = `
CREATE INDEX issuances_search_site ON issuances ((details->'productionSite'->>'id'), created_event);
CREATE INDEX issuances_search_producer ON issuances ((details->'producer'->>'id'), created_event);
CREATE INDEX issuances_search_standard ON issuances ((details->'standard'->>'id'), created_event);
CREATE INDEX issuances_search_vintage ON issuances ((details->>'vintage'), created_event);
CREATE INDEX issuances_search_commodity ON issuances ((details->'creditUnit'->'commodity'->>'code'), created_event);
CREATE INDEX issuances_created ON issuances (created_event);

CREATE INDEX retirements_created ON retirements (created_event);
CREATE INDEX retirements_search_account ON retirements (account_id, created_event);
CREATE INDEX retirements_search_original ON retirements (original_id);
CREATE INDEX retirements_search_beneficiary_id ON retirements ((details->'beneficiary'->>'id'));
CREATE INDEX retirements_search_beneficiary_name ON retirements ((lower(details->'beneficiary'->>'name')) text_pattern_ops);
CREATE INDEX retirements_search_purpose ON retirements ((details->>'purpose'), created_event);
CREATE INDEX retirements_search_claim_start ON retirements ((details->'claimBoundary'->'claimPeriod'->>'startDate'));
CREATE INDEX retirements_search_products ON retirements USING gin ((details->'claimBoundary'->'coveredProducts') jsonb_path_ops);

CREATE TABLE released_beneficiaries (
  retirement_id text PRIMARY KEY REFERENCES retirements(id),
  beneficiary_id text NOT NULL,
  beneficiary_name text NOT NULL
);
CREATE INDEX released_beneficiaries_id ON released_beneficiaries (beneficiary_id);
CREATE INDEX released_beneficiaries_name ON released_beneficiaries ((lower(beneficiary_name)) text_pattern_ops);
CREATE TRIGGER released_beneficiaries_append_only BEFORE UPDATE OR DELETE ON released_beneficiaries FOR EACH ROW EXECUTE FUNCTION forbid_change();
`;
