import { createJsonLdProcessor } from '../../jsonld/create.js';
import type { JsonLdProcessor } from '../../jsonld/types.js';

let shared: JsonLdProcessor | undefined;

/** The JSON-LD processor signing and verification use when none is given (one per process, over the bundled registry). */
export function defaultJsonLd(): JsonLdProcessor {
  shared ??= createJsonLdProcessor();
  return shared;
}
