import type { Command } from 'commander';
import { formatInvariantReport, runRegistryCheck } from './registry.js';
import { runRegistryVerb, type RegistryAccessOptions } from './registry-access.js';
import { exitForCheck } from './exit.js';

type Out = (line: string) => void;

/**
 * `untp-credits invariants`: the ledger invariant check — an alias of `registry check` on the
 * database, or GET /registry/invariants of a running server with --registry. Exit 0 all hold,
 * 1 one is broken, 2 could not run.
 */
export async function runInvariants(
  options: RegistryAccessOptions & { schema?: string },
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (options.registry === undefined) {
    return runRegistryCheck(
      {
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
        ...(options.schema ? { schema: options.schema } : {}),
        ...(options.json ? { json: true } : {}),
      },
      out,
      err,
    );
  }
  return runRegistryVerb('invariants', options, { err, env }, async (open) => {
    const report = await (await open()).invariants();
    out(options.json ? JSON.stringify(report, null, 2) : formatInvariantReport(report));
    return exitForCheck(report.ok);
  });
}

export function registerInvariants(program: Command): void {
  program
    .command('invariants')
    .description('check the ledger invariants (alias of `registry check`; or a running server with --registry)')
    .option('--registry <url>', 'a running registry server')
    .option('--data-dir <dir>', 'PGlite data directory (default ./data/registry)')
    .option('--database-url <url>', 'PostgreSQL connection string (default: DATABASE_URL)')
    .option('--schema <schema>', 'PostgreSQL schema holding the registry (default public)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits invariants --data-dir ./data/registry\n  untp-credits invariants --registry https://registry.example --json\nExit: 0 every invariant holds, 1 one is broken, 2 could not run.',
    )
    .action(async (options: RegistryAccessOptions & { schema?: string }) => {
      process.exitCode = await runInvariants(options);
    });
}
