/**
 * The published identifiers of the credit credentials: context, schemas, the reference credit
 * scheme (a UNTP ConformityScheme) and its criteria. All live under https://w3id.org/untp-credits/,
 * a persistent-URL namespace that redirects to where the project publishes contexts/ and schemas/
 * (see docs/credit-credentials.md); the bundled copies are served offline by the artefact registry.
 */

export const W3C_VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const UNTP_CONTEXT_0_7_0 = 'https://vocabulary.uncefact.org/untp/0.7.0/context/';
export const UNTP_DCC_SCHEMA_0_7_0 = 'https://untp.unece.org/artefacts/schema/v0.7.0/dcc/ConformityCredential.json';
export const UNTP_DPP_SCHEMA_0_7_0 = 'https://untp.unece.org/artefacts/schema/v0.7.0/dpp/DigitalProductPassport.json';
export const UNTP_CVC_SCHEMA_0_7_0 = 'https://untp.unece.org/artefacts/schema/v0.7.0/cvc/ConformityScheme.json';

/** Our JSON-LD context (protected, no @vocab). */
export const CREDITS_CONTEXT_URL = 'https://w3id.org/untp-credits/context/v1';
/** The vocabulary our terms expand to. */
export const CREDITS_VOCAB = 'https://w3id.org/untp-credits/vocab#';
export const CREDIT_ISSUANCE_SCHEMA_URL = 'https://w3id.org/untp-credits/schema/v1/CreditIssuanceCredential.json';
export const CREDIT_RETIREMENT_SCHEMA_URL = 'https://w3id.org/untp-credits/schema/v1/CreditRetirementCredential.json';

export const CREDIT_ISSUANCE_TYPE = 'CreditIssuanceCredential';
export const CREDIT_RETIREMENT_TYPE = 'CreditRetirementCredential';
export const DCC_TYPE = 'DigitalConformityCredential';

/** The reference credit scheme (UNTP ConformityScheme document) and its stable criterion ids. */
export const CREDIT_SCHEME_URL = 'https://w3id.org/untp-credits/scheme/v1';
export const CREDIT_SCHEME_NAME = 'Responsible Mineral Credits Scheme (untp-credits reference scheme) v1';
export const CREDIT_PROFILE_ID = `${CREDIT_SCHEME_URL}#profile-credit-lifecycle`;
export const CREDIT_PROFILE_NAME = 'Credit issuance and retirement';

export interface CriterionRef {
  id: string;
  name: string;
}
export interface TopicRef {
  id: string;
  name: string;
}
export interface MetricRef {
  id: string;
  name: string;
}

/** Criterion: production assessed for credit issuance (issuance credentials). */
export const CRITERION_PRODUCTION_ASSESSED: CriterionRef = {
  id: `${CREDIT_SCHEME_URL}#production-assessed`,
  name: 'Production assessed for credit issuance',
};
/** Criterion: credits retired for this product (retirements scoped to products or product lines). */
export const CRITERION_RETIRED_FOR_PRODUCT: CriterionRef = {
  id: `${CREDIT_SCHEME_URL}#credits-retired-for-product`,
  name: 'Credits retired for this product',
};
/** Criterion: credits retired for this organisation (organisation-scoped retirements). */
export const CRITERION_RETIRED_FOR_ORGANISATION: CriterionRef = {
  id: `${CREDIT_SCHEME_URL}#credits-retired-for-organisation`,
  name: 'Credits retired for this organisation',
};

export const METRIC_ASSESSED_PRODUCTION: MetricRef = {
  id: `${CREDIT_SCHEME_URL}#metric-assessed-production`,
  name: 'Assessed production credited',
};
export const METRIC_RETIRED_QUANTITY: MetricRef = {
  id: `${CREDIT_SCHEME_URL}#metric-retired-quantity`,
  name: 'Mineral quantity covered by retired credits',
};

const TOPICS = 'https://vocabulary.uncefact.org/conformity-topics/';
export const TOPIC_ETHICAL_MATERIAL_SOURCING: TopicRef = {
  id: `${TOPICS}ethical-material-sourcing`,
  name: 'Ethical Material Sourcing',
};
export const TOPIC_SUPPLY_CHAIN_LABOR_RIGHTS: TopicRef = {
  id: `${TOPICS}supply-chain-labor-rights`,
  name: 'Supply Chain Labor Rights',
};
export const TOPIC_COMMUNITY_EMPOWERMENT: TopicRef = {
  id: `${TOPICS}community-empowerment`,
  name: 'Community Empowerment',
};

/** The UNTP conformity topics of each criterion, as in the scheme document. */
export const CRITERION_TOPICS: Readonly<Record<string, readonly TopicRef[]>> = {
  [CRITERION_PRODUCTION_ASSESSED.id]: [TOPIC_ETHICAL_MATERIAL_SOURCING, TOPIC_SUPPLY_CHAIN_LABOR_RIGHTS],
  [CRITERION_RETIRED_FOR_PRODUCT.id]: [TOPIC_ETHICAL_MATERIAL_SOURCING, TOPIC_COMMUNITY_EMPOWERMENT],
  [CRITERION_RETIRED_FOR_ORGANISATION.id]: [TOPIC_ETHICAL_MATERIAL_SOURCING, TOPIC_COMMUNITY_EMPOWERMENT],
};

/** The UNTP DCC link type for evidence that is a conformity credential. */
export const DCC_LINK_TYPE = 'https://test.uncefact.org/vocabulary/linkTypes/dcc';

/** The UNTP link type for a Digital Product Passport. */
export const DPP_LINK_TYPE = 'https://test.uncefact.org/vocabulary/linkTypes/dpp';
/**
 * Link types for evidence the UNTP vocabulary has no term for (an assessment report, other
 * supporting evidence). Full IRIs under our namespace, so every evidence link carries a linkType.
 */
export const ASSESSMENT_REPORT_LINK_TYPE = 'https://w3id.org/untp-credits/linkTypes/assessmentReport';
export const EVIDENCE_LINK_TYPE = 'https://w3id.org/untp-credits/linkTypes/evidence';

/** This software's version: the package version (test/credits/issuing-software.test.ts keeps them equal). */
export const SOFTWARE_VERSION = '0.1.0';

/**
 * UNTP 0.7.0 `issuingSoftware`: the software product (and its vendor) that issued a credential.
 * `id` names this exact version.
 */
export const ISSUING_SOFTWARE = {
  id: `https://w3id.org/untp-credits/software/${SOFTWARE_VERSION}`,
  name: 'untp-credits',
  version: SOFTWARE_VERSION,
  vendor: { id: 'https://w3id.org/untp-credits', name: 'untp-credits project' },
} as const;
