import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDid } from '../keys/did.js';
import { addKeyToDidDocument, createDidDocument, keyMethodIds, revokeKeyInDidDocument } from '../keys/did-document.js';
import { generateKeyPair } from '../keys/generate.js';
import { jwkThumbprint } from '../keys/jwk.js';
import { writePrivateKeyFile } from '../keys/key-file.js';
import { SIGNATURE_ALGORITHMS, type DidDocument, type SignatureAlgorithm } from '../keys/types.js';
import { endOnError, endWith, EXIT_OK } from './exit.js';

type Out = (line: string) => void;
const stdout: Out = (l) => process.stdout.write(l + '\n');
const stderr: Out = (l) => process.stderr.write(l + '\n');

function writeJsonAtomically(path: string, value: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, path);
}

/**
 * `untp-credits keys generate --did DID --out DIR [--alg EdDSA|ES256|ES384]`: writes a new private key
 * (DIR/<thumbprint>.private.jwk.json, mode 0600, kid = its JsonWebKey method id) and DIR/did.json. When
 * DIR/did.json already holds that DID, the key is added to it (rotation: old keys stay listed).
 * Exit 0 done, 2 usage or IO error.
 */
export async function runKeysGenerate(
  options: { did: string; out: string; alg?: string },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  const algorithm = (options.alg ?? 'EdDSA') as SignatureAlgorithm;
  if (!SIGNATURE_ALGORITHMS.includes(algorithm))
    return endWith(
      'keys generate',
      'KEY_TYPE_UNSUPPORTED',
      `--alg must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`,
      err,
    );
  if (!isDid(options.did) || !options.did.startsWith('did:web:') || options.did.includes('#'))
    return endWith(
      'keys generate',
      'DID_INVALID',
      `--did must be a did:web DID (did:web:example.com[:path]), not ${options.did}`,
      err,
    );
  try {
    mkdirSync(options.out, { recursive: true });
    const didPath = join(options.out, 'did.json');
    let document: DidDocument | undefined;
    if (existsSync(didPath)) {
      document = JSON.parse(readFileSync(didPath, 'utf8')) as DidDocument;
      if (document.id !== options.did)
        return endWith(
          'keys generate',
          'REQUEST_INVALID',
          `${didPath} is the DID document of ${String(document.id)}, not ${options.did}`,
          err,
        );
    }
    const keys = generateKeyPair(algorithm);
    const ids = await keyMethodIds(options.did, keys.publicJwk);
    const keyPath = join(options.out, `${await jwkThumbprint(keys.publicJwk)}.private.jwk.json`);
    writePrivateKeyFile(keyPath, { ...keys.privateJwk, kid: ids.jose, alg: algorithm });
    const updated = document
      ? await addKeyToDidDocument(document, keys.publicJwk)
      : await createDidDocument(options.did, [keys.publicJwk]);
    writeJsonAtomically(didPath, updated);
    out(`private key  ${keyPath} (mode 0600; keep it secret)`);
    out(
      `DID document ${didPath} (${document ? 'key added; earlier keys stay listed' : 'created'}) — publish it at the did:web URL`,
    );
    out(`JOSE kid     ${ids.jose}`);
    out(`DI method    ${ids.dataIntegrity}`);
    return EXIT_OK;
  } catch (error) {
    return endOnError('keys generate', error, err);
  }
}

/**
 * `untp-credits keys revoke --did-doc FILE --key ID`: for a compromised key only. Removes the key's
 * methods from assertionMethod and authentication (they stay in verificationMethod so verifiers report
 * KEY_NOT_IN_ASSERTION_METHOD). Everything it signed stops verifying: revoke and reissue with `replaces`.
 */
export async function runKeysRevoke(
  options: { didDoc: string; key: string },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  try {
    const document = JSON.parse(readFileSync(options.didDoc, 'utf8')) as DidDocument;
    const updated = await revokeKeyInDidDocument(document, options.key);
    writeJsonAtomically(options.didDoc, updated);
    out(`${options.key} removed from assertionMethod and authentication of ${document.id} in ${options.didDoc}`);
    out('every credential it signed no longer verifies: revoke them and reissue with `replaces`');
    return EXIT_OK;
  } catch (error) {
    return endOnError('keys revoke', error, err);
  }
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('generate signing keys and maintain the DID document');
  keys
    .command('generate')
    .description('generate a key (Ed25519 by default) and write or extend DIR/did.json (key rotation)')
    .requiredOption('--did <did>', 'the issuer DID, did:web:example.com[:path]')
    .requiredOption('--out <dir>', 'directory for the private key and did.json')
    .option('--alg <alg>', 'EdDSA (Ed25519), ES256 (P-256) or ES384 (P-384)', 'EdDSA')
    .action(async (options: { did: string; out: string; alg?: string }) => {
      process.exitCode = await runKeysGenerate(options);
    });
  keys
    .command('revoke')
    .description('compromise only: remove a key from assertionMethod and authentication')
    .requiredOption('--did-doc <file>', 'the DID document to edit')
    .requiredOption('--key <id>', 'the verification method id (or JWK thumbprint) of the compromised key')
    .action(async (options: { didDoc: string; key: string }) => {
      process.exitCode = await runKeysRevoke(options);
    });
}
