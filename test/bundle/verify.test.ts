import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { cobaltIssuance } from '../../examples/cases.js';
import { buildBundle, signManifest } from '../../src/bundle/build.js';
import { verifyBundle, type BundleReport } from '../../src/bundle/verify.js';
import { buildIssuanceCredential, buildRetirementCredential } from '../../src/credits/build.js';
import { digestMultibase, jwsPayload } from '../../src/lib/digest.js';
import { trustFileFor } from '../../src/trust/trust-file.js';
import { cobaltStory, retirementInput, sign, statusList, testRegistry, type CobaltStory } from './fixture.js';

const failed = (r: BundleReport) => r.steps.filter((s) => !s.ok).map((s) => `${s.name}:${s.code}`);

/** Replaces one base64url character of a JWS segment with another valid one (changes the bytes). */
function flip(jws: string, segment: 0 | 1 | 2, at: number): string {
  const parts = jws.split('.') as [string, string, string];
  const s = parts[segment];
  const i = Math.max(0, Math.min(s.length - 2, at)); // not the last char: its low bits may be unused
  const c = s[i] as string;
  parts[segment] = `${s.slice(0, i)}${c === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
  return parts.join('.');
}

describe('offline verification bundle', () => {
  let story: CobaltStory;
  beforeAll(async () => {
    story = await cobaltStory();
  });

  it('verifies with pinned trust and no network: every step named, keys pinned, status dated', async () => {
    const report = await verifyBundle(story.bundle, { trust: story.trust, requireTrust: true });
    expect(failed(report)).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.steps.map((s) => s.name)).toEqual([
      'format',
      'manifest',
      'digests',
      'status-lists',
      'retirement',
      'issuances',
      'status',
      'arithmetic',
      'log',
      'trust',
    ]);
    expect(report.retirementId).toBe('RET-2026-0007');
    expect(report.statusAsOf).toBe('2026-11-01T00:00:00Z');
    expect(report.steps.find((s) => s.name === 'status')?.message).toContain('as of 2026-11-01T00:00:00Z');
    expect(report.keys).toHaveLength(1);
    expect(report.keys[0]).toMatchObject({
      did: story.registry.did,
      source: 'pinned',
      documentSource: 'bundle',
      trusted: true,
      thumbprint: story.registry.thumbprint,
    });
    expect(report.keys[0]?.usedFor).toEqual(
      expect.arrayContaining([
        'manifest',
        'retirement',
        'status list https://registry.mineral-credits.example/status/revocation/1',
      ]),
    );
  });

  it('without pinned trust the carried key fails (TRUST_NOT_PINNED); allowUntrusted turns it into a visible warning', async () => {
    const strict = await verifyBundle(story.bundle);
    expect(strict.verified).toBe(false);
    expect(failed(strict)).toEqual(['trust:TRUST_NOT_PINNED']);
    const loose = await verifyBundle(story.bundle, { allowUntrusted: true });
    expect(loose.verified).toBe(true);
    expect(loose.keys[0]).toMatchObject({ source: 'bundle', trusted: false });
    expect(loose.warnings.map((w) => w.code)).toContain('TRUST_NOT_PINNED');
    expect(loose.steps.find((s) => s.name === 'trust')).toMatchObject({ ok: true, code: 'TRUST_NOT_PINNED' });
    // A trust file that pins other DIDs only: the key is not pinned by it (UNTRUSTED_KEY).
    const other = trustFileFor([{ did: 'did:web:another-registry.example', keys: [story.registry.thumbprint] }]);
    expect(failed(await verifyBundle(story.bundle, { trust: other }))).toEqual(['trust:UNTRUSTED_KEY']);
  });

  it('a DID-document digest pin also trusts the key', async () => {
    const { didDocumentDigest } = await import('../../src/trust/trust-file.js');
    const trust = trustFileFor([
      { did: story.registry.did, keys: [], didDocumentDigest: didDocumentDigest(story.registry.didDocument) },
    ]);
    const report = await verifyBundle(story.bundle, { trust, requireTrust: true });
    expect(report.verified).toBe(true);
    expect(report.keys[0]?.source).toBe('pinned');
  });

  it('a bundle re-signed by a forger with a forged DID document: UNTRUSTED_KEY (and a failure when the DID is pinned)', async () => {
    const forger = await testRegistry(story.registry.did);
    const forged = await cobaltStory(forger);
    // Cryptographically whole: only trust tells it apart.
    const unpinned = await verifyBundle(forged.bundle, { allowUntrusted: true });
    expect(unpinned.verified).toBe(true);
    expect(unpinned.warnings.map((w) => w.code)).toContain('TRUST_NOT_PINNED');
    expect(failed(await verifyBundle(forged.bundle))).toEqual(['trust:TRUST_NOT_PINNED']);
    // Against the real registry's pinned key it fails even without requireTrust.
    const pinned = await verifyBundle(forged.bundle, { trust: story.trust });
    expect(failed(pinned)).toEqual(['trust:UNTRUSTED_KEY']);
    expect(pinned.keys[0]).toMatchObject({ pinnedMismatch: true, trusted: false, source: 'bundle' });
  });

  it('a change to any signed byte fails, naming the step', async () => {
    const b = story.bundle;
    const cases: Array<[string, Record<string, unknown>, string]> = [];
    for (const [field, value] of [
      ['manifest', b.manifest],
      ['retirement', b.retirement],
    ] as const) {
      for (const segment of [0, 1, 2] as const) {
        const len = (value.split('.')[segment] as string).length;
        for (const at of [0, Math.floor(len / 2), len - 2])
          cases.push([
            `${field}[${segment}]@${at}`,
            { ...b, [field]: flip(value, segment, at) },
            field === 'manifest' ? 'manifest' : 'digests',
          ]);
      }
    }
    for (const segment of [1, 2] as const) {
      cases.push([
        `issuance[${segment}]`,
        { ...b, issuances: [flip(b.issuances[0] as string, segment, 40)] },
        'digests',
      ]);
      cases.push([
        `statusList[${segment}]`,
        { ...b, statusLists: [flip(b.statusLists[0] as string, segment, 40)] },
        'digests',
      ]);
    }
    const doc = structuredClone(b.didDocuments[0]) as any;
    doc.verificationMethod[0].publicKeyJwk.x = doc.verificationMethod[0].publicKeyJwk.x.replace(/^./, (c: string) =>
      c === 'A' ? 'B' : 'A',
    );
    cases.push(['didDocument', { ...b, didDocuments: [doc] }, 'manifest']);
    for (const [label, tampered, step] of cases) {
      const report = await verifyBundle(tampered, { trust: story.trust });
      expect(report.verified, label).toBe(false);
      expect(report.steps.find((s) => !s.ok)?.name, `${label}: ${failed(report).join(', ')}`).toBe(step);
    }
  });

  it('a retirement whose credential was revoked in the snapshot fails at status, dated', async () => {
    const list = await statusList(story.registry.signer, [2007], '2026-11-20T00:00:00Z');
    const bundle = await buildBundle(
      {
        retirement: story.retirementJws,
        issuances: [story.issuanceJws],
        statusLists: [list],
        didDocuments: [story.registry.didDocument],
      },
      story.registry.signer,
    );
    const report = await verifyBundle(bundle, { trust: story.trust });
    expect(failed(report)).toEqual(['status:CREDENTIAL_REVOKED']);
    expect(report.revoked).toBe(true);
    expect(report.steps.find((s) => s.name === 'status')?.message).toContain('as of 2026-11-20T00:00:00Z');
  });

  it('a missing status list fails at status; an unlisted or missing component fails at digests', async () => {
    const noList = await buildBundle(
      {
        retirement: story.retirementJws,
        issuances: [story.issuanceJws],
        statusLists: [],
        didDocuments: [story.registry.didDocument],
      },
      story.registry.signer,
    );
    expect(failed(await verifyBundle(noList, { trust: story.trust }))).toEqual(['status:STATUS_UNAVAILABLE']);
    const extra = {
      ...story.bundle,
      statusLists: [...story.bundle.statusLists, await statusList(story.registry.signer, [5])],
    };
    // Another list under the same URL: not the one the registry listed.
    expect(failed(await verifyBundle(extra, { trust: story.trust }))[0]).toBe('digests:BUNDLE_DIGEST_MISMATCH');
    const unlisted = { ...story.bundle, anchors: [story.issuanceJws] };
    expect(failed(await verifyBundle(unlisted, { trust: story.trust }))[0]).toBe('digests:BUNDLE_COMPONENT_UNLISTED');
    const missing = { ...story.bundle, statusLists: [] };
    expect(failed(await verifyBundle(missing, { trust: story.trust }))[0]).toBe('digests:BUNDLE_COMPONENT_MISSING');
  });

  it('credit arithmetic: a retired range outside the issued block fails (signed by the registry, so only arithmetic can tell)', async () => {
    const input = retirementInput(story.issuanceJws, { start: 100, end: 130 });
    // The builder refuses this; a registry bug or a hand-made credential would not.
    expect(() => buildRetirementCredential(input)).toThrow(/RANGE_OUTSIDE_ISSUANCE|not within/);
    const ok = buildRetirementCredential(retirementInput(story.issuanceJws, { start: 100, end: 120 })) as any;
    const unit = ok.credentialSubject.creditRetirement.retiredUnits[0];
    unit.serialBlock = { prefix: unit.serialBlock.prefix, start: 100, end: 130, quantity: 31 };
    ok.credentialSubject.creditRetirement.totalQuantity = 31;
    ok.credentialSubject.conformityAssessment[0].assessedPerformance[0].measure.value = 21;
    const jws = await sign(ok, story.registry.signer);
    const bundle = await buildBundle(
      {
        retirement: jws,
        issuances: [story.issuanceJws],
        statusLists: [story.listJws],
        didDocuments: [story.registry.didDocument],
      },
      story.registry.signer,
    );
    expect(failed(await verifyBundle(bundle, { trust: story.trust }))).toEqual(['arithmetic:RANGE_OUTSIDE_ISSUANCE']);
  });

  it('the issuance cited by digest must be the one bundled: another credential with the same id fails at issuances', async () => {
    const other = await sign(
      { ...buildIssuanceCredential(cobaltIssuance), validFrom: '2026-04-21T09:00:00Z' },
      story.registry.signer,
    );
    expect(digestMultibase(other)).not.toBe(digestMultibase(story.issuanceJws));
    await expect(
      buildBundle(
        {
          retirement: story.retirementJws,
          issuances: [other],
          statusLists: [story.listJws],
          didDocuments: [story.registry.didDocument],
        },
        story.registry.signer,
      ),
    ).rejects.toThrow(/not included/);
    // A registry-signed manifest listing the wrong issuance (what a buggy bundler would make).
    const both = await buildBundle(
      {
        retirement: story.retirementJws,
        issuances: [story.issuanceJws, other],
        statusLists: [story.listJws],
        didDocuments: [story.registry.didDocument],
      },
      story.registry.signer,
    );
    const manifest = jwsPayload(both.manifest) as any;
    manifest.issuances = manifest.issuances.filter(
      (e: { digestMultibase: string }) => e.digestMultibase === digestMultibase(other),
    );
    const swapped = { ...both, issuances: [other], manifest: await signManifest(manifest, story.registry.signer) };
    expect(failed(await verifyBundle(swapped, { trust: story.trust }))).toEqual([
      'issuances:ISSUANCE_DIGEST_MISMATCH',
      'arithmetic:ISSUANCE_UNVERIFIED',
    ]);
  });

  it('never throws and never verifies when any member of the bundle is replaced by arbitrary JSON', async () => {
    const members = [
      'type',
      'version',
      'manifest',
      'retirement',
      'issuances',
      'statusLists',
      'didDocuments',
      'anchors',
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...members), fc.jsonValue(), async (member, value) => {
        fc.pre(!(member === 'anchors' && Array.isArray(value) && value.length === 0));
        const report = await verifyBundle({ ...story.bundle, [member]: value }, { trust: story.trust });
        expect(report.verified).toBe(false);
        expect(report.steps.some((s) => !s.ok)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('never throws on junk', async () => {
    for (const junk of [
      null,
      'x',
      { type: 'UntpCreditsVerificationBundle', version: 1 },
      { ...story.bundle, manifest: 'a.b' },
    ]) {
      const report = await verifyBundle(junk);
      expect(report.verified).toBe(false);
      expect(report.steps.find((s) => !s.ok)?.name).toMatch(/format|manifest/);
    }
  });
});
