import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ARTIFACTS, horizontalOverflow, runAxe, seededBrowserSuite, seriousOf } from './support.js';

const PHONE = { width: 390, height: 844 };
const STATEMENT = '/registry/retirements/RET-2026-0007';
/** poppler-utils reads a printed page back (the print test is skipped without it). */
const PDFTOTEXT = '/usr/bin/pdftotext';

seededBrowserSuite('browser: pages on a phone, in print, for screen readers', (suite) => {
  const open = (path: string, viewport = PHONE) => suite.open(path, viewport);

  /** The retirement's signed credential with one character of its signature changed. */
  async function tamperedJws(): Promise<string> {
    const credential = (await (await suite.server.get(`${STATEMENT}/credential`)).json()) as { id: string };
    const [head, payload, signature] = credential.id.slice('data:application/vc+jwt,'.length).split('.') as [
      string,
      string,
      string,
    ];
    const i = 20;
    return `${head}.${payload}.${signature.slice(0, i)}${signature[i] === 'A' ? 'B' : 'A'}${signature.slice(i + 1)}`;
  }

  it('the statement at 390 and 320 px: no horizontal overflow, the credits table in stacked rows, serials whole', async () => {
    for (const width of [390, 320]) {
      const { page, errors } = await open(STATEMENT, { width, height: 844 });
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, JSON.stringify(overflow.wide)).toBe(width);
      // Stacked rows: each cell a labelled line of its own.
      const cell = page.locator('[data-table="retired"] td[data-label="Serials"]').first();
      expect(await cell.evaluate((td) => (globalThis as any).getComputedStyle(td).display)).toBe('grid');
      // No serial breaks inside: the prefix and the range each lay out on one line.
      const lines = await page
        .locator('code.serial span')
        .evaluateAll((spans) => spans.map((s) => [s.textContent, s.getClientRects().length]));
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const [text, rects] of lines) expect(rects, String(text)).toBe(1);
      expect(await page.locator('[data-table="retired"]').innerText()).toContain('RCC-CD-LU-1532-2026Q1');
      // An id breaks after a slash, not inside the number that ends it (the product's GTIN).
      const gtin = (
        await page.locator('td[data-label="Id"] code.id').evaluate((code) => {
          const d = (globalThis as any).document;
          const text = [...code.childNodes].filter((n: any) => n.nodeType === 3);
          return text.map((n: any) => {
            const range = d.createRange();
            range.selectNodeContents(n);
            return [n.textContent, range.getClientRects().length];
          });
        })
      ).at(-1) as [string, number];
      expect(gtin[0]).toBe('09506000134352');
      expect(gtin[1], 'the GTIN lays out on one line').toBe(1);
      await page.screenshot({ path: `${ARTIFACTS}statement-${width}.png`, fullPage: true });
      await page.locator('[data-table="retired"]').screenshot({ path: `${ARTIFACTS}statement-${width}-credits.png` });
      if (width === 390) {
        // Control: the same id without its break points splits the GTIN at this width.
        const whole = await page.locator('td[data-label="Id"] code.id').evaluate((code) => {
          code.textContent = code.textContent ?? '';
          const range = (globalThis as any).document.createRange();
          const node = code.firstChild as any;
          const at = String(node.textContent).indexOf('09506000134352');
          range.setStart(node, at);
          range.setEnd(node, at + 14);
          return range.getClientRects().length as number;
        });
        expect(whole, 'control: without break points the GTIN splits').toBeGreaterThan(1);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('the statement in print: headings keep with what follows, rows and the claim are not split', async () => {
    const { page } = await open(STATEMENT, { width: 1100, height: 900 });
    await page.emulateMedia({ media: 'print' });
    const styles = await page.evaluate(() => {
      const w = globalThis as any;
      const h2 = [...w.document.querySelectorAll('h2')].find((h: any) => h.textContent === 'Credits retired');
      const row = w.document.querySelector('[data-table="retired"] tbody tr');
      const claim = w.document.querySelector('[data-field="claim"]');
      return {
        heading: w.getComputedStyle(h2).breakAfter,
        row: w.getComputedStyle(row).breakInside,
        claim: w.getComputedStyle(claim).breakInside,
        nav: w.getComputedStyle(w.document.querySelector('header.site nav')).display,
      };
    });
    expect(styles).toEqual({ heading: 'avoid', row: 'avoid', claim: 'avoid', nav: 'none' });
    await page.pdf({ path: `${ARTIFACTS}statement.pdf`, format: 'A4', printBackground: true });
    await page.close();
  });

  it.skipIf(!existsSync(PDFTOTEXT))(
    'in print the "Credits retired" heading never strands at the foot of page 1 (positive control without the rule)',
    async () => {
      // Lay the page out at A4 width, push the heading down until it just fits at the foot of page 1,
      // print, and read page 1's text. Without the break rules (the control) the heading strands there.
      const page = await suite.browser.newPage({ viewport: { width: 794, height: 1123 } });
      await page.goto(`${suite.server.publicUrl}${STATEMENT}`);
      await page.emulateMedia({ media: 'print' });
      const pageOne = async (file: string, rules: boolean): Promise<string> => {
        await page.evaluate(
          ({ rules }) => {
            const d = (globalThis as any).document;
            d.getElementById('spacer')?.remove();
            d.getElementById('control')?.remove();
            if (!rules) {
              const style = d.createElement('style');
              style.id = 'control';
              style.textContent = 'h2, tr { break-after: auto !important; break-inside: auto !important; }';
              d.head.append(style);
            }
            const h2 = [...d.querySelectorAll('h2')].find((h: any) => h.textContent === 'Credits retired');
            const bottom = h2.getBoundingClientRect().bottom + (globalThis as any).scrollY;
            const spacer = d.createElement('div');
            spacer.id = 'spacer';
            // The heading's foot 24 px above the page's (an A4 page is 1123 px at 96 dpi).
            spacer.style.height = `${Math.max(0, 1123 - 24 - bottom)}px`;
            h2.before(spacer);
          },
          { rules },
        );
        await page.pdf({ path: file, format: 'A4', margin: { top: 0, bottom: 0, left: 0, right: 0 } });
        return execFileSync(PDFTOTEXT, ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
      };
      const control = await pageOne(`${ARTIFACTS}statement-print-control.pdf`, false);
      expect(control.trim().split('\n').at(-1), 'control: the heading strands without the rules').toBe(
        'Credits retired',
      );
      const printed = await pageOne(`${ARTIFACTS}statement-print-foot.pdf`, true);
      expect(printed).not.toContain('Credits retired');
      await page.close();
    },
  );

  it('the verifier at 390 px: a real file input and a visible label for every control; a chosen file verifies', async () => {
    const { page, errors } = await open('/verify');
    for (const id of ['file', 'input']) {
      const label = page.locator(`label[for="${id}"]`);
      expect(await label.count(), id).toBe(1);
      expect(await label.isVisible(), id).toBe(true);
      expect((await label.innerText()).trim().length, id).toBeGreaterThan(5);
    }
    expect(await page.locator('input[type="file"]#file').isVisible()).toBe(true);
    const record = await (await suite.server.get(STATEMENT)).text();
    await page
      .locator('#file')
      .setInputFiles({ name: 'retirement.json', mimeType: 'application/json', buffer: Buffer.from(record) });
    await page.locator('#verdict').waitFor({ timeout: 20_000 });
    expect(await page.locator('#verdict').innerText()).toContain('Verified');
    expect(await page.locator('#verdict').getAttribute('data-outcome')).toBe('verified');
    expect(await page.locator('[data-attested] [data-field="issuer"]').innerText()).toContain(
      suite.server.identity.did,
    );
    expect(await page.locator('#claim-boundary').innerText()).toContain('may claim');
    expect(await page.locator('[data-unverified]').count()).toBe(0);
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth, JSON.stringify(overflow.wide)).toBe(PHONE.width);
    await page.screenshot({ path: `${ARTIFACTS}verifier-390.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('one changed signature character: not verified, and no claim detail outside the "unverified content" box', async () => {
    const { page, errors } = await open('/verify');
    await page.locator('#input').fill(await tamperedJws());
    await page.locator('#verify-button').click();
    await page.locator('#verdict').waitFor({ timeout: 20_000 });
    expect(await page.locator('#verdict').getAttribute('data-outcome')).toBe('failed');
    expect(await page.locator('#verdict').innerText()).toContain('Not verified');
    expect(await page.locator('#steps li.bad').getAttribute('data-step')).toBe('signature');
    await page.locator('#unverified summary').click();
    const facts = [
      'Elbe Cell Works',
      'RCC-CD-LU-1532-2026Q1',
      'RET-2026-0007',
      suite.server.identity.did,
      'may claim',
      'Kasulo-Mutoshi',
    ];
    const text = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      const outside = doc.querySelector('main').cloneNode(true);
      outside.querySelector('#unverified')?.remove();
      outside.querySelector('#input')?.remove(); // the pasted text itself
      return { outside: outside.textContent, inside: doc.querySelector('#unverified')?.textContent ?? '' };
    });
    for (const fact of facts) {
      expect(text.inside, `${fact} is in the box (positive control)`).toContain(fact);
      expect(text.outside, `${fact} outside the unverified box`).not.toContain(fact);
    }
    expect(text.inside).toContain('Unverified content');
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth, JSON.stringify(overflow.wide)).toBe(PHONE.width);
    await page.screenshot({ path: `${ARTIFACTS}verifier-failed-390.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the verifier works without script: the form posts and the page answers the verdict', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${suite.server.publicUrl}/verify`);
    await page.locator('#input').fill(await tamperedJws());
    await page.locator('#verify-button').click();
    await page.waitForURL(/\/verify$/);
    expect(await page.locator('#verdict').getAttribute('data-outcome')).toBe('failed');
    expect(await page.locator('#unverified').count()).toBe(1);
    await context.close();
  });

  it('the overview at 390 px: no horizontal overflow', async () => {
    const { page, errors } = await open('/overview');
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth, JSON.stringify(overflow.wide)).toBe(PHONE.width);
    await page.screenshot({ path: `${ARTIFACTS}overview-390.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a mistyped retirement URL: a 404 page for a browser, problem+json for programs', async () => {
    const { page, errors } = await open('/registry/retirements/RET-2026-0070');
    const response = await page.reload();
    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    // The page's title is the problem's own (the error catalogue's title for the code).
    const problem = (await (await suite.server.get('/registry/retirements/RET-2026-0070')).json()) as { title: string };
    expect(problem.title.length).toBeGreaterThan(3);
    expect(await page.locator('h1').innerText()).toBe(problem.title);
    expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('RETIREMENT_NOT_FOUND');
    expect(await page.locator('main').innerText()).toContain('retirement RET-2026-0070');
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth).toBe(PHONE.width);
    await page.screenshot({ path: `${ARTIFACTS}not-found-390.png`, fullPage: true });
    // The browser logs the 404 of the document itself; nothing else may fail.
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    await page.close();
    for (const accept of ['application/json', '*/*', undefined]) {
      const api = await suite.server.get('/registry/retirements/RET-2026-0070', accept ? { accept } : {});
      expect(api.status).toBe(404);
      expect(api.headers.get('content-type'), String(accept)).toMatch(/^application\/problem\+json/);
      expect(((await api.json()) as { code: string }).code).toBe('RETIREMENT_NOT_FOUND');
    }
  });

  it('axe-core: no serious or critical violation on the home, statement, verifier, overview and 404 pages', async () => {
    const results: Array<[string, number]> = [];
    const check = async (label: string, page: Page) => {
      const violations = await runAxe(page, label);
      results.push([label, violations.length]);
      expect(seriousOf(violations), label).toEqual([]);
    };
    for (const [label, path] of [
      ['home', '/'],
      ['statement', STATEMENT],
      ['verifier', '/verify'],
      ['overview', '/overview'],
      ['site overview', '/overview/sites/CD-LU-ZEA-1532'],
      ['where the premium went', '/overview/retirements/RET-2026-0007'],
      ['404', '/registry/retirements/RET-2026-0070'],
    ] as const) {
      const { page } = await open(path);
      await check(label, page);
      await page.close();
    }
    // The verifier with a verdict on it: verified, and failed (the unverified box opened).
    const { page } = await open(
      `/verify?url=${encodeURIComponent(`${suite.server.publicUrl}${STATEMENT}/credential`)}`,
    );
    await page.locator('#verdict').waitFor({ timeout: 20_000 });
    await check('verifier, verified', page);
    await page.locator('#input').fill(await tamperedJws());
    await page.locator('#verify-button').click();
    await page.locator('#verdict[data-outcome="failed"]').waitFor({ timeout: 20_000 });
    await page.locator('#unverified summary').click();
    await check('verifier, not verified', page);
    // Positive control: an unlabelled control added to the page is caught as a critical violation.
    await page.evaluate(() => {
      const input = (globalThis as any).document.createElement('input');
      (globalThis as any).document.querySelector('main').append(input);
    });
    expect(seriousOf(await runAxe(page, 'control: an unlabelled input')).map((v) => v.id)).toContain('label');
    await page.close();
    expect(results.length).toBe(9);
  });
});
