export { UntpCreditsError, ArtefactUnknownError, InvalidInputError, isUntpCreditsError } from './errors.js';
export { ArtefactRegistry, type ArtefactEntry, type ArtefactKind } from './artefacts/registry.js';
export { SchemaValidator } from './artefacts/schemas.js';
export type { Issue, ValidationReport } from './validate/report.js';
export type { JsonLdProcessor, JsonLdCheckResult, RdfQuad, RdfTerm } from './jsonld/types.js';
export { JsonLdJsProcessor } from './jsonld/reference.js';
