import type { ErrorCode } from '../errors/catalogue.js';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { packageModule } from '../lib/platform.js';
import { UntpCreditsError } from '../errors.js';
import type { Issue } from '../validate/report.js';
import { ArtefactRegistry } from './registry.js';
import { searchRegExp } from './search-regexp.js';
import { bundledPrecompiled, type PrecompiledValidators } from './precompiled-schemas.js';
import { appendPointer } from '../lib/json-pointer.js';

interface AjvCompiler {
  Ajv2020: typeof Ajv2020;
  addFormats: (ajv: Ajv2020) => Ajv2020;
  draft07MetaSchema: object;
}
// ajv, the compiler (~90 modules), is loaded only when a schema compiles at run time: the bundled
// schemas' generated validators need only its small runtime helpers. On Node it loads when first
// needed; elsewhere (a browser bundle) `SchemaValidator.ready()` imports it first.
let compiler: AjvCompiler | undefined;
function compilerNow(): AjvCompiler {
  const module = packageModule();
  if (!compiler && module) {
    const require = module.createRequire(import.meta.url);
    compiler = {
      Ajv2020: (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020,
      // ajv-formats is CommonJS with a default export.
      addFormats: (require('ajv-formats') as { default: AjvCompiler['addFormats'] }).default,
      draft07MetaSchema: require('ajv/dist/refs/json-schema-draft-07.json') as object,
    };
  }
  if (!compiler) throw new UntpCreditsError('INTERNAL_ERROR', 'the schema compiler is not loaded (await ready())');
  return compiler;
}
async function loadCompiler(): Promise<void> {
  if (compiler || packageModule()) return;
  const [ajv, formats, draft07] = await Promise.all([
    import('ajv/dist/2020.js'),
    import('ajv-formats'),
    import('ajv/dist/refs/json-schema-draft-07.json', { with: { type: 'json' } }),
  ]);
  compiler = {
    Ajv2020: ajv.Ajv2020,
    addFormats:
      (formats.default as unknown as { default?: AjvCompiler['addFormats'] }).default ??
      (formats.default as unknown as AjvCompiler['addFormats']),
    draft07MetaSchema: draft07.default as object,
  };
}

/**
 * JSON Schema validation (2020-12, plus draft-07 for the UNTP linkset schema) over the artefact
 * registry. Every registered schema is known by its URL; each is compiled once, on first use (or,
 * for the bundled schemas, generated as code at build time and loaded on first use).
 *
 * @example
 *   const schemas = SchemaValidator.bundled();
 *   const issues = schemas.validate('https://untp.unece.org/artefacts/schema/v0.7.0/dpp/DigitalProductPassport.json', dpp);
 */
export class SchemaValidator {
  private ajvs: { all: Ajv2020; verdict: Ajv2020 } | undefined;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly verdicts = new Map<string, ValidateFunction>();

  /**
   * `precompiled`: validators generated at build time (scripts/build-validators.mjs) for the
   * schemas of this registry, used instead of compiling at run time (the same ajv options, so the
   * same results); a schema they do not hold is compiled at run time.
   */
  constructor(
    readonly registry: ArtefactRegistry,
    private readonly precompiled?: PrecompiledValidators,
  ) {}

  private static shared: SchemaValidator | undefined;
  static bundled(): SchemaValidator {
    SchemaValidator.shared ??= new SchemaValidator(ArtefactRegistry.bundled(), bundledPrecompiled());
    return SchemaValidator.shared;
  }

  /** Loads what validating needs (the schema compiler, unless every schema was generated at build time). */
  async ready(): Promise<void> {
    if (this.isReady) return;
    const precompiled = this.precompiled;
    if (!precompiled || this.registry.urls('schema').some((url) => !precompiled.has(url))) await loadCompiler();
    this.isReady = true;
  }
  private isReady = false;

  /** Two ajv instances holding every schema of the registry, created (and filled) on first need. */
  private runtimeAjv(): { all: Ajv2020; verdict: Ajv2020 } {
    if (!this.ajvs) {
      this.ajvs = { all: configuredAjv(true), verdict: configuredAjv(false) };
      addRegistrySchemas(this.ajvs.all, this.registry);
      addRegistrySchemas(this.ajvs.verdict, this.registry);
    }
    return this.ajvs;
  }

  private compile(allErrors: boolean, url: string): ValidateFunction {
    const cache = allErrors ? this.compiled : this.verdicts;
    const cached = cache.get(url);
    if (cached) return cached;
    if (!this.registry.has(url) || this.registry.kindOf(url) !== 'schema') {
      this.registry.get(url, 'schema'); // throws the naming error
      throw new UntpCreditsError('ARTEFACT_UNKNOWN', `${url} is not a schema`);
    }
    const ajvs = this.precompiled?.has(url) ? undefined : this.runtimeAjv();
    const fn = ajvs
      ? (allErrors ? ajvs.all : ajvs.verdict).getSchema(url)
      : this.precompiled?.validator(url, allErrors);
    if (!fn) throw new UntpCreditsError('ARTEFACT_UNKNOWN', `schema ${url} could not be compiled`);
    cache.set(url, fn);
    return fn;
  }

  /** The compiled validator for a schema URL (all errors reported); throws ARTEFACT_UNKNOWN for an unknown one. */
  validator(url: string): ValidateFunction {
    return this.compile(true, url);
  }

  /** Validates `data`; returns the issues (empty when valid), each with a JSON pointer and the schema URL. */
  validate(url: string, data: unknown): Issue[] {
    // The verdict validator stops at the first error: the verdict is the same, and a valid document
    // (the common case) costs about half. The issues of an invalid one come from the allErrors one.
    if (this.compile(false, url)(data)) return [];
    const fn = this.validator(url);
    if (fn(data)) return [];
    return issuesFromAjv(fn.errors ?? [], url);
  }
}

/**
 * The ajv every schema is checked with: 2020-12 plus draft-07 (the UNTP linkset schema), formats.
 * `allErrors: false` stops at the first error (a verdict); `standalone` makes it able to write
 * its validators out as code (the build step does).
 */
export function configuredAjv(allErrors: boolean, standalone?: { regExpCode: string }): Ajv2020 {
  // strict: false because UNTP schemas carry annotation keywords (x-external-enumeration, example).
  // code.regExp: patterns are compiled search-equivalent (search-regexp.ts), without quadratic backtracking.
  const { Ajv2020, addFormats, draft07MetaSchema } = compilerNow();
  const ajv = new Ajv2020({
    strict: false,
    allErrors,
    validateSchema: false,
    code: standalone
      ? { source: true, regExp: Object.assign(searchRegExp.bind(undefined), { code: standalone.regExpCode }) }
      : { regExp: searchRegExp },
  });
  addFormats(ajv);
  ajv.addMetaSchema(draft07MetaSchema as object);
  return ajv;
}

/** Adds every schema of the registry to `ajv`, by its published URL (and by its own $id when that differs). */
export function addRegistrySchemas(ajv: Ajv2020, registry: ArtefactRegistry): void {
  for (const url of registry.urls('schema')) {
    const schema = registry.get(url, 'schema') as Record<string, unknown>;
    const { $id, ...rest } = schema;
    ajv.addSchema({ ...rest, $id: url }, undefined, undefined, false);
    if (typeof $id === 'string' && $id !== url && !ajv.getSchema($id)) {
      ajv.addSchema({ ...rest, $id }, undefined, undefined, false);
    }
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
