import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { jwkThumbprint, publicJwkOfMethod } from '../../src/keys/jwk.js';
import type { VerificationMethod } from '../../src/keys/types.js';
import { trustFileFor } from '../../src/trust/trust-file.js';
import { ARTIFACTS, runAxe, seededBrowserSuite, seriousOf } from './support.js';

// The offline verifier (src/server/offline): served by `serve` at /offline/, built into
// dist/offline-verifier/ by `npm run build`. In Chromium: the first visit installs it; then, with
// the network off, the reloaded page verifies the seeded retirement's bundle against an imported
// trust file, fails a tampered copy, and fails the bundle when nothing is trusted.

const BUILT = existsSync(new URL('../../dist/offline-verifier/app.js', import.meta.url));

seededBrowserSuite('the offline verifier', (suite) => {
  it('installs, then verifies a bundle with the network off; a tampered bundle and an untrusted one fail', async () => {
    if (!BUILT) throw new Error('dist/offline-verifier is missing: run `npm run build` first (npm test does)');
    const { server } = suite;
    const bundle = await (await server.get('/registry/retirements/RET-2026-0007/bundle')).text();
    expect(JSON.parse(bundle).type).toBe('UntpCreditsVerificationBundle');
    const didDocument = (await (await server.get('/.well-known/did.json')).json()) as {
      id: string;
      verificationMethod: VerificationMethod[];
    };
    const trustFile = JSON.stringify(
      trustFileFor([
        {
          did: didDocument.id,
          keys: await Promise.all(didDocument.verificationMethod.map((m) => jwkThumbprint(publicJwkOfMethod(m)))),
        },
      ]),
    );
    // One character of the retirement's signed payload changed.
    const parsed = JSON.parse(bundle) as { retirement: string };
    const [header, payload, signature] = parsed.retirement.split('.') as [string, string, string];
    const at = Math.floor(payload.length / 2);
    const flipped = `${payload.slice(0, at)}${payload[at] === 'A' ? 'B' : 'A'}${payload.slice(at + 1)}`;
    const tampered = JSON.stringify({ ...parsed, retirement: `${header}.${flipped}.${signature}` });

    const { page, errors } = await suite.open('/offline/', { width: 390, height: 844 });
    await page.waitForFunction(
      () => (globalThis as any).document.documentElement.dataset.offlineReady === 'true',
      null,
      {
        timeout: 60_000,
      },
    );
    await page.context().setOffline(true);
    await page.reload();
    expect(await page.locator('h1').textContent()).toBe('Verify offline');

    const verdictOf = async (text: string) => {
      await page.evaluate(() => ((globalThis as any).document.getElementById('result').innerHTML = ''));
      await page.locator('#input').fill(text);
      await page.locator('#verify-button').click();
      await page.locator('#verdict').waitFor();
      const outcome = await page.locator('#verdict').getAttribute('data-outcome');
      const html = await page.locator('#result').innerHTML();
      return { outcome, html };
    };

    // Nothing trusted yet: the bundle's own keys prove nothing.
    const untrusted = await verdictOf(bundle);
    expect(untrusted.outcome).toBe('failed');
    expect(untrusted.html).toMatch(/TRUST_NOT_PINNED/);

    await page.locator('#trust-files').setInputFiles({
      name: 'trust.json',
      mimeType: 'application/json',
      buffer: Buffer.from(trustFile),
    });
    await page.locator('#trust-list li', { hasText: 'trust file pinning' }).waitFor();
    expect(await page.locator('#trust-list').textContent()).toContain(`trust file pinning ${didDocument.id}`);
    const verified = await verdictOf(bundle);
    expect(verified.outcome, verified.html).not.toBe('failed');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/offline-verifier-390.png`, fullPage: true });
    expect(seriousOf(await runAxe(page, 'offline verifier'))).toEqual([]);

    const broken = await verdictOf(tampered);
    expect(broken.outcome).toBe('failed');

    // The same file chosen with the file input (a phone has no paste of a file).
    await page
      .locator('#file')
      .setInputFiles({ name: 'bundle.json', mimeType: 'application/json', buffer: Buffer.from(bundle) });
    await page.locator('#verdict').waitFor();
    expect(await page.locator('#verdict').getAttribute('data-outcome')).not.toBe('failed');
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  }, 180_000);
});
