import { existsSync, writeFileSync } from 'node:fs';
import { credentialInclusion } from '../registry/log/store.js';
import type { Command } from 'commander';
import { parseBundle, type VerificationBundle } from '../bundle/format.js';
import { bundleRetirement, databaseBundleSource } from '../bundle/source.js';
import { jwsPayload } from '../lib/digest.js';
import { identityDidDocument, identitySigner } from '../server/identity.js';
import { endWith, EXIT_OK } from './exit.js';
import { readJsonInput } from './io.js';
import {
  registryOptions,
  runRegistryVerb,
  type RegistryAccess,
  type RegistryAccessOptions,
} from './registry-access.js';

type Out = (line: string) => void;

export interface BundleCliOptions extends RegistryAccessOptions {
  retirement?: string;
  out?: string;
  /** Digital Identity Anchor credentials (files) to carry in the bundle. */
  anchor?: string[];
}

/**
 * `untp-credits bundle --retirement ID`: the offline verification bundle of one retirement, signed
 * by the registry. On the database (--data-dir / --database-url) it is built and signed here with
 * the registry's key; with --registry it is fetched from GET /registry/retirements/:id/bundle.
 * Written to --out (`-`: stdout; default <ID>.bundle.json in the working directory, never replacing a file). Exit 0 written, 1 no such retirement, 2 could not run.
 */
export async function runBundle(
  options: BundleCliOptions,
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
  opened?: RegistryAccess,
): Promise<number> {
  if (!options.retirement) return endWith('bundle', 'REQUEST_INVALID', '--retirement ID is required', err);
  const retirement = options.retirement;
  return runRegistryVerb('bundle', options, { err, env, opened }, async (open) => {
    const anchors = (options.anchor ?? [])
      .map((file) => readJsonInput(file) as string | Record<string, unknown>)
      .map((a) => (typeof a === 'string' ? a : String(a.id ?? '').replace(/^data:application\/vc\+jwt,/, '')));
    const access = await open();
    let bundle: VerificationBundle;
    if (access.store) {
      const { db, identity } = access.store;
      bundle = await bundleRetirement(
        { ...databaseBundleSource(db), log: (id) => credentialInclusion(db, id) },
        retirement,
        await identitySigner(identity, 'jose'),
        [(await identityDidDocument(identity)) as Record<string, unknown>],
        { anchors },
      );
    } else {
      const fetched = await access.bundle?.(retirement);
      if (!fetched)
        return endWith('bundle', 'RETIREMENT_NOT_FOUND', `${retirement} (or the server does not serve bundles)`, err);
      bundle = parseBundle(fetched);
    }
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    if (options.out === '-') {
      process.stdout.write(text);
      return 0;
    }
    // Unasked, the default name never replaces a file: a named --out is the way to overwrite.
    const file = options.out ?? `${retirement.replace(/[^A-Za-z0-9._-]/g, '_')}.bundle.json`;
    if (options.out === undefined && existsSync(file))
      return endWith(
        'bundle',
        'BUNDLE_FILE_EXISTS',
        `${file} exists in this directory; give --out FILE to write elsewhere or to replace it (--out - prints it)`,
        err,
      );
    writeFileSync(file, text);
    const manifest = jwsPayload(bundle.manifest);
    const summary = {
      file,
      retirement,
      issuances: bundle.issuances.length,
      statusLists: bundle.statusLists.length,
      didDocuments: bundle.didDocuments.length,
      anchors: bundle.anchors.length,
      bundledAt: manifest.bundledAt,
      signedBy: manifest.iss,
    };
    out(
      options.json
        ? JSON.stringify(summary, null, 2)
        : `✔ bundle ${retirement} → ${file}${options.out === undefined ? ' (the default name, in this directory; --out FILE or --out - to choose)' : ''}  ${summary.issuances} issuance(s), ${summary.statusLists} status list(s), ${summary.didDocuments} DID document(s), bundled at ${String(summary.bundledAt)} by ${String(summary.signedBy)}`,
    );
    return EXIT_OK;
  });
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerBundle(program: Command): void {
  registryOptions(
    program
      .command('bundle')
      .description('write the offline verification bundle of a retirement, signed by the registry (docs/bundles.md)')
      .option('--retirement <id>', 'the retirement id (or its credential id)')
      .option(
        '--out <file>',
        'where to write it, - for stdout (default <id>.bundle.json in this directory, never replacing a file)',
      )
      .option('--anchor <file>', 'a Digital Identity Anchor credential to carry (repeatable)', collect, []),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits bundle --retirement RET-2026-0007 --data-dir ./data/registry --out RET-2026-0007.bundle.json\n  untp-credits bundle --retirement RET-2026-0007 --registry https://registry.example\n  untp-credits verify RET-2026-0007.bundle.json --trust trust.json --require-trust\nExit: 0 written, 1 no such retirement, 2 could not run.',
    )
    .action(async (options: BundleCliOptions) => {
      process.exitCode = await runBundle(options);
    });
}
