// JSON-LD 1.1 context processing, ported from jsonld.js 9.0.0 (lib/context.js, lib/ContextResolver.js)
// so that it gives the same results and raises the same events. The difference is speed: an active
// context is immutable once built, so nothing is deep-copied, a type-scoped context is reverted by
// reference, and every (active context, local context) pair is processed once per processor and cached.
import urlUtil from 'jsonld/lib/url.js';
import { ArtefactUnknownError } from '../../errors.js';

export const REGEX_KEYWORD = /^@[a-zA-Z]+$/;
export const REGEX_BCP47 = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
const IS_ABSOLUTE = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;
const MAX_CONTEXT_URLS = 10;

/** Where a context came from: a registry document (its @vocab is a catch-all) or the checked document. */
export const FROM_REGISTRY: unique symbol = Symbol('fromRegistry');

export type Json = any;

/** A term definition, with the same enumerable members jsonld.js gives it (protected-term comparison depends on them). */
export interface TermDefinition {
  '@id'?: string | null;
  reverse: boolean;
  _termHasColon?: boolean;
  _prefix?: boolean;
  protected?: boolean;
  '@type'?: string;
  '@container'?: string[];
  '@index'?: string;
  '@context'?: Json;
  '@language'?: string | null;
  '@direction'?: string | null;
  '@nest'?: string;
  [FROM_REGISTRY]?: boolean;
}

/** A JSON-LD syntax error, with the jsonld.js error code. */
export class JsonLdSyntaxError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly path: string,
    readonly url?: string,
  ) {
    super(message);
    this.name = 'JsonLdSyntaxError';
  }
}

/** Thrown when a document or context needs something the fast path leaves to jsonld.js. */
export class UnsupportedFeature extends Error {
  constructor(
    reason: string,
    readonly contextUrl?: string,
    readonly path?: string,
  ) {
    super(reason);
    this.name = 'UnsupportedFeature';
  }
}

export interface JsonLdEventRecord {
  code: string;
  message: string;
  path: string;
  details: Record<string, unknown>;
  /** Raised while a scoped context was being validated: jsonld.js safe mode reports it as 'invalid scoped context'. */
  inScopedValidation: boolean;
}

export function isObject(v: unknown): v is Record<string, Json> {
  return Object.prototype.toString.call(v) === '[object Object]';
}
export function isString(v: unknown): v is string {
  return typeof v === 'string';
}
export function isAbsoluteIri(v: unknown): v is string {
  return typeof v === 'string' && IS_ABSOLUTE.test(v);
}
export function asArray<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}
export const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

const KEYWORDS = new Set([
  '@base',
  '@container',
  '@context',
  '@default',
  '@direction',
  '@embed',
  '@explicit',
  '@graph',
  '@id',
  '@included',
  '@index',
  '@json',
  '@language',
  '@list',
  '@nest',
  '@none',
  '@omitDefault',
  '@prefix',
  '@preserve',
  '@protected',
  '@requireAll',
  '@reverse',
  '@set',
  '@type',
  '@value',
  '@version',
  '@vocab',
]);
export function isKeyword(v: unknown): boolean {
  return typeof v === 'string' && v[0] === '@' && KEYWORDS.has(v);
}

/** The state of one expansion: events raised, where processing is, per-operation context URLs. */
export class Operation {
  readonly events: JsonLdEventRecord[] = [];
  /** Capture lists of the context processings under way (their events are replayed on a cache hit). */
  readonly captures: JsonLdEventRecord[][] = [];
  /** Depth of scoped-context validation (jsonld.js wraps any failure there as 'invalid scoped context'). */
  validationDepth = 0;
  /** JSON pointer of the context being processed, for events and errors. */
  site = '';
  /** Context URLs already resolved in this operation (jsonld.js's per-operation cache). */
  readonly resolvedUrls = new Set<string>();
  /** Provenance of the context whose terms are being defined. */
  definingFromRegistry = false;

  constructor(readonly contexts: ContextStore) {}

  emit(code: string, message: string, details: Record<string, unknown>, path = this.site): void {
    const event: JsonLdEventRecord = { code, message, path, details, inScopedValidation: this.validationDepth > 0 };
    this.record(event);
  }

  replay(events: readonly JsonLdEventRecord[]): void {
    for (const e of events) this.record({ ...e, path: this.site, inScopedValidation: this.validationDepth > 0 });
  }

  private record(event: JsonLdEventRecord): void {
    this.events.push(event);
    for (const capture of this.captures) capture.push(event);
  }
}

interface Processed {
  context: ActiveContext;
  events: JsonLdEventRecord[];
}

/** A local context resolved to a document (jsonld.js ResolvedContext), holding its processed results per active context. */
export class ResolvedContext {
  private readonly processed = new WeakMap<ActiveContext, Processed>();
  private readonly processedOverriding = new WeakMap<ActiveContext, Processed>();
  constructor(
    readonly document: Json,
    readonly fromRegistry: boolean,
  ) {}

  getProcessed(ctx: ActiveContext, overrideProtected: boolean): Processed | undefined {
    return (overrideProtected ? this.processedOverriding : this.processed).get(ctx);
  }
  setProcessed(ctx: ActiveContext, overrideProtected: boolean, value: Processed): void {
    (overrideProtected ? this.processedOverriding : this.processed).set(ctx, value);
  }
}

const NULL_CONTEXT = new ResolvedContext(null, false);

/**
 * Context documents by URL and resolved contexts by identity, shared by every operation of a processor.
 * `load` returns the registry's document for a URL or throws ArtefactUnknownError.
 */
export class ContextStore {
  private readonly remoteWrappers = new Map<string, { '@context': Json }>();
  private readonly resolvedRegistry = new WeakMap<object, ResolvedContext>();
  private readonly resolvedInline = new WeakMap<object, ResolvedContext>();
  readonly initial = new ActiveContext();
  /** jsonld.js resets to a clone of the initial context on `@context: null`. */
  readonly initialClone = this.initial.clone();

  constructor(private readonly load: (url: string) => unknown) {}

  resolvedFor(document: object, fromRegistry: boolean): ResolvedContext {
    const map = fromRegistry ? this.resolvedRegistry : this.resolvedInline;
    let resolved = map.get(document);
    if (!resolved) {
      resolved = new ResolvedContext(document, fromRegistry);
      map.set(document, resolved);
    }
    return resolved;
  }

  /** The document at `url`, wrapped as jsonld.js wraps a remote context: `{ '@context': … }`. */
  remote(url: string, op: Operation): { '@context': Json } {
    let wrapper = this.remoteWrappers.get(url);
    if (wrapper) return wrapper;
    let document: unknown;
    try {
      document = this.load(url);
    } catch (error) {
      if (error instanceof ArtefactUnknownError)
        throw new UnsupportedFeature(`context ${url} is not in the registry`, url, op.site);
      throw error;
    }
    if (!isObject(document)) {
      throw new JsonLdSyntaxError(
        `Dereferencing a URL did not result in a JSON object. URL: "${url}".`,
        'invalid remote context',
        op.site,
        url,
      );
    }
    wrapper = { '@context': '@context' in document ? document['@context'] : {} };
    if (hasRelativeContextUrl(wrapper))
      throw new UnsupportedFeature(`context ${url} refers to a relative context URL`, url, op.site);
    this.remoteWrappers.set(url, wrapper);
    return wrapper;
  }
}

// jsonld.js rewrites relative context URLs inside remote contexts against the context's URL; rare enough to leave to it.
function hasRelativeContextUrl(context: Json): boolean {
  if (!context) return false;
  const ctx = context['@context'];
  if (isString(ctx)) return !isAbsoluteIri(ctx);
  if (Array.isArray(ctx)) {
    return ctx.some((e) => (isString(e) ? !isAbsoluteIri(e) : isObject(e) && hasRelativeContextUrl({ '@context': e })));
  }
  if (!isObject(ctx)) return false;
  for (const term in ctx) if (hasRelativeContextUrl(ctx[term])) return true;
  return false;
}

/** jsonld.js ContextResolver.resolve, against the registry; never fetches. */
function resolveContexts(
  op: Operation,
  context: Json,
  fromRegistry: boolean,
  cycles = new Set<string>(),
): ResolvedContext[] {
  if (context && isObject(context) && context['@context']) context = context['@context'];
  const all: ResolvedContext[] = [];
  for (const ctx of asArray(context)) {
    if (isString(ctx)) {
      all.push(...resolveRemote(op, ctx, cycles));
      continue;
    }
    if (ctx === null) {
      all.push(NULL_CONTEXT);
      continue;
    }
    if (!isObject(ctx))
      throw new JsonLdSyntaxError(
        'Invalid JSON-LD syntax; @context must be an object.',
        'invalid local context',
        op.site,
      );
    all.push(op.contexts.resolvedFor(ctx, fromRegistry));
  }
  return all;
}

function resolveRemote(op: Operation, url: string, cycles: Set<string>): ResolvedContext[] {
  if (!isAbsoluteIri(url)) throw new UnsupportedFeature(`relative context URL ${String(url)}`, url, op.site);
  if (!op.resolvedUrls.has(url)) {
    if (cycles.size > MAX_CONTEXT_URLS)
      throw new JsonLdSyntaxError('Maximum number of @context URLs exceeded.', 'context overflow', op.site);
    if (cycles.has(url)) throw new JsonLdSyntaxError('Cyclical @context URLs detected.', 'context overflow', op.site);
    cycles.add(url);
  }
  const wrapper = op.contexts.remote(url, op);
  const resolved = resolveContexts(op, wrapper, true, cycles);
  op.resolvedUrls.add(url);
  return resolved;
}

/** An immutable (once published) active context. */
export class ActiveContext {
  mappings: Map<string, TermDefinition> = new Map();
  protectedTerms: Set<string> = new Set();
  base: string | null | undefined = undefined;
  hasBase = false;
  vocab: string | undefined = undefined;
  /** The @vocab in force if registry contexts had none (what jsonld.js's @vocab-stripped run of the reference sees). */
  strippedVocab: string | undefined = undefined;
  language: string | undefined = undefined;
  direction: string | undefined = undefined;
  previousContext: ActiveContext | undefined = undefined;
  /** Expansion of keys (vocab-relative) in this context; contexts never change once published. */
  readonly keyCache = new Map<string, Json>();
  private nonPropagating: ActiveContext | undefined;
  private reverted: ActiveContext | undefined;

  /** jsonld.js _cloneActiveContext: note it keeps neither @direction nor processing mode. */
  clone(): ActiveContext {
    const child = new ActiveContext();
    child.mappings = new Map(this.mappings);
    child.protectedTerms = new Set(this.protectedTerms);
    child.previousContext = this.previousContext;
    child.base = this.base;
    child.hasBase = this.hasBase;
    child.language = this.language;
    child.vocab = this.vocab;
    child.strippedVocab = this.strippedVocab;
    return child;
  }

  /** jsonld.js reverts to a clone of the previous context, and a clone has no @direction. */
  revertToPreviousContext(): ActiveContext {
    const previous = this.previousContext;
    if (!previous) return this;
    if (previous.direction === undefined) return previous;
    previous.reverted ??= previous.clone();
    return previous.reverted;
  }

  /** The clone jsonld.js makes before applying a non-propagated (type-scoped) context; one per context, so results cache. */
  withPreviousContext(): ActiveContext {
    if (!this.nonPropagating) {
      this.nonPropagating = this.clone();
      this.nonPropagating.previousContext = this;
    }
    return this.nonPropagating;
  }
}

/** jsonld.js getContextValue. */
export function getContextValue(ctx: ActiveContext, key: string | null, type: string): Json {
  if (key === null) return type === '@context' ? undefined : null;
  const entry = ctx.mappings.get(key);
  if (entry !== undefined && hasOwn(entry, type)) return (entry as Json)[type];
  if (type === '@language' && ctx.language !== undefined) return ctx.language;
  if (type === '@direction' && ctx.direction !== undefined) return ctx.direction;
  if (type === '@context') return undefined;
  return null;
}

function syntax(op: Operation, message: string, code: string): JsonLdSyntaxError {
  return new JsonLdSyntaxError(`Invalid JSON-LD syntax; ${message}`, code, op.site);
}

interface ProcessOptions {
  propagate?: boolean;
  overrideProtected?: boolean;
  cycles?: Set<string>;
  fromRegistry?: boolean;
}

/** jsonld.js context.process: applies a local context to an active context. */
export function processContext(
  op: Operation,
  activeCtx: ActiveContext,
  localCtx: Json,
  options: ProcessOptions = {},
): ActiveContext {
  let { propagate = true } = options;
  const { overrideProtected = false, cycles = new Set<string>(), fromRegistry = false } = options;
  if (isObject(localCtx) && '@context' in localCtx && Array.isArray(localCtx['@context']))
    localCtx = localCtx['@context'];
  const ctxs = asArray(localCtx);
  if (ctxs.length === 0) return activeCtx;

  const resolved = resolveContexts(op, localCtx, fromRegistry);
  // jsonld.js fails with a TypeError here; leave such input to it.
  if (resolved.length === 0) throw new UnsupportedFeature('a context that resolves to nothing');
  const first = resolved[0]!.document;
  if (isObject(first) && typeof first['@propagate'] === 'boolean') propagate = first['@propagate'];

  let rval = activeCtx;
  if (!propagate && !rval.previousContext) rval = rval.withPreviousContext();

  for (const resolvedContext of resolved) {
    let ctx = resolvedContext.document;
    activeCtx = rval;
    if (ctx === null) {
      if (!overrideProtected && activeCtx.protectedTerms.size !== 0) {
        throw syntax(
          op,
          'Tried to nullify a context with protected terms outside of a term definition.',
          'invalid context nullification',
        );
      }
      rval = activeCtx = op.contexts.initialClone;
      continue;
    }
    const processed = resolvedContext.getProcessed(activeCtx, overrideProtected);
    if (processed) {
      op.replay(processed.events);
      rval = activeCtx = processed.context;
      continue;
    }
    if (isObject(ctx) && '@context' in ctx) ctx = ctx['@context'];
    if (!isObject(ctx)) throw syntax(op, '@context must be an object.', 'invalid local context');

    const events: JsonLdEventRecord[] = [];
    op.captures.push(events);
    try {
      rval = defineContext(op, rval.clone(), ctx, resolvedContext.fromRegistry, overrideProtected, cycles);
    } finally {
      op.captures.pop();
    }
    resolvedContext.setProcessed(activeCtx, overrideProtected, { context: rval, events });
  }
  return rval;
}

function defineContext(
  op: Operation,
  rval: ActiveContext,
  ctx: Record<string, Json>,
  fromRegistry: boolean,
  overrideProtected: boolean,
  cycles: Set<string>,
): ActiveContext {
  const defined = new Map<string, unknown>();
  const outerProvenance = op.definingFromRegistry;
  op.definingFromRegistry = fromRegistry;
  try {
    defineTerms(op, rval, ctx, defined, overrideProtected, cycles, fromRegistry);
  } finally {
    op.definingFromRegistry = outerProvenance;
  }
  return rval;
}

function defineTerms(
  op: Operation,
  rval: ActiveContext,
  ctx: Record<string, Json>,
  defined: Map<string, unknown>,
  overrideProtected: boolean,
  cycles: Set<string>,
  fromRegistry: boolean,
): void {
  if ('@version' in ctx) {
    if (ctx['@version'] !== 1.1)
      throw new JsonLdSyntaxError(
        `Unsupported JSON-LD version: ${String(ctx['@version'])}`,
        'invalid @version value',
        op.site,
      );
    defined.set('@version', true);
  }
  if ('@base' in ctx) {
    let base = ctx['@base'];
    if (base === null || isAbsoluteIri(base)) {
      // kept as is
    } else if (isString(base)) {
      base = urlUtil.prependBase(rval.hasBase ? rval.base : undefined, base);
    } else {
      throw syntax(
        op,
        'the value of "@base" in a @context must be an absolute IRI, a relative IRI, or null.',
        'invalid base IRI',
      );
    }
    rval.base = base;
    rval.hasBase = true;
    defined.set('@base', true);
  }
  if ('@vocab' in ctx) {
    const value = ctx['@vocab'];
    if (value === null) {
      rval.vocab = undefined;
      if (!fromRegistry) rval.strippedVocab = undefined;
    } else if (!isString(value)) {
      throw syntax(op, 'the value of "@vocab" in a @context must be a string or null.', 'invalid vocab mapping');
    } else {
      const vocab = expandIri(op, rval, value, true, true) as string;
      if (!isAbsoluteIri(vocab)) op.emit('relative @vocab reference', 'Relative @vocab reference found.', { vocab });
      if (!fromRegistry) {
        // a relative @vocab is appended to the one in force, which differs once registry @vocabs are gone
        const real = rval.vocab;
        rval.vocab = rval.strippedVocab;
        rval.strippedVocab = expandIri(op, rval, value, true, true) as string;
        rval.vocab = real;
      }
      rval.vocab = vocab;
    }
    defined.set('@vocab', true);
  }
  if ('@language' in ctx) {
    const value = ctx['@language'];
    if (value === null) {
      rval.language = undefined;
    } else if (!isString(value)) {
      throw syntax(op, 'the value of "@language" in a @context must be a string or null.', 'invalid default language');
    } else {
      if (!REGEX_BCP47.test(value))
        op.emit('invalid @language value', '@language value must be valid BCP47.', { language: value });
      rval.language = value.toLowerCase();
    }
    defined.set('@language', true);
  }
  if ('@direction' in ctx) {
    const value = ctx['@direction'];
    if (value === null) rval.direction = undefined;
    else if (value !== 'ltr' && value !== 'rtl') {
      throw syntax(
        op,
        'the value of "@direction" in a @context must be null, "ltr", or "rtl".',
        'invalid base direction',
      );
    } else rval.direction = value;
    defined.set('@direction', true);
  }
  if ('@propagate' in ctx) {
    if (typeof ctx['@propagate'] !== 'boolean')
      throw syntax(op, '@propagate value must be a boolean.', 'invalid @propagate value');
    defined.set('@propagate', true);
  }
  if ('@import' in ctx) throw new UnsupportedFeature('@import');

  defined.set('@protected', ctx['@protected'] || false);

  for (const key in ctx) {
    createTermDefinition(op, rval, ctx, key, defined, overrideProtected);
    const value = ctx[key];
    if (isObject(value) && '@context' in value) {
      const keyCtx = value['@context'];
      let process = true;
      if (isString(keyCtx)) {
        if (cycles.has(keyCtx)) process = false;
        else cycles.add(keyCtx);
      }
      if (process) {
        // jsonld.js processes every scoped context once to validate it, and reports any failure the same way.
        op.validationDepth++;
        try {
          processContext(op, rval.clone(), keyCtx, { overrideProtected: true, cycles, fromRegistry });
        } catch (error) {
          if (error instanceof UnsupportedFeature) throw error;
          throw syntax(op, 'invalid scoped context.', 'invalid scoped context');
        } finally {
          op.validationDepth--;
        }
      }
    }
  }
}

/** jsonld.js createTermDefinition. */
export function createTermDefinition(
  op: Operation,
  activeCtx: ActiveContext,
  localCtx: Record<string, Json>,
  term: string,
  defined: Map<string, unknown>,
  overrideProtected = false,
): void {
  if (defined.has(term)) {
    if (defined.get(term)) return;
    throw new JsonLdSyntaxError('Cyclical context definition detected.', 'cyclic IRI mapping', op.site);
  }
  defined.set(term, false);

  let value: Json;
  if (hasOwn(localCtx, term)) value = localCtx[term];

  if (term === '@type' && isObject(value) && (value['@container'] || '@set') === '@set') {
    const validKeys = ['@container', '@id', '@protected'];
    const keys = Object.keys(value);
    if (keys.length === 0 || keys.some((k) => !validKeys.includes(k)))
      throw syntax(op, 'keywords cannot be overridden.', 'keyword redefinition');
  } else if (isKeyword(term)) {
    throw syntax(op, 'keywords cannot be overridden.', 'keyword redefinition');
  } else if (REGEX_KEYWORD.test(term)) {
    op.emit('reserved term', 'Terms beginning with "@" are reserved for future use and dropped.', { term });
    return;
  } else if (term === '') {
    throw syntax(op, 'a term cannot be an empty string.', 'invalid term definition');
  }

  const previousMapping = activeCtx.mappings.get(term);
  activeCtx.mappings.delete(term);

  let simpleTerm = false;
  if (isString(value) || value === null) {
    simpleTerm = true;
    value = { '@id': value };
  }
  if (!isObject(value)) throw syntax(op, '@context term values must be strings or objects.', 'invalid term definition');

  const mapping: TermDefinition = { reverse: false };
  mapping[FROM_REGISTRY] = op.definingFromRegistry;
  activeCtx.mappings.set(term, mapping);

  const validKeys = [
    '@container',
    '@id',
    '@language',
    '@reverse',
    '@type',
    '@context',
    '@direction',
    '@index',
    '@nest',
    '@prefix',
    '@protected',
  ];
  for (const kw in value) {
    if (!validKeys.includes(kw))
      throw syntax(op, `a term definition must not contain ${kw}`, 'invalid term definition');
  }

  const colon = term.indexOf(':');
  mapping._termHasColon = colon > 0;

  if ('@reverse' in value) {
    if ('@id' in value)
      throw syntax(op, 'a @reverse term definition must not contain @id.', 'invalid reverse property');
    if ('@nest' in value)
      throw syntax(op, 'a @reverse term definition must not contain @nest.', 'invalid reverse property');
    const reverse = value['@reverse'];
    if (!isString(reverse)) throw syntax(op, 'a @context @reverse value must be a string.', 'invalid IRI mapping');
    if (REGEX_KEYWORD.test(reverse)) {
      op.emit(
        'reserved @reverse value',
        '@reverse values beginning with "@" are reserved for future use and dropped.',
        { reverse },
      );
      if (previousMapping) activeCtx.mappings.set(term, previousMapping);
      else activeCtx.mappings.delete(term);
      return;
    }
    const id = expandIri(op, activeCtx, reverse, true, false, localCtx, defined);
    if (!isAbsoluteIri(id))
      throw syntax(
        op,
        'a @context @reverse value must be an absolute IRI or a blank node identifier.',
        'invalid IRI mapping',
      );
    mapping['@id'] = id;
    mapping.reverse = true;
  } else if ('@id' in value) {
    let id = value['@id'];
    if (id && !isString(id))
      throw syntax(op, 'a @context @id value must be an array of strings or a string.', 'invalid IRI mapping');
    if (id === null) {
      mapping['@id'] = null;
    } else if (!isKeyword(id) && REGEX_KEYWORD.test(id)) {
      op.emit('reserved @id value', '@id values beginning with "@" are reserved for future use and dropped.', { id });
      if (previousMapping) activeCtx.mappings.set(term, previousMapping);
      else activeCtx.mappings.delete(term);
      return;
    } else if (id !== term) {
      id = expandIri(op, activeCtx, id, true, false, localCtx, defined);
      if (!isAbsoluteIri(id) && !isKeyword(id)) {
        throw syntax(
          op,
          'a @context @id value must be an absolute IRI, a blank node identifier, or a keyword.',
          'invalid IRI mapping',
        );
      }
      if (/(?::[^:])|\//.test(term)) {
        const termDefined = new Map(defined).set(term, true);
        const termIri = expandIri(op, activeCtx, term, true, false, localCtx, termDefined);
        if (termIri !== id) throw syntax(op, 'term in form of IRI must expand to definition.', 'invalid IRI mapping');
      }
      mapping['@id'] = id;
      mapping._prefix = simpleTerm && !mapping._termHasColon && /[:/?#[\]@]$/.test(id);
    }
  }

  if (!('@id' in mapping)) {
    if (mapping._termHasColon) {
      const prefix = term.substring(0, colon);
      if (hasOwn(localCtx, prefix)) createTermDefinition(op, activeCtx, localCtx, prefix, defined);
      const prefixMapping = activeCtx.mappings.get(prefix);
      if (prefixMapping) mapping['@id'] = String(prefixMapping['@id']) + term.substring(colon + 1);
      else mapping['@id'] = term;
    } else if (term === '@type') {
      mapping['@id'] = term;
    } else {
      if (activeCtx.vocab === undefined) throw syntax(op, '@context terms must define an @id.', 'invalid IRI mapping');
      mapping['@id'] = activeCtx.vocab + term;
    }
  }

  if (value['@protected'] === true || (defined.get('@protected') === true && value['@protected'] !== false)) {
    activeCtx.protectedTerms.add(term);
    mapping.protected = true;
  }

  defined.set(term, true);

  if ('@type' in value) {
    let type = value['@type'];
    if (!isString(type)) throw syntax(op, 'an @context @type value must be a string.', 'invalid type mapping');
    if (type === '@json' || type === '@none') {
      // allowed in JSON-LD 1.1
    } else if (type !== '@id' && type !== '@vocab') {
      type = expandIri(op, activeCtx, type, true, false, localCtx, defined);
      if (!isAbsoluteIri(type))
        throw syntax(op, 'an @context @type value must be an absolute IRI.', 'invalid type mapping');
      if (type.indexOf('_:') === 0)
        throw syntax(
          op,
          'an @context @type value must be an IRI, not a blank node identifier.',
          'invalid type mapping',
        );
    }
    mapping['@type'] = type;
  }

  if ('@container' in value) {
    const container: Json[] = isString(value['@container']) ? [value['@container']] : value['@container'] || [];
    const validContainers = ['@list', '@set', '@index', '@language', '@graph', '@id', '@type'];
    let isValid = true;
    const hasSet = container.includes('@set');
    if (container.includes('@list')) {
      if (container.length !== 1)
        throw syntax(op, '@context @container with @list must have no other values', 'invalid container mapping');
    } else if (container.includes('@graph')) {
      if (container.some((key) => key !== '@graph' && key !== '@id' && key !== '@index' && key !== '@set')) {
        throw syntax(
          op,
          '@context @container with @graph must have no other values other than @id, @index, and @set',
          'invalid container mapping',
        );
      }
    } else {
      isValid = isValid && container.length <= (hasSet ? 2 : 1);
    }
    if (container.includes('@type')) {
      mapping['@type'] = mapping['@type'] || '@id';
      if (!['@id', '@vocab'].includes(mapping['@type']))
        throw syntax(op, 'container: @type requires @type to be @id or @vocab.', 'invalid type mapping');
    }
    isValid = isValid && container.every((c) => validContainers.includes(c));
    isValid = isValid && !(hasSet && container.includes('@list'));
    if (!isValid)
      throw syntax(
        op,
        `@context @container value must be one of the following: ${validContainers.join(', ')}`,
        'invalid container mapping',
      );
    if (mapping.reverse && !container.every((c) => ['@index', '@set'].includes(c))) {
      throw syntax(
        op,
        '@context @container value for a @reverse type definition must be @index or @set.',
        'invalid reverse property',
      );
    }
    mapping['@container'] = container;
  }

  if ('@index' in value) {
    if (!('@container' in value) || !mapping['@container']!.includes('@index')) {
      throw syntax(
        op,
        `@index without @index in @container: "${String(value['@index'])}" on term "${term}".`,
        'invalid term definition',
      );
    }
    if (!isString(value['@index']) || value['@index'].indexOf('@') === 0) {
      throw syntax(
        op,
        `@index must expand to an IRI: "${String(value['@index'])}" on term "${term}".`,
        'invalid term definition',
      );
    }
    mapping['@index'] = value['@index'];
  }

  if ('@context' in value) mapping['@context'] = value['@context'];

  if ('@language' in value && !('@type' in value)) {
    let language = value['@language'];
    if (language !== null && !isString(language))
      throw syntax(op, '@context @language value must be a string or null.', 'invalid language mapping');
    if (language !== null) language = language.toLowerCase();
    mapping['@language'] = language;
  }

  if ('@prefix' in value) {
    if (/:|\//.test(term)) throw syntax(op, '@context @prefix used on a compact IRI term', 'invalid term definition');
    if (isKeyword(mapping['@id'])) throw syntax(op, 'keywords may not be used as prefixes', 'invalid term definition');
    if (typeof value['@prefix'] === 'boolean') mapping._prefix = value['@prefix'] === true;
    else throw syntax(op, '@context value for @prefix must be boolean', 'invalid @prefix value');
  }

  if ('@direction' in value) {
    const direction = value['@direction'];
    if (direction !== null && direction !== 'ltr' && direction !== 'rtl') {
      throw syntax(op, '@direction value must be null, "ltr", or "rtl".', 'invalid base direction');
    }
    mapping['@direction'] = direction;
  }

  if ('@nest' in value) {
    const nest = value['@nest'];
    if (!isString(nest) || (nest !== '@nest' && nest.indexOf('@') === 0)) {
      throw syntax(
        op,
        '@context @nest value must be a string which is not a keyword other than @nest.',
        'invalid @nest value',
      );
    }
    mapping['@nest'] = nest;
  }

  const id = mapping['@id'];
  if (id === '@context' || id === '@preserve')
    throw syntax(op, '@context and @preserve cannot be aliased.', 'invalid keyword alias');

  if (previousMapping && previousMapping.protected && !overrideProtected) {
    activeCtx.protectedTerms.add(term);
    mapping.protected = true;
    if (!deepCompare(previousMapping, mapping)) {
      throw new JsonLdSyntaxError(
        `Invalid JSON-LD syntax; tried to redefine a protected term: ${term}`,
        'protected term redefinition',
        op.site,
      );
    }
  }
}

/**
 * jsonld.js _expandIri. `vocab`/`base` say what a relative value is resolved against; localCtx and
 * defined are given while a context is being processed.
 */
export function expandIri(
  op: Operation,
  activeCtx: ActiveContext,
  value: Json,
  vocab: boolean,
  base: boolean,
  localCtx?: Record<string, Json>,
  defined?: Map<string, unknown>,
): Json {
  if (value === null || !isString(value) || isKeyword(value)) return value;
  if (REGEX_KEYWORD.test(value)) return null;

  if (localCtx && hasOwn(localCtx, value) && defined!.get(value) !== true) {
    createTermDefinition(op, activeCtx, localCtx, value, defined!);
  }
  if (vocab) {
    const mapping = activeCtx.mappings.get(value);
    if (mapping !== undefined && '@id' in mapping) return mapping['@id'];
  }
  const colon = value.indexOf(':');
  if (colon > 0) {
    const prefix = value.substring(0, colon);
    const suffix = value.substring(colon + 1);
    if (prefix === '_' || suffix.indexOf('//') === 0) return value;
    if (localCtx && hasOwn(localCtx, prefix)) createTermDefinition(op, activeCtx, localCtx, prefix, defined!);
    const mapping = activeCtx.mappings.get(prefix);
    if (mapping && mapping._prefix) return String(mapping['@id']) + suffix;
    if (isAbsoluteIri(value)) return value;
  }
  if (vocab && activeCtx.vocab !== undefined) return activeCtx.vocab + value;
  if (base) {
    if (activeCtx.hasBase) return activeCtx.base ? urlUtil.prependBase(activeCtx.base, value) : value;
    return value;
  }
  return value;
}

/** Whether a key that expanded to an absolute IRI did so only because of @vocab (not a term, compact IRI or IRI). */
export function expandedThroughVocab(activeCtx: ActiveContext, key: string): boolean {
  if (activeCtx.vocab === undefined || isKeyword(key) || REGEX_KEYWORD.test(key)) return false;
  const mapping = activeCtx.mappings.get(key);
  if (mapping !== undefined && '@id' in mapping) return false;
  const colon = key.indexOf(':');
  if (colon > 0) {
    const prefix = key.substring(0, colon);
    if (prefix === '_' || key.substring(colon + 1).indexOf('//') === 0) return false;
    if (activeCtx.mappings.get(prefix)?._prefix) return false;
    if (isAbsoluteIri(key)) return false;
  }
  return true;
}

function deepCompare(x1: Json, x2: Json): boolean {
  if (!(x1 && typeof x1 === 'object') || !(x2 && typeof x2 === 'object')) return x1 === x2;
  const x1Array = Array.isArray(x1);
  if (x1Array !== Array.isArray(x2)) return false;
  if (x1Array) {
    if (x1.length !== x2.length) return false;
    for (let i = 0; i < x1.length; ++i) if (!deepCompare(x1[i], x2[i])) return false;
    return true;
  }
  const k1s = Object.keys(x1);
  const k2s = Object.keys(x2);
  if (k1s.length !== k2s.length) return false;
  for (const k1 in x1) {
    let v1 = x1[k1];
    let v2 = x2[k1];
    if (k1 === '@container' && Array.isArray(v1) && Array.isArray(v2)) {
      v1 = v1.slice().sort();
      v2 = v2.slice().sort();
    }
    if (!deepCompare(v1, v2)) return false;
  }
  return true;
}
