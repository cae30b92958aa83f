/**
 * Builds every example from examples/cases.ts through the library's builders and signer, so the
 * committed JSON cannot drift from the code: test/credits/examples.test.ts rebuilds them and
 * compares. Regenerate after a deliberate change with
 *
 *   UPDATE_EXAMPLES=1 npx vitest run test/credits/examples.test.ts
 *
 * Signing uses the fictional example keys in examples/keys/ (Ed25519, so signatures are
 * deterministic). Never use these keys for anything else.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIssuanceCredential, buildRetirementCredential } from '../src/credits/build.js';
import { digestMultibase, jwsOf } from '../src/lib/digest.js';
import { addRetirementClaim } from '../src/credits/dpp.js';
import { issue } from '../src/issue.js';
import { createDidDocument, keyMethodIds } from '../src/keys/did-document.js';
import { publicJwkOf } from '../src/keys/jwk.js';
import { createLocalSigner } from '../src/keys/signer.js';
import type { PrivateJwk, Signer } from '../src/keys/types.js';
import {
  batteryPassport,
  cablePassport,
  cobaltIssuance,
  cobaltRetirement,
  COBALT_RETIREMENT_URL,
  cobaltWithheldRetirement,
  copperIssuanceQ1,
  copperIssuanceQ2,
  copperRetirement,
  COPPER_RETIREMENT_URL,
  ELBE_DID,
  LINDQVIST_DID,
  REGISTRY_DID,
  WITHHELD_BENEFICIARY,
  WITHHELD_DISCLOSURE_DATE,
  WITHHELD_EXAMPLE_SALT,
} from './cases.js';
import { commitBeneficiary, WITHHELD_BENEFICIARY_POINTER } from '../src/credits/beneficiary.js';
import { signDisclosureRelease } from '../src/disclosure/release.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('./', import.meta.url));
const SCHEME_FILE = fileURLToPath(new URL('../contexts/untp-credits/scheme-v1.jsonld', import.meta.url));

type Json = Record<string, unknown>;

/** The fictional example key of `did` (examples/keys/<host>.private.jwk.json): its signer and DID document. */
export async function exampleKey(did: string): Promise<{ signer: Signer; didDocument: Json }> {
  const host = did.slice('did:web:'.length);
  const privateJwk = JSON.parse(readFileSync(`${EXAMPLES_DIR}keys/${host}.private.jwk.json`, 'utf8')) as PrivateJwk;
  const publicJwk = publicJwkOf(privateJwk);
  const ids = await keyMethodIds(did, publicJwk);
  return {
    signer: createLocalSigner(privateJwk, ids.jose),
    didDocument: (await createDidDocument(did, [publicJwk])) as Json,
  };
}

async function sign(credential: Json, signer: Signer): Promise<{ enveloped: Json; jws: string }> {
  const enveloped = await issue(credential, { format: 'jose', signer });
  return { enveloped, jws: jwsOf(JSON.stringify(enveloped)) };
}

/**
 * Every example file, keyed by its path under examples/. Unsigned credentials are the exact
 * payloads of the signed ones.
 */
export async function buildExamples(): Promise<Map<string, Json>> {
  const out = new Map<string, Json>();
  const registry = await exampleKey(REGISTRY_DID);
  const elbe = await exampleKey(ELBE_DID);
  const lindqvist = await exampleKey(LINDQVIST_DID);
  out.set('keys/registry.mineral-credits.example.did.json', registry.didDocument);
  out.set('keys/elbe-cells.example.did.json', elbe.didDocument);
  out.set('keys/lindqvist-kabel.example.did.json', lindqvist.didDocument);
  out.set('scheme/responsible-mineral-credits-scheme-v1.json', JSON.parse(readFileSync(SCHEME_FILE, 'utf8')) as Json);

  // Each credential is written twice: unsigned (the exact payload) and signed; the JWS is returned.
  const put = async (path: string, credential: Json, signer: Signer): Promise<string> => {
    const signed = await sign(credential, signer);
    out.set(`${path}.json`, credential);
    out.set(`${path}.signed.json`, signed.enveloped);
    return signed.jws;
  };

  // Cobalt: issuance → retirement (citing the issuance JWS by digest) → passport claim.
  const cobaltIssJws = await put('cobalt/issuance', buildIssuanceCredential(cobaltIssuance), registry.signer);
  const cobaltRetJws = await put(
    'cobalt/retirement',
    buildRetirementCredential(cobaltRetirement(cobaltIssJws)),
    registry.signer,
  );
  await put(
    'cobalt/battery-dpp',
    addRetirementClaim(batteryPassport(), { retirementJws: cobaltRetJws, retirementUrl: COBALT_RETIREMENT_URL }),
    elbe.signer,
  );

  // Copper: two issuances, one retirement drawing a block from each.
  const q1Jws = await put('copper/issuance-2026q1', buildIssuanceCredential(copperIssuanceQ1), registry.signer);
  const q2Jws = await put('copper/issuance-2026q2', buildIssuanceCredential(copperIssuanceQ2), registry.signer);
  const copperRetJws = await put(
    'copper/retirement',
    buildRetirementCredential(copperRetirement(q1Jws, q2Jws, digestMultibase(q1Jws))),
    registry.signer,
  );
  await put(
    'copper/cable-dpp',
    addRetirementClaim(cablePassport(), { retirementJws: copperRetJws, retirementUrl: COPPER_RETIREMENT_URL }),
    lindqvist.signer,
  );

  // Privacy: a retirement whose beneficiary is withheld until a date, and the registry's release after it.
  const { commitment, disclosure } = commitBeneficiary(
    WITHHELD_BENEFICIARY,
    WITHHELD_DISCLOSURE_DATE,
    WITHHELD_EXAMPLE_SALT,
  );
  const withheldJws = await put(
    'privacy/retirement-withheld',
    buildRetirementCredential(cobaltWithheldRetirement(cobaltIssJws, commitment)),
    registry.signer,
  );
  const release = await signDisclosureRelease(
    {
      credentialJws: withheldJws,
      commitment: WITHHELD_BENEFICIARY_POINTER,
      disclosure: disclosure.disclosure,
      releasedAt: new Date(`${WITHHELD_DISCLOSURE_DATE}T00:00:00Z`),
    },
    registry.signer,
  );
  out.set('privacy/beneficiary-release.json', { release, disclosure: disclosure.disclosure });
  return out;
}

/** The text an example file holds (stable formatting). */
export function exampleText(document: Json): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
