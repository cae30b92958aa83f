import { databaseTarget } from './database-target.js';
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { jwsOf, jwsPayload } from '../lib/digest.js';
import { buildAllocationCredential } from '../impact/build.js';
import type { AllocationInput } from '../impact/types.js';
import { recordAllocation } from '../impact/ledger.js';
import { issue } from '../issue.js';
import { signerFromKeyFile } from '../keys/key-file.js';
import { DEFAULT_DATA_DIR, openServerDatabase } from '../server/bootstrap.js';
import { identityDidDocument, loadIdentity } from '../server/identity.js';
import { verify } from '../verify/verify.js';
import { endOnError, endWith, EXIT_OK, exitForCheck } from './exit.js';

type Out = (line: string) => void;
const stdout: Out = (l) => process.stdout.write(l + '\n');
const stderr: Out = (l) => process.stderr.write(l + '\n');

/**
 * `untp-credits impact build INPUT.json [--retirement SIGNED…] [--key KEY] [--out FILE]`: builds a
 * PremiumAllocationCredential from an AllocationInput (docs/impact.md); each --retirement (a signed
 * retirement credential) is attached to the premium entry citing its id, so its digest is computed
 * or checked. With --key the credential is signed (VC-JOSE). Exit 0 written, 1 refused (e.g.
 * ALLOCATION_EXCEEDS_PREMIUM), 2 unreadable input.
 */
export async function runImpactBuild(
  file: string,
  options: { retirement?: string[]; key?: string; out?: string },
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
    const credential = buildAllocationCredential(input);
    const result = options.key
      ? await issue(credential, { format: 'jose', signer: signerFromKeyFile(options.key, 'jose') })
      : credential;
    const text = JSON.stringify(result, null, 2);
    if (options.out) writeFileSync(options.out, text + '\n');
    else out(text);
    return EXIT_OK;
  } catch (error) {
    // Input problems (MISSING_FIELD, INVALID_DATE, JWS_NOT_FOUND, …) exit 2, refusals 1: the catalogue says which.
    return endOnError('impact build', error, err);
  }
}

/**
 * `untp-credits impact record SIGNED [--data-dir DIR | --database-url URL]`: records a signed
 * allocation report in the registry database, after verifying it was signed by this registry's
 * identity. Exit 0 recorded, 1 refused (not verified, RETIREMENT_NOT_FOUND, DIGEST_MISMATCH,
 * ALLOCATION_EXISTS…), 2 unreadable input or no database.
 */
export async function runImpactRecord(
  file: string,
  options: { dataDir?: string; databaseUrl?: string },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    return endOnError(`impact record: ${file}`, error, err);
  }
  let db;
  try {
    db = await openServerDatabase(databaseTarget(options, process.env, DEFAULT_DATA_DIR));
  } catch (error) {
    return endOnError('impact record', error, err);
  }
  try {
    const identity = await loadIdentity(db);
    if (!identity)
      return endWith(
        'impact record',
        'IDENTITY_MISSING',
        'this database holds no registry identity yet (untp-credits init)',
        err,
      );
    // Only the registry's own signature is accepted: the report becomes part of its public record.
    const report = await verify(jwsOf(text), { didDocuments: [await identityDidDocument(identity)] });
    if (!report.verified || report.issuer !== identity.did) {
      const failed = report.steps.find((s) => !s.ok);
      err(
        `impact record: ${file}: not verified as signed by ${identity.did}${failed ? ` (${failed.name}: ${failed.code ?? ''} ${failed.message ?? ''})` : ` (issuer ${String(report.issuer)})`}`,
      );
      return exitForCheck(false);
    }
    const recorded = await recordAllocation(db, text);
    out(
      `recorded allocation report ${recorded.reportId}: ${recorded.received} ${recorded.currency} received, ${recorded.allocated} allocated (${recorded.digestMultibase})`,
    );
    return EXIT_OK;
  } catch (error) {
    return endOnError('impact record', error, err);
  } finally {
    await db.close();
  }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerImpact(program: Command): void {
  const impact = program
    .command('impact')
    .description('premium allocation reports (where the premium went), as PremiumAllocationCredentials');
  impact
    .command('build <input>')
    .description(
      'build (and with --key sign) a PremiumAllocationCredential; refuses allocations above the premium received',
    )
    .option('--retirement <file>', 'a signed retirement credential cited by the report (repeatable)', collect)
    .option('--key <file>', 'private key file: sign with VC-JOSE')
    .option('--out <file>', 'write here instead of stdout')
    .action(async (input: string, options: { retirement?: string[]; key?: string; out?: string }) => {
      process.exitCode = await runImpactBuild(input, options);
    });
  impact
    .command('record <signed>')
    .description(
      "record a signed allocation report (this registry's signature) in the registry database; the overview pages show it",
    )
    .option('--data-dir <dir>', `the PGlite data directory (default ${DEFAULT_DATA_DIR})`)
    .option('--database-url <url>', 'PostgreSQL instead (default DATABASE_URL)')
    .action(async (signed: string, options: { dataDir?: string; databaseUrl?: string }) => {
      process.exitCode = await runImpactRecord(signed, options);
    });
}
