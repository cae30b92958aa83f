import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { describe, it } from 'vitest';

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
