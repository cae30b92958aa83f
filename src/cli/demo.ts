import { mkdirSync, writeFileSync } from 'node:fs';
import { credentialInclusion } from '../registry/log/store.js';
import { join } from 'node:path';
import type { Command } from 'commander';
import { bundleRetirement, databaseBundleSource } from '../bundle/source.js';
import { compactJwsOf } from '../bundle/build.js';
import { addRetirementClaim } from '../credits/dpp.js';
import { batteryPassport, ELBE_DID } from '../credits/example-passports.js';
import { issue } from '../issue.js';
import { createDidDocument, keyMethodIds } from '../keys/did-document.js';
import { generateKeyPair } from '../keys/generate.js';
import { jwkThumbprint } from '../keys/jwk.js';
import { createLocalSigner } from '../keys/signer.js';
import { openDatabase } from '../registry/db.js';
import { migrate } from '../registry/migrations/index.js';
import { seedDemo } from '../server/demo.js';
import { ensureIdentity, identityDidDocument, identityLogVkey, identitySigner } from '../server/identity.js';
import { openLedger } from '../server/ledger.js';
import { trustFileFor } from '../trust/trust-file.js';
import { endOnError, endWith, EXIT_OK } from './exit.js';

type Out = (line: string) => void;

/** The fictional registry of the demo (the examples' registry; .example is reserved, nothing is served). */
export const DEMO_REGISTRY_URL = 'https://registry.mineral-credits.example';
export interface DemoResult {
  dir: string;
  retirementId: string;
  files: Record<
    'issuance' | 'retirement' | 'bundle' | 'trust' | 'passport' | 'passportIssuerDid' | 'registryDid',
    string
  >;
}

/**
 * `untp-credits demo --out DIR`: the whole Responsible Cobalt story on a temporary embedded registry
 * (PGlite in memory, gone when the command ends; DATABASE_URL is ignored): open accounts, issue 120 t, transfer 65 t to
 * the battery maker, retire 25 t for its 2026 ECW-75 packs; then write the signed issuance and
 * retirement, the retirement's offline verification bundle, a trust file pinning the registry's
 * key, and the battery pack's passport citing the retirement (with its issuer's DID document).
 */
export async function runDemo(
  options: { out?: string; json?: boolean },
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  if (!options.out) return endWith('demo', 'REQUEST_INVALID', '--out DIR is required', err);
  const dir = options.out;
  try {
    mkdirSync(dir, { recursive: true });
    const db = await openDatabase();
    try {
      await migrate(db);
      const identity = await ensureIdentity(db, {
        publicUrl: DEMO_REGISTRY_URL,
        name: 'Mineral Credits Registry Services Ltd (fictional, demo)',
      });
      // With its log: the sequencer signs a checkpoint over the story, so the bundle carries each
      // credit credential's entry and inclusion proof, and the trust file names the log key.
      const { ledger, registry } = await openLedger(db, identity, { log: true });
      const retirementId = await seedDemo(ledger);
      await registry.sequenceLog();
      await registry.stopLog();
      if (!retirementId) throw new Error('the demo story produced no retirement');
      const retirement = await ledger.getRetirement(retirementId);
      const issuance = await ledger.getIssuance('RCC-2026-Q1-0001');
      if (!retirement || !issuance) throw new Error('the demo records are missing');
      const registryDid = (await identityDidDocument(identity)) as Record<string, unknown>;
      const bundle = await bundleRetirement(
        { ...databaseBundleSource(db), log: (id) => credentialInclusion(db, id) },
        retirementId,
        await identitySigner(identity, 'jose'),
        [registryDid],
      );
      const logVkey = identityLogVkey(identity);
      const trust = trustFileFor([
        {
          did: identity.did,
          name: identity.name,
          keys: await Promise.all(identity.keys.filter((k) => !k.revoked).map((k) => jwkThumbprint(k.publicJwk))),
          ...(logVkey ? { log: { keys: [logVkey], witnesses: [], witnessThreshold: 0 } } : {}),
        },
      ]);

      // The battery maker's passport claims the retirement (signed with a throwaway demo key).
      const maker = generateKeyPair('EdDSA');
      const makerDid = (await createDidDocument(ELBE_DID, [maker.publicJwk])) as Record<string, unknown>;
      const makerSigner = createLocalSigner(maker.privateJwk, (await keyMethodIds(ELBE_DID, maker.publicJwk)).jose);
      const retirementJws = compactJwsOf({ ...retirement.credential });
      // Dated after the retirement it cites (made moments ago): a passport cannot claim credits retired
      // later. Kept to the millisecond: cut to whole seconds it could fall before the retirement.
      const issuedAt = new Date().toISOString();
      const passport = addRetirementClaim(
        { ...batteryPassport(), validFrom: issuedAt },
        { retirementJws, retirementUrl: String(retirement.credentialId) }, // claim date: the retirement's
      );
      const signedPassport = await issue(passport, { format: 'jose', signer: makerSigner });

      const files: DemoResult['files'] = {
        issuance: join(dir, 'issuance.json'),
        retirement: join(dir, 'retirement.json'),
        bundle: join(dir, `${retirementId}.bundle.json`),
        trust: join(dir, 'trust.json'),
        passport: join(dir, 'battery-dpp.json'),
        passportIssuerDid: join(dir, 'battery-maker.did.json'),
        registryDid: join(dir, 'registry.did.json'),
      };
      const write = (file: string, value: unknown) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
      write(files.issuance, issuance.credential);
      write(files.retirement, retirement.credential);
      write(files.bundle, bundle);
      write(files.trust, trust);
      write(files.passport, signedPassport);
      write(files.passportIssuerDid, makerDid);
      write(files.registryDid, registryDid);
      const result: DemoResult = { dir, retirementId, files };
      if (options.json) out(JSON.stringify(result, null, 2));
      else {
        out(
          `✔ demo  Responsible Cobalt: issued 120 t (RCC-2026-Q1-0001), transferred 65 t, retired 25 t as ${retirementId} on a temporary registry (${identity.did})`,
        );
        for (const [what, file] of Object.entries(files)) out(`    ${what.padEnd(18)} ${file}`);
        out(
          `Verify offline (npx finds the command in this project or where the package is installed):\n    npx untp-credits verify ${files.bundle} ${files.passport} --trust ${files.trust} --did-doc ${files.passportIssuerDid} --require-log --market DE`,
        );
      }
      return EXIT_OK;
    } finally {
      await db.close();
    }
  } catch (error) {
    return endOnError('demo', error, err);
  }
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'run the Responsible Cobalt story on a temporary embedded registry and write its credentials, bundle, trust file and passport',
    )
    .option('--out <dir>', 'where to write the files')
    .option('--json', 'print the file list as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits demo --out ./demo\n  untp-credits verify ./demo/RET-2026-0007.bundle.json ./demo/battery-dpp.json --trust ./demo/trust.json --did-doc ./demo/battery-maker.did.json --require-log\nExit: 0 written, 2 could not run.',
    )
    .action(async (options: { out?: string; json?: boolean }) => {
      process.exitCode = await runDemo(options);
    });
}
