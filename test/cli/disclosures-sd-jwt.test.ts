import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cobaltIssuance, REGISTRY_DID } from '../../examples/cases.js';
import { keyMethodIds } from '../../src/keys/did-document.js';
import { publicJwkOf } from '../../src/keys/jwk.js';
import type { PrivateJwk } from '../../src/keys/types.js';
import { buildBundle } from '../../src/bundle/build.js';
import { parseBundle } from '../../src/bundle/format.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { runSign } from '../../src/cli/sign.js';
import { runVerify } from '../../src/cli/verify.js';
import { buildIssuanceCredential, buildRetirementCredential } from '../../src/credits/build.js';
import { commitBeneficiary } from '../../src/credits/beneficiary.js';
import { releaseDisclosure } from '../../src/disclosure/release.js';
import { issue } from '../../src/issue.js';
import { createDidResolver } from '../../src/keys/resolver.js';
import { VC_SD_JWT_PREFIX } from '../../src/lib/envelope.js';
import { verify } from '../../src/verify/verify.js';
import { ROOT } from '../helpers.js';
import { retirementInput, sign, statusList, testRegistry, type TestRegistry } from '../bundle/fixture.js';

type Json = Record<string, any>;

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
}

const work = mkdtempSync(join(tmpdir(), 'untp-disclose-cli-'));
const AT = new Date('2026-11-03T00:00:00Z');
const beneficiary = {
  id: 'did:web:nordlicht-automotive.example',
  name: 'Nordlicht Automotive AG (fictional)',
  jurisdiction: 'DE',
  onBehalfOf: true,
};
const envelope = (jws: string) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: 'EnvelopedVerifiableCredential',
  id: `data:application/vc+jwt,${jws}`,
});

describe('releases through verify --disclosure and bundles; issue() and sign --format sd-jwt', () => {
  let r: TestRegistry;
  let issuanceJws: string;
  let retirementJws: string;
  let release: string;

  beforeAll(async () => {
    r = await testRegistry();
    issuanceJws = await sign(buildIssuanceCredential(cobaltIssuance), r.signer);
    const { commitment, disclosure } = commitBeneficiary(beneficiary, '2027-03-31');
    retirementJws = await sign(
      buildRetirementCredential(
        retirementInput(issuanceJws, { beneficiary: undefined, withheldBeneficiary: commitment }),
      ),
      r.signer,
    );
    // Released early (the beneficiary agreed), so the verifier's clock can stay inside the credentials' validity.
    release = await releaseDisclosure(
      { credentialJws: retirementJws, disclosure: disclosure.disclosure, now: AT, early: true },
      r.signer,
    );
  });

  it("verify --disclosure FILE (repeatable; JWS text or the registry's JSON answer) passes the releases to verify", async () => {
    const credential = join(work, 'retirement.json');
    const didDoc = join(work, 'registry.did.json');
    const asText = join(work, 'release.jws');
    const asJson = join(work, 'release.json');
    writeFileSync(credential, JSON.stringify(envelope(retirementJws)));
    writeFileSync(didDoc, JSON.stringify(r.didDocument));
    writeFileSync(asText, `${release}\n`);
    writeFileSync(asJson, JSON.stringify({ retirementId: 'RET-2026-0007', release }));
    const now = AT.toISOString();

    const without = capture();
    expect(await runVerify([credential], { didDoc: [didDoc], now, json: true }, without.out, without.err)).toBe(0);
    const plain = (JSON.parse(without.lines.join('\n')) as { results: Json[] }).results[0]!.report;
    expect(plain.steps.find((s: Json) => s.name === 'disclosure')).toMatchObject({ code: 'FIELD_WITHHELD' });

    for (const file of [asText, asJson]) {
      const c = capture();
      expect(
        await runVerify([credential], { didDoc: [didDoc], now, json: true, disclosure: [file] }, c.out, c.err),
        c.errors.join('\n'),
      ).toBe(0);
      const report = (JSON.parse(c.lines.join('\n')) as { results: Json[] }).results[0]!.report;
      expect(report.steps.find((s: Json) => s.name === 'disclosure')).toMatchObject({
        ok: true,
        code: 'FIELD_DISCLOSED',
      });
      expect(report.withheld).toEqual([expect.objectContaining({ state: 'disclosed', value: beneficiary })]);
    }
    // A release that does not verify fails the credential (exit 1); an unreadable file is a usage error (exit 2).
    const forged = join(work, 'forged.jws');
    writeFileSync(forged, `${release.slice(0, -4)}AAAA`);
    const bad = capture();
    expect(await runVerify([credential], { didDoc: [didDoc], now, disclosure: [forged] }, bad.out, bad.err)).toBe(1);
    const missing = capture();
    expect(
      await runVerify(
        [credential],
        { didDoc: [didDoc], now, disclosure: [join(work, 'nope.jws')] },
        missing.out,
        missing.err,
      ),
    ).toBe(2);
    expect(missing.errors[0]).toContain('DISCLOSURE_FILE_UNREADABLE');
  });

  it('a bundle carries disclosures (optional) and bundle verification passes them to verify', async () => {
    const parts = {
      retirement: retirementJws,
      issuances: [issuanceJws],
      statusLists: [await statusList(r.signer)],
      didDocuments: [r.didDocument],
      bundledAt: '2026-11-02T00:00:00Z',
    };
    const plain = await buildBundle(parts, r.signer);
    expect(plain.disclosures).toBeUndefined();
    const withRelease = parseBundle(
      JSON.parse(JSON.stringify(await buildBundle({ ...parts, disclosures: [release] }, r.signer))),
    );
    expect(withRelease.disclosures).toEqual([release]);

    const report = await verifyBundle(withRelease, { clock: () => AT, allowUntrusted: true });
    expect(report.verified, JSON.stringify(report.steps.filter((s) => !s.ok))).toBe(true);
    const retirement = report.credentials.find((c) => c.role === 'retirement')!.report;
    expect(retirement.withheld).toEqual([expect.objectContaining({ state: 'disclosed', value: beneficiary })]);
    const withheld = (await verifyBundle(plain, { clock: () => AT, allowUntrusted: true })).credentials.find(
      (c) => c.role === 'retirement',
    )!.report;
    expect(withheld.withheld).toEqual([expect.objectContaining({ state: 'withheld' })]);
    // A broken release fails the retirement step.
    const broken = await verifyBundle(
      { ...withRelease, disclosures: [`${release.slice(0, -4)}AAAA`] },
      { clock: () => AT },
    );
    expect(broken.verified).toBe(false);
    expect(() => parseBundle({ ...withRelease, disclosures: 'x' })).toThrow(/disclosures/);
  });

  it('issue({ format: "sd-jwt" }) round-trips through verify; untp-credits sign --format sd-jwt --disclosable too', async () => {
    const unsigned = buildRetirementCredential(retirementInput(issuanceJws));
    const BENEFICIARY = '/credentialSubject/creditRetirement/beneficiary';
    const vc = await issue(unsigned, { format: 'sd-jwt', signer: r.signer, disclosable: [BENEFICIARY] });
    expect(String(vc.id)).toMatch(new RegExp(`^${VC_SD_JWT_PREFIX.replace(/[+]/g, '\\+')}`));
    const resolver = createDidResolver({ documents: [r.didDocument] });
    const report = await verify(vc, { resolver, clock: () => AT });
    expect(report.verified, JSON.stringify(report.steps.filter((s) => !s.ok))).toBe(true);
    expect(report.format).toBe('sd-jwt');
    expect((report.credential as Json).credentialSubject.creditRetirement.beneficiary).toEqual(
      (unsigned as Json).credentialSubject.creditRetirement.beneficiary,
    );
    await expect(
      issue({ ...unsigned, credentialSubject: undefined }, { format: 'sd-jwt', signer: r.signer }),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID' });

    // The CLI: the example registry key (with its JsonWebKey method id as kid) and credential.
    const privateJwk = JSON.parse(
      readFileSync(join(ROOT, 'examples/keys/registry.mineral-credits.example.private.jwk.json'), 'utf8'),
    ) as PrivateJwk;
    const keyFile = join(work, 'registry.private.jwk.json');
    writeFileSync(
      keyFile,
      JSON.stringify({ ...privateJwk, kid: (await keyMethodIds(REGISTRY_DID, publicJwkOf(privateJwk))).jose }),
    );
    const out = join(work, 'retirement.sd-jwt.json');
    const s = capture();
    expect(
      await runSign(
        join(ROOT, 'examples/cobalt/retirement.json'),
        { key: keyFile, format: 'sd-jwt', disclosable: [BENEFICIARY], out },
        s.out,
        s.err,
      ),
      s.errors.join('\n'),
    ).toBe(0);
    const v = capture();
    expect(
      await runVerify(
        [out],
        {
          didDoc: [join(ROOT, 'examples/keys/registry.mineral-credits.example.did.json')],
          now: '2026-07-01T10:00:00Z',
          json: true,
        },
        v.out,
        v.err,
      ),
      v.lines.join('\n').slice(0, 600),
    ).toBe(0);
    expect((JSON.parse(v.lines.join('\n')) as { results: Json[] }).results[0]!.report.format).toBe('sd-jwt');
    const wrong = capture();
    expect(
      await runSign(
        join(ROOT, 'examples/cobalt/retirement.json'),
        { key: keyFile, format: 'jose', disclosable: [BENEFICIARY] },
        wrong.out,
        wrong.err,
      ),
    ).toBe(2);
  });
});
