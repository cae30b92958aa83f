/**
 * The end of the Responsible Cobalt loop: the premium Elbe Cell Works paid with its 25-credit
 * retirement (RET-2026-0007, sized from its footprint in examples/footprint/) reached COMAKAM, and
 * the cooperative's worker-led committee decided where it went. The scheme operator (the registry)
 * reports it as a PremiumAllocationCredential. Everything here is fictional.
 */
import { digestMultibase } from '../../src/lib/digest.js';
import type { AllocationInput } from '../../src/impact/types.js';

const fictionalDigest = (url: string) => digestMultibase(`fictional document ${url}`);
const REGISTRY = 'https://registry.mineral-credits.example';
export const ALLOCATION_URL = `${REGISTRY}/credentials/impact/PAR-2026-H2-CD-LU-1532`;

const evidence = (path: string, linkName: string, mediaType = 'application/pdf') => ({
  linkURL: `${REGISTRY}/evidence/PAR-2026-H2-CD-LU-1532/${path}`,
  linkName,
  digestMultibase: fictionalDigest(path),
  mediaType,
});

/** 25 credits × 1,500 USD premium per credit (the issuance's benefitSharing) = 37,500 USD. */
export function cobaltAllocation(retirementJws: string): AllocationInput {
  return {
    id: ALLOCATION_URL,
    issuer: {
      id: 'did:web:registry.mineral-credits.example',
      name: 'Mineral Credits Registry Services Ltd (fictional)',
    },
    validFrom: '2026-11-16T09:00:00Z',
    recordUrl: `${REGISTRY}/impact/PAR-2026-H2-CD-LU-1532`,
    reporterRole: 'scheme-operator',
    reportId: 'PAR-2026-H2-CD-LU-1532',
    reportingPeriod: { startDate: '2026-07-01', endDate: '2026-10-31' },
    cooperative: {
      id: 'did:web:comakam.coop.example',
      name: 'Coopérative Minière Artisanale de Kasulo-Mutoshi (COMAKAM, fictional)',
      registeredId: 'COOP/LUA/2019/0117',
      idScheme: {
        id: 'https://id-schemes.mineral-credits.example/drc-mining-cooperatives',
        name: 'DRC register of approved mining cooperatives (fictional scheme id)',
      },
    },
    site: {
      id: `${REGISTRY}/sites/CD-LU-ZEA-1532`,
      name: 'Kasulo-Mutoshi artisanal exploitation zone 1532 (fictional)',
      countrySubdivision: 'CD-LU',
    },
    committee: {
      id: `${REGISTRY}/committees/comakam-wwc`,
      name: 'COMAKAM worker welfare committee (fictional)',
      workerLed: true,
    },
    premiumReceived: [
      {
        retirement: { id: `${REGISTRY}/credentials/retirement/RET-2026-0007`, jws: retirementJws },
        retirementId: 'RET-2026-0007',
        credits: 25,
        amount: '37500.00',
        currency: 'USD',
        receivedDate: '2026-07-03',
      },
    ],
    allocations: [
      {
        impactArea: 'health-and-safety',
        amount: '15000.00',
        currency: 'USD',
        funded: 'Forced ventilation for shafts 3 and 4, and helmets, boots and dust masks for the pit teams',
        decisionDate: '2026-07-18',
        disbursedDate: '2026-08-05',
        evidence: [evidence('ventilation-invoice.pdf', 'Supplier invoice, shaft ventilation (amounts only)')],
      },
      {
        impactArea: 'child-rights',
        amount: '9000.00',
        currency: 'USD',
        funded:
          'School fees for the 2026/27 year at the Kasulo primary school and a staffed day-care shelter at the washing site',
        decisionDate: '2026-07-18',
        disbursedDate: '2026-09-01',
        evidence: [evidence('school-agreement.pdf', 'Agreement with the school (no pupil names)')],
      },
      {
        impactArea: 'cooperative-governance',
        amount: '6000.00',
        currency: 'USD',
        funded: 'Bookkeeping training for the cooperative office and the costs of the annual general assembly',
        decisionDate: '2026-07-18',
        disbursedDate: '2026-10-12',
      },
      {
        impactArea: 'environment',
        amount: '4500.00',
        currency: 'USD',
        funded: 'Lined settling pond for washing water and replanting of the worked-out area north of shaft 1',
        decisionDate: '2026-09-20',
      },
    ],
    // 3,000 USD stay unallocated: the committee's reserve, decided at the next meeting.
    evidence: [
      evidence(
        'committee-minutes-2026-07-18.pdf',
        'Committee decision record, 18 July 2026 (decisions and votes, no member names)',
      ),
      evidence('bank-statement-2026-07-10.pdf', 'Committee account statement, July–October 2026 (balances only)'),
    ],
  };
}
