import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { seededServer } from '../impact/support.js';
import type { TestServer } from '../server/helpers.js';

/** Debian's Chromium (`.ci/run` installs it). */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots land here. */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
export const chromiumAvailable = existsSync(CHROMIUM);

/** Under CI a missing Chromium fails the suite, naming it, instead of skipping it silently. */
export function failWithoutChromiumUnderCi(suite: string, hint = ''): void {
  if (chromiumAvailable || process.env.CI !== 'true') return;
  describe(suite, () => {
    it(`needs Chromium at ${CHROMIUM} under CI=true${hint}`, () => {
      throw new Error(`${CHROMIUM} is missing: the browser test could not run`);
    });
  });
}

/** Headless Chromium with the flags this machine's closed network needs (no background connections). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects script errors and console errors (CSP violations surface as console errors) of a page. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** How far the page is wider than its viewport (0: no horizontal overflow), and the widest elements. */
export async function horizontalOverflow(page: Page): Promise<{ by: number; scrollWidth: number; wide: string[] }> {
  return page.evaluate(() => {
    const w = globalThis as any; // runs in the page: DOM types are not in this project's lib
    const doc = w.document;
    const wide = [...doc.querySelectorAll('main *')]
      .filter((e: any) => e.getBoundingClientRect().right > w.innerWidth + 1)
      .map((e: any) => `${e.tagName}.${e.className}`);
    return {
      by: doc.documentElement.scrollWidth - w.innerWidth,
      scrollWidth: doc.documentElement.scrollWidth,
      wide: wide.slice(0, 5),
    };
  });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  targets: string[];
}

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, so the page's CSP stays as
 * served) and prints one line per violation; returns them all.
 */
export async function runAxe(page: Page, label: string): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async () => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n: any) => String(n.target)),
    }));
  })) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').length;
  console.log(
    `axe-core ${label}: ${violations.length} violation(s), ${serious} serious or critical` +
      violations.map((v) => `\n  ${v.impact} ${v.id} (${v.nodes}×): ${v.help} ${v.targets.join(' ')}`).join(''),
  );
  return violations;
}

/** The violations a page must not have: serious or critical. */
export const seriousOf = (violations: AxeViolation[]): AxeViolation[] =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/** A new page at `url` with its script and console errors collected. */
export async function openPage(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors = pageErrors(page);
  await page.goto(url);
  return { page, errors };
}

/** What a browser suite's tests use: the seeded server, one Chromium, and pages opened on the server. */
export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A new page at `path` on the server, its script and console errors collected. */
  open(path: string, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
}

/**
 * A browser suite on the demo server seeded with the cobalt story and its premium allocation
 * (test/impact/support.ts `seededServer`): under CI a missing Chromium fails it, naming it;
 * elsewhere it is skipped and its title says so. The server and Chromium start once before the
 * tests (screenshots go to ARTIFACTS) and are closed after them.
 */
export function seededBrowserSuite(title: string, tests: (suite: BrowserSuite) => void): void {
  failWithoutChromiumUnderCi(title);
  describe.skipIf(!chromiumAvailable)(
    `${title}${chromiumAvailable ? '' : ` (SKIPPED: ${CHROMIUM} not installed)`}`,
    () => {
      let server: TestServer | undefined;
      let browser: Browser | undefined;
      const started = <T>(value: T | undefined, what: string): T => {
        if (value === undefined) throw new Error(`${what} did not start`);
        return value;
      };
      beforeAll(async () => {
        mkdirSync(ARTIFACTS, { recursive: true });
        server = await seededServer(true);
        browser = await launchChromium();
      }, 60_000);
      afterAll(async () => {
        await browser?.close();
        await server?.stop();
      });
      tests({
        get server() {
          return started(server, 'the seeded server');
        },
        get browser() {
          return started(browser, 'Chromium');
        },
        open: (path, viewport) =>
          openPage(started(browser, 'Chromium'), `${started(server, 'the seeded server').publicUrl}${path}`, viewport),
      });
    },
  );
}
