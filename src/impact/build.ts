import {
  array,
  bool,
  compact,
  date,
  dateTime,
  isObject,
  oneOf,
  period,
  positive,
  present,
  str,
  uri,
} from '../credits/check.js';
import { checkDigest, digestMultibase } from '../lib/digest.js';
import { IMPACT_AREAS, type LinkRef, type PartyRef } from '../credits/types.js';
import { credentialIssuer, dccExtensionEnvelope, revocationEntry } from '../credits/envelope.js';
import { CREDIT_SCHEME_NAME, CREDIT_SCHEME_URL } from '../credits/vocabulary.js';
import { refusePersonalData } from '../disclosure/personal-data.js';
import { InvalidInputError } from '../errors.js';
import { add, cmp, decimal, sub, ZERO, type Decimal } from '../lib/decimal.js';
import type { AllocationInput, Amount } from './types.js';
import {
  IMPACT_CONTEXT_URL,
  PREMIUM_ALLOCATION_SCHEMA_URL,
  PREMIUM_ALLOCATION_TYPE,
  REPORTER_ROLES,
} from './vocabulary.js';

const ASSESSOR_LEVELS = ['self', 'commercial', 'buyer', 'membership', 'unspecified', '3rdParty', 'hybrid'] as const;
const ASSESSMENT_LEVELS = [
  'authority-benchmark',
  'authority-mandate',
  'authority-globalmra',
  'authority-peer',
  'authority-extended-mra',
  'scheme-self',
  'scheme-cab',
  'no-endorsement',
] as const;
const ATTESTATION_TYPES = [
  'certification',
  'declaration',
  'inspection',
  'testing',
  'verification',
  'validation',
  'calibration',
] as const;
const DIGEST = /^[zu][A-Za-z0-9_-]+$/;

type Json = Record<string, unknown>;

/**
 * Money stays exact: amounts are read as decimals (at most 2 places) and written as decimal text
 * with 2 places ("12500.00", xsd:decimal), so sums and the received ≥ allocated check never meet
 * floating-point error.
 */
function money(value: Amount | undefined, path: string): { text: string; value: Decimal } {
  present(value, path, 'an amount');
  let d: Decimal;
  try {
    d = decimal(value, path);
  } catch {
    throw new InvalidInputError(
      'AMOUNT_INVALID',
      `${path} must be a non-negative amount, got ${JSON.stringify(value)}`,
      path,
    );
  }
  if (d.scale > 2) throw new InvalidInputError('AMOUNT_INVALID', `${path} has more than 2 decimal places`, path);
  return { text: fixed2(d), value: d };
}

function fixed2(d: Decimal): string {
  const cents = d.n * 10n ** BigInt(2 - d.scale);
  const sign = cents < 0n ? '-' : '';
  const digits = (cents < 0n ? -cents : cents).toString().padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function currencyOf(value: unknown, path: string, expected: string | undefined): string {
  const c = str(value, path);
  if (!/^[A-Z]{3}$/.test(c))
    throw new InvalidInputError('INVALID_FIELD', `${path} must be an ISO 4217 currency code`, path);
  if (expected !== undefined && c !== expected)
    throw new InvalidInputError(
      'CURRENCY_MISMATCH',
      `${path} is ${c}; the report is in ${expected} (one currency per report)`,
      path,
    );
  return c;
}

function party(p: PartyRef | undefined, path: string, typed: boolean): Json {
  const v = present(p, path, 'a party');
  return compact({
    ...(typed ? { type: ['Party'] } : {}),
    id: uri(v.id, `${path}/id`),
    name: str(v.name, `${path}/name`),
    registeredId: v.registeredId,
    idScheme: v.idScheme && {
      ...(typed ? { type: ['IdentifierScheme'] } : {}),
      id: uri(v.idScheme.id, `${path}/idScheme/id`),
      name: str(v.idScheme.name, `${path}/idScheme/name`),
    },
  });
}

/** Evidence is pinned by digest: a link without one is refused. */
function evidenceLink(l: LinkRef | undefined, path: string): Json {
  const v = present(l, path, 'a link');
  const digest = str(v.digestMultibase, `${path}/digestMultibase`);
  if (!DIGEST.test(digest))
    throw new InvalidInputError(
      'DIGEST_INVALID',
      `${path}/digestMultibase must be a z… or u… multibase digest`,
      `${path}/digestMultibase`,
    );
  return compact({
    linkURL: uri(v.linkURL, `${path}/linkURL`),
    linkName: str(v.linkName, `${path}/linkName`),
    digestMultibase: digest,
    mediaType: v.mediaType,
  });
}

/**
 * Builds an unsigned PremiumAllocationCredential: a UNTP 0.7.0 Digital Conformity Credential in
 * which the scheme operator or the site's worker-led committee reports the premium received for
 * given retirements (each cited by credential id and the digest of its JWS) and how the committee
 * allocated it across the four impact areas (amounts, currency, what was funded, dates), with
 * evidence pinned by digest. The attestation is issued to the cooperative (a party; never
 * individuals). Pure; refuses bad input with an InvalidInputError naming the field.
 *
 * Codes: MISSING_FIELD, INVALID_FIELD, INVALID_DATE, PERIOD_INVERTED, AMOUNT_INVALID,
 * CURRENCY_MISMATCH, ALLOCATION_EXCEEDS_PREMIUM, DUPLICATE_RETIREMENT, DIGEST_INVALID,
 * DIGEST_MISMATCH, QUANTITY_NOT_POSITIVE, STATUS_INDEX_INVALID, PERSONAL_DATA_REFUSED.
 *
 * @example
 *   const vc = buildAllocationCredential({ id, issuer, validFrom, recordUrl, reporterRole: 'site-committee', reportId: 'PAR-2026-H1',
 *     reportingPeriod, cooperative, site, committee: { id, name, workerLed: true },
 *     premiumReceived: [{ retirement: { id: retirementUrl, jws }, retirementId: 'RET-2026-0007', credits: 25, amount: 12500, currency: 'USD', receivedDate: '2026-06-30' }],
 *     allocations: [{ impactArea: 'health-and-safety', amount: 5000, currency: 'USD', funded: 'Shaft ventilation', decisionDate: '2026-07-10' }] });
 *   // then sign: issue(vc, { format: 'jose', signer })
 */
export function buildAllocationCredential(input: AllocationInput): Json {
  if (!isObject(input)) throw new InvalidInputError('INVALID_FIELD', 'the allocation input must be an object', '');
  refusePersonalData(input);
  const id = uri(input.id, '/id');
  const issuer = present(input.issuer, '/issuer', 'the issuer (scheme operator or committee)');
  const recordUrl = uri(input.recordUrl, '/recordUrl');
  const reporterRole = oneOf(input.reporterRole, REPORTER_ROLES, '/reporterRole');
  const reportId = str(input.reportId, '/reportId');
  const reportingPeriod = period(input.reportingPeriod, '/reportingPeriod');
  const cooperative = party(input.cooperative, '/cooperative', true);
  const site = present(input.site, '/site', 'the production site');
  const committee = present(input.committee, '/committee', 'the worker-led committee');
  if (bool(committee.workerLed, '/committee/workerLed') !== true)
    throw new InvalidInputError(
      'INVALID_FIELD',
      'the premium is allocated by a worker-led committee',
      '/committee/workerLed',
    );

  let currency: string | undefined;
  let received = ZERO;
  const seen = new Set<string>();
  const premiumReceived = array<AllocationInput['premiumReceived'][number]>(
    input.premiumReceived,
    '/premiumReceived',
  ).map((p, i) => {
    const path = `/premiumReceived/${i}`;
    const r = present(p.retirement, `${path}/retirement`, 'the retirement');
    const rid = uri(r.id, `${path}/retirement/id`);
    if (seen.has(rid))
      throw new InvalidInputError(
        'DUPLICATE_RETIREMENT',
        `${path}/retirement/id: ${rid} is reported twice`,
        `${path}/retirement/id`,
      );
    seen.add(rid);
    let digest = r.digestMultibase;
    if (r.jws !== undefined) {
      if (digest === undefined) digest = digestMultibase(r.jws);
      else if (!checkDigest(r.jws, digest))
        throw new InvalidInputError(
          'DIGEST_MISMATCH',
          `${path}/retirement/digestMultibase is not the digest of the given retirement JWS`,
          `${path}/retirement/digestMultibase`,
        );
    }
    digest = str(digest, `${path}/retirement/digestMultibase`);
    if (!DIGEST.test(digest))
      throw new InvalidInputError(
        'DIGEST_INVALID',
        `${path}/retirement/digestMultibase must be a z… or u… multibase digest`,
        `${path}/retirement/digestMultibase`,
      );
    const credits = positive(p.credits, `${path}/credits`);
    if (!Number.isSafeInteger(credits))
      throw new InvalidInputError(
        'INVALID_FIELD',
        `${path}/credits must be a whole number of credits`,
        `${path}/credits`,
      );
    currency = currencyOf(p.currency, `${path}/currency`, currency);
    const amount = money(p.amount, `${path}/amount`);
    received = add(received, amount.value);
    return {
      retirement: { id: rid, digestMultibase: digest },
      retirementId: str(p.retirementId, `${path}/retirementId`),
      credits,
      amount: amount.text,
      currency,
      receivedDate: date(p.receivedDate, `${path}/receivedDate`),
    };
  });

  let allocated = ZERO;
  const allocation = array<AllocationInput['allocations'][number]>(input.allocations, '/allocations', 0).map((a, i) => {
    const path = `/allocations/${i}`;
    const amount = money(a.amount, `${path}/amount`);
    allocated = add(allocated, amount.value);
    const decisionDate = date(a.decisionDate, `${path}/decisionDate`);
    const disbursedDate = a.disbursedDate === undefined ? undefined : date(a.disbursedDate, `${path}/disbursedDate`);
    if (disbursedDate !== undefined && disbursedDate < decisionDate)
      throw new InvalidInputError(
        'INVALID_DATE',
        `${path}/disbursedDate is before the decision`,
        `${path}/disbursedDate`,
      );
    return compact({
      impactArea: oneOf(a.impactArea, IMPACT_AREAS, `${path}/impactArea`),
      amount: amount.text,
      currency: currencyOf(a.currency, `${path}/currency`, currency),
      funded: str(a.funded, `${path}/funded`),
      decisionDate,
      disbursedDate,
      evidence:
        a.evidence === undefined
          ? undefined
          : array<LinkRef>(a.evidence, `${path}/evidence`).map((e, j) => evidenceLink(e, `${path}/evidence/${j}`)),
    });
  });
  // The committee can only allocate what the premium brought in.
  if (cmp(allocated, received) > 0) {
    throw new InvalidInputError(
      'ALLOCATION_EXCEEDS_PREMIUM',
      `allocations total ${fixed2(allocated)} ${currency ?? ''}, more than the ${fixed2(received)} received`,
      '/allocations',
    );
  }
  const reportCurrency = currency as string;
  const byArea = IMPACT_AREAS.map((area) => ({
    impactArea: area,
    amount: fixed2(
      allocation.filter((a) => a.impactArea === area).reduce((s, a) => add(s, decimal(a.amount, '')), ZERO),
    ),
    currency: reportCurrency,
  }));

  const assessorLevel =
    input.assessorLevel === undefined
      ? reporterRole === 'site-committee'
        ? 'self'
        : '3rdParty'
      : oneOf(input.assessorLevel, ASSESSOR_LEVELS, '/assessorLevel');
  const assessmentLevel =
    input.assessmentLevel === undefined
      ? 'scheme-self'
      : oneOf(input.assessmentLevel, ASSESSMENT_LEVELS, '/assessmentLevel');
  const attestationType =
    input.attestationType === undefined
      ? 'declaration'
      : oneOf(input.attestationType, ATTESTATION_TYPES, '/attestationType');
  const siteName = str(site.name, '/site/name');
  const name =
    input.name ??
    `Premium allocation report ${reportId} — ${siteName}, ${reportingPeriod.startDate} to ${reportingPeriod.endDate}`;
  const status = input.credentialStatus;
  if (
    status !== undefined &&
    (typeof status.statusListIndex !== 'number' ||
      !Number.isSafeInteger(status.statusListIndex) ||
      status.statusListIndex < 0)
  ) {
    throw new InvalidInputError(
      'STATUS_INDEX_INVALID',
      'statusListIndex must be a non-negative integer',
      '/credentialStatus/statusListIndex',
    );
  }
  const subdivision = site.countrySubdivision;
  if (subdivision !== undefined && !/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(subdivision))
    throw new InvalidInputError(
      'INVALID_FIELD',
      '/site/countrySubdivision must be ISO 3166-2',
      '/site/countrySubdivision',
    );

  return dccExtensionEnvelope({
    context: IMPACT_CONTEXT_URL,
    type: PREMIUM_ALLOCATION_TYPE,
    schemaUrl: PREMIUM_ALLOCATION_SCHEMA_URL,
    id,
    issuer: credentialIssuer(issuer),
    validFrom: dateTime(input.validFrom, '/validFrom'),
    name,
    credentialStatus:
      status &&
      revocationEntry(
        uri(status.statusListCredential, '/credentialStatus/statusListCredential'),
        status.statusListIndex,
      ),
    renderMethod: [
      {
        type: ['RenderTemplate2024'],
        name: 'Premium allocation report',
        mediaType: 'text/html',
        template:
          '<h1>{{credentialSubject.name}}</h1><p>Premium received: {{credentialSubject.premiumAllocation.totalReceived.amount}} {{credentialSubject.premiumAllocation.totalReceived.currency}}; allocated by {{credentialSubject.premiumAllocation.committee.name}}: {{credentialSubject.premiumAllocation.totalAllocated.amount}}.</p>',
      },
    ],
    credentialSubject: {
      type: ['ConformityAttestation'],
      id: recordUrl,
      name,
      assessorLevel,
      assessmentLevel,
      attestationType,
      issuedToParty: cooperative,
      referenceScheme: { type: ['ConformityScheme'], id: CREDIT_SCHEME_URL, name: CREDIT_SCHEME_NAME },
      premiumAllocation: compact({
        reportId,
        reporterRole,
        reportingPeriod,
        site: compact({ id: uri(site.id, '/site/id'), name: siteName, countrySubdivision: subdivision }),
        // The committee is a body of the cooperative: its id and name, never its members.
        committee: {
          id: uri(committee.id, '/committee/id'),
          name: str(committee.name, '/committee/name'),
          workerLed: true,
          cooperative: { id: cooperative.id, name: cooperative.name },
        },
        premiumReceived,
        totalReceived: { amount: fixed2(received), currency: reportCurrency },
        allocation,
        allocatedByArea: byArea,
        totalAllocated: { amount: fixed2(allocated), currency: reportCurrency },
        unallocated: { amount: fixed2(sub(received, allocated)), currency: reportCurrency },
        evidence:
          input.evidence === undefined
            ? undefined
            : array<LinkRef>(input.evidence, '/evidence').map((e, i) => evidenceLink(e, `/evidence/${i}`)),
      }),
    },
  });
}

/** What the registry and the overview read back from an allocation credential. */
export interface AllocationSummary {
  credentialId: string;
  reportId: string;
  siteId: string;
  siteName: string;
  currency: string;
  received: string;
  allocated: string;
  byArea: Record<string, string>;
  retirements: Array<{ id: string; digestMultibase: string; retirementId: string; credits: number; amount: string }>;
  allocations: Array<{
    impactArea: string;
    amount: string;
    funded: string;
    decisionDate: string;
    disbursedDate?: string;
  }>;
  periodStart: string;
  periodEnd: string;
}

/** Reads a built (unsigned) allocation credential's facts. Codes: ALLOCATION_INVALID. */
export function readAllocation(vc: unknown): AllocationSummary {
  const subject = isObject(vc) ? vc.credentialSubject : undefined;
  const p = isObject(subject) ? subject.premiumAllocation : undefined;
  if (!isObject(vc) || !Array.isArray(vc.type) || !vc.type.includes(PREMIUM_ALLOCATION_TYPE) || !isObject(p)) {
    throw new InvalidInputError('ALLOCATION_INVALID', 'not a PremiumAllocationCredential', '');
  }
  const site = p.site as Json;
  const total = p.totalReceived as Json;
  const period = p.reportingPeriod as Json;
  return {
    credentialId: String(vc.id),
    reportId: String(p.reportId),
    siteId: String(site.id),
    siteName: String(site.name),
    currency: String(total.currency),
    received: String(total.amount),
    allocated: String((p.totalAllocated as Json).amount),
    byArea: Object.fromEntries((p.allocatedByArea as Json[]).map((a) => [String(a.impactArea), String(a.amount)])),
    retirements: (p.premiumReceived as Json[]).map((r) => ({
      id: String((r.retirement as Json).id),
      digestMultibase: String((r.retirement as Json).digestMultibase),
      retirementId: String(r.retirementId),
      credits: Number(r.credits),
      amount: String(r.amount),
    })),
    allocations: (p.allocation as Json[]).map((a) =>
      compact({
        impactArea: String(a.impactArea),
        amount: String(a.amount),
        funded: String(a.funded),
        decisionDate: String(a.decisionDate),
        disbursedDate: a.disbursedDate === undefined ? undefined : String(a.disbursedDate),
      }),
    ),
    periodStart: String(period.startDate),
    periodEnd: String(period.endDate),
  };
}

/**
 * The builder's input read back from an unsigned draft (what `impact build` prints): the ledger's
 * allocation command rebuilds the credential from it with the members only the ledger decides (id,
 * issuer, validFrom, record URL, status entry), so every rule of `buildAllocationCredential`
 * applies again. The generated `name` is left out (it is made again). Code: ALLOCATION_INVALID.
 *
 * @example
 *   const input = allocationInputOf(JSON.parse(readFileSync('allocation.json', 'utf8')));
 */
export function allocationInputOf(draft: unknown): AllocationInput {
  try {
    readAllocation(draft);
  } catch (error) {
    if (error instanceof TypeError)
      throw new InvalidInputError(
        'ALLOCATION_INVALID',
        `not a PremiumAllocationCredential draft: ${error.message}`,
        '',
      );
    throw error;
  }
  const vc = draft as Json;
  const subject = vc.credentialSubject as Json;
  const p = subject.premiumAllocation as Json;
  const untyped = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(untyped);
    if (!isObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'type')
        .map(([k, v]) => [k, untyped(v)]),
    );
  };
  const committee = isObject(p.committee) ? p.committee : {};
  const issuer = isObject(vc.issuer) ? vc.issuer : { id: vc.issuer, name: '' };
  return compact({
    id: vc.id,
    issuer: { id: issuer.id, name: issuer.name },
    validFrom: vc.validFrom,
    recordUrl: subject.id,
    reporterRole: p.reporterRole,
    assessorLevel: subject.assessorLevel,
    assessmentLevel: subject.assessmentLevel,
    attestationType: subject.attestationType,
    reportId: p.reportId,
    reportingPeriod: p.reportingPeriod,
    cooperative: untyped(subject.issuedToParty),
    site: p.site,
    committee: { id: committee.id, name: committee.name, workerLed: committee.workerLed },
    premiumReceived: p.premiumReceived,
    allocations: p.allocation,
    evidence: p.evidence,
  }) as unknown as AllocationInput;
}
