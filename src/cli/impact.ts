import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { UntpCreditsError } from '../errors.js';
import { jwsOf, jwsPayload } from '../lib/digest.js';
import { buildAllocationCredential } from '../impact/build.js';
import type { AllocationInput } from '../impact/types.js';
import { endOnError, endWith, EXIT_OK } from './exit.js';
import { readJsonInput } from './io.js';
import { registryOptions, runRegistryVerb, type RegistryAccessOptions } from './registry-access.js';

type Out = (line: string) => void;
const stdout: Out = (l) => process.stdout.write(l + '\n');
const stderr: Out = (l) => process.stderr.write(l + '\n');

/**
 * `untp-credits impact build INPUT.json [--retirement SIGNED…] [--out FILE]`: builds the unsigned
 * PremiumAllocationCredential draft of an AllocationInput (docs/impact.md); each --retirement (a
 * signed retirement credential) is attached to the premium entry citing its id, so its digest is
 * computed or checked. Only the ledger signs the report: `impact record` submits the draft. Exit 0
 * written, 1 refused (e.g. ALLOCATION_EXCEEDS_PREMIUM), 2 unreadable input.
 */
export async function runImpactBuild(
  file: string,
  options: { retirement?: string[]; out?: string },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  try {
    const input = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')) as AllocationInput;
    for (const source of options.retirement ?? []) {
      const jws = jwsOf(readFileSync(source, 'utf8'));
      const id = jwsPayload(jws).id;
      const entry = (input.premiumReceived ?? []).find((p) => p.retirement?.id === id);
      if (entry === undefined)
        return endWith('impact build', 'INVALID_FIELD', `${source}: no premiumReceived entry cites ${String(id)}`, err);
      entry.retirement = { ...entry.retirement, jws };
    }
    const text = JSON.stringify(buildAllocationCredential(input), null, 2);
    if (options.out) writeFileSync(options.out, text + '\n');
    else out(text);
    return EXIT_OK;
  } catch (error) {
    // Input problems (MISSING_FIELD, INVALID_DATE, JWS_NOT_FOUND, …) exit 2, refusals 1: the catalogue says which.
    return endOnError('impact build', error, err);
  }
}

/**
 * `untp-credits impact record DRAFT [--registry URL | --data-dir DIR | --database-url URL] [--key K]`:
 * submits an unsigned allocation draft (`impact build`) to the ledger's allocation command — to a
 * running server (POST /registry/allocations, API key from UNTP_CREDITS_API_KEY, scope issuer or
 * admin) or to the database directly. The ledger sets the id, issuer, time and status entry, checks
 * the retirements it cites, and signs it. `--key` is the idempotency key: a replay answers the same
 * signed report. Exit 0 recorded, 1 refused (RETIREMENT_NOT_FOUND, DIGEST_MISMATCH, ALLOCATION_EXISTS…),
 * 2 unreadable input, a signed file, or no registry.
 */
export async function runImpactRecord(
  file: string,
  options: RegistryAccessOptions & { key?: string },
  out: Out = stdout,
  err: Out = stderr,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return runRegistryVerb('impact record', options, { err, env }, async (open) => {
    const draft = readJsonInput(file) as Record<string, unknown> | null;
    if (draft === null || typeof draft !== 'object' || Array.isArray(draft))
      throw new UntpCreditsError('ALLOCATION_INVALID', `${file} is not a JSON object`);
    if (draft.type === 'EnvelopedVerifiableCredential' || draft.proof !== undefined)
      throw new UntpCreditsError(
        'ALLOCATION_INVALID',
        `${file} is signed: only the ledger signs allocation reports; submit the unsigned draft (untp-credits impact build)`,
      );
    const recorded = await (await open()).run('allocate', draft, options.key);
    out(
      options.json
        ? JSON.stringify(recorded, null, 2)
        : `recorded allocation report ${recorded.reportId}: ${recorded.received} ${recorded.currency} received, ${recorded.allocated} allocated; credential ${recorded.credentialId} (${recorded.digestMultibase})`,
    );
    return EXIT_OK;
  });
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerImpact(program: Command): void {
  const impact = program
    .command('impact')
    .description('premium allocation reports (where the premium went), as PremiumAllocationCredentials');
  impact
    .command('build <input>')
    .description(
      'build the unsigned PremiumAllocationCredential draft of a report; refuses allocations above the premium received',
    )
    .option('--retirement <file>', 'a signed retirement credential cited by the report (repeatable)', collect)
    .option('--out <file>', 'write here instead of stdout')
    .action(async (input: string, options: { retirement?: string[]; out?: string }) => {
      process.exitCode = await runImpactBuild(input, options);
    });
  registryOptions(
    impact
      .command('record <draft>')
      .description(
        'submit an allocation draft to the ledger, which signs and records it (a running server with --registry, or the database); the overview pages show it',
      )
      .option('--key <key>', 'idempotency key: the same key with the same draft records once'),
  ).action(async (draft: string, options: RegistryAccessOptions & { key?: string }) => {
    process.exitCode = await runImpactRecord(draft, options);
  });
}
