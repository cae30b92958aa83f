import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { UntpCreditsError } from '../errors.js';
import { appendPointer } from '../lib/json-pointer.js';
import type { JsonSchema } from './schemas.js';

// One instance for the command bodies; each schema is compiled on first use. The first error is
// enough: it names the field, and a hostile body cannot make the check collect thousands.
// Strict, except that an `if` may test for a member its branches define (the retirement blocks).
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: false });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/** Where an error points: the member itself for a missing or unexpected one. */
function pointerOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty !== undefined)
    return appendPointer(error.instancePath, params.missingProperty);
  if (error.keyword === 'additionalProperties' && params.additionalProperty !== undefined)
    return appendPointer(error.instancePath, params.additionalProperty);
  return error.instancePath;
}

function describe(error: ErrorObject, path: string): string {
  const where = path === '' ? 'the body' : path;
  if (error.keyword === 'required') return `${where} is required`;
  return `${where} ${error.message ?? 'is not valid'}`;
}

/**
 * Checks a request body against its schema; refuses it with REQUEST_INVALID whose `path` is the
 * JSON pointer of the first offending member (e.g. `/blocks/0/quantity`). Returns the body, typed.
 *
 * @example
 *   checkBody(COMMAND_SCHEMAS.transfer, { from: 'A', to: 'B', quantity: 0 }); // throws REQUEST_INVALID at /quantity
 */
export function checkBody<T = Record<string, unknown>>(schema: JsonSchema, body: unknown): T {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(body)) return body as T;
  // `if`/`then` reports the branch's own error first, then one saying the branch failed: skip those.
  const error = (validate.errors ?? []).find((e) => e.keyword !== 'if') ?? validate.errors?.[0];
  if (!error) throw new UntpCreditsError('REQUEST_INVALID', 'the body is not valid', { path: '' });
  const path = pointerOf(error);
  throw new UntpCreditsError('REQUEST_INVALID', describe(error, path), {
    path,
    details: { keyword: error.keyword, ...error.params },
  });
}
