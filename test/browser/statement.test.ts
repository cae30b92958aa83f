import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { runCobaltStory, startLedgerServer, type TestServer } from '../server/helpers.js';
import {
  ARTIFACTS,
  CHROMIUM,
  chromiumAvailable as available,
  failWithoutChromiumUnderCi,
  launchChromium,
  pageErrors,
} from './support.js';

failWithoutChromiumUnderCi('browser: retirement statement and web verifier', ' (.ci/run installs it)');

// Locally without Chromium the suite says plainly that it did not run.
describe.skipIf(!available)(
  `browser: retirement statement and web verifier${available ? '' : ` (SKIPPED: ${CHROMIUM} not installed, the browser test could not run)`}`,
  () => {
    let server: TestServer;
    let browser: Browser;

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      server = await startLedgerServer({ demo: true });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('issues and retires through the API, opens the statement, follows verify: verified', async () => {
      await runCobaltStory(server);
      const statementUrl = `${server.publicUrl}/registry/retirements/RET-2026-0007`;
      expect(statementUrl).toMatch(/^http:\/\/localhost:\d+\//);

      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors = pageErrors(page);
      await page.goto(statementUrl);
      await expect.poll(() => page.title()).toContain('Retirement statement RET-2026-0007');
      const text = await page.locator('main').innerText();
      expect(text).toContain('DEMO');
      expect(text).toContain('Elbe Cell Works GmbH (fictional)');
      expect(text).toContain('25 credits');
      expect(text).toContain('RCC-CD-LU-1532-2026Q1 1–25');
      expect(text).toContain('Kasulo-Mutoshi');
      expect(text).toContain('ASM Cobalt Responsible Production Standard');
      expect(text).toContain('premium of 37,500 USD (1,500 USD per credit)');
      expect(text).toContain('25 tonnes of responsibly produced cobalt');
      expect(await page.locator('[data-field="claim"]').innerText()).toContain(
        'not a claim that any physical product contains this material',
      );
      expect(await page.locator('.qr svg').count()).toBe(1);
      await page.screenshot({ path: `${ARTIFACTS}statement.png`, fullPage: true });
      await page.evaluate(() => {
        (globalThis as any).print = () => {
          (globalThis as any).printed = true;
        };
      });
      await page.locator('[data-print]').click();
      expect(await page.evaluate(() => (globalThis as any).printed)).toBe(true);

      await page.locator('#verify').click();
      await page.waitForURL(/\/verify\?url=/);
      const verdict = page.locator('#verdict');
      await verdict.waitFor({ timeout: 20_000 });
      expect(await verdict.innerText()).toContain('Verified');
      const steps = await page
        .locator('#steps li')
        .evaluateAll((items) => items.map((li) => [li.getAttribute('data-step'), li.className]));
      expect(steps.map(([name]) => name)).toEqual([
        'decode',
        'header',
        'key',
        'signature',
        'validation',
        'validity',
        'status',
      ]);
      expect(steps.every(([, cls]) => cls === 'ok')).toBe(true);
      expect(await page.locator('[data-attested] [data-field="issuer"]').innerText()).toContain(server.identity.did);
      expect(await page.locator('#credits').innerText()).toContain('RET-2026-0007');
      expect(await page.locator('#claim-boundary').innerText()).toContain('Elbe Cell Works GmbH (fictional) may claim');
      await page.screenshot({ path: `${ARTIFACTS}verifier.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });

    it('the verifier refuses a tampered credential pasted in, verifies a dropped file, opens only its own URLs', async () => {
      const record = (await (await server.get('/registry/retirements/RET-2026-0007/credential')).json()) as {
        id: string;
      };
      const jws = record.id.slice('data:application/vc+jwt,'.length);
      const [head, payload, signature] = jws.split('.') as [string, string, string];
      const forged = Buffer.from(
        Buffer.from(payload, 'base64url').toString().replace('Elbe Cell Works', 'Forged Buyer'),
      ).toString('base64url');
      const page = await browser.newPage();
      await page.goto(`${server.publicUrl}/verify`);
      await page.locator('#input').fill(`${head}.${forged}.${signature}`);
      await page.locator('#verify-button').click();
      const verdict = page.locator('#verdict');
      await verdict.waitFor();
      expect(await verdict.innerText()).toContain('Not verified');
      expect(await page.locator('#steps li.bad').getAttribute('data-step')).toBe('signature');
      // A dropped file is read and verified.
      await page.goto(`${server.publicUrl}/verify`);
      const dataTransfer = await page.evaluateHandle((text) => {
        const w = globalThis as any; // runs in the page: DOM types are not in this project's lib
        const dt = new w.DataTransfer();
        dt.items.add(new w.File([text], 'retirement.json', { type: 'application/json' }));
        return dt;
      }, JSON.stringify(record));
      await page.dispatchEvent('#drop', 'drop', { dataTransfer });
      await page.locator('#verdict').waitFor();
      expect(await page.locator('#verdict').innerText()).toContain('Verified');
      // Only this registry's own URLs may be opened with ?url=.
      await page.goto(`${server.publicUrl}/verify?url=${encodeURIComponent('https://elsewhere.example/x')}`);
      await page.locator('#verdict').waitFor();
      expect(await page.locator('#verdict').innerText()).toContain('Only this registry');
      // Origins are compared parsed: the public URL followed by //another-host is not under it.
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(
        `${server.publicUrl}/verify?url=${encodeURIComponent(`${server.publicUrl}//127.0.0.1:${server.port}/x`)}`,
      );
      await page.locator('#verdict').waitFor();
      expect(await page.locator('#verdict').innerText()).toContain('Only this registry');
      expect(requests.filter((u) => u.includes('/x'))).toEqual([]);
      await page.close();
    });
  },
);
