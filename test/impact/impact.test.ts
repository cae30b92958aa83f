import jsonld from 'jsonld';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildImpactExamples, IMPACT_DIR } from '../../examples/impact/build.js';
import { cobaltAllocation } from '../../examples/impact/cases.js';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import { PACKAGE_ROOT, sha256File } from '../../src/artefacts/package-root.js';
import { SchemaValidator } from '../../src/artefacts/schemas.js';
import { runImpactBuild } from '../../src/cli/impact.js';
import { digestMultibase, jwsOf, jwsPayload } from '../../src/lib/digest.js';
import { UNTP_DCC_SCHEMA_0_7_0 } from '../../src/credits/vocabulary.js';
import { buildAllocationCredential, readAllocation } from '../../src/impact/build.js';
import type { AllocationInput } from '../../src/impact/types.js';
import { IMPACT_CONTEXT_URL, PREMIUM_ALLOCATION_SCHEMA_URL } from '../../src/impact/vocabulary.js';
import { BUILTIN_EXTENSIONS } from '../../src/validate/extensions.js';
import { validate } from '../../src/validate/validate.js';
import { memberNames, refusal } from '../support/inspect.js';

type Json = Record<string, any>;
const retirementJws = jwsOf(
  readFileSync(new URL('../../examples/cobalt/retirement.signed.json', import.meta.url), 'utf8'),
);
const registry = ArtefactRegistry.bundled();
const schemas = SchemaValidator.bundled();
let built: Map<string, Json>;

beforeAll(async () => {
  built = await buildImpactExamples();
  if (process.env.UPDATE_EXAMPLES) {
    mkdirSync(IMPACT_DIR, { recursive: true });
    for (const [name, doc] of built) writeFileSync(`${IMPACT_DIR}${name}`, `${JSON.stringify(doc, null, 2)}\n`);
  }
});

const file = (name: string): Json => JSON.parse(readFileSync(`${IMPACT_DIR}${name}`, 'utf8')) as Json;
const input = (change: (i: any) => void = () => {}): AllocationInput => {
  const i = structuredClone(cobaltAllocation(retirementJws)) as any;
  change(i);
  return i;
};
describe('PremiumAllocationCredential', () => {
  it('the committed examples are exactly what the builder and signer produce; the unsigned one is the signed payload', () => {
    for (const [name, doc] of built)
      expect(readFileSync(`${IMPACT_DIR}${name}`, 'utf8'), name).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    expect(jwsPayload(jwsOf(readFileSync(`${IMPACT_DIR}allocation.signed.json`, 'utf8')))).toEqual(
      file('allocation.json'),
    );
  });

  it('reports the premium per retirement (id + digest of its JWS), the allocation by area, and what stays unallocated', () => {
    const summary = readAllocation(file('allocation.json'));
    expect(summary.retirements).toEqual([
      {
        id: 'https://registry.mineral-credits.example/credentials/retirement/RET-2026-0007',
        digestMultibase: digestMultibase(retirementJws),
        retirementId: 'RET-2026-0007',
        credits: 25,
        amount: '37500.00',
      },
    ]);
    expect(summary).toMatchObject({
      currency: 'USD',
      received: '37500.00',
      allocated: '34500.00',
      byArea: {
        'health-and-safety': '15000.00',
        'child-rights': '9000.00',
        'cooperative-governance': '6000.00',
        environment: '4500.00',
      },
    });
    expect(file('allocation.json').credentialSubject.premiumAllocation.unallocated).toEqual({
      amount: '3000.00',
      currency: 'USD',
    });
    expect(file('allocation.json').credentialSubject.issuedToParty.id).toBe('did:web:comakam.coop.example');
  });

  it('passes validate() with no errors and no JSON-LD findings (unsigned and signed)', async () => {
    const unsigned = await validate(file('allocation.json'));
    expect(unsigned.errors).toEqual([]);
    expect(unsigned.warnings.map((w) => w.code)).toEqual([]);
    const signed = await validate(file('allocation.signed.json'));
    expect(signed.errors).toEqual([]);
    expect(signed.warnings.map((w) => w.code)).toEqual(['SIGNATURE_NOT_CHECKED']);
  });

  it('validates against its own schema and the core DCC schema; a missing core field fails core validation', async () => {
    const vc = file('allocation.json');
    expect(schemas.validate(PREMIUM_ALLOCATION_SCHEMA_URL, vc)).toEqual([]);
    expect(schemas.validate(UNTP_DCC_SCHEMA_0_7_0, vc)).toEqual([]);
    for (const drop of [
      (v: Json) => delete v.credentialSubject.issuedToParty,
      (v: Json) => delete v.name,
      (v: Json) => delete v.credentialSubject.assessorLevel,
    ]) {
      const broken = structuredClone(vc);
      drop(broken);
      expect(schemas.validate(UNTP_DCC_SCHEMA_0_7_0, broken).length).toBeGreaterThan(0);
      expect((await validate(broken)).valid).toBe(false);
    }
  });

  it('expands in jsonld.js safe mode with every term defined; an unknown term inside premiumAllocation fails', async () => {
    const vc = file('allocation.json');
    await expect(
      jsonld.expand(structuredClone(vc), { documentLoader: registry.documentLoader as never, safe: true } as never),
    ).resolves.toBeTruthy();
    vc.credentialSubject.premiumAllocation.allocation[0].unknownTerm = 'x';
    await expect(
      jsonld.expand(vc, { documentLoader: registry.documentLoader as never, safe: true } as never),
    ).rejects.toThrow();
  });

  it('its own context: protected, no @vocab, top-level terms nobody else defines, exactly the terms the builder emits', () => {
    const context = (registry.get(IMPACT_CONTEXT_URL) as Json)['@context'] as Json;
    expect(context['@protected']).toBe(true);
    expect(context.premiumAllocation['@context']['@protected']).toBe(true);
    expect(memberNames(context).has('@vocab')).toBe(false);
    const ours = Object.keys(context).filter((k) => !k.startsWith('@'));
    expect(ours.sort()).toEqual(['PremiumAllocationCredential', 'premiumAllocation']);
    const theirs = new Set([
      ...memberNames(registry.get('https://vocabulary.uncefact.org/untp/0.7.0/context/')),
      ...memberNames(registry.get('https://www.w3.org/ns/credentials/v2')),
      ...memberNames(registry.get('https://w3id.org/untp-credits/context/v1')),
    ]);
    for (const term of ours) expect(theirs.has(term), term).toBe(false);
    const used = memberNames(file('allocation.json').credentialSubject.premiumAllocation);
    for (const inherited of ['id', 'type', 'name', 'digestMultibase', 'mediaType']) used.delete(inherited);
    const defined = Object.keys(context.premiumAllocation['@context']).filter((k) => !k.startsWith('@'));
    expect([...used].sort()).toEqual(defined.sort());
    for (const term of defined)
      expect(context.premiumAllocation['@context'][term]['@id']).toMatch(
        /^https:\/\/w3id\.org\/untp-credits\/impact\/vocab#[A-Za-z]+$/,
      );
  });

  it('is bundled with its sha256 and registered as a DCC extension', () => {
    for (const url of [IMPACT_CONTEXT_URL, PREMIUM_ALLOCATION_SCHEMA_URL]) {
      const entry = registry.provenance().find((e) => e.url === url)!;
      expect(entry).toMatchObject({ source: 'this project', license: 'Apache-2.0' });
      expect(sha256File(`${PACKAGE_ROOT}/${entry.kind === 'schema' ? 'schemas' : 'contexts'}/${entry.file}`)).toBe(
        entry.sha256,
      );
    }
    expect(BUILTIN_EXTENSIONS).toContainEqual({
      type: 'PremiumAllocationCredential',
      extends: 'DigitalConformityCredential',
      schemaUrl: PREMIUM_ALLOCATION_SCHEMA_URL,
      contextUrl: IMPACT_CONTEXT_URL,
    });
  });
});

describe('buildAllocationCredential refuses', () => {
  const cases: Array<[string, (i: any) => void, string, string]> = [
    [
      'allocations exceeding the premium received',
      (i) => {
        i.allocations[0].amount = '18000.01';
      },
      'ALLOCATION_EXCEEDS_PREMIUM',
      '/allocations',
    ],
    [
      'an allocation in another currency',
      (i) => {
        i.allocations[1].currency = 'EUR';
      },
      'CURRENCY_MISMATCH',
      '/allocations/1/currency',
    ],
    [
      "a digest that is not the retirement JWS's",
      (i) => {
        i.premiumReceived[0].retirement.digestMultibase = digestMultibase('another');
      },
      'DIGEST_MISMATCH',
      '/premiumReceived/0/retirement/digestMultibase',
    ],
    [
      'a retirement cited without a digest',
      (i) => {
        delete i.premiumReceived[0].retirement.jws;
      },
      'MISSING_FIELD',
      '/premiumReceived/0/retirement/digestMultibase',
    ],
    [
      'the same retirement twice',
      (i) => {
        i.premiumReceived.push(structuredClone(i.premiumReceived[0]));
      },
      'DUPLICATE_RETIREMENT',
      '/premiumReceived/1/retirement/id',
    ],
    [
      'an amount with fractions of a cent',
      (i) => {
        i.allocations[0].amount = 15000.005;
      },
      'AMOUNT_INVALID',
      '/allocations/0/amount',
    ],
    [
      'a negative amount',
      (i) => {
        i.allocations[0].amount = -1;
      },
      'AMOUNT_INVALID',
      '/allocations/0/amount',
    ],
    [
      'an impact area outside the four',
      (i) => {
        i.allocations[0].impactArea = 'marketing';
      },
      'INVALID_FIELD',
      '/allocations/0/impactArea',
    ],
    [
      'a committee that is not worker-led',
      (i) => {
        i.committee.workerLed = false;
      },
      'INVALID_FIELD',
      '/committee/workerLed',
    ],
    [
      'evidence without a digest',
      (i) => {
        delete i.evidence[0].digestMultibase;
      },
      'MISSING_FIELD',
      '/evidence/0/digestMultibase',
    ],
    [
      'a disbursement before the decision',
      (i) => {
        i.allocations[0].disbursedDate = '2026-07-01';
      },
      'INVALID_DATE',
      '/allocations/0/disbursedDate',
    ],
    [
      "a committee member's personal data",
      (i) => {
        i.allocations[0].funded = 'Paid to the treasurer, phone +243 812 345 678';
      },
      'PERSONAL_DATA_REFUSED',
      '/allocations/0/funded',
    ],
    [
      'named miners',
      (i) => {
        i.committee.miners = ['A. Kalenga'];
      },
      'PERSONAL_DATA_REFUSED',
      '/committee/miners',
    ],
  ];
  for (const [label, change, code, path] of cases) {
    it(label, () => expect(refusal(() => buildAllocationCredential(input(change)))).toEqual({ code, path }));
  }

  it('allocating exactly the premium received is fine (exact decimals: 0.10 + 0.20 = 0.30)', () => {
    const vc = buildAllocationCredential(
      input((i) => {
        i.premiumReceived[0].amount = '0.30';
        i.allocations = [
          { ...i.allocations[0], amount: 0.1 },
          { ...i.allocations[1], amount: 0.2 },
        ];
      }),
    ) as Json;
    expect(vc.credentialSubject.premiumAllocation.unallocated.amount).toBe('0.00');
  });
});

describe('untp-credits impact build', () => {
  const run = async (file: string, options: Parameters<typeof runImpactBuild>[1]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runImpactBuild(
      file,
      options,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const retirementFile = new URL('../../examples/cobalt/retirement.signed.json', import.meta.url).pathname;

  it('builds the unsigned draft of the example report from its input and the signed retirement', async () => {
    const input = structuredClone(cobaltAllocation(retirementJws)) as any;
    delete input.premiumReceived[0].retirement.jws;
    if (process.env.UPDATE_EXAMPLES)
      writeFileSync(`${IMPACT_DIR}allocation-input.json`, `${JSON.stringify(input, null, 2)}\n`);
    expect(file('allocation-input.json')).toEqual(input);
    const built = await run(`${IMPACT_DIR}allocation-input.json`, { retirement: [retirementFile] });
    expect(built.code).toBe(0);
    expect(JSON.parse(built.out)).toEqual(file('allocation.json'));
    // Unsigned: only the ledger signs a report (impact record submits this draft).
    expect(JSON.parse(built.out).proof).toBeUndefined();
  });

  it('exits 1 with ALLOCATION_EXCEEDS_PREMIUM, 2 on unreadable input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'impact-'));
    const input = file('allocation-input.json');
    input.allocations[0].amount = '20000.00';
    writeFileSync(join(dir, 'over.json'), JSON.stringify(input));
    const over = await run(join(dir, 'over.json'), { retirement: [retirementFile] });
    expect(over.code).toBe(1);
    expect(over.err).toContain('ALLOCATION_EXCEEDS_PREMIUM');
    expect((await run(join(dir, 'missing.json'), {})).code).toBe(2);
  });
});
