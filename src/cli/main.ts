#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../artefacts/package-root.js';
import { loadVerbs } from './verbs.js';
import { endOnError, EXIT_OK, exitCodeOf } from './exit.js';
import { UntpCreditsError } from '../errors.js';

// Each verb lives in its own file and registers itself on the program; verbs.ts lists them and
// loads only the verb being run (a new verb is one line there, not here).
const program = new Command();
const { version } = JSON.parse(readFileSync(`${PACKAGE_ROOT}/package.json`, 'utf8')) as { version: string };
program
  .name('untp-credits')
  .description('Issue, verify and validate UNTP credentials for responsibly-produced mineral credits, offline.')
  .version(version)
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

for (const register of await loadVerbs(process.argv)) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = (error as { code?: string; exitCode?: number }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exit(EXIT_OK);
  // Commander has printed the usage error (unknown option, missing argument): REQUEST_INVALID's exit.
  if (typeof code === 'string' && code.startsWith('commander.'))
    process.exit(exitCodeOf(new UntpCreditsError('REQUEST_INVALID', (error as Error).message)));
  // A verb that threw instead of returning: one line and the error's exit code, never a silent exit.
  process.exit(endOnError(process.argv[2] ?? 'untp-credits', error));
}
