/**
 * The inputs of the examples: a Responsible Cobalt case (Lualaba, DRC) and a copper case
 * (Copperbelt, Zambia). Every organisation, person-free identifier, register number and domain
 * here is fictional; DIDs and URLs use the reserved `.example` top-level domain. Only the
 * vocabulary (UNTP, the w3id.org/untp-credits context, schemas and scheme) is real.
 */
import { digestMultibase } from '../src/lib/digest.js';
import {
  COBALT_DPP_URL,
  COBALT_PRODUCT_ID,
  COPPER_DPP_URL,
  COPPER_PRODUCT_ID,
  ELBE_DID,
  LINDQVIST_DID,
} from '../src/credits/example-passports.js';
import type { IssuanceInput, PartyRef, RetirementInput } from '../src/credits/types.js';

// The passports citing the retirements, and their makers' DIDs, live in src/ (the CLI demo uses them too).
export {
  batteryPassport,
  cablePassport,
  COBALT_DPP_URL,
  COBALT_PRODUCT_ID,
  COPPER_DPP_URL,
  COPPER_PRODUCT_ID,
  ELBE_DID,
  LINDQVIST_DID,
} from '../src/credits/example-passports.js';

/** The documents these links point to are fictional too: their digests are taken over a placeholder text. */
const fictionalDigest = (url: string) => digestMultibase(`fictional document ${url}`);

export const REGISTRY_DID = 'did:web:registry.mineral-credits.example';
export const REGISTRY = 'https://registry.mineral-credits.example';

const registryIssuer = { id: REGISTRY_DID, name: 'Mineral Credits Registry Services Ltd (fictional)' };
const registryOperator: PartyRef = {
  id: REGISTRY_DID,
  name: 'Mineral Credits Registry Services Ltd (fictional)',
  registeredId: 'C-000417-EX',
  idScheme: {
    id: 'https://id-schemes.mineral-credits.example/company-register',
    name: 'Company register of the registry operator (fictional)',
  },
};
const assessor: PartyRef = {
  id: 'did:web:assessments.katanga-assurance.example',
  name: 'Katanga Independent Assessment Services SARL (fictional)',
  registeredId: 'CD/LSH/RCCM/19-B-02231',
  idScheme: {
    id: 'https://id-schemes.mineral-credits.example/drc-rccm',
    name: 'DRC Trade and Personal Property Credit Register (RCCM) number',
  },
};
const lei = { id: 'https://www.gleif.org/', name: 'Legal Entity Identifier (LEI, ISO 17442)' };
const elbe: PartyRef = {
  id: ELBE_DID,
  name: 'Elbe Cell Works GmbH (fictional)',
  registeredId: '894500EXAMPLE0ELBE42',
  idScheme: lei,
};
const lindqvist: PartyRef = {
  id: LINDQVIST_DID,
  name: 'Lindqvist Kabel AB (fictional)',
  registeredId: '549300EXAMPLE0LQK017',
  idScheme: lei,
};

const status = (index: number) => ({ statusListCredential: `${REGISTRY}/status/revocation/1`, statusListIndex: index });

// ------------------------------------------------------------------------------------------------
// Responsible Cobalt: a cooperative in Lualaba, DRC; 120 t issued for Q1 2026.

const comakam: PartyRef = {
  id: 'did:web:comakam.coop.example',
  name: 'Coopérative Minière Artisanale de Kasulo-Mutoshi (COMAKAM, fictional)',
  registeredId: 'COOP/LUA/2019/0117',
  idScheme: {
    id: 'https://id-schemes.mineral-credits.example/drc-mining-cooperatives',
    name: 'DRC register of approved mining cooperatives (fictional scheme id)',
  },
};

export const cobaltIssuance: IssuanceInput = {
  id: `${REGISTRY}/credentials/issuance/RCC-2026-Q1-0001`,
  issuer: registryIssuer,
  validFrom: '2026-04-20T09:00:00Z',
  recordUrl: `${REGISTRY}/issuances/RCC-2026-Q1-0001`,
  credentialStatus: status(1001),
  assessorLevel: '3rdParty',
  assessmentLevel: 'scheme-cab',
  issuanceId: 'RCC-2026-Q1-0001',
  serialBlock: { prefix: 'RCC-CD-LU-1532-2026Q1', start: 1, end: 120, quantity: 120 },
  creditUnit: {
    commodity: {
      code: 'Co',
      name: 'Cobalt',
      schemeId: 'https://iupac.org/what-we-do/periodic-table-of-elements/',
      schemeName: 'Chemical element symbol (IUPAC)',
    },
    quantityPerCredit: 1,
    unit: 'TNE',
    basis: 'contained-metal',
  },
  productionPeriod: { startDate: '2026-01-01', endDate: '2026-03-31' },
  vintage: '2026-Q1',
  producer: comakam,
  productionSite: {
    id: `${REGISTRY}/sites/CD-LU-ZEA-1532`,
    name: 'Kasulo-Mutoshi artisanal exploitation zone 1532 (fictional)',
    registeredId: 'ZEA-1532',
    idScheme: {
      id: 'https://id-schemes.mineral-credits.example/drc-cami-zea',
      name: 'DRC Mining Cadastre (CAMI) artisanal exploitation zone (ZEA) number (fictional scheme id)',
    },
    countrySubdivision: 'CD-LU',
    productionType: 'ASM',
    operator: comakam,
    permit: [
      {
        registeredId: 'ZEA-1532',
        idScheme: {
          id: 'https://id-schemes.mineral-credits.example/drc-cami-zea',
          name: 'DRC Mining Cadastre (CAMI) artisanal exploitation zone (ZEA)',
        },
        name: 'Artisanal exploitation zone title',
      },
      {
        registeredId: 'SAEMAPE/LUA/2026/044',
        idScheme: {
          id: 'https://id-schemes.mineral-credits.example/drc-saemape',
          name: 'SAEMAPE cooperative site supervision agreement (fictional scheme id)',
        },
      },
    ],
    geoLocation: { latitude: -10.7342, longitude: 25.4071 },
  },
  standard: {
    id: 'https://standards.mineral-credits.example/asm-cobalt/2.1',
    name: 'ASM Cobalt Responsible Production Standard (fictional)',
    version: '2.1',
    improvementLevel: {
      code: 'L2',
      rank: 2,
      definition:
        'Level 2 of 4: basic safety, child-labour exclusion and governance controls in place; time-bound improvement plan active',
    },
  },
  assessment: {
    assessor,
    date: '2026-04-08',
    assuranceLevel: 'limited',
    report: {
      linkURL: 'https://assessments.katanga-assurance.example/reports/KIAS-2026-0412.pdf',
      linkName: 'Site assessment report KIAS-2026-0412 (restricted)',
      digestMultibase: fictionalDigest('https://assessments.katanga-assurance.example/reports/KIAS-2026-0412.pdf'),
      mediaType: 'application/pdf',
    },
  },
  schemeOwner: {
    id: 'did:web:programme.responsible-cobalt.example',
    name: 'Responsible Cobalt Credits Programme (fictional)',
  },
  registryOperator,
  initialHolder: { id: `${REGISTRY}/accounts/ACC-CD-0001`, accountId: 'ACC-CD-0001', holder: comakam },
  benefitSharing: {
    premiumPerCredit: { amount: 1500, currency: 'USD' },
    committee: {
      id: `${REGISTRY}/committees/comakam-wwc`,
      name: 'COMAKAM worker welfare committee (fictional)',
      workerLed: true,
    },
    impactAreas: ['health-and-safety', 'child-rights', 'cooperative-governance', 'environment'],
  },
  claimRules: 'https://w3id.org/untp-credits/docs/credit-credentials#claim-rules',
  producerDeclaration: {
    linkURL: 'https://comakam.coop.example/credentials/production-2026-q1.jwt',
    linkName: 'COMAKAM production declaration, Q1 2026 (signed by the cooperative)',
    digestMultibase: fictionalDigest('https://comakam.coop.example/credentials/production-2026-q1.jwt'),
    mediaType: 'application/vc+jwt',
    linkType: 'https://test.uncefact.org/vocabulary/linkTypes/dcc',
  },
  evidence: [
    {
      linkURL: 'https://registry.mineral-credits.example/evidence/RCC-2026-Q1-0001/weighbridge-records.csv',
      linkName: 'Weighbridge and assay records, Q1 2026 (aggregated, no personal data)',
      digestMultibase: fictionalDigest(
        'https://registry.mineral-credits.example/evidence/RCC-2026-Q1-0001/weighbridge-records.csv',
      ),
      mediaType: 'text/csv',
    },
  ],
  // Offtake terms and the price are confidential: only their digests are public (docs/privacy.md).
  confidentialDocuments: [
    { documentType: 'offtake-terms', digestMultibase: fictionalDigest('comakam-offtake-agreement-2026.pdf') },
    { documentType: 'price', digestMultibase: fictionalDigest('comakam-price-schedule-2026-q1.pdf') },
  ],
};

export const COBALT_RETIREMENT_URL = `${REGISTRY}/credentials/retirement/RET-2026-0007`;

/**
 * 25 t (serials 1–25) retired by the battery maker for its 2026 product line, from the 65 credits
 * (serials 1–65) the cooperative transferred to its account: the story of examples/api/, the README
 * walkthrough and the demo, which retire the same serials.
 */
export function cobaltRetirement(issuanceJws: string): RetirementInput {
  return {
    id: COBALT_RETIREMENT_URL,
    issuer: registryIssuer,
    validFrom: '2026-06-15T10:30:00Z',
    recordUrl: `${REGISTRY}/retirements/RET-2026-0007`,
    credentialStatus: status(2007),
    assessorLevel: '3rdParty',
    assessmentLevel: 'scheme-self',
    retirementId: 'RET-2026-0007',
    retiredAt: '2026-06-15T10:30:00Z',
    retiredUnits: [
      {
        issuance: { jws: issuanceJws },
        serialBlock: { prefix: 'RCC-CD-LU-1532-2026Q1', start: 1, end: 25, quantity: 25 },
      },
    ],
    retiringAccount: { id: `${REGISTRY}/accounts/ACC-DE-0042`, accountId: 'ACC-DE-0042', holder: elbe },
    beneficiary: { ...elbe, jurisdiction: 'DE', onBehalfOf: false },
    purpose: 'product-claim',
    purposeDetails:
      'Covers the cobalt contained in ECW-75 battery packs produced in 2026 (about 9 kg of cobalt per pack, 2,800 packs).',
    claimBoundary: {
      claimPeriod: { startDate: '2026-01-01', endDate: '2026-12-31' },
      scope: 'product-line',
      coveredProducts: [
        {
          id: COBALT_PRODUCT_ID,
          name: 'ECW-75 NMC811 75 kWh EV battery pack, 2026 production (fictional)',
          modelNumber: 'ECW-75-2026',
          dppLink: {
            linkURL: COBALT_DPP_URL,
            linkName: 'Digital product passport, ECW-75 (2026)',
            mediaType: 'application/vc+jwt',
            linkType: 'https://test.uncefact.org/vocabulary/linkTypes/dpp',
          },
        },
      ],
      coveredQuantity: { value: 25, unit: 'TNE' },
      market: ['EU'],
      allowedClaim:
        'Elbe Cell Works supported the responsible artisanal production of 25 t of cobalt at a partner cooperative in Lualaba, DRC, matching the cobalt used in its 2026 ECW-75 battery packs. Book and claim: the packs do not necessarily contain this cobalt.',
      claimRules: 'https://w3id.org/untp-credits/docs/credit-credentials#claim-rules',
    },
  };
}

/** The refiner that later took serials 66–105 from the cooperative (a retirement agent for its customers). */
const meridian: PartyRef = {
  id: 'did:web:meridian-refining.example',
  name: 'Meridian Cobalt Refining NV (fictional)',
  registeredId: '5493000EXAMPLE0MRDN88',
  idScheme: lei,
};
export const COBALT_WITHHELD_RETIREMENT_URL = `${REGISTRY}/credentials/retirement/RET-2026-0011`;
/** The customer the refiner retires for; withheld until its annual report is out. */
export const WITHHELD_BENEFICIARY = {
  id: 'did:web:nordlicht-automotive.example',
  name: 'Nordlicht Automotive AG (fictional)',
  registeredId: '529900EXAMPLE0NRDL31',
  idScheme: lei,
  jurisdiction: 'DE',
  onBehalfOf: true,
};
export const WITHHELD_DISCLOSURE_DATE = '2027-03-31';
/** A fixed salt so the example is reproducible. A real commitment always takes a fresh random salt (commitBeneficiary does). */
export const WITHHELD_EXAMPLE_SALT = 'ZXhhbXBsZS1vbmx5LXNhbHQ';

/**
 * 15 t (serials 66–80) retired by the refiner on behalf of a customer that may not be named before
 * 2027-03-31: the credential carries a salted-hash commitment instead of the beneficiary (docs/privacy.md).
 */
export function cobaltWithheldRetirement(
  issuanceJws: string,
  withheldBeneficiary: NonNullable<RetirementInput['withheldBeneficiary']>,
): RetirementInput {
  return {
    id: COBALT_WITHHELD_RETIREMENT_URL,
    issuer: registryIssuer,
    validFrom: '2026-09-30T09:00:00Z',
    recordUrl: `${REGISTRY}/retirements/RET-2026-0011`,
    credentialStatus: status(40111),
    assessorLevel: '3rdParty',
    assessmentLevel: 'scheme-self',
    retirementId: 'RET-2026-0011',
    retiredAt: '2026-09-30T09:00:00Z',
    retiredUnits: [
      {
        issuance: { jws: issuanceJws },
        serialBlock: { prefix: 'RCC-CD-LU-1532-2026Q1', start: 66, end: 80, quantity: 15 },
      },
    ],
    retiringAccount: { id: `${REGISTRY}/accounts/ACC-BE-0007`, accountId: 'ACC-BE-0007', holder: meridian },
    withheldBeneficiary,
    purpose: 'organisational-footprint',
    claimBoundary: {
      claimPeriod: { startDate: '2026-01-01', endDate: '2026-12-31' },
      scope: 'organisation',
      coveredQuantity: { value: 15, unit: 'TNE' },
      market: ['EU'],
      allowedClaim:
        'The beneficiary supported the responsible artisanal production of 15 t of cobalt at a partner cooperative in Lualaba, DRC, in 2026. Book and claim: not a claim about the cobalt in any product.',
      claimRules: 'https://w3id.org/untp-credits/docs/credit-credentials#claim-rules',
    },
    confidentialDocuments: [
      {
        documentType: 'offtake-terms',
        digestMultibase: fictionalDigest('meridian-retirement-service-agreement-2026.pdf'),
      },
    ],
  };
}

// ------------------------------------------------------------------------------------------------
// Copper: a small-scale cooperative in the Copperbelt, Zambia; two quarterly issuances, and one
// retirement drawing blocks from both.

const kssmc: PartyRef = {
  id: 'did:web:kalulushi-miners.coop.example',
  name: 'Kalulushi Small-Scale Miners Cooperative Society (fictional)',
  registeredId: 'CSR-ZM-2018-3321',
  idScheme: {
    id: 'https://id-schemes.mineral-credits.example/zambia-cooperatives',
    name: 'Zambia register of cooperative societies (fictional scheme id)',
  },
};
const copperSite = {
  id: `${REGISTRY}/sites/ZM-08-SSML-21877`,
  name: 'Chibuluma West small-scale mining licence area 21877 (fictional)',
  registeredId: 'SSML-21877',
  idScheme: {
    id: 'https://id-schemes.mineral-credits.example/zambia-mining-cadastre',
    name: 'Zambia Mining Cadastre small-scale mining licence number (fictional scheme id)',
  },
  countrySubdivision: 'ZM-08',
  productionType: 'ASM' as const,
  operator: kssmc,
  permit: [
    {
      registeredId: 'SSML-21877',
      idScheme: {
        id: 'https://id-schemes.mineral-credits.example/zambia-mining-cadastre',
        name: 'Zambia Mining Cadastre',
      },
      name: 'Small-scale mining licence',
    },
  ],
  geoLocation: { latitude: -12.8493, longitude: 28.0612 },
};
const copperStandard = {
  id: 'https://standards.mineral-credits.example/asm-copper/1.0',
  name: 'ASM Copper Responsible Production Standard (fictional)',
  version: '1.0',
  improvementLevel: {
    code: 'L3',
    rank: 3,
    definition: 'Level 3 of 4: controls in place and independently verified; remaining gaps are minor',
  },
};
const copperUnit = {
  commodity: {
    code: 'Cu',
    name: 'Copper',
    schemeId: 'https://iupac.org/what-we-do/periodic-table-of-elements/',
    schemeName: 'Chemical element symbol (IUPAC)',
  },
  quantityPerCredit: 1,
  unit: 'TNE',
  basis: 'contained-metal' as const,
};

function copperIssuance(quarter: 1 | 2, quantity: number, statusIndex: number, assessed: string): IssuanceInput {
  const id = `CPC-2026-Q${quarter}-0003`;
  return {
    id: `${REGISTRY}/credentials/issuance/${id}`,
    issuer: registryIssuer,
    validFrom: quarter === 1 ? '2026-04-24T08:00:00Z' : '2026-07-22T08:00:00Z',
    recordUrl: `${REGISTRY}/issuances/${id}`,
    credentialStatus: status(statusIndex),
    assessorLevel: '3rdParty',
    assessmentLevel: 'scheme-cab',
    issuanceId: id,
    serialBlock: { prefix: `CPC-ZM-08-21877-2026Q${quarter}`, start: 1, end: quantity, quantity },
    creditUnit: copperUnit,
    productionPeriod:
      quarter === 1
        ? { startDate: '2026-01-01', endDate: '2026-03-31' }
        : { startDate: '2026-04-01', endDate: '2026-06-30' },
    vintage: `2026-Q${quarter}`,
    producer: kssmc,
    productionSite: copperSite,
    standard: copperStandard,
    assessment: {
      assessor: {
        id: 'did:web:verify.copperbelt-assurance.example',
        name: 'Copperbelt Assurance Partners Ltd (fictional)',
        registeredId: '120180004417',
        idScheme: {
          id: 'https://id-schemes.mineral-credits.example/pacra',
          name: 'Zambia PACRA company registration number (fictional scheme id)',
        },
      },
      date: assessed,
      assuranceLevel: 'reasonable',
      report: {
        linkURL: `https://verify.copperbelt-assurance.example/reports/CAP-2026-Q${quarter}-21877.pdf`,
        linkName: `Site verification report, Q${quarter} 2026 (restricted)`,
        digestMultibase: fictionalDigest(
          `https://verify.copperbelt-assurance.example/reports/CAP-2026-Q${quarter}-21877.pdf`,
        ),
        mediaType: 'application/pdf',
      },
    },
    schemeOwner: {
      id: 'did:web:programme.copperbelt-asm-copper.example',
      name: 'Copperbelt ASM Copper Credits Programme (fictional)',
    },
    registryOperator,
    initialHolder: { id: `${REGISTRY}/accounts/ACC-ZM-0009`, accountId: 'ACC-ZM-0009', holder: kssmc },
    benefitSharing: {
      premiumPerCredit: { amount: 220, currency: 'USD' },
      committee: {
        id: `${REGISTRY}/committees/kssmc-workers`,
        name: "Kalulushi miners' benefit committee (fictional)",
        workerLed: true,
      },
      impactAreas: ['health-and-safety', 'child-rights', 'cooperative-governance', 'environment'],
    },
    claimRules: 'https://w3id.org/untp-credits/docs/credit-credentials#claim-rules',
  };
}

export const copperIssuanceQ1 = copperIssuance(1, 200, 1101, '2026-04-15');
export const copperIssuanceQ2 = copperIssuance(2, 180, 1102, '2026-07-14');

export const COPPER_RETIREMENT_URL = `${REGISTRY}/credentials/retirement/RET-2026-0019`;

/** 50 t retired by a cable maker: 30 t from the Q1 issuance (171–200) and 20 t from Q2 (1–20). */
export function copperRetirement(q1Jws: string, q2Jws: string, q1Digest: string): RetirementInput {
  return {
    id: COPPER_RETIREMENT_URL,
    issuer: registryIssuer,
    validFrom: '2026-09-03T14:00:00Z',
    recordUrl: `${REGISTRY}/retirements/RET-2026-0019`,
    credentialStatus: status(2019),
    assessorLevel: '3rdParty',
    assessmentLevel: 'scheme-self',
    retirementId: 'RET-2026-0019',
    retiredAt: '2026-09-03T14:00:00Z',
    retiredUnits: [
      {
        issuance: { jws: q1Jws, digestMultibase: q1Digest },
        serialBlock: { prefix: 'CPC-ZM-08-21877-2026Q1', start: 171, end: 200, quantity: 30 },
      },
      { issuance: { jws: q2Jws }, serialBlock: { prefix: 'CPC-ZM-08-21877-2026Q2', start: 1, end: 20, quantity: 20 } },
    ],
    retiringAccount: { id: `${REGISTRY}/accounts/ACC-SE-0013`, accountId: 'ACC-SE-0013', holder: lindqvist },
    beneficiary: { ...lindqvist, jurisdiction: 'SE', onBehalfOf: false },
    purpose: 'product-claim',
    purposeDetails: 'Covers the copper in LK-EV35 charging cables produced in 2026.',
    claimBoundary: {
      claimPeriod: { startDate: '2026-01-01', endDate: '2026-12-31' },
      scope: 'product-line',
      coveredProducts: [
        {
          id: COPPER_PRODUCT_ID,
          name: 'LK-EV35 Mode 3 EV charging cable, 2026 production (fictional)',
          modelNumber: 'LK-EV35',
          dppLink: {
            linkURL: COPPER_DPP_URL,
            linkName: 'Digital product passport, LK-EV35 (2026)',
            mediaType: 'application/vc+jwt',
            linkType: 'https://test.uncefact.org/vocabulary/linkTypes/dpp',
          },
        },
      ],
      coveredQuantity: { value: 50, unit: 'TNE' },
      market: ['EU', 'NO'],
      allowedClaim:
        'Lindqvist Kabel supported the responsible small-scale production of 50 t of copper in the Copperbelt, Zambia, matching the copper used in its 2026 LK-EV35 cables. Book and claim: the cables do not necessarily contain this copper.',
    },
  };
}
