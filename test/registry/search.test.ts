// Public search: every result set equals a brute-force filter over the same ledger (fast-check,
// seeded), on PGlite and on PostgreSQL; a withheld beneficiary is found only once its release is stored.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuanceQuery, RetirementQuery } from '../../src/registry/search.js';
import { describePostgres } from '../support/postgres.js';
import { openTestRegistry, type Engine, type TestRegistry } from './support/registry.js';

const SITES = ['https://registry.example/sites/S1', 'https://registry.example/sites/S2'];
const PRODUCERS = ['did:web:coop-a.example', 'did:web:coop-b.example'];
const STANDARDS = ['https://std.example/asm-1', 'https://std.example/asm-2'];
const VINTAGES = ['2026-Q1', '2026-Q2'];
const COMMODITIES = ['Co', 'Cu'];
const BENEFICIARIES = [
  { id: 'did:web:elbe.example', name: 'Elbe Cell Works' },
  { id: 'did:web:elbe-two.example', name: 'ELBE Cells Two' },
  { id: 'did:web:lindqvist.example', name: 'Lindqvist Kabel' },
];
const PRODUCTS = ['https://id.example/01/1', 'https://id.example/01/2', 'https://id.example/01/3'];
const PURPOSES = ['product-claim', 'organisational-footprint'];
const ACCOUNTS = ['acc-0', 'acc-1'];

interface IssuanceModel {
  id: string;
  event: number;
  site: string;
  producer: string;
  standard: string;
  vintage: string;
  commodity: string;
}
interface RetirementModel {
  id: string;
  original: string;
  issuances: IssuanceModel[];
  account: string;
  beneficiary?: { id: string; name: string };
  withheld: boolean;
  released: boolean;
  claim: { startDate: string; endDate: string };
  products: string[];
  purpose: string;
  amended: boolean;
  invalidated: boolean;
}

type Op =
  | {
      kind: 'issue';
      site: number;
      producer: number;
      standard: number;
      vintage: number;
      commodity: number;
      size: number;
    }
  | {
      kind: 'retire';
      issuance: number;
      account: number;
      beneficiary: number;
      withheld: boolean;
      start: number;
      months: number;
      products: number[];
      purpose: number;
    }
  | { kind: 'amend' | 'invalidate' | 'release'; retirement: number; beneficiary: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('issue' as const),
      site: fc.nat({ max: 1 }),
      producer: fc.nat({ max: 1 }),
      standard: fc.nat({ max: 1 }),
      vintage: fc.nat({ max: 1 }),
      commodity: fc.nat({ max: 1 }),
      size: fc.integer({ min: 2, max: 6 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('retire' as const),
      issuance: fc.nat({ max: 9 }),
      account: fc.nat({ max: 1 }),
      beneficiary: fc.nat({ max: 2 }),
      withheld: fc.boolean(),
      start: fc.nat({ max: 11 }),
      months: fc.integer({ min: 1, max: 12 }),
      products: fc.uniqueArray(fc.nat({ max: 2 }), { maxLength: 2 }),
      purpose: fc.nat({ max: 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('amend' as const, 'invalidate' as const, 'release' as const),
      retirement: fc.nat({ max: 9 }),
      beneficiary: fc.nat({ max: 2 }),
    }),
  },
);

const month = (m: number) => `2026-${String(m + 1).padStart(2, '0')}`;
const endOf = (m: number) => (m >= 12 ? '2027-12-31' : `${month(m)}-28`);

/** A release as the route stores it: a JWS whose payload's disclosure is [salt, "beneficiary", value]. */
function fakeRelease(value: { id: string; name: string }): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const disclosure = Buffer.from(JSON.stringify(['salt', 'beneficiary', value])).toString('base64url');
  return `${b64({ alg: 'EdDSA' })}.${b64({ disclosure })}.sig`;
}

/** A query with at most two filters (more would match nothing in ledgers this small). */
const query = <T>(parts: Record<keyof T, fc.Arbitrary<unknown>>) =>
  fc
    .tuple(fc.record(parts as Record<string, fc.Arbitrary<unknown>>), fc.subarray(Object.keys(parts), { maxLength: 2 }))
    .map(([all, keys]) => Object.fromEntries(keys.map((k) => [k, all[k]])) as T);

const retirementQuery: fc.Arbitrary<RetirementQuery> = query<RetirementQuery>({
  beneficiaryId: fc.constantFrom(...BENEFICIARIES.map((b) => b.id)),
  beneficiaryName: fc.constantFrom('elbe', 'Elbe Cell Works', 'LINDQVIST KABEL', 'elbe cells two', 'x'),
  beneficiaryNamePrefix: fc.boolean(),
  account: fc.constantFrom(...ACCOUNTS),
  site: fc.constantFrom(...SITES),
  commodity: fc.constantFrom(...COMMODITIES),
  vintage: fc.constantFrom(...VINTAGES),
  claimFrom: fc.constantFrom('2026-03-01', '2026-09-15'),
  claimTo: fc.constantFrom('2026-02-01', '2026-06-30'),
  productId: fc.constantFrom(...PRODUCTS),
  purpose: fc.constantFrom(...PURPOSES),
  state: fc.constantFrom('current' as const, 'amended' as const, 'invalidated' as const, 'all' as const),
});
const issuanceQuery: fc.Arbitrary<IssuanceQuery> = query<IssuanceQuery>({
  site: fc.constantFrom(...SITES),
  producer: fc.constantFrom(...PRODUCERS),
  standard: fc.constantFrom(...STANDARDS),
  vintage: fc.constantFrom(...VINTAGES),
  commodity: fc.constantFrom(...COMMODITIES),
  state: fc.constantFrom('current' as const, 'all' as const),
});

/** The brute-force answer: the same filter over the model, newest first. */
function expectRetirements(model: RetirementModel[], q: RetirementQuery): string[] {
  const visible = (r: RetirementModel) => (r.withheld ? (r.released ? r.beneficiary : undefined) : r.beneficiary);
  const name = (r: RetirementModel) => visible(r)?.name.toLowerCase();
  return model
    .filter((r) => {
      if (q.beneficiaryId !== undefined && visible(r)?.id !== q.beneficiaryId) return false;
      if (q.beneficiaryName !== undefined) {
        const n = name(r);
        const wanted = q.beneficiaryName.toLowerCase();
        if (n === undefined || (q.beneficiaryNamePrefix ? !n.startsWith(wanted) : n !== wanted)) return false;
      }
      if (q.account !== undefined && r.account !== q.account) return false;
      if (q.site !== undefined && !r.issuances.some((i) => i.site === q.site)) return false;
      if (q.commodity !== undefined && !r.issuances.some((i) => i.commodity === q.commodity)) return false;
      if (q.vintage !== undefined && !r.issuances.some((i) => i.vintage === q.vintage)) return false;
      if (q.claimTo !== undefined && r.claim.startDate > q.claimTo) return false;
      if (q.claimFrom !== undefined && r.claim.endDate < q.claimFrom) return false;
      if (q.productId !== undefined && !r.products.includes(q.productId)) return false;
      if (q.purpose !== undefined && r.purpose !== q.purpose) return false;
      const state = q.state ?? 'current';
      if (state === 'current' && (r.amended || r.invalidated)) return false;
      if (state === 'amended' && !r.amended) return false;
      if (state === 'invalidated' && !r.invalidated) return false;
      return true;
    })
    .map((r) => r.id)
    .reverse();
}

function expectIssuances(model: IssuanceModel[], q: IssuanceQuery): string[] {
  return model
    .filter(
      (i) =>
        (q.site === undefined || i.site === q.site) &&
        (q.producer === undefined || i.producer === q.producer) &&
        (q.standard === undefined || i.standard === q.standard) &&
        (q.vintage === undefined || i.vintage === q.vintage) &&
        (q.commodity === undefined || i.commodity === q.commodity),
    )
    .map((i) => i.id)
    .reverse();
}

function searchSuite(engine: () => Engine, numRuns: number) {
  let t: TestRegistry;
  beforeAll(async () => {
    t = await openTestRegistry(engine());
  }, 180_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('results equal a brute-force filter over the same ledger, across cursor pages', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 4, maxLength: 18 }),
        fc.array(retirementQuery, { minLength: 6, maxLength: 6 }),
        fc.array(issuanceQuery, { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        async (ops, rqs, iqs, pageSize) => {
          run++;
          const tag = `s${run}-${Math.random().toString(36).slice(2, 8)}`;
          const { registry } = t;
          const accounts = ACCOUNTS.map((a) => `${tag}-${a}`);
          for (const id of accounts)
            await registry.openAccount({
              key: `${id}`,
              accountId: id,
              holder: { id: `did:web:${id}.example`, name: id },
            });
          const issuances: IssuanceModel[] = [];
          const left = new Map<string, number>();
          const retirements: RetirementModel[] = [];
          const site = (i: number) => `${SITES[i]}-${tag}`;
          for (const [n, o] of ops.entries()) {
            if (o.kind === 'issue') {
              const id = `${tag}-I${n}`;
              const m: IssuanceModel = {
                id,
                event: n,
                site: site(o.site),
                producer: PRODUCERS[o.producer]!,
                standard: STANDARDS[o.standard]!,
                vintage: VINTAGES[o.vintage]!,
                commodity: COMMODITIES[o.commodity]!,
              };
              await registry.issue({
                key: `${id}-k`,
                issuanceId: id,
                prefix: `${id}-P`,
                start: 1,
                end: o.size,
                holder: accounts[0]!,
                details: {
                  productionSite: { id: m.site },
                  producer: { id: m.producer },
                  standard: { id: m.standard },
                  vintage: m.vintage,
                  creditUnit: { commodity: { code: m.commodity } },
                },
              });
              // Everything goes to the second account too, half the time.
              issuances.push(m);
              left.set(id, o.size);
            } else if (o.kind === 'retire') {
              const issuance = issuances[o.issuance % Math.max(1, issuances.length)];
              if (!issuance || (left.get(issuance.id) ?? 0) < 1) continue;
              const account = accounts[0]!;
              const id = `${tag}-R${n}`;
              const beneficiary = BENEFICIARIES[o.beneficiary]!;
              const claim = { startDate: `${month(o.start)}-01`, endDate: endOf(o.start + o.months) };
              const products = o.products.map((p) => PRODUCTS[p]!);
              await registry.retire({
                key: `${id}-k`,
                account,
                retirementId: id,
                quantity: 1,
                issuanceIds: [issuance.id],
                details: {
                  ...(o.withheld ? { withheldBeneficiary: { digestMultibase: 'zX' } } : { beneficiary }),
                  purpose: PURPOSES[o.purpose],
                  claimBoundary: { claimPeriod: claim, coveredProducts: products.map((id) => ({ id })) },
                },
              });
              left.set(issuance.id, left.get(issuance.id)! - 1);
              retirements.push({
                id,
                original: id,
                issuances: [issuance],
                account,
                beneficiary,
                withheld: o.withheld,
                released: false,
                claim,
                products,
                purpose: PURPOSES[o.purpose]!,
                amended: false,
                invalidated: false,
              });
            } else {
              const live = retirements.filter((r) => !r.amended && !r.invalidated);
              const target = live[o.retirement % Math.max(1, live.length)];
              if (!target) continue;
              if (o.kind === 'release') {
                if (!target.withheld || target.released) continue;
                await registry.storeDisclosureRelease({
                  retirementId: target.id,
                  commitment: '/credentialSubject/creditRetirement/withheldBeneficiary',
                  release: fakeRelease(target.beneficiary!),
                  releasedAt: new Date().toISOString(),
                });
                target.released = true;
              } else if (o.kind === 'invalidate') {
                await registry.invalidateRetirement({ key: `${tag}-inv${n}`, retirementId: target.id, reason: 'test' });
                target.invalidated = true;
              } else {
                const id = `${tag}-R${n}A`;
                const beneficiary = BENEFICIARIES[o.beneficiary]!;
                await registry.amendRetirement({
                  key: `${tag}-am${n}`,
                  retirementId: target.id,
                  newRetirementId: id,
                  reason: 'test',
                  details: {
                    beneficiary,
                    purpose: target.purpose,
                    claimBoundary: {
                      claimPeriod: target.claim,
                      coveredProducts: target.products.map((id) => ({ id })),
                    },
                  },
                });
                target.amended = true;
                retirements.push({ ...target, id, beneficiary, withheld: false, released: false, amended: false });
              }
            }
          }
          const scope = (ids: string[]) => ids.filter((id) => id.startsWith(`${tag}-`));
          // Every page, followed by its cursor.
          const allRetirements = async (q: RetirementQuery) => {
            const ids: string[] = [];
            let before: number | undefined;
            do {
              const page = await registry.searchRetirements(q, { limit: pageSize, ...(before ? { before } : {}) });
              expect(page.items.length).toBeLessThanOrEqual(pageSize);
              ids.push(...page.items.map((r) => r.retirementId));
              before = page.next;
            } while (before !== undefined);
            return ids;
          };
          for (const q of rqs) {
            // Scoped to this run: its own sites and accounts; other runs' rows are left out by id.
            const scoped = {
              ...q,
              ...(q.site ? { site: `${q.site}-${tag}` } : {}),
              ...(q.account ? { account: `${tag}-${q.account}` } : {}),
            };
            expect(scope(await allRetirements(scoped)), JSON.stringify(scoped)).toEqual(
              expectRetirements(retirements, scoped),
            );
          }
          for (const q of iqs) {
            const scoped = { ...q, ...(q.site ? { site: `${q.site}-${tag}` } : {}) };
            const ids: string[] = [];
            let before: number | undefined;
            do {
              const page = await registry.searchIssuances(scoped, { limit: pageSize, ...(before ? { before } : {}) });
              ids.push(...page.items.map((i) => i.issuanceId));
              before = page.next;
            } while (before !== undefined);
            expect(scope(ids), JSON.stringify(scoped)).toEqual(expectIssuances(issuances, scoped));
          }
        },
      ),
      { seed: 20261206, numRuns, endOnFailure: true },
    );
  });

  it('a withheld beneficiary is not found before its release is stored, even when overdue, and is found after', async () => {
    const { registry } = t;
    const tag = `w-${Math.random().toString(36).slice(2, 8)}`;
    await registry.openAccount({
      key: `${tag}-a`,
      accountId: `${tag}-a`,
      holder: { id: 'did:web:a.example', name: 'A' },
    });
    await registry.issue({
      key: `${tag}-i`,
      issuanceId: `${tag}-I`,
      prefix: `${tag}-P`,
      start: 1,
      end: 5,
      holder: `${tag}-a`,
      details: {},
    });
    const hidden = { id: `did:web:${tag}.example`, name: `Hidden ${tag} GmbH` };
    await registry.retire({
      key: `${tag}-r`,
      account: `${tag}-a`,
      retirementId: `${tag}-R`,
      quantity: 2,
      // Its disclosure date is long past: still not searchable without a stored release.
      details: { withheldBeneficiary: { digestMultibase: 'zX', disclosureDate: '2020-01-01' } },
    });
    const byId = () => registry.searchRetirements({ beneficiaryId: hidden.id }, { limit: 10 });
    const byName = () =>
      registry.searchRetirements({ beneficiaryName: `hidden ${tag}`, beneficiaryNamePrefix: true }, { limit: 10 });
    expect((await byId()).items).toEqual([]);
    expect((await byName()).items).toEqual([]);
    // A release of another field does not open the beneficiary.
    await registry.storeDisclosureRelease({
      retirementId: `${tag}-R`,
      commitment: '/credentialSubject/creditRetirement/somethingElse',
      release: fakeRelease(hidden),
      releasedAt: new Date().toISOString(),
    });
    expect((await byId()).items).toEqual([]);
    await registry.storeDisclosureRelease({
      retirementId: `${tag}-R`,
      commitment: '/credentialSubject/creditRetirement/withheldBeneficiary',
      release: fakeRelease(hidden),
      releasedAt: new Date().toISOString(),
    });
    expect((await byId()).items.map((r) => r.retirementId)).toEqual([`${tag}-R`]);
    expect((await byName()).items.map((r) => r.retirementId)).toEqual([`${tag}-R`]);
  });

  it('refuses a malformed date or an unknown state, naming the field', async () => {
    await expect(t.registry.searchRetirements({ claimFrom: '2026/01/01' }, { limit: 1 })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      path: 'claimFrom',
    });
    await expect(t.registry.searchRetirements({ state: 'gone' as 'all' }, { limit: 1 })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      path: 'state',
    });
  });

  it('each filter is served from an index (the planner may use one for every query when scans are priced out)', async () => {
    const plans: string[] = [];
    await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const explain = async (where: string, params: unknown[]) => {
        const { rows } = await tx.query<Record<string, string>>(
          `EXPLAIN SELECT id FROM retirements r WHERE ${where}`,
          params,
        );
        plans.push(rows.map((row) => Object.values(row)[0]).join('\n'));
      };
      await explain(`details->'beneficiary'->>'id' = $1`, ['x']);
      await explain(`lower(details->'beneficiary'->>'name') LIKE $1`, ['elbe%']);
      await explain(`details->>'purpose' = $1`, ['product-claim']);
      await explain(`details->'claimBoundary'->'coveredProducts' @> $1::jsonb`, ['[{"id":"x"}]']);
      await explain(`account_id = $1`, ['a']);
    });
    for (const plan of plans) expect(plan).toMatch(/Index|Bitmap/);
  });
}

describe('public search equals a brute-force filter (PGlite, fast-check, seeded)', () =>
  searchSuite(() => ({ kind: 'pglite' }), Number(process.env.SEARCH_PROPERTY_RUNS ?? 6)));
describePostgres('public search equals a brute-force filter (PostgreSQL, fast-check, seeded)', (url) =>
  searchSuite(() => ({ kind: 'postgres', url }), Number(process.env.SEARCH_PROPERTY_RUNS ?? 4)),
);
