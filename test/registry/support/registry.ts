import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generateKeyPair } from '../../../src/keys/generate.js';
import { createLocalSigner } from '../../../src/keys/signer.js';
import { signJoseCredential } from '../../../src/secure/jose/sign.js';
import { openDatabase, type Database } from '../../../src/registry/db.js';
import { Registry } from '../../../src/registry/registry.js';
import type { CredentialBuilders, RegistryOptions, SecureCredential } from '../../../src/registry/types.js';
import type { LogOptions } from '../../../src/registry/log/sequencer.js';

export const ISSUER = { id: 'did:web:registry.example', name: 'Example Registry' };
export const BASE_URL = 'https://registry.example';

/** A test signing step: a fresh Ed25519 key, JOSE, no validation (the ledger is under test, not the credential). */
export function testSecurer(): SecureCredential {
  const { privateJwk } = generateKeyPair('EdDSA');
  const signer = createLocalSigner(privateJwk, `${ISSUER.id}#key-1`);
  return (credential) => signJoseCredential(credential, signer);
}

/** Minimal builders carrying exactly the ledger facts (the credit builders are tested with their own suite). */
export const testBuilders: CredentialBuilders = {
  issuance: (f) => ({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: f.id,
    type: ['VerifiableCredential', 'TestIssuanceCredential'],
    issuer: f.issuer.id,
    validFrom: f.validFrom,
    credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', ...f.credentialStatus },
    credentialSubject: {
      id: f.recordUrl,
      issuanceId: f.issuanceId,
      serialBlock: f.serialBlock,
      holder: f.initialHolder.accountId,
      details: f.details,
      ...(f.replaces ? { replaces: f.replaces } : {}),
    },
  }),
  retirement: (f) => ({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: f.id,
    type: ['VerifiableCredential', 'TestRetirementCredential'],
    issuer: f.issuer.id,
    validFrom: f.validFrom,
    credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', ...f.credentialStatus },
    credentialSubject: {
      id: f.recordUrl,
      retirementId: f.retirementId,
      retiredAt: f.retiredAt,
      account: f.retiringAccount.accountId,
      details: f.details,
      retiredUnits: f.retiredUnits.map((u) => ({
        issuanceCredential: { id: u.issuance.credentialId, digestMultibase: u.issuance.digestMultibase },
        serialBlock: u.serialBlock,
      })),
      ...(f.replaces ? { replaces: f.replaces } : {}),
    },
  }),
};

export type Engine = { kind: 'pglite'; dataDir?: string } | { kind: 'postgres'; url: string };

export interface TestRegistry {
  registry: Registry;
  db: Database;
  schema?: string;
  dispose(): Promise<void>;
}

export function freshSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** A registry on a fresh store: an in-memory PGlite, or a fresh schema on PostgreSQL (dropped at dispose). */
export async function openTestRegistry(
  engine: Engine,
  options: {
    schema?: string;
    poolSize?: number;
    dropOnDispose?: boolean;
    /** Registry options beyond the test defaults (e.g. `maxIssuanceQuantity`). */
    registry?: Partial<RegistryOptions>;
    log?: LogOptions;
  } = {},
): Promise<TestRegistry> {
  const log = options.log ? { log: options.log } : {};
  if (engine.kind === 'pglite') {
    const db = await openDatabase({ ...(engine.dataDir ? { dataDir: engine.dataDir } : {}) });
    const registry = await Registry.open({
      db,
      baseUrl: BASE_URL,
      issuer: ISSUER,
      secure: testSecurer(),
      builders: testBuilders,
      ...options.registry,
      ...log,
    });
    return { registry, db, dispose: () => registry.close() };
  }
  const schema = options.schema ?? freshSchema();
  const db = await openDatabase({ url: engine.url, schema, poolSize: options.poolSize ?? 10 });
  const registry = await Registry.open({
    db,
    baseUrl: BASE_URL,
    issuer: ISSUER,
    secure: testSecurer(),
    builders: testBuilders,
    ...options.registry,
    ...log,
  });
  return {
    registry,
    db,
    schema,
    dispose: async () => {
      await registry.close();
      if (options.dropOnDispose !== false) await dropSchema(engine.url, schema);
    },
  };
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Opens two accounts and issues `quantity` credits to the first. */
export async function seed(registry: Registry, tag: string, quantity = 100) {
  await registry.openAccount({
    key: `${tag}-a`,
    accountId: `${tag}-coop`,
    holder: { id: `did:web:${tag}-coop.example`, name: `Coop ${tag}` },
  });
  await registry.openAccount({
    key: `${tag}-b`,
    accountId: `${tag}-oem`,
    holder: { id: `did:web:${tag}-oem.example`, name: `OEM ${tag}` },
  });
  const issued = await registry.issue({
    key: `${tag}-i`,
    issuanceId: `${tag}-ISS`,
    prefix: `P-${tag}`,
    start: 1,
    end: quantity,
    holder: `${tag}-coop`,
    details: { site: 'Kolwezi' },
  });
  return { coop: `${tag}-coop`, oem: `${tag}-oem`, prefix: `P-${tag}`, issuanceId: `${tag}-ISS`, issued };
}
