import type { ArtefactRegistry } from '../artefacts/registry.js';
import type { SchemaValidator } from '../artefacts/schemas.js';
import type { JsonLdProcessor } from '../jsonld/types.js';
import type { ExtensionType } from './extensions.js';

export interface ValidateOptions {
  /** Terms caught only by a class-scoped @vocab become errors instead of warnings. */
  strict?: boolean;
  /** Where contexts and schemas come from (default: the bundled registry). */
  registry?: ArtefactRegistry;
  /** Schema validator over the same registry (default: built from `registry`). */
  schemas?: SchemaValidator;
  /** The JSON-LD component (default: createJsonLdProcessor(registry)). */
  jsonld?: JsonLdProcessor;
  /** Extension types in addition to the built-in ones. */
  extensions?: readonly ExtensionType[];
}
