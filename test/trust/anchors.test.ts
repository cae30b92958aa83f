import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/build.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { buildAnchorCredential } from '../../src/trust/anchors.js';
import { canonicalJson, didDocumentDigest, parseTrustFile, trustFileFor } from '../../src/trust/trust-file.js';
import { cobaltStory, sign, testRegistry, type CobaltStory, type TestRegistry } from '../bundle/fixture.js';

describe('trust: pinned roots and Digital Identity Anchors', () => {
  let story: CobaltStory;
  let root: TestRegistry;
  let anchorJws: string;
  beforeAll(async () => {
    story = await cobaltStory();
    root = await testRegistry('did:web:business-register.example');
    anchorJws = await sign(
      buildAnchorCredential({
        id: 'https://business-register.example/dia/C-000417-EX',
        root: { id: root.did, name: 'Business register (fictional)' },
        subject: story.registry.did,
        registeredName: 'Mineral Credits Registry Services Ltd',
        registeredId: 'C-000417-EX',
        registeredDate: '2019-05-02',
        register: { id: 'https://business-register.example/', name: 'Company register' },
        keys: [story.registry.thumbprint],
        validFrom: '2026-01-01T00:00:00Z',
      }),
      root.signer,
    );
  });

  async function anchoredBundle() {
    return buildBundle(
      {
        retirement: story.retirementJws,
        issuances: [story.issuanceJws],
        statusLists: [story.listJws],
        didDocuments: [story.registry.didDocument, root.didDocument],
        anchors: [anchorJws],
      },
      story.registry.signer,
    );
  }

  it("a pinned root's anchor makes the registry key trusted (anchored), and the report says which anchor vouches for which issuer", async () => {
    const trust = trustFileFor([], [{ did: root.did, name: 'register', keys: [root.thumbprint] }]);
    const report = await verifyBundle(await anchoredBundle(), { trust, requireTrust: true });
    expect(report.steps.filter((s) => !s.ok)).toEqual([]);
    expect(report.anchors).toEqual([
      expect.objectContaining({
        ok: true,
        anchorId: 'https://business-register.example/dia/C-000417-EX',
        root: root.did,
        issuer: story.registry.did,
        registeredId: 'C-000417-EX',
        keys: [story.registry.thumbprint],
      }),
    ]);
    expect(report.keys[0]).toMatchObject({
      did: story.registry.did,
      source: 'anchored',
      trusted: true,
      anchors: ['https://business-register.example/dia/C-000417-EX'],
    });
  });

  it('an anchor from a root the verifier does not pin vouches for nothing', async () => {
    const report = await verifyBundle(await anchoredBundle(), { requireTrust: true });
    expect(report.anchors[0]).toMatchObject({ ok: false, code: 'ANCHOR_ROOT_UNTRUSTED' });
    expect(report.steps.find((s) => !s.ok)).toMatchObject({ name: 'trust', code: 'TRUST_NOT_PINNED' });
    // A forger's root with the same DID but another key: refused the same way.
    const fakeRoot = await testRegistry(root.did);
    const trust = trustFileFor([], [{ did: root.did, keys: [fakeRoot.thumbprint] }]);
    expect((await verifyBundle(await anchoredBundle(), { trust })).anchors[0]).toMatchObject({
      ok: false,
      code: 'ANCHOR_ROOT_UNTRUSTED',
    });
  });

  it('trust files are checked; canonical JSON sorts members', () => {
    expect(() =>
      parseTrustFile({ type: 'UntpCreditsTrust', version: 1, issuers: [{ did: 'did:web:x.example' }] }),
    ).toThrow(/pins nothing/);
    expect(() =>
      parseTrustFile({ type: 'UntpCreditsTrust', version: 1, issuers: [{ did: 'nope', keys: [] }] }),
    ).toThrow(/must be a DID/);
    expect(() => parseTrustFile({ type: 'Other' })).toThrow(/UntpCreditsTrust/);
    expect(canonicalJson({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(didDocumentDigest({ id: 'did:web:a', x: 1 })).toBe(didDocumentDigest({ x: 1, id: 'did:web:a' }));
  });
});
