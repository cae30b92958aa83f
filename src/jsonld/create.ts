import { ArtefactRegistry } from '../artefacts/registry.js';
import { FastJsonLdProcessor } from './fast.js';
import type { JsonLdProcessor } from './types.js';

/**
 * The JSON-LD processor the pipeline uses by default for a registry: the fast path for the pinned
 * contexts, falling back to jsonld.js (still offline) for anything else.
 *
 * @example
 *   const report = await createJsonLdProcessor().check(credential); // report.engine === 'fast'
 */
export function createJsonLdProcessor(registry: ArtefactRegistry = ArtefactRegistry.bundled()): JsonLdProcessor {
  return new FastJsonLdProcessor(registry);
}
