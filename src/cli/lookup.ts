import type { Command } from 'commander';
import { endWith, EXIT_OK } from './exit.js';
import {
  registryOptions,
  runRegistryVerb,
  type RegistryAccess,
  type RegistryAccessOptions,
} from './registry-access.js';

type Out = (line: string) => void;

/**
 * `untp-credits lookup SERIAL`: everything about one serial (`<prefix>-<n>`): its block, issuance,
 * holder, state and, when retired, the current retirement. Exit 0 found, 1 never issued, 2 could not run.
 */
export async function runLookup(
  serial: string,
  options: RegistryAccessOptions,
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
  opened?: RegistryAccess,
): Promise<number> {
  return runRegistryVerb('lookup', options, { err, env, opened }, async (open) => {
    const access = await open();
    const found = await access.serial(serial);
    if (!found) return endWith('lookup', 'SERIAL_NOT_FOUND', `${serial} was never issued by this registry`, err);
    if (options.json) {
      out(JSON.stringify(found, null, 2));
      return EXIT_OK;
    }
    const block = found.block as { prefix: string; start: number; end: number } | undefined;
    const issuance = found.issuance as { issuanceId: string; credentialId: string; revoked: boolean } | undefined;
    const retirement = found.retirement as
      { retirementId: string; credentialId: string; revoked: boolean; invalidated: boolean } | undefined;
    out(
      `${serial}  ${String(found.state)}  held by ${String(found.holder)}  block ${block ? `${block.prefix} ${block.start}–${block.end}` : '?'}  issuance ${issuance?.issuanceId ?? '?'}${issuance?.revoked ? ' (credential revoked)' : ''}`,
    );
    if (retirement)
      out(
        `    retired by ${retirement.retirementId} (${retirement.credentialId})${retirement.invalidated ? ' INVALIDATED' : ''}${retirement.revoked ? ' (credential revoked)' : ''}`,
      );
    return EXIT_OK;
  });
}

export function registerLookup(program: Command): void {
  registryOptions(
    program
      .command('lookup')
      .description('look a serial up: block, issuance, holder, state, retirement')
      .argument('<serial>', '<prefix>-<number>, e.g. RCC-CD-LU-1532-2026Q1-57'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits lookup RCC-CD-LU-1532-2026Q1-57 --data-dir ./data/registry\n  untp-credits lookup RCC-CD-LU-1532-2026Q1-57 --registry https://registry.example --json\nExit: 0 found, 1 never issued, 2 could not run.',
    )
    .action(async (serial: string, options: RegistryAccessOptions) => {
      process.exitCode = await runLookup(serial, options);
    });
}
