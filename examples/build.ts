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
import { digestMultibase, jwsOf } from '../src/credits/digest.js';
import { addRetirementClaim } from '../src/credits/dpp.js';
import { issue } from '../src/issue.js';
import { createDidDocument, keyMethodIds } from '../src/keys/did-document.js';
import { publicJwkOf } from '../src/keys/jwk.js';
import { createLocalSigner } from '../src/keys/signer.js';
import type { PrivateJwk, Signer } from '../src/keys/types.js';
import {
  batteryPassport, cablePassport, cobaltIssuance, cobaltRetirement, COBALT_RETIREMENT_URL, cobaltWithheldRetirement, copperIssuanceQ1, copperIssuanceQ2,
  copperRetirement, COPPER_RETIREMENT_URL, ELBE_DID, LINDQVIST_DID, REGISTRY_DID, WITHHELD_BENEFICIARY, WITHHELD_DISCLOSURE_DATE, WITHHELD_EXAMPLE_SALT,
} from './cases.js';
import { commitBeneficiary, WITHHELD_BENEFICIARY_POINTER } from '../src/disclosure/beneficiary.js';
import { signDisclosureRelease } from '../src/disclosure/release.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('./', import.meta.url));
const SCHEME_FILE = fileURLToPath(new URL('../contexts/untp-credits/scheme-v1.jsonld', import.meta.url));

type Json = Record<string, unknown>;

async function exampleKey(did: string): Promise<{ signer: Signer; didDocument: Json }> {
  const host = did.slice('did:web:'.length);
  const privateJwk = JSON.parse(readFileSync(`${EXAMPLES_DIR}keys/${host}.private.jwk.json`, 'utf8')) as PrivateJwk;
  const publicJwk = publicJwkOf(privateJwk);
  const ids = await keyMethodIds(did, publicJwk);
  return { signer: createLocalSigner(privateJwk, ids.jose), didDocument: await createDidDocument(did, [publicJwk]) as Json };
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

  // Cobalt: issuance → retirement (citing the issuance JWS by digest) → passport claim.
  const cobaltIss = buildIssuanceCredential(cobaltIssuance);
  const cobaltIssSigned = await sign(cobaltIss, registry.signer);
  const cobaltRet = buildRetirementCredential(cobaltRetirement(cobaltIssSigned.jws));
  const cobaltRetSigned = await sign(cobaltRet, registry.signer);
  const battery = addRetirementClaim(batteryPassport(), { retirementJws: cobaltRetSigned.jws, retirementUrl: COBALT_RETIREMENT_URL });
  const batterySigned = await sign(battery, elbe.signer);
  out.set('cobalt/issuance.json', cobaltIss);
  out.set('cobalt/issuance.signed.json', cobaltIssSigned.enveloped);
  out.set('cobalt/retirement.json', cobaltRet);
  out.set('cobalt/retirement.signed.json', cobaltRetSigned.enveloped);
  out.set('cobalt/battery-dpp.json', battery);
  out.set('cobalt/battery-dpp.signed.json', batterySigned.enveloped);

  // Copper: two issuances, one retirement drawing a block from each.
  const q1 = buildIssuanceCredential(copperIssuanceQ1);
  const q1Signed = await sign(q1, registry.signer);
  const q2 = buildIssuanceCredential(copperIssuanceQ2);
  const q2Signed = await sign(q2, registry.signer);
  const copperRet = buildRetirementCredential(copperRetirement(q1Signed.jws, q2Signed.jws, digestMultibase(q1Signed.jws)));
  const copperRetSigned = await sign(copperRet, registry.signer);
  const cable = addRetirementClaim(cablePassport(), { retirementJws: copperRetSigned.jws, retirementUrl: COPPER_RETIREMENT_URL });
  const cableSigned = await sign(cable, lindqvist.signer);
  out.set('copper/issuance-2026q1.json', q1);
  out.set('copper/issuance-2026q1.signed.json', q1Signed.enveloped);
  out.set('copper/issuance-2026q2.json', q2);
  out.set('copper/issuance-2026q2.signed.json', q2Signed.enveloped);
  out.set('copper/retirement.json', copperRet);
  out.set('copper/retirement.signed.json', copperRetSigned.enveloped);
  out.set('copper/cable-dpp.json', cable);
  out.set('copper/cable-dpp.signed.json', cableSigned.enveloped);

  // Privacy: a retirement whose beneficiary is withheld until a date, and the registry's release after it.
  const { commitment, disclosure } = commitBeneficiary(WITHHELD_BENEFICIARY, WITHHELD_DISCLOSURE_DATE, WITHHELD_EXAMPLE_SALT);
  const withheld = buildRetirementCredential(cobaltWithheldRetirement(cobaltIssSigned.jws, commitment));
  const withheldSigned = await sign(withheld, registry.signer);
  const release = await signDisclosureRelease({ credentialJws: withheldSigned.jws, commitment: WITHHELD_BENEFICIARY_POINTER, disclosure: disclosure.disclosure, releasedAt: new Date(`${WITHHELD_DISCLOSURE_DATE}T00:00:00Z`) }, registry.signer);
  out.set('privacy/retirement-withheld.json', withheld);
  out.set('privacy/retirement-withheld.signed.json', withheldSigned.enveloped);
  out.set('privacy/beneficiary-release.json', { release, disclosure: disclosure.disclosure });
  return out;
}

/** The text an example file holds (stable formatting). */
export function exampleText(document: Json): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
