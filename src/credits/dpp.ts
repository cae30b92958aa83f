import { InvalidInputError } from '../errors.js';
import { date, isObject, uri } from './check.js';
import { digestMultibase, jwsPayload } from '../lib/digest.js';
import type { Credential } from './types.js';
import { CREDIT_RETIREMENT_TYPE, DCC_LINK_TYPE } from './vocabulary.js';

type Obj = Record<string, unknown>;

function objects(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function typesOf(value: Obj): string[] {
  return Array.isArray(value.type)
    ? value.type.filter((t): t is string => typeof t === 'string')
    : typeof value.type === 'string'
      ? [value.type]
      : [];
}

export interface RetirementClaimOptions {
  /** The retirement credential as published: its compact JWS. The evidence digest is over these bytes. */
  retirementJws: string;
  /** Where the retirement credential can be fetched (the evidence linkURL); defaults to its id. */
  retirementUrl?: string;
  /** The claim's id; defaults to `<product id>#credit-retirement-<retirementId>`. */
  claimId?: string;
  /** The claim date (ISO date); defaults to the retirement date. */
  claimDate?: string;
}

/** Why a DPP claim is (or is not) backed by a conformity credential, by UNTP's own matching rule. */
export interface ClaimMatch {
  matched: boolean;
  /** The matching assessment's id when matched. */
  assessmentId?: string;
  criterionId?: string;
  productId?: string;
  /** What failed, per assessment, when not matched. */
  reasons: string[];
}

/**
 * UNTP claim matching, knowing nothing of the credit extension: a DPP performance claim is backed
 * by a Digital Conformity Credential when one of its assessments has an assessment criterion id
 * the claim references, has the passport's product (credentialSubject.id) as an assessedProduct,
 * and has `conformance: true`.
 *
 * @example
 *   const claim = dpp.credentialSubject.performanceClaim[0];
 *   matchClaimToAssessment(dpp, claim, retirementCredential).matched; // true
 */
export function matchClaimToAssessment(dpp: Credential, claim: Obj, dcc: Credential): ClaimMatch {
  const productId = isObject(dpp.credentialSubject) ? dpp.credentialSubject.id : undefined;
  const criteria = new Set(objects(claim.referenceCriteria).map((c) => c.id));
  const subject = isObject(dcc.credentialSubject) ? dcc.credentialSubject : {};
  const reasons: string[] = [];
  for (const assessment of objects(subject.conformityAssessment)) {
    const label = String(assessment.id ?? '(assessment without id)');
    const criterion = objects(assessment.assessmentCriteria).find((c) => criteria.has(c.id));
    const product = objects(assessment.assessedProduct)
      .map((p) => (isObject(p.product) ? p.product : {}))
      .find((p) => p.id === productId);
    if (!criterion) reasons.push(`${label}: no assessment criterion referenced by the claim`);
    else if (!product) reasons.push(`${label}: product ${String(productId)} is not an assessed product`);
    else if (assessment.conformance !== true) reasons.push(`${label}: conformance is not true`);
    else
      return {
        matched: true,
        assessmentId: label,
        criterionId: String(criterion.id),
        productId: String(productId),
        reasons: [],
      };
  }
  if (reasons.length === 0) reasons.push('the credential has no conformity assessments');
  return { matched: false, reasons };
}

/**
 * Adds a credit retirement to a UNTP 0.7.0 Digital Product Passport as a performance claim: the
 * claim references the retirement assessment's criterion ("credits retired for this product"),
 * copies its conformity topics and performance, takes its period and wording from the claim
 * boundary, and cites the retirement credential as evidence (UNTP DCC link type) with the
 * digestMultibase of its JWS. Returns a new passport (unsigned); the input is not changed.
 * Refuses with DPP_INVALID, RETIREMENT_INVALID or PRODUCT_NOT_COVERED (the passport's product is
 * not an assessed product of the retirement).
 *
 * @example
 *   const withClaim = addRetirementClaim(dpp, { retirementJws, retirementUrl: 'https://registry.example/…' });
 */
export function addRetirementClaim(dpp: Credential, options: RetirementClaimOptions): Credential {
  if (!isObject(dpp) || !typesOf(dpp).includes('DigitalProductPassport') || !isObject(dpp.credentialSubject)) {
    throw new InvalidInputError('DPP_INVALID', 'not a DigitalProductPassport with a credentialSubject', '');
  }
  const productId = dpp.credentialSubject.id;
  if (typeof productId !== 'string')
    throw new InvalidInputError('DPP_INVALID', "the passport's product has no id", '/credentialSubject/id');
  let retirement: Obj;
  try {
    retirement = jwsPayload(options.retirementJws);
  } catch (error) {
    throw new InvalidInputError(
      'RETIREMENT_INVALID',
      `the retirement is not a compact JWS: ${(error as Error).message}`,
      '/retirementJws',
    );
  }
  if (!typesOf(retirement).includes(CREDIT_RETIREMENT_TYPE)) {
    throw new InvalidInputError(
      'RETIREMENT_INVALID',
      `the JWS does not carry a ${CREDIT_RETIREMENT_TYPE}`,
      '/retirementJws',
    );
  }
  const subject = isObject(retirement.credentialSubject) ? retirement.credentialSubject : {};
  const ext = isObject(subject.creditRetirement) ? subject.creditRetirement : undefined;
  const boundary = ext && isObject(ext.claimBoundary) ? ext.claimBoundary : undefined;
  const claimPeriod = boundary && isObject(boundary.claimPeriod) ? boundary.claimPeriod : undefined;
  if (!ext || !boundary || !claimPeriod)
    throw new InvalidInputError('RETIREMENT_INVALID', 'the retirement has no claim boundary', '/retirementJws');
  const assessment = objects(subject.conformityAssessment).find(
    (a) =>
      a.conformance === true &&
      objects(a.assessedProduct).some((p) => isObject(p.product) && p.product.id === productId),
  );
  const criterion = assessment && objects(assessment.assessmentCriteria)[0];
  if (!assessment || !criterion) {
    throw new InvalidInputError(
      'PRODUCT_NOT_COVERED',
      `product ${productId} is not an assessed product of retirement ${String(retirement.id)}`,
      '/credentialSubject/id',
    );
  }
  const retirementId = String(ext.retirementId);
  const claim: Obj = {
    type: ['Claim'],
    id:
      options.claimId === undefined
        ? `${productId}#credit-retirement-${retirementId}`
        : uri(options.claimId, '/claimId'),
    name: String(criterion.name),
    description: `${String(boundary.allowedClaim)} Not a physical-content claim.`,
    referenceCriteria: [{ type: ['Criterion'], id: criterion.id, name: criterion.name }],
    claimDate:
      options.claimDate === undefined ? String(ext.retiredAt).slice(0, 10) : date(options.claimDate, '/claimDate'),
    applicablePeriod: { startDate: claimPeriod.startDate, endDate: claimPeriod.endDate },
    claimedPerformance: structuredClone(objects(assessment.assessedPerformance)),
    evidence: [
      {
        linkURL:
          options.retirementUrl === undefined
            ? uri(retirement.id, '/retirementUrl')
            : uri(options.retirementUrl, '/retirementUrl'),
        linkName: `Credit retirement ${retirementId} (${String(retirement.name ?? '')})`.replace(' ()', ''),
        digestMultibase: digestMultibase(options.retirementJws),
        mediaType: 'application/vc+jwt',
        linkType: DCC_LINK_TYPE,
      },
    ],
    conformityTopic: structuredClone(objects(assessment.conformityTopic)),
  };
  const copy = structuredClone(dpp) as Obj & { credentialSubject: Obj };
  const claims = objects(copy.credentialSubject.performanceClaim).filter((c) => c.id !== claim.id);
  copy.credentialSubject.performanceClaim = [...claims, claim];
  return copy;
}
