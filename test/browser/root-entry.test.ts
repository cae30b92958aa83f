import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestMultibase } from '../../src/lib/digest.js';
import { chromiumAvailable, failWithoutChromiumUnderCi, launchChromium, pageErrors } from './support.js';

// The root entry is what a passport platform bundles for a browser (docs/api.md): this bundles the
// built package (dist/index.js, with package.json `browser` mapping the bundled-file reader to its
// inlined twin) for the browser platform, fails on any Node built-in it still needs, and runs it in
// Chromium with the network off: validate and verify a signed example, and fail a tampered one.

const ROOT = new URL('../../', import.meta.url);
const BUILT =
  existsSync(new URL('dist/index.js', ROOT)) && existsSync(new URL('dist/artefacts/files.browser.js', ROOT));
const example = (path: string) => readFileSync(new URL(`examples/${path}`, ROOT), 'utf8');

failWithoutChromiumUnderCi('the root entry in a browser');

describe.skipIf(!chromiumAvailable)('the root entry in a browser', () => {
  let bundle = '';
  const warnings: string[] = [];
  let server: Server;
  let origin = '';
  let browser: Browser;

  beforeAll(async () => {
    if (!BUILT) throw new Error('dist/ is missing or stale: run `npm run build` first (npm test does)');
    const output = await build({
      input: new URL('dist/index.js', ROOT).pathname,
      platform: 'browser',
      write: false,
      output: { format: 'iife', name: 'untpCredits' },
      onLog: (level, log) => {
        if (level === 'warn') warnings.push(`${log.code}: ${log.message}`);
      },
    });
    bundle = output.output[0].code;
    server = createServer((req, res) => {
      if (req.url === '/untp-credits.js')
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
      else
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!doctype html><title>verifier</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://localhost:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('bundles for the browser with no Node built-in left unresolved', () => {
    expect(warnings.filter((w) => /UNRESOLVED_IMPORT|node:/.test(w))).toEqual([]);
    expect(bundle).not.toMatch(/\brequire\(["']node:/);
    expect(bundle.length).toBeGreaterThan(100_000);
  });

  it('validates and verifies a signed example in Chromium with the network off; a tampered one fails its signature', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${origin}/`);
    await page.addScriptTag({ url: `${origin}/untp-credits.js` });
    await context.setOffline(true);
    const signed = example('cobalt/retirement.signed.json');
    const didDocument = example('keys/registry.mineral-credits.example.did.json');
    const result = await page.evaluate(
      async ({ signed, didDocument }) => {
        const untp = (globalThis as any).untpCredits; // the bundle's global (iife)
        const credential = JSON.parse(signed);
        const didDocuments = [JSON.parse(didDocument)];
        const report = await untp.verify(credential, { didDocuments });
        const id: string = credential.id;
        const last = id.at(-2) === 'A' ? 'B' : 'A';
        const tampered = { ...credential, id: `${id.slice(0, -2)}${last}${id.at(-1)}` };
        const broken = await untp.verify(tampered, { didDocuments });
        return {
          nodeGlobals: typeof (globalThis as any).Buffer + '/' + typeof (globalThis as any).process,
          verified: report.verified,
          failed: report.steps.filter((s: any) => !s.ok).map((s: any) => `${s.name}: ${s.code} ${s.message}`),
          steps: report.steps.map((s: any) => s.name),
          brokenVerified: broken.verified,
          brokenStep: broken.steps.find((s: any) => !s.ok)?.name,
          digest: untp.digestMultibase('abc'),
        };
      },
      { signed, didDocument },
    );
    await context.close();
    expect(result.nodeGlobals).toBe('undefined/undefined');
    expect(result.failed).toEqual([]);
    expect(result.verified).toBe(true);
    expect(result.steps).toEqual(expect.arrayContaining(['signature', 'validation']));
    expect(result.brokenVerified).toBe(false);
    expect(result.brokenStep).toBe('signature');
    // The same digestMultibase as in Node (sha2-256 multihash, base58btc).
    expect(result.digest).toBe(digestMultibase('abc'));
    expect(errors).toEqual([]);
  }, 120_000);
});
