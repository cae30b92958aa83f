import { expect, it } from 'vitest';
import { ARTIFACTS, horizontalOverflow, seededBrowserSuite } from './support.js';

seededBrowserSuite('browser: registry overview and where the premium went', (suite) => {
  const open = (path: string, viewport: { width: number; height: number }) => suite.open(path, viewport);

  it('the registry overview: figures from the ledger, SVG charts, no script errors; on a phone nothing overflows; prints', async () => {
    const { page, errors } = await open('/overview', { width: 1100, height: 900 });
    expect(await page.title()).toContain('Registry overview');
    expect(await page.locator('[data-kpi="issued"] b').innerText()).toBe('120');
    expect(await page.locator('[data-kpi="held"] b').innerText()).toBe('95');
    expect(await page.locator('[data-kpi="retired"] b').innerText()).toBe('25');
    expect(await page.locator('[data-kpi="premium-USD"]').innerText()).toContain('37,500 USD');
    expect(await page.locator('svg[data-chart="credits"] rect').count()).toBeGreaterThanOrEqual(2);
    const bars = await page
      .locator('svg[data-chart="premium"] [data-bar]')
      .evaluateAll((gs) =>
        gs.map((g) => [g.getAttribute('data-bar'), g.querySelector('text:last-of-type')?.textContent]),
      );
    expect(bars).toEqual([
      ['Received', '37,500 USD'],
      ['Allocated', '34,500 USD'],
      ['Health & safety', '15,000 USD'],
      ['Child rights', '9,000 USD'],
      ['Cooperative governance', '6,000 USD'],
      ['Environment', '4,500 USD'],
    ]);
    // The bar lengths are proportional to the amounts.
    const widths = await page
      .locator('svg[data-chart="premium"] rect')
      .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
    expect(widths[2]! / widths[0]!).toBeCloseTo(15000 / 37500, 3);
    expect(await page.locator('[data-table="sites"] a').innerText()).toContain('Kasulo-Mutoshi');
    await page.screenshot({ path: `${ARTIFACTS}overview.png`, fullPage: true });

    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: `${ARTIFACTS}overview-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    await page.locator('[data-table="sites"] a').click();
    await page.waitForURL(/\/overview\/sites\/CD-LU-ZEA-1532$/);
    expect(await page.locator('h1').innerText()).toContain('Kasulo-Mutoshi');
    expect(await page.locator('[data-kpi="retired"] b').innerText()).toBe('25');
    expect(errors).toEqual([]);

    const phone = await open('/overview/sites/CD-LU-ZEA-1532', { width: 390, height: 844 });
    const overflow = await horizontalOverflow(phone.page);
    expect(overflow.by, JSON.stringify(overflow.wide)).toBeLessThanOrEqual(0);
    await phone.page.screenshot({ path: `${ARTIFACTS}overview-site-phone.png`, fullPage: true });
    expect(phone.errors).toEqual([]);
  });

  it('the statement links "where the premium went" to the committee\'s allocation, which verifies', async () => {
    const { page, errors } = await open('/registry/retirements/RET-2026-0007', { width: 1100, height: 900 });
    const section = page.locator('[data-field="premium-allocation"]');
    expect(await section.innerText()).toContain('Where the premium went');
    await page.locator('h2', { hasText: 'Premium' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}statement-premium.png` });
    await section.locator('a').click();
    await page.waitForURL(/\/overview\/retirements\/RET-2026-0007$/);
    const text = await page.locator('main').innerText();
    expect(text).toContain('37,500 USD');
    expect(text).toContain('Forced ventilation for shafts 3 and 4');
    expect(text).toContain('not yet allocated: 3,000 USD');
    await page.screenshot({ path: `${ARTIFACTS}statement-premium-went.png`, fullPage: true });
    await page.locator('[data-verify]').click();
    await page.waitForURL(/\/verify\?url=/);
    const verdict = page.locator('#verdict');
    await verdict.waitFor({ timeout: 20_000 });
    const steps = await page
      .locator('#steps li')
      .evaluateAll((items) => items.map((li) => [li.getAttribute('data-step'), li.className, li.textContent]));
    expect(await verdict.innerText(), JSON.stringify(steps)).toContain('Verified');
    expect(errors).toEqual([]);
  });
});
