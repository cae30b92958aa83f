import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cobaltRetirement, REGISTRY_DID } from '../../examples/cases.js';
import { runDiscloseCheck, runDiscloseCommit, runDiscloseRelease } from '../../src/cli/disclose.js';
import { buildRetirementCredential } from '../../src/credits/build.js';
import { jwsOf } from '../../src/lib/digest.js';
import { verifyDisclosureRelease } from '../../src/disclosure/release.js';
import { issue } from '../../src/issue.js';
import { createDidDocument, keyMethodIds } from '../../src/keys/did-document.js';
import { publicJwkOf } from '../../src/keys/jwk.js';
import { createDidResolver } from '../../src/keys/resolver.js';
import { signerFromKeyFile } from '../../src/keys/key-file.js';
import type { PrivateJwk } from '../../src/keys/types.js';

describe('untp-credits disclose commit | release | check', () => {
  it('commits, refuses an early release, releases after the date, and checks the disclosure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disclose-'));
    const run = () => {
      const out: string[] = [];
      const err: string[] = [];
      return { out, err, o: (l: string) => out.push(l), e: (l: string) => err.push(l) };
    };
    const beneficiaryFile = join(dir, 'beneficiary.json');
    writeFileSync(
      beneficiaryFile,
      JSON.stringify({
        id: 'did:web:nordlicht-automotive.example',
        name: 'Nordlicht Automotive AG (fictional)',
        jurisdiction: 'DE',
        onBehalfOf: true,
      }),
    );
    const c = run();
    expect(runDiscloseCommit(beneficiaryFile, { date: '2027-03-31' }, c.o, c.e)).toBe(0);
    const { withheldBeneficiary, disclosure } = JSON.parse(c.out.join('\n')) as {
      withheldBeneficiary: never;
      disclosure: string;
    };

    // The registry's key file (the fictional example key, with its kid).
    const privateJwk = JSON.parse(
      readFileSync(
        new URL('../../examples/keys/registry.mineral-credits.example.private.jwk.json', import.meta.url),
        'utf8',
      ),
    ) as PrivateJwk;
    const ids = await keyMethodIds(REGISTRY_DID, publicJwkOf(privateJwk));
    const keyFile = join(dir, 'registry.private.jwk.json');
    writeFileSync(keyFile, JSON.stringify({ ...privateJwk, kid: ids.jose }), { mode: 0o600 });
    const issuanceJws = jwsOf(
      readFileSync(new URL('../../examples/cobalt/issuance.signed.json', import.meta.url), 'utf8'),
    );
    const vc = buildRetirementCredential({
      ...cobaltRetirement(issuanceJws),
      beneficiary: undefined,
      withheldBeneficiary,
    });
    const credentialFile = join(dir, 'retirement.signed.json');
    writeFileSync(
      credentialFile,
      JSON.stringify(await issue(vc, { format: 'jose', signer: signerFromKeyFile(keyFile, 'jose') })),
    );

    const early = run();
    expect(
      await runDiscloseRelease(
        credentialFile,
        { disclosure, key: keyFile, now: '2026-12-01T00:00:00Z' },
        early.o,
        early.e,
      ),
    ).toBe(1);
    expect(early.err.join()).toContain('DISCLOSURE_NOT_DUE');

    const released = run();
    expect(
      await runDiscloseRelease(
        credentialFile,
        { disclosure, key: keyFile, now: '2027-04-01T00:00:00Z' },
        released.o,
        released.e,
      ),
    ).toBe(0);
    const context = {
      credential: vc,
      credentialJws: jwsOf(readFileSync(credentialFile, 'utf8')),
      resolver: createDidResolver({ documents: [await createDidDocument(REGISTRY_DID, [publicJwkOf(privateJwk)])] }),
    };
    await expect(verifyDisclosureRelease(released.out[0], context)).resolves.toMatchObject({
      value: { name: 'Nordlicht Automotive AG (fictional)' },
    });

    const checked = run();
    expect(runDiscloseCheck(credentialFile, { disclosure }, checked.o, checked.e)).toBe(0);
    expect(checked.out.join('\n')).toContain('Nordlicht Automotive AG (fictional)');
    const wrong = run();
    const tampered = Buffer.from(JSON.stringify(['AAAAAAAAAAAAAAAAAAAAAA', 'beneficiary', { name: 'x' }])).toString(
      'base64url',
    );
    expect(runDiscloseCheck(credentialFile, { disclosure: tampered }, wrong.o, wrong.e)).toBe(1);
    expect(wrong.err.join()).toContain('DISCLOSURE_MISMATCH');
  });
});
