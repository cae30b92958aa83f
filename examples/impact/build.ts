/**
 * Builds examples/impact/ (the allocation report, unsigned and signed with the example registry key)
 * from examples/impact/cases.ts; test/impact/impact.test.ts rebuilds and compares. Regenerate with
 *
 *   UPDATE_EXAMPLES=1 npx vitest run test/impact/impact.test.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jwsOf } from '../../src/credits/digest.js';
import { buildAllocationCredential } from '../../src/impact/build.js';
import { issue } from '../../src/issue.js';
import { keyMethodIds } from '../../src/keys/did-document.js';
import { publicJwkOf } from '../../src/keys/jwk.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { PrivateJwk } from '../../src/keys/types.js';
import { cobaltAllocation } from './cases.js';

export const IMPACT_DIR = fileURLToPath(new URL('./', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../', import.meta.url));
const REGISTRY_DID = 'did:web:registry.mineral-credits.example';

/** The example files, keyed by their name under examples/impact/. */
export async function buildImpactExamples(): Promise<Map<string, Record<string, unknown>>> {
  const retirementJws = jwsOf(readFileSync(`${EXAMPLES}cobalt/retirement.signed.json`, 'utf8'));
  const credential = buildAllocationCredential(cobaltAllocation(retirementJws));
  const privateJwk = JSON.parse(readFileSync(`${EXAMPLES}keys/registry.mineral-credits.example.private.jwk.json`, 'utf8')) as PrivateJwk;
  const ids = await keyMethodIds(REGISTRY_DID, publicJwkOf(privateJwk));
  const signed = await issue(credential, { format: 'jose', signer: createLocalSigner(privateJwk, ids.jose) });
  return new Map([['allocation.json', credential], ['allocation.signed.json', signed as Record<string, unknown>]]);
}
