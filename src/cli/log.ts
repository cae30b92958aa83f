// `untp-credits log …`: the outside checkers of the transparency log (docs/transparency-log.md).
import type { Command } from 'commander';
import { collect } from './log-source.js';
import { runLogExport, type LogExportOptions } from './log-export.js';
import { runLogEquivocation } from './log-equivocation.js';
import { runLogMonitor, type LogMonitorOptions } from './log-monitor.js';
import { runLogWitness, type LogWitnessOptions } from './log-witness.js';

export function registerLog(program: Command): void {
  const log = program.command('log').description('mirror, monitor and witness the transparency log');
  log
    .command('export')
    .argument('<dir>', 'directory to write checkpoint, vkey and tile/… into')
    .description(
      'write the log as static files (checkpoint, vkey, C2SP tlog-tiles): any static file server is then a mirror',
    )
    .option('--registry <url>', 'a running registry (its log is under /registry/log)')
    .option('--log <url>', 'any log URL prefix (or mirror)')
    .option('--data-dir <dir>', 'PGlite data directory of the registry')
    .option('--database-url <url>', 'PostgreSQL connection string (default: DATABASE_URL)')
    .option('--schema <schema>', 'PostgreSQL schema holding the registry')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits log export ./mirror --data-dir ./data/registry\n  untp-credits log export ./mirror --registry https://registry.example\nExit: 0 written, 2 could not run.',
    )
    .action(async (dir: string, options: LogExportOptions) => {
      process.exitCode = await runLogExport(dir, options);
    });
  log
    .command('monitor')
    .description(
      'verify the checkpoint, prove it consistent with the last verified one, read and replay the new entries',
    )
    .requiredOption(
      '--log <url|dir>',
      'the log: a URL prefix (https://registry.example/registry/log, a mirror) or a directory',
    )
    .requiredOption(
      '--vkey <vkey|file>',
      'the log key (C2SP verifier key, or a file of them); repeat during a key rotation',
      collect,
    )
    .option(
      '--state <file>',
      'state file: the verified checkpoint and the hashes of every entry verified (created on the first run)',
    )
    .option('--checkpoint <file>', 'check this signed checkpoint instead of the one the log serves')
    .option('--recheck', 're-read every entry verified before and compare it with its kept hash')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits log monitor --log https://registry.example/registry/log --vkey "$(cat log.vkey)" --state monitor.json\nExit: 0 everything checked out (the state is saved), 1 a check failed (the report names the entries; equivocation prints both signed notes), 2 could not run.',
    )
    .action(async (options: LogMonitorOptions) => {
      process.exitCode = await runLogMonitor(options);
    });
  log
    .command('witness')
    .description(
      'a C2SP tlog-witness (POST /add-checkpoint) that cosigns only after replaying the ledger rules over the new entries',
    )
    .requiredOption('--key <file>', 'the witness Ed25519 seed (base64; made on first start)')
    .option('--name <name>', 'the witness key name (default untp-credits-witness)')
    .requiredOption('--state <dir>', 'directory for the witness state (last cosigned checkpoint, verified hashes)')
    .option('--port <n>', 'port to listen on (default: any free port)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .requiredOption('--log <url|dir>', 'where to read the log tiles from: its URL prefix, a mirror or a directory')
    .requiredOption('--vkey <vkey|file>', 'the log key; repeat during a key rotation', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits log witness --key witness.key --state ./witness --port 7380 --log https://registry.example/registry/log --vkey "$(cat log.vkey)"\nThe registry pushes checkpoints to it: untp-credits serve --witness http://witness:7380,<witness vkey>',
    )
    .action(async (options: LogWitnessOptions) => {
      process.exitCode = await runLogWitness(options);
    });
  log
    .command('equivocation')
    .argument('<note1>', 'a signed checkpoint file')
    .argument('<note2>', 'another signed checkpoint file of the same log')
    .description('check two signed checkpoints for equivocation (same size, different roots; or not consistent)')
    .requiredOption('--vkey <vkey|file>', 'the log key; repeat during a key rotation', collect)
    .option('--log <url|dir>', 'where to read the consistency proof from when the sizes differ')
    .option('--json', 'print the evidence as JSON')
    .addHelpText(
      'after',
      '\nExit: 0 the checkpoints agree, 1 they prove equivocation (both notes printed), 2 could not run.',
    )
    .action(async (note1: string, note2: string, options: { vkey: string[]; log?: string; json?: boolean }) => {
      process.exitCode = await runLogEquivocation([note1, note2], options);
    });
}
