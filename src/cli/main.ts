#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../artefacts/registry.js';
import { registerValidate } from './validate.js';
import { registerDigest } from './digest.js';
import { registerRegistry } from './registry.js';
import { registerKeys } from './keys.js';
import { registerSign } from './sign.js';
import { registerVerify } from './verify.js';
import { registerServe } from './serve.js';
import { registerInit } from './init.js';
import { registerApiKey } from './apikey.js';
import { registerAccount } from './account.js';
import { registerIssue } from './issue.js';
import { registerTransfer } from './transfer.js';
import { registerRetire } from './retire.js';
import { registerAmend } from './amend.js';
import { registerSuspend } from './suspend.js';
import { registerUnsuspend } from './unsuspend.js';
import { registerCancel } from './cancel.js';
import { registerInvalidate } from './invalidate.js';
import { registerCorrect } from './correct.js';
import { registerLookup } from './lookup.js';
import { registerStatus } from './status.js';
import { registerInvariants } from './invariants.js';
import { registerBundle } from './bundle.js';
import { registerDemo } from './demo.js';
import { registerDisclose } from './disclose.js';
import { registerFootprint } from './footprint.js';
import { registerImpact } from './impact.js';
import { registerCodes } from './codes.js';
import { endOnError, EXIT_OK, exitCodeOf } from './exit.js';
import { UntpCreditsError } from '../errors.js';

// Each verb lives in its own file and registers itself on the program.
const program = new Command();
const { version } = JSON.parse(readFileSync(`${PACKAGE_ROOT}/package.json`, 'utf8')) as { version: string };
program
  .name('untp-credits')
  .description('Issue, verify and validate UNTP credentials for responsibly-produced mineral credits, offline.')
  .version(version)
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

registerValidate(program);
registerDigest(program);
registerRegistry(program);
registerKeys(program);
registerSign(program);
registerVerify(program);
registerServe(program);
registerInit(program);
registerApiKey(program);
registerAccount(program);
registerIssue(program);
registerTransfer(program);
registerRetire(program);
registerAmend(program);
registerSuspend(program);
registerUnsuspend(program);
registerCancel(program);
registerInvalidate(program);
registerCorrect(program);
registerLookup(program);
registerStatus(program);
registerInvariants(program);
registerBundle(program);
registerDemo(program);
registerDisclose(program);
registerFootprint(program);
registerImpact(program);
registerCodes(program);

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
