import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

/** The built command line (`npm run build`; `npm test` builds before the suites run). */
export const BUILT_CLI = join(ROOT, 'dist/cli/main.js');
export const builtCliAvailable = existsSync(BUILT_CLI);

/**
 * A user's project in `dir`: this package in node_modules (its bin where npx looks, so
 * `npx untp-credits` is the command a user runs), the examples folder beside it, a package.json.
 */
export function userProject(dir: string): string {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'untp-credits'));
  symlinkSync(BUILT_CLI, join(dir, 'node_modules', '.bin', 'untp-credits'));
  symlinkSync(join(ROOT, 'examples'), join(dir, 'examples'));
  writeFileSync(
    join(dir, 'package.json'),
    '{ "name": "user-project", "private": true, "dependencies": { "untp-credits": "*" } }\n',
  );
  return dir;
}

/** The environment for a user's shell in that project: npx finds the installed bin and never asks a registry. */
export function userShellEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}
