import type { Command } from 'commander';
import type { IssuanceRecord, RetirementRecord } from '../registry/records.js';
import {
  registryOptions,
  runRegistryVerb,
  type RegistryAccess,
  type RegistryAccessOptions,
} from './registry-access.js';
import { endWith, exitForCheck } from './exit.js';

type Out = (line: string) => void;

/**
 * `untp-credits status ID`: the registry's current word on a retirement or issuance record —
 * credential id and digest, revoked, invalidated, replaced by (amendment or correction).
 * Exit 0 valid and current, 1 revoked / invalidated / replaced / unknown, 2 could not run.
 */
export async function runStatus(
  id: string,
  options: RegistryAccessOptions,
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
  opened?: RegistryAccess,
): Promise<number> {
  return runRegistryVerb('status', options, { err, env, opened }, async (open) => {
    const access = await open();
    const retirement = await access.retirement(id);
    const record: ((IssuanceRecord | RetirementRecord) & { invalidated?: boolean }) | undefined =
      retirement ?? (await access.issuance(id));
    if (!record) return endWith('status', 'RECORD_NOT_FOUND', `no retirement or issuance ${id}`, err);
    const { credential: _credential, ...summary } = record;
    const current = record.revoked !== true && record.invalidated !== true && record.replacedBy === undefined;
    if (options.json)
      out(JSON.stringify({ kind: retirement ? 'retirement' : 'issuance', current, ...summary }, null, 2));
    else {
      const why = [
        record.revoked === true ? 'credential revoked' : '',
        record.invalidated === true ? 'invalidated' : '',
        record.replacedBy !== undefined ? `replaced by ${String(record.replacedBy)}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out(
        `${current ? '✔' : '✘'} ${retirement ? 'retirement' : 'issuance'} ${id}  ${current ? 'valid and current' : why}  credential ${String(record.credentialId)} (${String(record.digestMultibase)})${record.replaces ? `  replaces ${String(record.replaces)}` : ''}`,
      );
    }
    return exitForCheck(current);
  });
}

export function registerStatus(program: Command): void {
  registryOptions(
    program
      .command('status')
      .description('the current status of a retirement or issuance: revoked, invalidated, replaced')
      .argument('<id>', 'a retirement or issuance id'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits status RET-2026-0007 --data-dir ./data/registry\n  untp-credits status RCC-2026-Q1-0001 --registry https://registry.example --json\nExit: 0 valid and current, 1 revoked/invalidated/replaced/unknown, 2 could not run.',
    )
    .action(async (id: string, options: RegistryAccessOptions) => {
      process.exitCode = await runStatus(id, options);
    });
}
