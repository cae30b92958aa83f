/**
 * Published identifiers of the premium allocation (impact) credential: its own context, vocabulary
 * and schema under https://w3id.org/untp-credits/ (bundled in contexts/ and schemas/, see docs/impact.md).
 */
export const IMPACT_CONTEXT_URL = 'https://w3id.org/untp-credits/impact/context/v1';
/** Term IRIs of the impact context (separate from the credits vocabulary: `amount` here is an exact xsd:decimal). */
export const IMPACT_VOCAB = 'https://w3id.org/untp-credits/impact/vocab#';
export const PREMIUM_ALLOCATION_SCHEMA_URL = 'https://w3id.org/untp-credits/schema/v1/PremiumAllocationCredential.json';
export const PREMIUM_ALLOCATION_TYPE = 'PremiumAllocationCredential';
/** Who reports: the scheme operator (collects the premium) or the site's worker-led committee (decides where it goes). */
export const REPORTER_ROLES = ['scheme-operator', 'site-committee'] as const;
export type ReporterRole = (typeof REPORTER_ROLES)[number];
