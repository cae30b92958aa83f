import { ArtefactRegistry } from '../artefacts/registry.js';
import { UntpCreditsError } from '../errors.js';
import { appendPointer, valueAt } from '../lib/json-pointer.js';
import type { Issue } from '../validate/report.js';
import { ContextStore, JsonLdSyntaxError, UnsupportedFeature, type JsonLdEventRecord } from './fast/context.js';
import { ExpandOperation, expandDocument } from './fast/expand.js';
import type { JsonLdJsProcessor } from './reference.js';
import type { JsonLdCheckResult, JsonLdProcessor, RdfQuad } from './types.js';

// jsonld.js (the fallback, with its HTTP client) and its toRDF are loaded on first use only, so a
// process that checks pinned contexts does not pay their start-up.
type ToRdfApi = typeof import('jsonld/lib/toRdf.js').default;
let toRdfApi: Promise<ToRdfApi> | undefined;
const loadToRdf = (): Promise<ToRdfApi> => (toRdfApi ??= import('jsonld/lib/toRdf.js').then((m) => m.default));

/** Which engine produced an RDF dataset. */
export interface RdfResult {
  engine: 'fast' | 'jsonld.js';
  quads: RdfQuad[];
}

/**
 * JSON-LD for credentials, fast: the contexts of the artefact registry are processed once into
 * immutable term tables, every type- and property-scoped context is applied once per active
 * context and cached, and one walk of the document expands it, reporting each dropped term at
 * its exact JSON pointer. Results are those of jsonld.js (safe mode) — the algorithms are a
 * pointer-tracking port of jsonld.js 9 — and anything outside the fast path (a context that is
 * not in the registry, `@import`, non-JSON values, a document given as a URL, an internal
 * failure) goes to jsonld.js, still offline. `engine` in the result says which one ran.
 *
 * @example
 *   const jsonld = new FastJsonLdProcessor(ArtefactRegistry.bundled());
 *   const { errors, warnings, engine } = await jsonld.check(credential);
 *   const quads = await jsonld.toRdf(credential); // for RDFC-1.0 canonicalization
 */
export class FastJsonLdProcessor implements JsonLdProcessor {
  private readonly store: ContextStore;
  private fallbackProcessor: Promise<JsonLdJsProcessor> | undefined;

  constructor(private readonly registry: ArtefactRegistry = ArtefactRegistry.bundled()) {
    this.store = new ContextStore((url) => this.registry.get(url, 'context'));
  }

  private fallback(): Promise<JsonLdJsProcessor> {
    this.fallbackProcessor ??= import('./reference.js').then(
      ({ JsonLdJsProcessor }) => new JsonLdJsProcessor(this.registry),
    );
    return this.fallbackProcessor;
  }

  async check(document: unknown): Promise<JsonLdCheckResult> {
    let unknownContext: UnsupportedFeature | undefined;
    try {
      return this.checkFast(document);
    } catch (error) {
      if (error instanceof UnsupportedFeature && error.contextUrl !== undefined) unknownContext = error;
    }
    const result = await (await this.fallback()).check(document);
    return withFallbackDetails(result, document, unknownContext);
  }

  async toRdf(document: unknown): Promise<RdfQuad[]> {
    return (await this.toRdfWithEngine(document)).quads;
  }

  /** `toRdf`, saying which engine produced the dataset. Rejects as `toRdf` does. */
  async toRdfWithEngine(document: unknown): Promise<RdfResult> {
    let quads: RdfQuad[];
    const toRdf = await loadToRdf();
    try {
      quads = this.toRdfFast(document, toRdf);
    } catch (error) {
      if (error instanceof UntpCreditsError) throw error;
      return { engine: 'jsonld.js', quads: await (await this.fallback()).toRdf(document) };
    }
    return { engine: 'fast', quads };
  }

  private checkFast(document: unknown): JsonLdCheckResult {
    const op = new ExpandOperation(this.store);
    let expanded: unknown[];
    try {
      expanded = expandDocument(op, document);
    } catch (error) {
      if (error instanceof JsonLdSyntaxError)
        return { engine: 'fast', expanded: null, errors: [issueFromSyntaxError(error)], warnings: [] };
      throw error;
    }
    const errors: Issue[] = [];
    const seen = new Set<string>();
    const push = (list: Issue[], issue: Issue): void => {
      const key = `${issue.code} ${issue.path} ${issue.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        list.push(issue);
      }
    };
    for (const event of op.events) push(errors, issueFromEvent(event, false));
    for (const path of op.untypedNodes) push(errors, untypedIssue(path));
    const warnings: Issue[] = [];
    for (const { path, key } of op.vocabTerms) {
      push(warnings, {
        code: 'JSONLD_VOCAB_TERM',
        path,
        message: `'${key}' is not defined; only a class-scoped @vocab catch-all gives it an IRI`,
      });
    }
    return { engine: 'fast', expanded, errors, warnings };
  }

  private toRdfFast(document: unknown, toRdf: ToRdfApi): RdfQuad[] {
    const op = new ExpandOperation(this.store);
    let expanded: unknown[];
    try {
      expanded = expandDocument(op, document);
    } catch (error) {
      // In safe mode jsonld.js stops at the first unsafe event, which came before this error.
      const first = op.events[0];
      if (first) throw errorFromEvent(first);
      if (error instanceof JsonLdSyntaxError) {
        const issue = issueFromSyntaxError(error);
        throw new UntpCreditsError(issue.code, issue.message, { path: issue.path });
      }
      throw error;
    }
    const first = op.events[0];
    if (first) throw errorFromEvent(first);
    let stopped: JsonLdEventRecord | undefined;
    const stop = new Error('safe mode');
    const eventHandler = [
      ({ event }: { event: { level: string; code: string; message: string; details?: Record<string, unknown> } }) => {
        if (event.level === 'warning' && TO_RDF_UNSAFE.has(event.code)) {
          stopped = {
            code: event.code,
            message: event.message,
            path: '',
            details: event.details ?? {},
            inScopedValidation: false,
          };
          throw stop;
        }
      },
    ];
    try {
      return toRdf.toRDF(expanded, { eventHandler }) as RdfQuad[];
    } catch (error) {
      if (error === stop && stopped) throw errorFromEvent(stopped);
      throw error;
    }
  }
}

const TO_RDF_UNSAFE = new Set([
  'blank node predicate',
  'relative graph reference',
  'relative object reference',
  'relative predicate reference',
  'relative subject reference',
  'rdfDirection not set',
]);

function issueFromEvent(event: JsonLdEventRecord, throwing: boolean): Issue {
  if (throwing && event.inScopedValidation) {
    return { code: 'JSONLD_INVALID', path: event.path, message: 'not valid JSON-LD: invalid scoped context' };
  }
  if (event.code === 'invalid property') {
    const property = String(event.details.property ?? '');
    return {
      code: 'JSONLD_TERM_DROPPED',
      path: event.path,
      message: `'${property}' is not defined by any context in scope and would be dropped`,
    };
  }
  return { code: 'JSONLD_UNSAFE', path: event.path, message: `JSON-LD safe mode: ${event.code}: ${event.message}` };
}

function errorFromEvent(event: JsonLdEventRecord): UntpCreditsError {
  const issue = issueFromEvent(event, true);
  return new UntpCreditsError(issue.code, issue.message, { path: issue.path, details: { event: event.code } });
}

function issueFromSyntaxError(error: JsonLdSyntaxError): Issue {
  if (error.code === 'protected term redefinition') {
    return {
      code: 'JSONLD_PROTECTED_REDEFINITION',
      path: error.path,
      message: `a context redefines a protected term: ${error.message}`,
    };
  }
  return { code: 'JSONLD_INVALID', path: error.path, message: `not valid JSON-LD: ${error.code}` };
}

function untypedIssue(path: string): Issue {
  return {
    code: 'JSONLD_NODE_UNTYPED',
    path,
    message:
      'this node has no type, so its terms are undefined (UNTP defines terms only inside the context of a type) and are dropped',
  };
}

/** jsonld.js cannot say where things are: add what we know (the unknown context's place, untyped nodes). */
function withFallbackDetails(
  result: JsonLdCheckResult,
  document: unknown,
  unknownContext: UnsupportedFeature | undefined,
): JsonLdCheckResult {
  if (unknownContext?.path !== undefined) {
    for (const error of result.errors)
      if (error.code === 'CONTEXT_UNKNOWN') error.path = contextPointer(document, unknownContext);
  }
  const untyped = new Set<string>();
  for (const error of result.errors) {
    if (error.code !== 'JSONLD_TERM_DROPPED' || error.path === '') continue;
    const parentPath = error.path.slice(0, error.path.lastIndexOf('/'));
    const parent = valueAt(document, parentPath);
    if (
      parent !== null &&
      typeof parent === 'object' &&
      !Array.isArray(parent) &&
      !('type' in parent) &&
      !('@type' in parent)
    )
      untyped.add(parentPath);
  }
  for (const path of untyped) result.errors.push(untypedIssue(path));
  return result;
}

// The URL's own entry in the @context where it was met, when it is listed there.
function contextPointer(document: unknown, unknown: UnsupportedFeature): string {
  const site = unknown.path ?? '/@context';
  const at = valueAt(document, site);
  if (Array.isArray(at)) {
    const index = at.indexOf(unknown.contextUrl);
    if (index >= 0) return appendPointer(site, index);
  }
  return site;
}
