import { COMMITMENT_METHOD } from '../disclosure/commitment.js';
import { refusePersonalData } from '../disclosure/personal-data.js';
import { InvalidInputError } from '../errors.js';
import { add, cmp, decimal, format, mul, toNumber, ZERO, type Decimal } from '../lib/decimal.js';
import { kilograms, massUnit } from '../lib/mass-units.js';
import { array, bool, compact, date, dateTime, isObject, oneOf, period, positive, present, str, uri } from './check.js';
import { checkDigest, digestMultibase, jwsPayload } from '../lib/digest.js';
import { credentialIssuer, dccExtensionEnvelope, revocationEntry } from './envelope.js';
import { assertDisjoint, checkSerialBlock, contains, totalQuantity, type SerialBlock } from './serial-block.js';
import {
  ASSESSMENT_LEVELS,
  ASSESSOR_LEVELS,
  ASSURANCE_LEVELS,
  ATTESTATION_TYPES,
  CLAIM_SCOPES,
  CONFIDENTIAL_DOCUMENT_TYPES,
  CREDIT_BASES,
  IMPACT_AREAS,
  PRODUCTION_TYPES,
  RETIREMENT_PURPOSES,
  type AccountRef,
  type ConfidentialDocumentRef,
  type Credential,
  type IssuanceInput,
  type LinkRef,
  type PartyRef,
  type RenderTemplate,
  type RetirementInput,
  type SchemeInput,
  type StatusInput,
} from './types.js';
import {
  ASSESSMENT_REPORT_LINK_TYPE,
  CREDIT_ISSUANCE_SCHEMA_URL,
  CREDIT_ISSUANCE_TYPE,
  CREDIT_PROFILE_ID,
  CREDIT_PROFILE_NAME,
  CREDIT_RETIREMENT_SCHEMA_URL,
  CREDIT_RETIREMENT_TYPE,
  CREDIT_SCHEME_NAME,
  CREDIT_SCHEME_URL,
  CREDITS_CONTEXT_URL,
  CRITERION_PRODUCTION_ASSESSED,
  CRITERION_RETIRED_FOR_ORGANISATION,
  CRITERION_RETIRED_FOR_PRODUCT,
  CRITERION_TOPICS,
  DCC_LINK_TYPE,
  EVIDENCE_LINK_TYPE,
  METRIC_ASSESSED_PRODUCTION,
  METRIC_RETIRED_QUANTITY,
  type CriterionRef,
} from './vocabulary.js';

/** The default statement an issuance makes about the physical output it credits. */
export const DEFAULT_PHYSICAL_OUTPUT_STATEMENT =
  'The physical output credited by this issuance is sold without any responsible-sourcing claim; the responsible-production attribute is carried only by these credits, so the same tonne cannot be claimed through the physical supply chain as well.';
/** The default statement the registry makes in a retirement. */
export const DEFAULT_RETIREMENT_STATEMENT =
  'The registry has permanently retired the units listed in this credential for the named beneficiary and claim boundary. Retired units cannot be transferred, retired again or un-retired.';

// ---------------------------------------------------------------------------------------------
// shared pieces

function schemeOf(input: SchemeInput | undefined): SchemeInput & { profile: { id: string; name: string } } {
  if (input === undefined)
    return {
      id: CREDIT_SCHEME_URL,
      name: CREDIT_SCHEME_NAME,
      profile: { id: CREDIT_PROFILE_ID, name: CREDIT_PROFILE_NAME },
    };
  return {
    id: uri(input.id, '/scheme/id'),
    name: str(input.name, '/scheme/name'),
    profile: input.profile ?? { id: CREDIT_PROFILE_ID, name: CREDIT_PROFILE_NAME },
  };
}

/** A party in a UNTP slot (typed Party node). */
function untpParty(party: PartyRef | undefined, path: string): Record<string, unknown> {
  const p = present(party, path, 'a party');
  return compact({
    type: ['Party'],
    id: uri(p.id, `${path}/id`),
    name: str(p.name, `${path}/name`),
    registeredId: p.registeredId,
    idScheme: p.idScheme && {
      type: ['IdentifierScheme'],
      id: uri(p.idScheme.id, `${path}/idScheme/id`),
      name: str(p.idScheme.name, `${path}/idScheme/name`),
    },
  });
}

/** A party inside our extension objects (terms from our context, no UNTP type). */
function extParty(party: PartyRef | undefined, path: string): { id: string; name: string; [member: string]: unknown } {
  const p = present(party, path, 'a party');
  return compact({
    id: uri(p.id, `${path}/id`),
    name: str(p.name, `${path}/name`),
    registeredId: p.registeredId,
    idScheme: p.idScheme && {
      id: uri(p.idScheme.id, `${path}/idScheme/id`),
      name: str(p.idScheme.name, `${path}/idScheme/name`),
    },
  });
}

function account(value: AccountRef | undefined, path: string): Record<string, unknown> {
  const a = present(value, path, 'an account');
  return {
    id: uri(a.id, `${path}/id`),
    accountId: str(a.accountId, `${path}/accountId`),
    holder: extParty(a.holder, `${path}/holder`),
  };
}

/**
 * A link; `needDigest` for evidence, whose bytes must be pinned. Evidence always carries a linkType:
 * the one given, else `defaultType`.
 */
function link(
  value: LinkRef | undefined,
  path: string,
  needDigest: boolean,
  defaultType: string = EVIDENCE_LINK_TYPE,
): Record<string, unknown> {
  const l = present(value, path, 'a link');
  if (needDigest) present(l.digestMultibase, `${path}/digestMultibase`, 'the digest of linked evidence');
  if (l.digestMultibase !== undefined && !/^[zu][A-Za-z0-9_-]+$/.test(l.digestMultibase)) {
    throw new InvalidInputError(
      'DIGEST_INVALID',
      `${path}/digestMultibase must be a z… or u… multibase digest`,
      `${path}/digestMultibase`,
    );
  }
  return compact({
    linkURL: uri(l.linkURL, `${path}/linkURL`),
    linkName: str(l.linkName, `${path}/linkName`),
    digestMultibase: l.digestMultibase,
    mediaType: l.mediaType,
    linkType: l.linkType ?? (needDigest ? defaultType : undefined),
  });
}

/** Runs `fn`, giving an InvalidInputError without a path the pointer `path`. */
function at<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof InvalidInputError && error.path === undefined)
      throw new InvalidInputError(error.code, error.message, path);
    throw error;
  }
}

/** The credential a correction replaces, by id and the digest of its JWS. */
function replaces(value: { id: string; digestMultibase: string }): { id: string; digestMultibase: string } {
  const digest = str(value.digestMultibase, '/replaces/digestMultibase');
  if (!/^[zu][A-Za-z0-9_-]+$/.test(digest))
    throw new InvalidInputError(
      'DIGEST_INVALID',
      '/replaces/digestMultibase must be a z… or u… multibase digest',
      '/replaces/digestMultibase',
    );
  return { id: uri(value.id, '/replaces/id'), digestMultibase: digest };
}

/** Confidential documents, cited by digest only (never a URL or content). */
function confidentialDocuments(value: ConfidentialDocumentRef[] | undefined): Record<string, unknown>[] | undefined {
  if (value === undefined) return undefined;
  return array<ConfidentialDocumentRef>(value, '/confidentialDocuments').map((d, i) => {
    const path = `/confidentialDocuments/${i}`;
    if (!isObject(d))
      throw new InvalidInputError('INVALID_FIELD', `${path} must be { documentType, digestMultibase }`, path);
    const extra = Object.keys(d).find((k) => k !== 'documentType' && k !== 'digestMultibase');
    if (extra !== undefined)
      throw new InvalidInputError(
        'CONFIDENTIAL_DATA_REFUSED',
        `${path}/${extra}: a confidential document is cited by type and digest only`,
        `${path}/${extra}`,
      );
    const digest = str(d.digestMultibase, `${path}/digestMultibase`);
    if (!/^[zu][A-Za-z0-9_-]+$/.test(digest))
      throw new InvalidInputError(
        'DIGEST_INVALID',
        `${path}/digestMultibase must be a z… or u… multibase digest`,
        `${path}/digestMultibase`,
      );
    return {
      documentType: oneOf(d.documentType, CONFIDENTIAL_DOCUMENT_TYPES, `${path}/documentType`),
      digestMultibase: digest,
    };
  });
}

/** The commitment standing in for a withheld beneficiary; its date may not precede the retirement. */
function withheldCommitment(
  value: unknown,
  path: string,
  notBefore: string,
): { commitmentMethod: string; digestMultibase: string; disclosureDate: string } {
  if (!isObject(value))
    throw new InvalidInputError(
      'INVALID_FIELD',
      `${path} must be { commitmentMethod, digestMultibase, disclosureDate }`,
      path,
    );
  if (value.commitmentMethod !== COMMITMENT_METHOD)
    throw new InvalidInputError(
      'COMMITMENT_METHOD_UNSUPPORTED',
      `${path}/commitmentMethod must be ${COMMITMENT_METHOD}`,
      `${path}/commitmentMethod`,
    );
  const digest = str(value.digestMultibase, `${path}/digestMultibase`);
  if (!/^[zu][A-Za-z0-9_-]+$/.test(digest))
    throw new InvalidInputError(
      'DIGEST_INVALID',
      `${path}/digestMultibase must be a z… or u… multibase digest`,
      `${path}/digestMultibase`,
    );
  const disclosureDate = date(value.disclosureDate, `${path}/disclosureDate`);
  if (disclosureDate < notBefore)
    throw new InvalidInputError(
      'INVALID_DATE',
      `${path}/disclosureDate (${disclosureDate}) is before the retirement (${notBefore})`,
      `${path}/disclosureDate`,
    );
  return { commitmentMethod: COMMITMENT_METHOD, digestMultibase: digest, disclosureDate };
}

function status(value: StatusInput | undefined): Record<string, unknown> {
  const s = present(value, '/credentialStatus', 'a revocation status entry');
  const list = uri(s.statusListCredential, '/credentialStatus/statusListCredential');
  const index = s.statusListIndex;
  // The UNTP DCC schema types statusListIndex as an integer; one revocation entry per credential.
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
    throw new InvalidInputError(
      'STATUS_INDEX_INVALID',
      `statusListIndex must be a non-negative integer, got ${JSON.stringify(index)}`,
      '/credentialStatus/statusListIndex',
    );
  }
  return revocationEntry(list, index);
}

function topics(criterion: CriterionRef): Record<string, unknown>[] {
  return (CRITERION_TOPICS[criterion.id] ?? []).map((t) => ({ type: ['ConformityTopic'], id: t.id, name: t.name }));
}

/** A covered product (or product line) as a UNTP assessedProduct. */
function assessedProduct(
  product: NonNullable<RetirementInput['claimBoundary']['coveredProducts']>[number],
  i: number,
): Record<string, unknown> {
  const path = `/claimBoundary/coveredProducts/${i}`;
  return {
    product: compact({
      type: ['Product'],
      id: uri(product.id, `${path}/id`),
      name: product.name,
      modelNumber: product.modelNumber,
      batchNumber: product.batchNumber,
    }),
    idVerifiedByCAB: false,
  };
}

function criterionNode(criterion: CriterionRef): Record<string, unknown> {
  return { type: ['Criterion'], id: criterion.id, name: criterion.name };
}

function defaultRender(kind: 'issuance' | 'retirement', withheld = false): RenderTemplate[] {
  if (withheld) {
    const body =
      '<h1>{{credentialSubject.name}}</h1><p>{{credentialSubject.creditRetirement.totalQuantity}} credits retired on {{credentialSubject.creditRetirement.retiredAt}}; beneficiary withheld until {{credentialSubject.creditRetirement.withheldBeneficiary.disclosureDate}}.</p><p>Claim: {{credentialSubject.creditRetirement.claimBoundary.allowedClaim}}</p><p>Not a physical-content claim.</p>';
    return [
      { type: ['RenderTemplate2024'], name: 'Credit retirement statement', mediaType: 'text/html', template: body },
    ];
  }
  const body =
    kind === 'issuance'
      ? '<h1>{{credentialSubject.name}}</h1><p>Serials {{credentialSubject.creditIssuance.serialBlock.prefix}} {{credentialSubject.creditIssuance.serialBlock.start}}–{{credentialSubject.creditIssuance.serialBlock.end}} ({{credentialSubject.creditIssuance.serialBlock.quantity}} credits) issued to {{credentialSubject.issuedToParty.name}} for {{credentialSubject.creditIssuance.productionPeriod.startDate}} – {{credentialSubject.creditIssuance.productionPeriod.endDate}}.</p><p>{{credentialSubject.creditIssuance.physicalOutputStatement}}</p>'
      : '<h1>{{credentialSubject.name}}</h1><p>{{credentialSubject.creditRetirement.totalQuantity}} credits retired on {{credentialSubject.creditRetirement.retiredAt}} for {{credentialSubject.creditRetirement.beneficiary.name}}.</p><p>Claim: {{credentialSubject.creditRetirement.claimBoundary.allowedClaim}}</p><p>Not a physical-content claim.</p>';
  return [
    {
      type: ['RenderTemplate2024'],
      name: kind === 'issuance' ? 'Credit issuance statement' : 'Credit retirement statement',
      mediaType: 'text/html',
      template: body,
    },
  ];
}

function envelope(
  input: IssuanceInput | RetirementInput,
  type: string,
  schemaUrl: string,
  name: string,
  subject: Record<string, unknown>,
  kind: 'issuance' | 'retirement',
  withheld = false,
): Credential {
  const id = uri(input.id, '/id');
  const issuer = present(input.issuer, '/issuer', 'the issuer (the registry)');
  return dccExtensionEnvelope({
    context: CREDITS_CONTEXT_URL,
    type,
    schemaUrl,
    id,
    issuer: credentialIssuer(issuer),
    validFrom: dateTime(input.validFrom, '/validFrom'),
    name,
    credentialStatus: status(input.credentialStatus),
    renderMethod: input.renderMethod ?? defaultRender(kind, withheld),
    credentialSubject: subject,
  });
}

function attestation(input: IssuanceInput | RetirementInput, defaultType: 'certification' | 'verification') {
  return {
    assessorLevel: oneOf(input.assessorLevel, ASSESSOR_LEVELS, '/assessorLevel'),
    assessmentLevel: oneOf(input.assessmentLevel, ASSESSMENT_LEVELS, '/assessmentLevel'),
    attestationType:
      input.attestationType === undefined
        ? defaultType
        : oneOf(input.attestationType, ATTESTATION_TYPES, '/attestationType'),
  };
}

// ---------------------------------------------------------------------------------------------
// issuance

/**
 * Builds an unsigned CreditIssuanceCredential: a UNTP 0.7.0 Digital Conformity Credential whose
 * ConformityAttestation is issued to the producing cooperative, with the assessment of its
 * production against the scheme's "production assessed" criterion in conformityAssessment[], and
 * the credit data (serial block, unit, period, site, standard, benefit sharing…) in
 * credentialSubject.creditIssuance. Pure: no I/O, refuses bad input with an InvalidInputError
 * whose `code` is stable and whose `path` points into `input`.
 *
 * Codes: MISSING_FIELD, INVALID_FIELD, INVALID_DATE, PERIOD_INVERTED, QUANTITY_NOT_POSITIVE,
 * QUANTITY_MISMATCH, SERIAL_RANGE_INVERTED, SERIAL_OUT_OF_RANGE, SERIAL_NOT_INTEGER,
 * STATUS_INDEX_INVALID, DIGEST_INVALID, UNIT_UNSUPPORTED (the credit unit is not a Rec 20 mass code).
 *
 * @example
 *   const vc = buildIssuanceCredential({ id: 'https://registry.example/credentials/iss-1', issuer, …,
 *     serialBlock: { prefix: 'RCC-CD-LU-2026Q1', start: 1, end: 120, quantity: 120 }, … });
 *   // then sign: issue(vc, { format: 'jose', signer })
 */
export function buildIssuanceCredential(input: IssuanceInput): Credential {
  if (!isObject(input)) throw new InvalidInputError('INVALID_FIELD', 'the issuance input must be an object', '');
  refusePersonalData(input);
  const scheme = schemeOf(input.scheme);
  const recordUrl = uri(input.recordUrl, '/recordUrl');
  const issuanceId = str(input.issuanceId, '/issuanceId');
  const block = checkSerialBlock(present(input.serialBlock, '/serialBlock', 'the serial block'), '/serialBlock');
  const unit = present(input.creditUnit, '/creditUnit', 'the credit unit');
  const commodity = present(unit.commodity, '/creditUnit/commodity', 'the commodity');
  const creditUnit = {
    commodity: compact({
      code: str(commodity.code, '/creditUnit/commodity/code'),
      name: str(commodity.name, '/creditUnit/commodity/name'),
      schemeId:
        commodity.schemeId === undefined ? undefined : uri(commodity.schemeId, '/creditUnit/commodity/schemeId'),
      schemeName: commodity.schemeName,
    }),
    quantityPerCredit: positive(unit.quantityPerCredit, '/creditUnit/quantityPerCredit'),
    unit: massUnit(str(unit.unit, '/creditUnit/unit'), '/creditUnit/unit').code,
    basis: oneOf(unit.basis, CREDIT_BASES, '/creditUnit/basis'),
  };
  const productionPeriod = period(input.productionPeriod, '/productionPeriod');
  const vintage = str(input.vintage, '/vintage');
  if (!/^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$/.test(vintage))
    throw new InvalidInputError(
      'INVALID_FIELD',
      `vintage must look like 2026, 2026-Q1, 2026-H1 or 2026-03, got ${JSON.stringify(vintage)}`,
      '/vintage',
    );
  if (!productionPeriod.startDate.startsWith(vintage.slice(0, 4))) {
    throw new InvalidInputError(
      'INVALID_FIELD',
      `vintage ${vintage} does not match the production period starting ${productionPeriod.startDate}`,
      '/vintage',
    );
  }
  const producer = untpParty(input.producer, '/producer');
  const site = present(input.productionSite, '/productionSite', 'the production site');
  const siteId = uri(site.id, '/productionSite/id');
  const subdivision = str(site.countrySubdivision, '/productionSite/countrySubdivision');
  if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(subdivision))
    throw new InvalidInputError(
      'INVALID_FIELD',
      `countrySubdivision must be an ISO 3166-2 code such as CD-LU, got ${JSON.stringify(subdivision)}`,
      '/productionSite/countrySubdivision',
    );
  const standard = present(input.standard, '/standard', 'the standard');
  const assessment = present(input.assessment, '/assessment', 'the assessment');
  const benefit = present(input.benefitSharing, '/benefitSharing', 'benefit sharing');
  const premium = present(benefit.premiumPerCredit, '/benefitSharing/premiumPerCredit', 'the premium per credit');
  const committee = present(benefit.committee, '/benefitSharing/committee', 'the worker-led committee');
  if (bool(committee.workerLed, '/benefitSharing/committee/workerLed') !== true) {
    throw new InvalidInputError(
      'INVALID_FIELD',
      'the premium must be allocated by a worker-led committee',
      '/benefitSharing/committee/workerLed',
    );
  }
  const impactAreas = array<string>(benefit.impactAreas, '/benefitSharing/impactAreas').map((a, i) =>
    oneOf(a, IMPACT_AREAS, `/benefitSharing/impactAreas/${i}`),
  );
  const currency = str(premium.currency, '/benefitSharing/premiumPerCredit/currency');
  if (!/^[A-Z]{3}$/.test(currency))
    throw new InvalidInputError(
      'INVALID_FIELD',
      'currency must be an ISO 4217 code',
      '/benefitSharing/premiumPerCredit/currency',
    );

  const commodityName = creditUnit.commodity.name;
  const name =
    input.name ??
    `Issuance of ${block.quantity} ${commodityName} credits — ${str(site.name, '/productionSite/name')}, ${productionPeriod.startDate} to ${productionPeriod.endDate}`;
  const assessmentId = `${recordUrl}#production-assessment`;
  const improvement = standard.improvementLevel;

  const subject: Record<string, unknown> = {
    type: ['ConformityAttestation'],
    id: recordUrl,
    name,
    ...attestation(input, 'certification'),
    issuedToParty: producer,
    referenceScheme: { type: ['ConformityScheme'], id: scheme.id, name: scheme.name },
    referenceProfile: { type: ['ConformityProfile'], id: scheme.profile.id, name: scheme.profile.name },
    conformityAssessment: [
      compact({
        type: ['ConformityAssessment'],
        id: assessmentId,
        name: `Assessed ${commodityName.toLowerCase()} production at ${site.name}, ${productionPeriod.startDate} to ${productionPeriod.endDate}`,
        assessmentCriteria: [criterionNode(CRITERION_PRODUCTION_ASSESSED)],
        assessmentDate: date(assessment.date, '/assessment/date'),
        assessedPerformance: [
          compact({
            metric: { type: ['PerformanceMetric'], ...METRIC_ASSESSED_PRODUCTION },
            measure: {
              // Exact: 3 credits of 0.1 t are 0.3 t, not 0.30000000000000004.
              value: toNumber(
                mul(
                  decimal(block.quantity, '/serialBlock/quantity'),
                  decimal(creditUnit.quantityPerCredit, '/creditUnit/quantityPerCredit'),
                ),
              ),
              unit: creditUnit.unit,
            },
            score:
              improvement &&
              compact({
                code: str(improvement.code, '/standard/improvementLevel/code'),
                rank: improvement.rank,
                definition: improvement.definition,
              }),
          }),
        ],
        assessedFacility: [
          {
            facility: compact({
              type: ['Facility'],
              id: siteId,
              name: site.name,
              registeredId: site.registeredId,
              idScheme: site.idScheme && { type: ['IdentifierScheme'], ...site.idScheme },
            }),
            idVerifiedByCAB: true,
          },
        ],
        assessedOrganisation: { type: ['Party'], id: producer.id, name: producer.name },
        referenceStandard: [
          { type: ['Standard'], id: uri(standard.id, '/standard/id'), name: str(standard.name, '/standard/name') },
        ],
        conformityTopic: topics(CRITERION_PRODUCTION_ASSESSED),
        conformance: true,
        evidence: evidenceOf(input),
      }),
    ],
    creditIssuance: compact({
      issuanceId,
      serialBlock: { prefix: block.prefix, start: block.start, end: block.end, quantity: block.quantity },
      creditUnit,
      productionPeriod,
      vintage,
      // Same id as the UNTP assessedFacility: these members add to that node, they do not restate it.
      productionSite: compact({
        id: siteId,
        countrySubdivision: subdivision,
        productionType: oneOf(site.productionType, PRODUCTION_TYPES, '/productionSite/productionType'),
        operator: extParty(site.operator, '/productionSite/operator'),
        permit: site.permit?.map((p, i) =>
          compact({
            registeredId: str(p.registeredId, `/productionSite/permit/${i}/registeredId`),
            idScheme: {
              id: uri(p.idScheme?.id, `/productionSite/permit/${i}/idScheme/id`),
              name: str(p.idScheme?.name, `/productionSite/permit/${i}/idScheme/name`),
            },
            name: p.name,
          }),
        ),
        geoLocation: site.geoLocation && { latitude: site.geoLocation.latitude, longitude: site.geoLocation.longitude },
      }),
      standard: { id: standard.id, version: str(standard.version, '/standard/version') },
      assessment: {
        id: assessmentId,
        assessor: extParty(assessment.assessor, '/assessment/assessor'),
        assuranceLevel: oneOf(assessment.assuranceLevel, ASSURANCE_LEVELS, '/assessment/assuranceLevel'),
      },
      schemeOwner: extParty(input.schemeOwner, '/schemeOwner'),
      registryOperator: extParty(input.registryOperator, '/registryOperator'),
      initialHolder: account(input.initialHolder, '/initialHolder'),
      benefitSharing: {
        premiumPerCredit: { amount: positive(premium.amount, '/benefitSharing/premiumPerCredit/amount'), currency },
        committee: { ...extParty(committee, '/benefitSharing/committee'), workerLed: true },
        impactArea: impactAreas,
      },
      claimRules: uri(input.claimRules, '/claimRules'),
      physicalOutputCarriesClaim: false,
      physicalOutputStatement: input.physicalOutputStatement ?? DEFAULT_PHYSICAL_OUTPUT_STATEMENT,
      producerDeclaration: input.producerDeclaration && link(input.producerDeclaration, '/producerDeclaration', true),
      replaces: input.replaces && replaces(input.replaces),
      confidentialDocument: confidentialDocuments(input.confidentialDocuments),
    }),
  };
  return envelope(input, CREDIT_ISSUANCE_TYPE, CREDIT_ISSUANCE_SCHEMA_URL, name, subject, 'issuance');
}

/** The assessment report (unless it is confidential and cited by digest only) and further evidence. */
function evidenceOf(input: IssuanceInput): Record<string, unknown>[] | undefined {
  const report = input.assessment.report;
  const confidential = (input.confidentialDocuments ?? []).some(
    (d) => isObject(d) && d.documentType === 'audit-report',
  );
  if (report === undefined && !confidential)
    present(report, '/assessment/report', 'the assessment report (or an audit-report in confidentialDocuments)');
  const links = [
    ...(report === undefined ? [] : [link(report, '/assessment/report', true, ASSESSMENT_REPORT_LINK_TYPE)]),
    ...(input.evidence ?? []).map((e, i) => link(e, `/evidence/${i}`, true)),
  ];
  return links.length === 0 ? undefined : links;
}

// ---------------------------------------------------------------------------------------------
// reading an issuance back (for retirements, and for platforms)

/** What a retirement copies from an issuance credential so that its statement stands alone. */
export interface IssuanceSummary {
  credentialId: string;
  issuanceId: string;
  serialBlock: SerialBlock;
  creditUnit: Record<string, unknown> & { unit: string; quantityPerCredit: number; commodity: { code: string } };
  productionPeriod: { startDate: string; endDate: string };
  vintage: string;
  productionSite: { id: string; name: string; countrySubdivision: string; productionType: string };
  producer: { id: string; name: string };
  standard: { id: string; name: string; version: string };
}

function needer(path: string | undefined) {
  return <T>(value: T | undefined | null, what: string): T => {
    if (value === undefined || value === null)
      throw new InvalidInputError('ISSUANCE_INVALID', `the cited issuance credential has no ${what}`, path);
    return value;
  };
}

/**
 * Reads the credit data of a CreditIssuanceCredential (unsigned, or a JWS payload).
 * Code: ISSUANCE_INVALID (with `path`, when given) when it is not one or lacks what a retirement copies.
 *
 * @example
 *   readIssuance(jwsPayload(issuanceJws)).serialBlock; // { prefix, start, end, quantity }
 */
export function readIssuance(credential: Credential, path?: string): IssuanceSummary {
  const need = needer(path);
  const types = Array.isArray(credential.type) ? credential.type : [];
  if (!types.includes(CREDIT_ISSUANCE_TYPE))
    throw new InvalidInputError('ISSUANCE_INVALID', `the cited credential is not a ${CREDIT_ISSUANCE_TYPE}`, path);
  type Obj = Record<string, unknown>;
  const subject = need(
    isObject(credential.credentialSubject) ? credential.credentialSubject : undefined,
    'credentialSubject',
  );
  const ext = need(isObject(subject.creditIssuance) ? (subject.creditIssuance as Obj) : undefined, 'creditIssuance');
  const assessments = Array.isArray(subject.conformityAssessment) ? (subject.conformityAssessment as Obj[]) : [];
  const site = need(isObject(ext.productionSite) ? (ext.productionSite as Obj) : undefined, 'productionSite');
  const assessment = assessments.find(
    (a) =>
      Array.isArray(a.assessedFacility) &&
      (a.assessedFacility as Obj[]).some((f) => (f.facility as Obj | undefined)?.id === site.id),
  );
  const facility = need(
    (assessment?.assessedFacility as Obj[] | undefined)?.map((f) => f.facility as Obj).find((f) => f.id === site.id),
    'assessed facility matching the production site',
  );
  const standardExt = need(ext.standard as Obj | undefined, 'standard');
  const standardNode = need(
    (assessment?.referenceStandard as Obj[] | undefined)?.find((s) => s.id === standardExt.id),
    'reference standard',
  );
  const producer = need(subject.issuedToParty as Obj | undefined, 'issuedToParty');
  return {
    credentialId: String(need(credential.id, 'id')),
    issuanceId: String(need(ext.issuanceId, 'issuanceId')),
    serialBlock: need(ext.serialBlock as SerialBlock | undefined, 'serialBlock'),
    creditUnit: need(ext.creditUnit as IssuanceSummary['creditUnit'] | undefined, 'creditUnit'),
    productionPeriod: need(ext.productionPeriod as IssuanceSummary['productionPeriod'] | undefined, 'productionPeriod'),
    vintage: String(need(ext.vintage, 'vintage')),
    productionSite: {
      id: String(site.id),
      name: String(facility.name),
      countrySubdivision: String(site.countrySubdivision),
      productionType: String(site.productionType),
    },
    producer: { id: String(producer.id), name: String(producer.name) },
    standard: { id: String(standardExt.id), name: String(standardNode.name), version: String(standardExt.version) },
  };
}

// ---------------------------------------------------------------------------------------------
// retirement

/**
 * Builds an unsigned CreditRetirementCredential: a UNTP 0.7.0 Digital Conformity Credential whose
 * ConformityAttestation is issued to the retiring account holder; each covered product (or
 * product line) is the assessedProduct of an assessment against the scheme's "credits retired for
 * this product" criterion with conformance true (an organisation-scoped retirement assesses the
 * beneficiary against "credits retired for this organisation"), so a DPP claim citing that
 * criterion is matched by ordinary UNTP tools. The retired blocks, each citing its issuance
 * credential by id and digest, the beneficiary and the claim boundary are in
 * credentialSubject.creditRetirement. Pure: no I/O.
 *
 * Codes (besides those of buildIssuanceCredential): DIGEST_MISMATCH (a cited digest is not the
 * digest of the issuance JWS), ISSUANCE_INVALID, ISSUANCE_MISMATCH, ISSUER_MISMATCH (an issuance by another
 * registry), RANGE_OUTSIDE_ISSUANCE,
 * BLOCKS_OVERLAP, UNITS_MIXED, BENEFICIARY_MISSING, CLAIM_PERIOD_INVERTED,
 * COVERED_PRODUCTS_MISSING, CLAIM_EXCEEDS_RETIRED (compared in kilograms, exactly), UNIT_UNSUPPORTED
 * (a unit outside the one mass-unit table, src/lib/mass-units.ts).
 *
 * @example
 *   const vc = buildRetirementCredential({ …, retiredUnits: [{ issuance: { jws: issuanceJws },
 *     serialBlock: { prefix: 'RCC-CD-LU-2026Q1', start: 41, end: 65, quantity: 25 } }], beneficiary, claimBoundary, … });
 */
export function buildRetirementCredential(input: RetirementInput): Credential {
  if (!isObject(input)) throw new InvalidInputError('INVALID_FIELD', 'the retirement input must be an object', '');
  refusePersonalData(input);
  const scheme = schemeOf(input.scheme);
  const recordUrl = uri(input.recordUrl, '/recordUrl');
  const retirementId = str(input.retirementId, '/retirementId');
  const retiredAt = dateTime(input.retiredAt, '/retiredAt');

  // Retired units: each block must lie in its cited issuance's block, cited by a matching digest.
  const units = array<RetirementInput['retiredUnits'][number]>(input.retiredUnits, '/retiredUnits');
  const retiredUnits: Record<string, unknown>[] = [];
  const blocks: SerialBlock[] = [];
  let unitKey: string | undefined;
  let quantityPerCredit = 0;
  let unitCode = '';
  units.forEach((unit, i) => {
    const path = `/retiredUnits/${i}`;
    const issuance = present(unit.issuance, `${path}/issuance`, 'the cited issuance');
    const jws = str(issuance.jws, `${path}/issuance/jws`);
    const digest = digestMultibase(jws);
    const cited = issuance.digestMultibase;
    if (cited !== undefined && !at(`${path}/issuance/digestMultibase`, () => checkDigest(jws, cited))) {
      throw new InvalidInputError(
        'DIGEST_MISMATCH',
        `the cited digest ${cited} is not the digest of the issuance credential's JWS (${digest})`,
        `${path}/issuance/digestMultibase`,
      );
    }
    const payload = at(`${path}/issuance/jws`, () => jwsPayload(jws));
    if (issuance.credential !== undefined && issuance.credential.id !== payload.id) {
      throw new InvalidInputError(
        'ISSUANCE_MISMATCH',
        `the issuance credential ${String(issuance.credential.id)} is not the one signed in the JWS (${String(payload.id)})`,
        `${path}/issuance/credential`,
      );
    }
    const summary = readIssuance(payload, `${path}/issuance/jws`);
    // A registry can only attest the retirement of units it issued itself.
    const issuerOf = (vc: Record<string, unknown>) => (isObject(vc.issuer) ? vc.issuer.id : vc.issuer);
    if (isObject(input.issuer) && issuerOf(payload) !== input.issuer.id) {
      throw new InvalidInputError(
        'ISSUER_MISMATCH',
        `issuance ${summary.issuanceId} was issued by ${String(issuerOf(payload))}, not by this registry (${String(input.issuer.id)})`,
        `${path}/issuance/jws`,
      );
    }
    const block = checkSerialBlock(
      present(unit.serialBlock, `${path}/serialBlock`, 'the retired serial block'),
      `${path}/serialBlock`,
    );
    if (!contains(summary.serialBlock, block)) {
      throw new InvalidInputError(
        'RANGE_OUTSIDE_ISSUANCE',
        `${block.prefix} ${block.start}–${block.end} is not within issuance ${summary.issuanceId} (${summary.serialBlock.prefix} ${summary.serialBlock.start}–${summary.serialBlock.end})`,
        `${path}/serialBlock`,
      );
    }
    const key = `${summary.creditUnit.commodity.code}|${summary.creditUnit.unit}|${summary.creditUnit.quantityPerCredit}`;
    if (unitKey !== undefined && key !== unitKey)
      throw new InvalidInputError(
        'UNITS_MIXED',
        'all retired blocks must share one credit unit (commodity, unit, quantity per credit)',
        path,
      );
    unitKey = key;
    quantityPerCredit = summary.creditUnit.quantityPerCredit;
    unitCode = massUnit(
      summary.creditUnit.unit,
      `${path}/issuance/jws`,
      `the cited issuance's credentialSubject/creditIssuance/creditUnit/unit`,
    ).code;
    blocks.push(block);
    retiredUnits.push({
      issuanceCredential: { id: summary.credentialId, digestMultibase: digest },
      issuanceId: summary.issuanceId,
      serialBlock: { prefix: block.prefix, start: block.start, end: block.end, quantity: block.quantity },
      creditUnit: summary.creditUnit,
      productionPeriod: summary.productionPeriod,
      vintage: summary.vintage,
      productionSite: summary.productionSite,
      producer: summary.producer,
      standard: summary.standard,
    });
  });
  assertDisjoint(blocks, '/retiredUnits');
  // The issuance credentials retired from, as UNTP Link objects (one per credential), so a consumer
  // that knows only UNTP follows the retirement to what it retires.
  const issuanceLinks = new Map<string, Record<string, unknown>>();
  for (const unit of retiredUnits) {
    const cited = unit.issuanceCredential as { id: string; digestMultibase: string };
    if (!issuanceLinks.has(cited.id))
      issuanceLinks.set(cited.id, {
        linkURL: cited.id,
        linkName: `Issuance credential ${String(unit.issuanceId)}`,
        digestMultibase: cited.digestMultibase,
        mediaType: 'application/vc+jwt',
        linkType: DCC_LINK_TYPE,
      });
  }
  const evidence = (): Record<string, unknown>[] => [...issuanceLinks.values()].map((l) => ({ ...l }));
  const total = totalQuantity(blocks);
  if (total > BigInt(Number.MAX_SAFE_INTEGER))
    throw new InvalidInputError('SERIAL_OUT_OF_RANGE', 'the total retired quantity exceeds 2^53−1', '/retiredUnits');
  const totalCredits = Number(total);

  // The beneficiary and the claim boundary.
  const withheldInput = input.withheldBeneficiary;
  if (withheldInput !== undefined && input.beneficiary !== undefined && input.beneficiary !== null) {
    throw new InvalidInputError(
      'BENEFICIARY_CONFLICT',
      'give the beneficiary or a withheldBeneficiary commitment, not both',
      '/withheldBeneficiary',
    );
  }
  if (withheldInput === undefined && (input.beneficiary === undefined || input.beneficiary === null)) {
    throw new InvalidInputError(
      'BENEFICIARY_MISSING',
      'a retirement names the beneficiary of its claim (or commits to it with withheldBeneficiary)',
      '/beneficiary',
    );
  }
  const withheldBeneficiary =
    withheldInput === undefined
      ? undefined
      : withheldCommitment(withheldInput, '/withheldBeneficiary', retiredAt.slice(0, 10));
  const beneficiary = input.beneficiary ? beneficiaryOf(input.beneficiary) : undefined;
  const beneficiaryName = beneficiary
    ? beneficiary.name
    : `a beneficiary withheld until ${String(withheldBeneficiary?.disclosureDate)}`;
  const boundary = present(input.claimBoundary, '/claimBoundary', 'the claim boundary');
  const claimPeriod = period(boundary.claimPeriod, '/claimBoundary/claimPeriod', 'CLAIM_PERIOD_INVERTED');
  const scope = oneOf(boundary.scope, CLAIM_SCOPES, '/claimBoundary/scope');
  const coveredInput = present(boundary.coveredQuantity, '/claimBoundary/coveredQuantity', 'the covered quantity');
  const coveredQuantity = {
    value: positive(coveredInput.value, '/claimBoundary/coveredQuantity/value'),
    unit: massUnit(str(coveredInput.unit, '/claimBoundary/coveredQuantity/unit'), '/claimBoundary/coveredQuantity/unit')
      .code,
  };
  // A claim may not cover more than was retired: both in kilograms, as exact decimals (a unit
  // outside the one mass-unit table was refused above, so no claim escapes the comparison).
  const retiredAmount = mul(decimal(total.toString(), '/retiredUnits'), decimal(quantityPerCredit, '/retiredUnits'));
  const retiredKg = kilograms(format(retiredAmount), unitCode, '/retiredUnits', '/retiredUnits');
  const coveredKg = kilograms(
    coveredQuantity.value,
    coveredQuantity.unit,
    '/claimBoundary/coveredQuantity/value',
    '/claimBoundary/coveredQuantity/unit',
  );
  if (cmp(coveredKg, retiredKg) > 0) {
    throw new InvalidInputError(
      'CLAIM_EXCEEDS_RETIRED',
      `the claim covers ${coveredQuantity.value} ${coveredQuantity.unit} (${format(coveredKg)} kg) but only ${format(retiredAmount)} ${unitCode} (${format(retiredKg)} kg) were retired`,
      '/claimBoundary/coveredQuantity/value',
    );
  }
  const products = boundary.coveredProducts ?? [];
  const attributed = products.reduce<Decimal>(
    (sum, p, i) =>
      p.quantity === undefined
        ? sum
        : add(
            sum,
            decimal(
              positive(p.quantity, `/claimBoundary/coveredProducts/${i}/quantity`),
              '/claimBoundary/coveredProducts',
            ),
          ),
    ZERO,
  );
  if (cmp(attributed, decimal(coveredQuantity.value, '/claimBoundary/coveredQuantity/value')) > 0) {
    throw new InvalidInputError(
      'CLAIM_EXCEEDS_RETIRED',
      `the products are attributed ${format(attributed)} ${coveredQuantity.unit} but the claim covers ${coveredQuantity.value}`,
      '/claimBoundary/coveredProducts',
    );
  }
  if (scope !== 'organisation' && products.length === 0) {
    throw new InvalidInputError(
      'COVERED_PRODUCTS_MISSING',
      `a ${scope} claim lists the products or product lines it covers`,
      '/claimBoundary/coveredProducts',
    );
  }
  const market = array<string>(boundary.market, '/claimBoundary/market').map((m, i) =>
    str(m, `/claimBoundary/market/${i}`),
  );
  const allowedClaim = str(boundary.allowedClaim, '/claimBoundary/allowedClaim');

  // UNTP assessments: one per covered product or product line (or one for the organisation).
  const assessmentDate = retiredAt.slice(0, 10);
  const metric = { type: ['PerformanceMetric'], ...METRIC_RETIRED_QUANTITY };
  const conformityAssessment =
    scope === 'organisation'
      ? [
          {
            type: ['ConformityAssessment'],
            id: `${recordUrl}#claim-organisation`,
            name: `${CRITERION_RETIRED_FOR_ORGANISATION.name}: ${beneficiaryName}`,
            assessmentCriteria: [criterionNode(CRITERION_RETIRED_FOR_ORGANISATION)],
            assessmentDate,
            assessedPerformance: [{ metric, measure: coveredQuantity }],
            // A withheld beneficiary cannot be the assessed organisation in clear: the assessed subject is
            // then the retirement's withheld beneficiary, named by its commitment (and the covered
            // products, when the claim lists any), so UNTP consumers still find an assessed subject.
            ...(products.length > 0 ? { assessedProduct: products.map((p, i) => assessedProduct(p, i)) } : {}),
            assessedOrganisation: beneficiary
              ? { type: ['Party'], id: beneficiary.id, name: beneficiary.name }
              : {
                  type: ['Party'],
                  id: `${recordUrl}#withheld-beneficiary`,
                  name: `Beneficiary withheld until ${String(withheldBeneficiary?.disclosureDate)} (commitment ${String(withheldBeneficiary?.digestMultibase)})`,
                },
            conformityTopic: topics(CRITERION_RETIRED_FOR_ORGANISATION),
            conformance: true,
            evidence: evidence(),
          },
        ]
      : products.map((product, i) => {
          const path = `/claimBoundary/coveredProducts/${i}`;
          const quantity =
            product.quantity !== undefined
              ? positive(product.quantity, `${path}/quantity`)
              : products.length === 1
                ? coveredQuantity.value
                : undefined;
          return compact({
            type: ['ConformityAssessment'],
            id: `${recordUrl}#claim-${i + 1}`,
            name: `${CRITERION_RETIRED_FOR_PRODUCT.name}: ${str(product.name, `${path}/name`)}`,
            assessmentCriteria: [criterionNode(CRITERION_RETIRED_FOR_PRODUCT)],
            assessmentDate,
            assessedPerformance:
              quantity === undefined ? [] : [{ metric, measure: { value: quantity, unit: coveredQuantity.unit } }],
            assessedProduct: [assessedProduct(product, i)],
            conformityTopic: topics(CRITERION_RETIRED_FOR_PRODUCT),
            conformance: true,
            evidence: evidence(),
          });
        });

  const holder = present(input.retiringAccount, '/retiringAccount', 'the retiring account').holder;
  const name =
    input.name ??
    `Retirement of ${totalCredits} credits for ${beneficiaryName} — ${claimPeriod.startDate} to ${claimPeriod.endDate}`;
  const subject: Record<string, unknown> = {
    type: ['ConformityAttestation'],
    id: recordUrl,
    name,
    ...attestation(input, 'verification'),
    issuedToParty: untpParty(holder, '/retiringAccount/holder'),
    referenceScheme: { type: ['ConformityScheme'], id: scheme.id, name: scheme.name },
    referenceProfile: { type: ['ConformityProfile'], id: scheme.profile.id, name: scheme.profile.name },
    conformityAssessment,
    creditRetirement: compact({
      retirementId,
      retiredAt,
      retiredUnits,
      totalQuantity: totalCredits,
      retiringAccount: account(input.retiringAccount, '/retiringAccount'),
      beneficiary,
      withheldBeneficiary,
      purpose: oneOf(input.purpose, RETIREMENT_PURPOSES, '/purpose'),
      purposeDetails: input.purposeDetails,
      claimBoundary: compact({
        claimPeriod,
        scope,
        coveredProducts:
          products.length === 0
            ? undefined
            : products.map((p, i) =>
                compact({
                  id: p.id,
                  name: p.name,
                  dppLink: p.dppLink && link(p.dppLink, `/claimBoundary/coveredProducts/${i}/dppLink`, false),
                }),
              ),
        coveredQuantity,
        market,
        allowedClaim,
        claimRules:
          boundary.claimRules === undefined ? undefined : uri(boundary.claimRules, '/claimBoundary/claimRules'),
        notAPhysicalContentClaim: true,
      }),
      registryAttestation: {
        permanentlyRetired: true,
        statement: input.registryStatement ?? DEFAULT_RETIREMENT_STATEMENT,
      },
      replaces: input.replaces && replaces(input.replaces),
      confidentialDocument: confidentialDocuments(input.confidentialDocuments),
    }),
  };
  return envelope(
    input,
    CREDIT_RETIREMENT_TYPE,
    CREDIT_RETIREMENT_SCHEMA_URL,
    name,
    subject,
    'retirement',
    withheldBeneficiary !== undefined,
  );
}

/**
 * The beneficiary as a retirement states it — also the value a withheld beneficiary commits to,
 * so the disclosed value reads exactly as it would have in clear. Refuses personal data.
 *
 * @example
 *   beneficiaryOf({ id: 'did:web:oem.example', name: 'OEM GmbH', jurisdiction: 'DE', onBehalfOf: false });
 */
export function beneficiaryOf(
  input: NonNullable<RetirementInput['beneficiary']>,
  path = '/beneficiary',
): { id: string; name: string; jurisdiction: string; onBehalfOf: boolean; [member: string]: unknown } {
  refusePersonalData(input, path);
  return {
    ...extParty(input, path),
    jurisdiction: str(input.jurisdiction, `${path}/jurisdiction`),
    onBehalfOf: bool(input.onBehalfOf, `${path}/onBehalfOf`),
  };
}
