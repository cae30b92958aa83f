/**
 * Builds examples/impact/ (the allocation report, unsigned and signed with the example registry key)
 * from examples/impact/cases.ts; test/impact/impact.test.ts rebuilds and compares. Regenerate with
 *
 *   UPDATE_EXAMPLES=1 npx vitest run test/impact/impact.test.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jwsOf } from '../../src/lib/digest.js';
import { buildAllocationCredential } from '../../src/impact/build.js';
import { issue } from '../../src/issue.js';
import { exampleKey } from '../build.js';
import { REGISTRY_DID } from '../cases.js';
import { cobaltAllocation } from './cases.js';

export const IMPACT_DIR = fileURLToPath(new URL('./', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../', import.meta.url));

/** The example files, keyed by their name under examples/impact/. */
export async function buildImpactExamples(): Promise<Map<string, Record<string, unknown>>> {
  const retirementJws = jwsOf(readFileSync(`${EXAMPLES}cobalt/retirement.signed.json`, 'utf8'));
  const credential = buildAllocationCredential(cobaltAllocation(retirementJws));
  const signed = await issue(credential, { format: 'jose', signer: (await exampleKey(REGISTRY_DID)).signer });
  return new Map([
    ['allocation.json', credential],
    ['allocation.signed.json', signed as Record<string, unknown>],
  ]);
}
