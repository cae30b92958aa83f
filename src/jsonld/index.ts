import { ArtefactRegistry } from '../artefacts/registry.js';
import { JsonLdJsProcessor } from './reference.js';
import type { JsonLdProcessor } from './types.js';

/**
 * The JSON-LD processor the pipeline uses by default for a registry: the fast path for the pinned
 * contexts, falling back to jsonld.js (still offline) for anything else.
 */
export function createJsonLdProcessor(registry: ArtefactRegistry = ArtefactRegistry.bundled()): JsonLdProcessor {
  return new JsonLdJsProcessor(registry);
}
