import { readFileSync } from 'node:fs';
import { issue } from '../../../src/issue.js';
import { createDidDocument, keyMethodIds } from '../../../src/keys/did-document.js';
import { generateKeyPair } from '../../../src/keys/generate.js';
import { publicJwkOf } from '../../../src/keys/jwk.js';
import { createLocalSigner } from '../../../src/keys/signer.js';
import type { DidDocument, PrivateJwk, Signer } from '../../../src/keys/types.js';
import { createPresentation, signPresentation } from '../../../src/secure/presentation/sign.js';
import { buildStatusListCredential, emptyBitstring, setBit } from '../../../src/status/bitstring.js';
import type { VerifyOptions } from '../../../src/verify/options.js';

/**
 * Valid, signed credentials of every kind the toolkit emits, for the tamper fuzzer and the hostile
 * corpus: credit issuance and retirement (the signed examples, and the same payloads as Data
 * Integrity), a Bitstring status list, and presentations; JOSE, eddsa-rdfc-2022, ecdsa-rdfc-2019.
 */

export type Json = Record<string, any>;
export type Format = 'jose' | 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019';

export interface Sample {
  /** e.g. `issuance/jose` */
  name: string;
  kind: 'issuance' | 'retirement' | 'status-list' | 'presentation' | 'premium-allocation';
  format: Format;
  signed: Json;
  /** What `verify` needs to accept the untouched sample (the same options are used for mutants). */
  options: VerifyOptions;
}

const EXAMPLES = new URL('../../../examples/', import.meta.url);
const example = (path: string): Json => JSON.parse(readFileSync(new URL(path, EXAMPLES), 'utf8')) as Json;

export const CLOCK = () => new Date('2026-10-01T00:00:00Z');
const ALLOCATION_CLOCK = () => new Date('2026-12-16T00:00:00Z');
export const REGISTRY_DID = 'did:web:registry.mineral-credits.example';
export const CHALLENGE = 'challenge-7f3a';
export const DOMAIN = 'https://verifier.example';

export interface Party {
  did: string;
  document: DidDocument;
  jose: Signer;
  dataIntegrity: Signer;
  privateJwk: PrivateJwk;
}

async function party(did: string, privateJwk: PrivateJwk, document?: DidDocument): Promise<Party> {
  const ids = await keyMethodIds(did, publicJwkOf(privateJwk));
  return {
    did,
    privateJwk,
    document: document ?? (await createDidDocument(did, [publicJwkOf(privateJwk)])),
    jose: createLocalSigner(privateJwk, ids.jose),
    dataIntegrity: createLocalSigner(privateJwk, ids.dataIntegrity),
  };
}

export interface Fixtures {
  registry: Party;
  /** The registry's DID again, with a P-256 key (ecdsa-rdfc-2019). */
  registryP256: Party;
  holder: Party;
  samples: Sample[];
}

let cached: Promise<Fixtures> | undefined;

/** Built once per test file (signing Data Integrity takes a moment). */
export function fixtures(): Promise<Fixtures> {
  cached ??= build();
  return cached;
}

async function build(): Promise<Fixtures> {
  const registry = await party(
    REGISTRY_DID,
    example('keys/registry.mineral-credits.example.private.jwk.json') as PrivateJwk,
    example('keys/registry.mineral-credits.example.did.json') as DidDocument,
  );
  const p256 = generateKeyPair('ES256');
  const registryP256 = await party('did:web:p256.registry.example', p256.privateJwk);
  const holder = await party(
    'did:web:lindqvist-kabel.example',
    example('keys/lindqvist-kabel.example.private.jwk.json') as PrivateJwk,
    example('keys/lindqvist-kabel.example.did.json') as DidDocument,
  );
  const didDocuments = [
    registry.document,
    registryP256.document,
    holder.document,
    example('keys/elbe-cells.example.did.json'),
  ];
  const options: VerifyOptions = { didDocuments, clock: CLOCK };
  const presentationOptions: VerifyOptions = { ...options, challenge: CHALLENGE, domain: DOMAIN };
  const allocationOptions: VerifyOptions = { ...options, clock: ALLOCATION_CLOCK };

  const issuance = example('cobalt/issuance.json');
  const retirement = example('copper/retirement.json');
  const bits = setBit(setBit(emptyBitstring(), 94_567), 7);
  const list = (issuer: string) =>
    buildStatusListCredential({
      url: 'https://registry.mineral-credits.example/registry/status/1',
      issuer,
      bits,
      validFrom: '2026-01-01T00:00:00Z',
    });
  const retirementP256 = {
    ...structuredClone(retirement),
    issuer: { ...(retirement.issuer as Json), id: registryP256.did },
  };

  const samples: Sample[] = [
    {
      name: 'issuance/jose',
      kind: 'issuance',
      format: 'jose',
      signed: example('cobalt/issuance.signed.json'),
      options,
    },
    {
      name: 'retirement/jose',
      kind: 'retirement',
      format: 'jose',
      signed: example('copper/retirement.signed.json'),
      options,
    },
    {
      name: 'issuance/eddsa-rdfc-2022',
      kind: 'issuance',
      format: 'eddsa-rdfc-2022',
      signed: await issue(issuance, { format: 'eddsa-rdfc-2022', signer: registry.dataIntegrity, clock: CLOCK }),
      options,
    },
    {
      name: 'retirement/eddsa-rdfc-2022',
      kind: 'retirement',
      format: 'eddsa-rdfc-2022',
      signed: await issue(retirement, { format: 'eddsa-rdfc-2022', signer: registry.dataIntegrity, clock: CLOCK }),
      options,
    },
    {
      name: 'retirement/ecdsa-rdfc-2019',
      kind: 'retirement',
      format: 'ecdsa-rdfc-2019',
      signed: await issue(retirementP256, {
        format: 'ecdsa-rdfc-2019',
        signer: registryP256.dataIntegrity,
        clock: CLOCK,
      }),
      options,
    },
    {
      name: 'status-list/jose',
      kind: 'status-list',
      format: 'jose',
      signed: await issue(list(registry.did), { format: 'jose', signer: registry.jose }),
      options,
    },
    {
      name: 'status-list/eddsa-rdfc-2022',
      kind: 'status-list',
      format: 'eddsa-rdfc-2022',
      signed: await issue(list(registry.did), {
        format: 'eddsa-rdfc-2022',
        signer: registry.dataIntegrity,
        clock: CLOCK,
      }),
      options,
    },
    // The example allocation is valid from 2026-12-15 (after the retirements it pays for).
    {
      name: 'premium-allocation/jose',
      kind: 'premium-allocation',
      format: 'jose',
      signed: example('impact/allocation.signed.json'),
      options: allocationOptions,
    },
    {
      name: 'premium-allocation/eddsa-rdfc-2022',
      kind: 'premium-allocation',
      format: 'eddsa-rdfc-2022',
      signed: await issue(example('impact/allocation.json'), {
        format: 'eddsa-rdfc-2022',
        signer: registry.dataIntegrity,
        clock: ALLOCATION_CLOCK,
      }),
      options: allocationOptions,
    },
    // A retirement whose beneficiary is withheld behind a salted commitment (docs/privacy.md).
    {
      name: 'retirement-withheld/jose',
      kind: 'retirement',
      format: 'jose',
      signed: example('privacy/retirement-withheld.signed.json'),
      options,
    },
  ];
  const retirementJose = samples[1]!.signed;
  const statusDi = samples[6]!.signed;
  samples.push(
    {
      name: 'presentation/jose',
      kind: 'presentation',
      format: 'jose',
      signed: await signPresentation(
        createPresentation(holder.did, [retirementJose], 'urn:uuid:0d2f9a53-9f55-4c53-9a53-3e1f0a6b7c01'),
        { format: 'jose', signer: holder.jose, challenge: CHALLENGE, domain: DOMAIN, clock: CLOCK },
      ),
      options: presentationOptions,
    },
    {
      name: 'presentation/eddsa-rdfc-2022',
      kind: 'presentation',
      format: 'eddsa-rdfc-2022',
      signed: await signPresentation(
        createPresentation(holder.did, [statusDi], 'urn:uuid:0d2f9a53-9f55-4c53-9a53-3e1f0a6b7c02'),
        { format: 'eddsa-rdfc-2022', signer: holder.dataIntegrity, challenge: CHALLENGE, domain: DOMAIN, clock: CLOCK },
      ),
      options: presentationOptions,
    },
  );
  return { registry, registryP256, holder, samples };
}

/** Emitted kinds with a fuzzer of their own: bundles (tamper-fuzz-bundle.test.ts), SD-JWT (tamper-fuzz-sdjwt.test.ts). */
export const KINDS_FUZZED_ELSEWHERE = ['bundle (tamper-fuzz-bundle.test.ts)', 'vc+sd-jwt (tamper-fuzz-sdjwt.test.ts)'];
