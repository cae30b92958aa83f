import { cobaltIssuance, cobaltRetirement, REGISTRY, REGISTRY_DID } from '../../examples/cases.js';
import { buildBundle } from '../../src/bundle/build.js';
import type { VerificationBundle } from '../../src/bundle/format.js';
import { buildIssuanceCredential, buildRetirementCredential } from '../../src/credits/build.js';
import { jwsOf } from '../../src/lib/digest.js';
import type { RetirementInput } from '../../src/credits/types.js';
import { issue } from '../../src/issue.js';
import { createDidDocument, keyMethodIds } from '../../src/keys/did-document.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { jwkThumbprint } from '../../src/keys/jwk.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { Signer } from '../../src/keys/types.js';
import { buildStatusListCredential, emptyBitstring, setBit } from '../../src/status/bitstring.js';
import { trustFileFor, type TrustFile } from '../../src/trust/trust-file.js';

/** A registry key (test only) for the fictional registry DID of the examples. */
export interface TestRegistry {
  did: string;
  signer: Signer;
  didDocument: Record<string, unknown>;
  thumbprint: string;
}

export async function testRegistry(did = REGISTRY_DID): Promise<TestRegistry> {
  const { privateJwk, publicJwk } = generateKeyPair('EdDSA');
  const ids = await keyMethodIds(did, publicJwk);
  return {
    did,
    signer: createLocalSigner(privateJwk, ids.jose),
    didDocument: (await createDidDocument(did, [publicJwk])) as Record<string, unknown>,
    thumbprint: await jwkThumbprint(publicJwk),
  };
}

export const STATUS_URL = `${REGISTRY}/status/revocation/1`;

export async function sign(credential: Record<string, unknown>, signer: Signer): Promise<string> {
  return jwsOf(JSON.stringify(await issue(credential, { format: 'jose', signer })));
}

/** The status list as of a snapshot, with the given indexes revoked. */
export async function statusList(
  signer: Signer,
  revoked: number[] = [],
  validFrom = '2026-11-01T00:00:00Z',
): Promise<string> {
  let bits = emptyBitstring();
  for (const index of revoked) bits = setBit(bits, index);
  return sign(buildStatusListCredential({ url: STATUS_URL, issuer: REGISTRY_DID, bits, validFrom }), signer);
}

export interface CobaltStory {
  registry: TestRegistry;
  issuanceJws: string;
  retirementJws: string;
  listJws: string;
  bundle: VerificationBundle;
  trust: TrustFile;
}

/** A retirement of `blocks` from the cobalt issuance (default: serials 41–65), with overrides. */
export function retirementInput(
  issuanceJws: string,
  overrides: Partial<RetirementInput> & { start?: number; end?: number } = {},
): RetirementInput {
  const { start = 41, end = 65, ...rest } = overrides;
  const base = cobaltRetirement(issuanceJws);
  const quantity = end - start + 1;
  return {
    ...base,
    retiredUnits: [
      { issuance: { jws: issuanceJws }, serialBlock: { prefix: 'RCC-CD-LU-1532-2026Q1', start, end, quantity } },
    ],
    claimBoundary: { ...base.claimBoundary, coveredQuantity: { value: quantity, unit: 'TNE' } },
    ...rest,
  };
}

/** The Responsible Cobalt story signed with a fresh test key and bundled. */
export async function cobaltStory(registry?: TestRegistry): Promise<CobaltStory> {
  const r = registry ?? (await testRegistry());
  const issuanceJws = await sign(buildIssuanceCredential(cobaltIssuance), r.signer);
  const retirementJws = await sign(buildRetirementCredential(retirementInput(issuanceJws)), r.signer);
  const listJws = await statusList(r.signer);
  const bundle = await buildBundle(
    {
      retirement: retirementJws,
      issuances: [issuanceJws],
      statusLists: [listJws],
      didDocuments: [r.didDocument],
      bundledAt: '2026-11-02T00:00:00Z',
    },
    r.signer,
  );
  return {
    registry: r,
    issuanceJws,
    retirementJws,
    listJws,
    bundle,
    trust: trustFileFor([{ did: r.did, name: 'registry', keys: [r.thumbprint] }]),
  };
}
