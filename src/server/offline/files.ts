import { existsSync, readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../../artefacts/package-root.js';
import { UntpCreditsError } from '../../errors.js';
import { OFFLINE_FILES } from './assets.js';

const TYPES: Record<(typeof OFFLINE_FILES)[number], string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'manifest.webmanifest': 'application/manifest+json; charset=utf-8',
  'icon.svg': 'image/svg+xml; charset=utf-8',
  'sw.js': 'text/javascript; charset=utf-8',
};

/** The folder `npm run build` writes the offline verifier to. */
export const OFFLINE_VERIFIER_DIR = `${PACKAGE_ROOT}dist/offline-verifier`;

/** One file of the built offline verifier, or undefined for a name that is not one of its files; OFFLINE_VERIFIER_NOT_BUILT without a build. */
export function offlineVerifierFile(name: string): { body: string; contentType: string } | undefined {
  const file = OFFLINE_FILES.find((f) => f === name);
  if (!file) return undefined;
  const path = `${OFFLINE_VERIFIER_DIR}/${file}`;
  if (!existsSync(path))
    throw new UntpCreditsError('OFFLINE_VERIFIER_NOT_BUILT', 'the offline verifier is built by `npm run build`');
  return { body: readFileSync(path, 'utf8'), contentType: TYPES[file] };
}
