import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ROOT } from '../helpers.js';

// Network access disabled: the guarded fetcher is the only way out of the process (test/security/net-rule);
// any call fails the test.
const fetches: string[] = [];
vi.mock('../../src/net/guarded-fetch.js', async (original) => ({
  ...(await original<typeof import('../../src/net/guarded-fetch.js')>()),
  guardedFetch: async (url: string | URL) => {
    fetches.push(String(url));
    throw new Error(`network access attempted: ${String(url)}`);
  },
}));

const { runDemo } = await import('../../src/cli/demo.js');
const { runVerify } = await import('../../src/cli/verify.js');
const { addRetirementClaim } = await import('../../src/credits/dpp.js');
const { issue } = await import('../../src/issue.js');
const { createDidDocument, keyMethodIds } = await import('../../src/keys/did-document.js');
const { generateKeyPair } = await import('../../src/keys/generate.js');
const { createLocalSigner } = await import('../../src/keys/signer.js');
const { compactJwsOf } = await import('../../src/bundle/build.js');
const { jwsPayload } = await import('../../src/lib/digest.js');
const { batteryPassport } = await import('../../examples/cases.js');

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
}

/** What a reader follows from issuance to retirement: everything but signer, dates and status entries. */
function story(issuance: any, retirement: any) {
  const i = issuance.credentialSubject.creditIssuance;
  const r = retirement.credentialSubject.creditRetirement;
  return {
    issuance: [i.issuanceId, i.serialBlock, i.initialHolder.accountId, i.vintage, i.productionPeriod],
    producer: [i.productionSite.operator.id, i.productionSite.id, i.productionSite.countrySubdivision, i.standard.id],
    premium: i.benefitSharing.premiumPerCredit,
    retirementId: r.retirementId,
    retired: r.retiredUnits.map((u: any) => u.serialBlock),
    account: r.retiringAccount.accountId,
    beneficiary: [r.beneficiary.id, r.beneficiary.registeredId, r.beneficiary.jurisdiction, r.beneficiary.onBehalfOf],
    claim: [r.purpose, r.claimBoundary],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'untp-demo-test-'));
const f = (name: string) => join(dir, name);

describe('untp-credits demo → verify offline', () => {
  beforeAll(async () => {
    const c = capture();
    expect(await runDemo({ out: dir }, c.out, c.err), c.errors.join('\n')).toBe(0);
    // The follow-up command runs as printed: through npx (the bare name is not on PATH after npm install).
    expect(c.lines.join('\n')).toMatch(/\n {4}npx untp-credits verify \S+RET-2026-0007\.bundle\.json /);
  }, 120_000);

  it('writes issuance, retirement, bundle, trust file and passport; the bundle and passport verify with the trust file and no network', async () => {
    const c = capture();
    const code = await runVerify(
      [f('RET-2026-0007.bundle.json'), f('battery-dpp.json')],
      { trust: f('trust.json'), didDoc: [f('battery-maker.did.json')], requireLog: true, market: 'DE', json: true },
      c.out,
      c.err,
    );
    const { results, summary } = JSON.parse(c.lines.join('\n'));
    expect(summary).toMatchObject({ inputs: 2, outcomes: { verified: 2, failed: 0, unreadable: 0 } });
    expect(c.errors).toEqual([]);
    expect(code).toBe(0);
    expect(results[0].report).toMatchObject({ kind: 'bundle', verified: true, retirementId: 'RET-2026-0007' });
    // Each credit credential is an entry of the demo registry's log, checked against the log key the trust file names.
    expect(results[0].report.steps.find((s: { name: string }) => s.name === 'log')).toMatchObject({ ok: true });
    expect(results[0].report.steps.find((s: { name: string }) => s.name === 'log').code).toBeUndefined();
    expect(results[0].report.log.map((l: { role: string }) => l.role).sort()).toEqual(['issuance', 'retirement']);
    expect(
      results[0].report.keys.map((k: { source: string; documentSource: string }) => [k.source, k.documentSource]),
    ).toEqual([['pinned', 'bundle']]);
    expect(results[1].report).toMatchObject({ kind: 'credential', verified: true });
    expect(fetches).toEqual([]);
    // The passport is dated after the retirement it cites, and claims from the retirement's date.
    const payload = (file: string) => jwsPayload(compactJwsOf(JSON.parse(readFileSync(f(file), 'utf8'))));
    const retired = payload('retirement.json');
    const passport = payload('battery-dpp.json') as any;
    expect(Date.parse(passport.validFrom)).toBeGreaterThanOrEqual(Date.parse(String(retired.validFrom)));
    expect(passport.credentialSubject.performanceClaim[0].claimDate).toBe(
      String((retired as any).credentialSubject.creditRetirement.retiredAt).slice(0, 10),
    );
    // The unsigned parts agree with the files the demo wrote next to the bundle.
    const bundle = JSON.parse(readFileSync(f('RET-2026-0007.bundle.json'), 'utf8'));
    expect(bundle.retirement).toBe(compactJwsOf(JSON.parse(readFileSync(f('retirement.json'), 'utf8'))));
    expect(bundle.issuances).toEqual([compactJwsOf(JSON.parse(readFileSync(f('issuance.json'), 'utf8')))]);
  });

  it('tells the story of examples/ (same cooperative, issuance, serials, accounts, beneficiary and claim) — and a changed serial is told apart', () => {
    const payload = (file: string) => jwsPayload(compactJwsOf(JSON.parse(readFileSync(file, 'utf8')))) as any;
    const example = (path: string) => payload(join(ROOT, 'examples', path));
    const demo = story(payload(f('issuance.json')), payload(f('retirement.json')));
    const examples = story(example('cobalt/issuance.signed.json'), example('cobalt/retirement.signed.json'));
    expect(demo).toEqual(examples);
    expect(demo.retired).toEqual([{ prefix: 'RCC-CD-LU-1532-2026Q1', start: 1, end: 25, quantity: 25 }]);
    // Negative twin: the story the examples told before (serials 41–65) is not the demo's.
    const other = example('cobalt/retirement.signed.json');
    other.credentialSubject.creditRetirement.retiredUnits[0].serialBlock = {
      prefix: 'RCC-CD-LU-1532-2026Q1',
      start: 41,
      end: 65,
      quantity: 25,
    };
    expect(story(example('cobalt/issuance.signed.json'), other)).not.toEqual(demo);
  });

  it('a changed byte in the bundle file fails (exit 1), naming the step; without the trust file it fails TRUST_NOT_PINNED', async () => {
    const bundle = JSON.parse(readFileSync(f('RET-2026-0007.bundle.json'), 'utf8'));
    const [h, p, s] = bundle.retirement.split('.');
    const tampered = join(dir, 'tampered.bundle.json');
    writeFileSync(
      tampered,
      JSON.stringify({
        ...bundle,
        retirement: [h, `${p.slice(0, 10)}${p[10] === 'A' ? 'B' : 'A'}${p.slice(11)}`, s].join('.'),
      }),
    );
    const c = capture();
    expect(await runVerify([tampered], { trust: f('trust.json') }, c.out, c.err)).toBe(1);
    expect(c.lines[0]).toContain('NOT verified (digests: BUNDLE_DIGEST_MISMATCH)');

    const loose = capture();
    expect(await runVerify([f('RET-2026-0007.bundle.json')], { allowUntrusted: true }, loose.out, loose.err)).toBe(0);
    // Trusted only through the keys the bundle carries: accepted only as a warning, never a ✔.
    expect(loose.lines[0]).toContain('verified, with warnings');
    expect(loose.lines.join('\n')).toContain('⚠ trust TRUST_NOT_PINNED');
    expect(loose.lines.join('\n')).not.toContain('✔ trust');
    const strict = capture();
    expect(await runVerify([f('RET-2026-0007.bundle.json')], {}, strict.out, strict.err)).toBe(1);
    expect(strict.lines[0]).toContain('NOT verified (trust: TRUST_NOT_PINNED)');
  });

  it('passports whose summed claims exceed the retired 25 t fail with DPP_CLAIMS_EXCEED_RETIRED (KGM and TNE summed)', async () => {
    const retirementJws = compactJwsOf(JSON.parse(readFileSync(f('retirement.json'), 'utf8')));
    const maker = generateKeyPair('EdDSA');
    const did = 'did:web:elbe-cells.example';
    writeFileSync(f('maker2.did.json'), JSON.stringify(await createDidDocument(did, [maker.publicJwk])));
    const signer = createLocalSigner(maker.privateJwk, (await keyMethodIds(did, maker.publicJwk)).jose);
    const files: string[] = [];
    for (const [i, measure] of [
      { value: 20, unit: 'TNE' },
      { value: 5500, unit: 'KGM' },
    ].entries()) {
      const dpp = addRetirementClaim(
        { ...batteryPassport(), id: `https://passports.elbe-cells.example/dpp/ecw-75-2026-batch-${i}` },
        { retirementJws, claimDate: '2026-06-20' },
      ) as any;
      dpp.credentialSubject.performanceClaim[0].claimedPerformance[0].measure = measure;
      const file = f(`batch-${i}.dpp.json`);
      writeFileSync(file, JSON.stringify(await issue(dpp, { format: 'jose', signer })));
      files.push(file);
    }
    const c = capture();
    expect(
      await runVerify(
        [f('RET-2026-0007.bundle.json'), ...files],
        { trust: f('trust.json'), didDoc: [f('maker2.did.json')] },
        c.out,
        c.err,
      ),
    ).toBe(1);
    const text = c.lines.join('\n');
    expect(text).toContain('✘ claims');
    expect(text).toContain('DPP_CLAIMS_EXCEED_RETIRED');
    expect(text).toContain('claim 25.5 TNE in total, but it retired 25 TNE');
    // Within the 25 t, the same two files with the first one alone pass.
    const ok = capture();
    expect(
      await runVerify(
        [f('RET-2026-0007.bundle.json'), files[0] as string],
        { trust: f('trust.json'), didDoc: [f('maker2.did.json')] },
        ok.out,
        ok.err,
      ),
    ).toBe(0);
  });
});
