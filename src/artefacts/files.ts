import { packageFs, requireNodeBuiltin } from '../lib/platform.js';

/**
 * The text of a file bundled with the package (`contexts/…`, `schemas/…`), by its path from the
 * package root. On Node it is read from the package's folders when first needed. A browser bundle
 * gets dist/artefacts/files.browser.js instead (package.json `browser`), which `npm run build`
 * writes with every bundled file inlined (scripts/embed-artefacts.mjs), so the same registry works
 * without a file system.
 */
export function readBundledText(path: string): string {
  const fs = requireNodeBuiltin(packageFs, 'reading the bundled contexts and schemas');
  return fs.readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}
