import jsonld, { type JsonLdEvent } from 'jsonld';
import ContextResolver from 'jsonld/lib/ContextResolver.js';
import { ArtefactRegistry } from '../artefacts/registry.js';
import { ArtefactUnknownError, UntpCreditsError } from '../errors.js';
import { appendPointer, valueAt } from '../lib/json-pointer.js';
import type { Issue } from '../validate/report.js';
import type { JsonLdCheckResult, JsonLdProcessor, RdfQuad } from './types.js';

// The events jsonld.js safe mode turns into errors (jsonld/lib/events.js).
const UNSAFE_EVENTS = new Set([
  'empty object',
  'free-floating scalar',
  'invalid @language value',
  'invalid property',
  'null @id value',
  'null @value value',
  'object with only @id',
  'object with only @language',
  'object with only @list',
  'object with only @value',
  'relative @id reference',
  'relative @type reference',
  'relative @vocab reference',
  'reserved @id value',
  'reserved @reverse value',
  'reserved term',
  'blank node predicate',
  'relative graph reference',
  'relative object reference',
  'relative predicate reference',
  'relative subject reference',
  'rdfDirection not set',
]);

/**
 * JSON-LD through jsonld.js: the reference the fast path is tested against, and the fallback for
 * documents whose contexts lie outside the pinned set. Safe-mode events are collected rather than
 * thrown, so one run reports every dropped term. jsonld.js does not say where a dropped term was,
 * so pointers are found by the term's name (every place the name occurs as a key).
 */
export class JsonLdJsProcessor implements JsonLdProcessor {
  private readonly strippedCache = new Map<string, unknown>();

  constructor(private readonly registry: ArtefactRegistry = ArtefactRegistry.bundled()) {}

  async check(document: unknown): Promise<JsonLdCheckResult> {
    const result: JsonLdCheckResult = { engine: 'jsonld.js', expanded: null, errors: [], warnings: [] };
    const real = await this.expandCollecting(document, this.registry.documentLoader);
    if ('error' in real) {
      result.errors.push(real.error);
      return result;
    }
    result.expanded = real.expanded;
    const dropped = new Set<string>();
    for (const event of real.events) {
      if (event.code === 'invalid property') {
        const property = String(event.details?.property ?? '');
        dropped.add(property);
      } else {
        result.errors.push({
          code: 'JSONLD_UNSAFE',
          path: '',
          message: `JSON-LD safe mode: ${event.code}: ${event.message}`,
        });
      }
    }
    const untypedNodes = new Set<string>();
    for (const property of dropped) {
      for (const path of pointersOfKey(document, property)) {
        result.errors.push({
          code: 'JSONLD_TERM_DROPPED',
          path,
          message: `'${property}' is not defined by any context in scope and would be dropped`,
        });
        const parent = path.slice(0, path.lastIndexOf('/'));
        if (path !== '' && !hasType(valueAt(document, parent))) untypedNodes.add(parent);
      }
    }
    for (const path of untypedNodes) {
      result.errors.push({
        code: 'JSONLD_NODE_UNTYPED',
        path,
        message: 'this node has no type, so the terms of its type-scoped context are undefined: add its type',
      });
    }
    // Terms that expand only through a class-scoped @vocab: they are dropped once the @vocab entries are removed.
    const stripped = await this.expandCollecting(document, this.strippedLoader);
    if (!('error' in stripped)) {
      const vocabOnly = new Set<string>();
      for (const event of stripped.events) {
        const property = String(event.details?.property ?? '');
        if (event.code === 'invalid property' && !dropped.has(property)) vocabOnly.add(property);
      }
      for (const property of vocabOnly) {
        for (const path of pointersOfKey(document, property)) {
          result.warnings.push({
            code: 'JSONLD_VOCAB_TERM',
            path,
            message: `'${property}' is not defined; only a class-scoped @vocab catch-all gives it an IRI`,
          });
        }
      }
    }
    return result;
  }

  async toRdf(document: unknown): Promise<RdfQuad[]> {
    try {
      return (await jsonld.toRDF(document, {
        documentLoader: this.registry.documentLoader,
        safe: true,
        base: null,
        contextResolver: isolatedResolver(),
      })) as RdfQuad[];
    } catch (error) {
      const issue = issueFromJsonLdError(error);
      throw new UntpCreditsError(issue.code, issue.message, { path: issue.path, cause: error });
    }
  }

  private async expandCollecting(
    document: unknown,
    documentLoader: (url: string) => Promise<unknown>,
  ): Promise<{ expanded: unknown[]; events: JsonLdEvent[] } | { error: Issue }> {
    const events: JsonLdEvent[] = [];
    try {
      const expanded = await jsonld.expand(document, {
        documentLoader: documentLoader as never,
        base: null,
        contextResolver: isolatedResolver(),
        eventHandler: ({ event, next }) => {
          if (event.level === 'warning' && UNSAFE_EVENTS.has(event.code)) events.push(event);
          else next();
        },
      });
      return { expanded, events };
    } catch (error) {
      return { error: issueFromJsonLdError(error) };
    }
  }

  private readonly strippedLoader = async (url: string) => {
    let document = this.strippedCache.get(url);
    if (document === undefined) {
      document = withoutVocab(this.registry.get(url, 'context'));
      this.strippedCache.set(url, document);
    }
    return { contextUrl: null, documentUrl: url, document };
  };
}

function hasType(node: unknown): boolean {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
  const record = node as Record<string, unknown>;
  return record.type !== undefined || record['@type'] !== undefined;
}

/**
 * jsonld.js's default context cache is process-wide, and a cached context keeps the events array of
 * the call that processed it, which goes on collecting that call's later events: a later document
 * then replays safe-mode events of an earlier one. A cache per call keeps results independent of
 * what was checked before.
 */
function isolatedResolver(): unknown {
  return new ContextResolver({ sharedCache: new Map() });
}

function withoutVocab(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVocab);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (key !== '@vocab') out[key] = withoutVocab(inner);
  return out;
}

/** Every JSON pointer at which `key` occurs as an object member name (outside @context). */
export function pointersOfKey(document: unknown, key: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, appendPointer(path, i)));
    else if (value !== null && typeof value === 'object') {
      for (const [k, inner] of Object.entries(value)) {
        if (k === '@context') continue;
        if (k === key) found.push(appendPointer(path, k));
        walk(inner, appendPointer(path, k));
      }
    }
  };
  walk(document, '');
  return found.length > 0 ? found : [''];
}

/** Maps a jsonld.js failure to our codes; an unknown context names its URL. */
export function issueFromJsonLdError(error: unknown): Issue {
  let cause: unknown = error;
  for (let depth = 0; cause && depth < 6; depth++) {
    if (cause instanceof ArtefactUnknownError) {
      return {
        code: 'CONTEXT_UNKNOWN',
        path: '/@context',
        message: `context ${cause.url} is not bundled or registered (no network loading)`,
      };
    }
    const details = (cause as { details?: { cause?: unknown } }).details;
    cause = details?.cause ?? (cause as { cause?: unknown }).cause;
  }
  const e = error as {
    name?: string;
    message?: string;
    details?: { code?: string; event?: JsonLdEvent; url?: string };
  };
  const code = e.details?.code;
  if (code === 'protected term redefinition') {
    return {
      code: 'JSONLD_PROTECTED_REDEFINITION',
      path: '/@context',
      message: `a context redefines a protected term: ${e.message ?? ''}`,
    };
  }
  if (code === 'loading remote context failed' || code === 'loading document failed') {
    return {
      code: 'CONTEXT_UNKNOWN',
      path: '/@context',
      message: `context ${e.details?.url ?? ''} could not be loaded (no network loading)`,
    };
  }
  if (e.details?.event) {
    return {
      code: e.details.event.code === 'invalid property' ? 'JSONLD_TERM_DROPPED' : 'JSONLD_UNSAFE',
      path: '',
      message: `JSON-LD safe mode: ${e.details.event.code}`,
    };
  }
  return { code: 'JSONLD_INVALID', path: '', message: `not valid JSON-LD: ${code ?? e.message ?? String(error)}` };
}
