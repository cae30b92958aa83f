export { createJsonLdProcessor } from './create.js';
export { FastJsonLdProcessor, type RdfResult } from './fast.js';
export { JsonLdJsProcessor } from './reference.js';
