import type { SerialBlock } from './serial-block.js';

/** UNTP 0.7.0 ConformityAttestation.assessorLevel. */
export const ASSESSOR_LEVELS = [
  'self',
  'commercial',
  'buyer',
  'membership',
  'unspecified',
  '3rdParty',
  'hybrid',
] as const;
export type AssessorLevel = (typeof ASSESSOR_LEVELS)[number];
/** UNTP 0.7.0 ConformityAttestation.assessmentLevel. */
export const ASSESSMENT_LEVELS = [
  'authority-benchmark',
  'authority-mandate',
  'authority-globalmra',
  'authority-peer',
  'authority-extended-mra',
  'scheme-self',
  'scheme-cab',
  'no-endorsement',
] as const;
export type AssessmentLevel = (typeof ASSESSMENT_LEVELS)[number];
/** UNTP 0.7.0 ConformityAttestation.attestationType. */
export const ATTESTATION_TYPES = [
  'certification',
  'declaration',
  'inspection',
  'testing',
  'verification',
  'validation',
  'calibration',
] as const;
export type AttestationType = (typeof ATTESTATION_TYPES)[number];

export const PRODUCTION_TYPES = ['ASM', 'LSM'] as const;
export type ProductionType = (typeof PRODUCTION_TYPES)[number];
export const CREDIT_BASES = ['contained-metal', 'product'] as const;
export type CreditBasis = (typeof CREDIT_BASES)[number];
/** The four areas the worker-led committee allocates the premium across. */
export const IMPACT_AREAS = ['health-and-safety', 'child-rights', 'cooperative-governance', 'environment'] as const;
export type ImpactArea = (typeof IMPACT_AREAS)[number];
export const RETIREMENT_PURPOSES = [
  'product-claim',
  'organisational-footprint',
  'regulatory-reporting',
  'voluntary-contribution',
  'other',
] as const;
export type RetirementPurpose = (typeof RETIREMENT_PURPOSES)[number];
export const CLAIM_SCOPES = ['organisation', 'product-line', 'listed-products'] as const;
export type ClaimScope = (typeof CLAIM_SCOPES)[number];
export const ASSURANCE_LEVELS = ['reasonable', 'limited', 'none'] as const;
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number];

/** A typed identifier scheme (register, cadastre, LEI…). */
export interface IdScheme {
  id: string;
  name: string;
}

/** A party named by a URI (a DID or register URL), optionally with a registered id in a typed scheme. */
export interface PartyRef {
  id: string;
  name: string;
  registeredId?: string;
  idScheme?: IdScheme;
}

/** A link to a document, with the digest of its bytes when it is evidence. */
export interface LinkRef {
  linkURL: string;
  linkName: string;
  digestMultibase?: string;
  mediaType?: string;
  linkType?: string;
}

/** An inclusive date period (ISO 8601 dates). */
export interface Period {
  startDate: string;
  endDate: string;
}

export interface Commodity {
  /** E.g. "Co", "Cu". */
  code: string;
  name: string;
  schemeId?: string;
  schemeName?: string;
}

export interface CreditUnit {
  commodity: Commodity;
  /** Quantity of commodity one credit represents, e.g. 1. */
  quantityPerCredit: number;
  /** UNECE Rec 20 unit code, e.g. TNE (tonne). */
  unit: string;
  basis: CreditBasis;
}

/** A permit, licence or cadastre title, by registered id in a typed scheme. */
export interface PermitRef {
  registeredId: string;
  idScheme: IdScheme;
  name?: string;
}

export interface ProductionSite {
  /** The site's URI (also the UNTP assessedFacility id). */
  id: string;
  name: string;
  registeredId?: string;
  idScheme?: IdScheme;
  /** ISO 3166-2 subdivision code, e.g. CD-LU (Lualaba). */
  countrySubdivision: string;
  productionType: ProductionType;
  operator: PartyRef;
  permit?: PermitRef[];
  geoLocation?: { latitude: number; longitude: number };
}

export interface StandardRef {
  /** The standard's URI (also the UNTP referenceStandard id). */
  id: string;
  name: string;
  version: string;
  /** The site's progressive-improvement level under the standard (also the assessment's score). */
  improvementLevel?: { code: string; rank?: number; definition?: string };
}

export interface AccountRef {
  /** The account's URI at the registry. */
  id: string;
  accountId: string;
  holder: PartyRef;
}

/**
 * A salted-hash commitment standing in for a withheld field (docs/privacy.md): the sha2-256 digest
 * (digestMultibase) of an RFC 9901 disclosure `[salt, name, value]`, released from `disclosureDate`.
 */
export interface WithheldCommitment {
  commitmentMethod: 'sd-jwt-disclosure-sha2-256';
  digestMultibase: string;
  /** ISO date (YYYY-MM-DD) from which the registry releases the disclosure. */
  disclosureDate: string;
}

export const CONFIDENTIAL_DOCUMENT_TYPES = ['price', 'offtake-terms', 'audit-report', 'contract', 'other'] as const;
export type ConfidentialDocumentType = (typeof CONFIDENTIAL_DOCUMENT_TYPES)[number];

/**
 * A confidential document (price, offtake terms, audit report) cited only by the digest of its
 * bytes: a party holding the document checks it with `untp-credits digest FILE --check D`.
 */
export interface ConfidentialDocumentRef {
  documentType: ConfidentialDocumentType;
  digestMultibase: string;
}

/** A JSON object credential as built (unsigned). */
export type Credential = Record<string, unknown>;

/** The revocation entry of a credential (Bitstring Status List, integer index as the UNTP schema requires). */
export interface StatusInput {
  statusListCredential: string;
  statusListIndex: number;
}

/** The reference to a credit scheme; defaults to the bundled reference scheme. */
export interface SchemeInput {
  id: string;
  name: string;
  profile?: { id: string; name: string };
}

/** A RenderTemplate2024 entry (UNTP SHOULD). */
export interface RenderTemplate {
  type: ['RenderTemplate2024'];
  name?: string;
  mediaQuery?: string;
  template?: string;
  url?: string;
  mediaType?: string;
  digestMultibase?: string;
}

interface CommonInput {
  /** The credential id (a URL at the registry). */
  id: string;
  /** The registry as credential issuer (did:web). */
  issuer: { id: string; name: string };
  validFrom: string;
  name?: string;
  /** The public registry record this credential attests (becomes credentialSubject.id). */
  recordUrl: string;
  credentialStatus: StatusInput;
  assessorLevel: AssessorLevel;
  assessmentLevel: AssessmentLevel;
  attestationType?: AttestationType;
  scheme?: SchemeInput;
  renderMethod?: RenderTemplate[];
}

/** Input of buildIssuanceCredential. */
export interface IssuanceInput extends CommonInput {
  issuanceId: string;
  serialBlock: SerialBlock;
  creditUnit: CreditUnit;
  productionPeriod: Period;
  /** E.g. "2026" or "2026-Q1". */
  vintage: string;
  /** The producing cooperative: the ConformityAttestation's issuedToParty. */
  producer: PartyRef;
  productionSite: ProductionSite;
  standard: StandardRef;
  assessment: {
    assessor: PartyRef;
    /** ISO date of the assessment (the UNTP assessmentDate). */
    date: string;
    assuranceLevel: AssuranceLevel;
    /** The assessment report, with its digest; may be left out when it is confidential (an `audit-report` in confidentialDocuments). */
    report?: LinkRef;
  };
  schemeOwner: PartyRef;
  registryOperator: PartyRef;
  initialHolder: AccountRef;
  benefitSharing: {
    premiumPerCredit: { amount: number; currency: string };
    committee: PartyRef & { workerLed: boolean };
    impactAreas: ImpactArea[];
  };
  claimRules: string;
  /** Defaults to a statement that the physical output credited carries no responsible-sourcing claim. */
  physicalOutputStatement?: string;
  /** What the producer merely asserts, in a credential the producer signs, linked by digest. */
  producerDeclaration?: LinkRef;
  /** Further evidence (monitoring records…), each with a digest. */
  evidence?: LinkRef[];
  /** A cancelled issuance credential this one corrects (cancel and reissue). */
  replaces?: { id: string; digestMultibase: string };
  /** Confidential documents (audit report, offtake terms, prices), by digest only. */
  confidentialDocuments?: ConfidentialDocumentRef[];
}

/** One block retired, cited from its issuance credential. */
export interface RetiredBlockInput {
  issuance: {
    /** The issuance credential as published: its compact JWS (the digest is over these bytes). */
    jws: string;
    /** The digest the caller cites; refused when it does not match `jws`. */
    digestMultibase?: string;
    /** The issuance credential (the JWS payload); read from `jws` when absent. */
    credential?: Credential;
  };
  serialBlock: SerialBlock;
}

export interface CoveredProduct {
  /** The product's id as its DPP's credentialSubject.id (product, model/product line, or batch). */
  id: string;
  name: string;
  modelNumber?: string;
  batchNumber?: string;
  /** The product's DPP, with digest. */
  dppLink?: LinkRef;
  /** The part of the covered quantity attributed to this product, in the covered quantity's unit. */
  quantity?: number;
}

/** Input of buildRetirementCredential. */
export interface RetirementInput extends CommonInput {
  retirementId: string;
  retiredAt: string;
  retiredUnits: RetiredBlockInput[];
  /** The retiring account; its holder is the ConformityAttestation's issuedToParty. */
  retiringAccount: AccountRef;
  /** The beneficiary in clear — or, instead, `withheldBeneficiary` (undefined is absent: an override may clear it). */
  beneficiary?: (PartyRef & { jurisdiction: string; onBehalfOf: boolean }) | undefined;
  /** A commitment to the beneficiary, disclosed later (see `commitBeneficiary`). */
  withheldBeneficiary?: WithheldCommitment;
  /** Confidential documents (offtake terms, prices), by digest only. */
  confidentialDocuments?: ConfidentialDocumentRef[];
  purpose: RetirementPurpose;
  purposeDetails?: string;
  claimBoundary: {
    claimPeriod: Period;
    scope: ClaimScope;
    coveredProducts?: CoveredProduct[];
    coveredQuantity: { value: number; unit: string };
    /** ISO 3166-1/-2 codes, or "EU" etc. */
    market: string[];
    allowedClaim: string;
    claimRules?: string;
  };
  /** Defaults to the registry's standard permanent-retirement statement. */
  registryStatement?: string;
  /** An earlier retirement credential this one amends. */
  replaces?: { id: string; digestMultibase: string };
}
