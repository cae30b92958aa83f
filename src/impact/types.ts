import type { ImpactArea, LinkRef, PartyRef, StatusInput } from '../credits/types.js';
import type { ReporterRole } from './vocabulary.js';

/** An amount of money: a number or exact decimal text with at most 2 decimals (kept exact as text). */
export type Amount = number | string;

/** Premium received for one retirement, cited by its credential id and the digest of its JWS. */
export interface PremiumReceivedInput {
  retirement: {
    id: string;
    /** digestMultibase of the retirement's compact JWS; computed from `jws` when only that is given. */
    digestMultibase?: string;
    /** The retirement's compact JWS: when given, the digest is checked against it (DIGEST_MISMATCH). */
    jws?: string;
  };
  retirementId: string;
  /** Credits retired (whole tonnes). */
  credits: number;
  amount: Amount;
  currency: string;
  receivedDate: string;
}

/** One decision of the committee: how much went to which impact area, for what, when. */
export interface AllocationItemInput {
  impactArea: ImpactArea;
  amount: Amount;
  currency: string;
  /** What was funded (a project or purchase, never a named individual). */
  funded: string;
  decisionDate: string;
  disbursedDate?: string;
  /** Receipts, minutes, photos… with their digests. */
  evidence?: LinkRef[];
}

/** Input of buildAllocationCredential. */
export interface AllocationInput {
  id: string;
  issuer: { id: string; name: string };
  validFrom: string;
  /** Public registry record of the report (the attestation's id). */
  recordUrl: string;
  name?: string;
  credentialStatus?: StatusInput;
  reporterRole: ReporterRole;
  /** Defaults: `self` for the site committee, `3rdParty` for the scheme operator; `scheme-self`; `declaration`. */
  assessorLevel?: string;
  assessmentLevel?: string;
  attestationType?: string;
  reportId: string;
  reportingPeriod: { startDate: string; endDate: string };
  /** The cooperative (a party, never its members). */
  cooperative: PartyRef;
  site: { id: string; name: string; countrySubdivision?: string };
  /** The worker-led committee as a body of the cooperative (no member names). */
  committee: { id: string; name: string; workerLed: boolean };
  premiumReceived: PremiumReceivedInput[];
  allocations: AllocationItemInput[];
  evidence?: LinkRef[];
}
