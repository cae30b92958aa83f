import type { ErrorCode } from '../errors/catalogue.js';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { UntpCreditsError } from '../errors.js';
import type { Issue } from '../validate/report.js';
import { ArtefactRegistry } from './registry.js';
import { searchRegExp } from './search-regexp.js';
import { appendPointer } from '../lib/json-pointer.js';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * JSON Schema validation (2020-12, plus draft-07 for the UNTP linkset schema) over the artefact
 * registry. Every registered schema is known by its URL; each is compiled once, on first use.
 *
 * @example
 *   const schemas = SchemaValidator.bundled();
 *   const issues = schemas.validate('https://untp.unece.org/artefacts/schema/v0.7.0/dpp/DigitalProductPassport.json', dpp);
 */
export class SchemaValidator {
  private readonly ajv: Ajv2020;
  // Stops at the first error: the verdict is the same, and a valid document (the common case) costs
  // about half. The issues of an invalid one come from `ajv` (allErrors), compiled only when needed.
  private readonly verdictAjv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly verdicts = new Map<string, ValidateFunction>();
  private readonly added = new Set<string>();

  constructor(readonly registry: ArtefactRegistry) {
    this.ajv = SchemaValidator.newAjv(true);
    this.verdictAjv = SchemaValidator.newAjv(false);
  }

  private static newAjv(allErrors: boolean): Ajv2020 {
    // strict: false because UNTP schemas carry annotation keywords (x-external-enumeration, example).
    // code.regExp: patterns are compiled search-equivalent (search-regexp.ts), without quadratic backtracking.
    const ajv = new Ajv2020({
      strict: false,
      allErrors,
      validateSchema: false,
      code: { regExp: searchRegExp },
    });
    addFormats(ajv);
    ajv.addMetaSchema(draft07MetaSchema as object);
    return ajv;
  }

  private static shared: SchemaValidator | undefined;
  static bundled(): SchemaValidator {
    SchemaValidator.shared ??= new SchemaValidator(ArtefactRegistry.bundled());
    return SchemaValidator.shared;
  }

  private addAll(): void {
    for (const url of this.registry.urls('schema')) {
      if (this.added.has(url)) continue;
      const schema = this.registry.get(url, 'schema') as Record<string, unknown>;
      // A schema's own $id may differ from where it is published; register both.
      const { $id, ...rest } = schema;
      for (const ajv of [this.ajv, this.verdictAjv]) {
        ajv.addSchema({ ...rest, $id: url }, undefined, undefined, false);
        if (typeof $id === 'string' && $id !== url && !ajv.getSchema($id)) {
          ajv.addSchema({ ...rest, $id }, undefined, undefined, false);
        }
      }
      this.added.add(url);
    }
  }

  private compile(ajv: Ajv2020, cache: Map<string, ValidateFunction>, url: string): ValidateFunction {
    const cached = cache.get(url);
    if (cached) return cached;
    if (!this.registry.has(url) || this.registry.kindOf(url) !== 'schema') {
      this.registry.get(url, 'schema'); // throws the naming error
      throw new UntpCreditsError('ARTEFACT_UNKNOWN', `${url} is not a schema`);
    }
    this.addAll();
    const fn = ajv.getSchema(url);
    if (!fn) throw new UntpCreditsError('ARTEFACT_UNKNOWN', `schema ${url} could not be compiled`);
    cache.set(url, fn);
    return fn;
  }

  /** The compiled validator for a schema URL (all errors reported); throws ARTEFACT_UNKNOWN for an unknown one. */
  validator(url: string): ValidateFunction {
    return this.compile(this.ajv, this.compiled, url);
  }

  /** Validates `data`; returns the issues (empty when valid), each with a JSON pointer and the schema URL. */
  validate(url: string, data: unknown): Issue[] {
    if (this.compile(this.verdictAjv, this.verdicts, url)(data)) return [];
    const fn = this.validator(url);
    if (fn(data)) return [];
    return issuesFromAjv(fn.errors ?? [], url);
  }
}

const CODE_BY_KEYWORD: Record<string, ErrorCode> = {
  required: 'SCHEMA_REQUIRED',
  type: 'SCHEMA_TYPE',
  format: 'SCHEMA_FORMAT',
  enum: 'SCHEMA_ENUM',
  const: 'SCHEMA_CONST',
  additionalProperties: 'SCHEMA_ADDITIONAL_PROPERTY',
  minItems: 'SCHEMA_CARDINALITY',
  maxItems: 'SCHEMA_CARDINALITY',
  contains: 'SCHEMA_CONTAINS',
  prefixItems: 'SCHEMA_INVALID',
  pattern: 'SCHEMA_PATTERN',
};

function issuesFromAjv(errors: ErrorObject[], schemaUrl: string): Issue[] {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const error of errors) {
    let path = error.instancePath;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      path = appendPointer(path, params.missingProperty);
    }
    if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path = appendPointer(path, params.additionalProperty);
    }
    const code = CODE_BY_KEYWORD[error.keyword] ?? 'SCHEMA_INVALID';
    const message = describeAjvError(error);
    const key = `${code}|${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ code, path, message, schemaUrl });
  }
  return issues;
}

function describeAjvError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `required property '${String(params.missingProperty)}' is missing`;
    case 'additionalProperties':
      return `property '${String(params.additionalProperty)}' is not allowed here`;
    case 'enum':
      return `must be one of ${JSON.stringify(params.allowedValues)}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${error.message ?? 'is invalid'} (${error.keyword} at ${error.schemaPath})`;
  }
}
