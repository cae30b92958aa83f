// JSON-LD 1.1 expansion, ported from jsonld.js 9.0.0 (lib/expand.js) step by step so that the output and
// the safe-mode events are the same, with one addition: every element carries its JSON pointer, so each
// event says exactly where in the input it arose.
import { appendPointer } from '../../lib/json-pointer.js';
import {
  ActiveContext,
  FROM_REGISTRY,
  JsonLdSyntaxError,
  Operation,
  REGEX_BCP47,
  REGEX_KEYWORD,
  UnsupportedFeature,
  asArray,
  expandIri,
  expandedThroughVocab,
  getContextValue,
  hasOwn,
  isAbsoluteIri,
  isKeyword,
  isObject,
  isString,
  processContext,
  type ContextStore,
  type Json,
} from './context.js';

/** One expansion: the events of the base operation, plus what only the fast path can tell. */
export class ExpandOperation extends Operation {
  /** Keys that expanded to an IRI only through a registry context's @vocab. */
  readonly vocabTerms: Array<{ path: string; key: string }> = [];
  /** Nodes (JSON pointers) that lost terms and carry no type. */
  readonly untypedNodes: string[] = [];

  constructor(contexts: ContextStore) {
    super(contexts);
  }
}

/** jsonld.js `expand()` of a whole document (without its remote-document and expandContext options). */
export function expandDocument(op: ExpandOperation, document: unknown): Json[] {
  // jsonld.js treats a string as a URL to load.
  if (typeof document === 'string') throw new UnsupportedFeature('a document given as a URL');
  let expanded = expand(op, op.contexts.initial, null, document, '');
  if (isObject(expanded) && '@graph' in expanded && Object.keys(expanded).length === 1) expanded = expanded['@graph'];
  else if (expanded === null) expanded = [];
  return Array.isArray(expanded) ? expanded : [expanded];
}

function syntax(message: string, code: string, path: string): JsonLdSyntaxError {
  return new JsonLdSyntaxError(`Invalid JSON-LD syntax; ${message}`, code, path);
}

const KEY_CACHE_LIMIT = 4096;

function expandKey(ctx: ActiveContext, key: string | null): Json {
  if (key === null) return null;
  const cache = ctx.keyCache;
  let iri = cache.get(key);
  if (iri === undefined && !cache.has(key)) {
    iri = expandIri(undefined as never, ctx, key, true, false);
    // contexts live as long as the processor; keys come from untrusted documents
    if (cache.size >= KEY_CACHE_LIMIT) cache.clear();
    cache.set(key, iri);
  }
  return iri;
}

const isValue = (v: Json): boolean => isObject(v) && '@value' in v;
const isList = (v: Json): boolean => isObject(v) && '@list' in v;
const isEmptyObject = (v: Json): boolean => isObject(v) && Object.keys(v).length === 0;
function isSubject(v: Json): boolean {
  if (isObject(v) && !('@value' in v || '@set' in v || '@list' in v)) return Object.keys(v).length > 1 || !('@id' in v);
  return false;
}
function isGraph(v: Json): boolean {
  return isObject(v) && '@graph' in v && Object.keys(v).filter((key) => key !== '@id' && key !== '@index').length === 1;
}

/** jsonld.js util.addValue with allowDuplicate (the only mode expansion uses). */
function addValue(subject: Json, property: string, value: Json, propertyIsArray: boolean, prependValue = false): void {
  if (Array.isArray(value)) {
    if (value.length === 0 && propertyIsArray && !hasOwn(subject, property)) subject[property] = [];
    if (prependValue) {
      value = value.concat(subject[property]);
      subject[property] = [];
    }
    for (const v of value) addValue(subject, property, v, propertyIsArray, prependValue);
  } else if (hasOwn(subject, property)) {
    if (!Array.isArray(subject[property])) subject[property] = [subject[property]];
    if (prependValue) subject[property].unshift(value);
    else subject[property].push(value);
  } else {
    subject[property] = propertyIsArray ? [value] : value;
  }
}

function provenance(ctx: ActiveContext, term: Json): boolean {
  return typeof term === 'string' && ctx.mappings.get(term)?.[FROM_REGISTRY] === true;
}

function applyContext(
  op: Operation,
  ctx: ActiveContext,
  local: Json,
  site: string,
  options: { propagate?: boolean; overrideProtected?: boolean; fromRegistry?: boolean },
): ActiveContext {
  const outer = op.site;
  op.site = site;
  try {
    return processContext(op, ctx, local, options);
  } finally {
    op.site = outer;
  }
}

function checkPlain(element: object): void {
  const proto = Object.getPrototypeOf(element);
  if (proto !== Object.prototype && proto !== null && !Array.isArray(element))
    throw new UnsupportedFeature('a non-JSON object');
}

/** jsonld.js expand(). `wrapped`: element is an array jsonld.js made around a single value (its items keep `path`). */
function expand(
  op: ExpandOperation,
  activeCtx: ActiveContext,
  activeProperty: string | null,
  element: Json,
  path: string,
  insideList = false,
  insideIndex = false,
  typeScopedContext: ActiveContext | null = null,
  wrapped = false,
): Json {
  if (element === null || element === undefined) return null;

  if (!Array.isArray(element) && !isObject(element)) {
    if (typeof element !== 'string' && typeof element !== 'number' && typeof element !== 'boolean') {
      throw new UnsupportedFeature('a non-JSON value');
    }
    if (!insideList && (activeProperty === null || expandKey(activeCtx, activeProperty) === '@graph')) {
      op.emit('free-floating scalar', 'Dropping free-floating scalar not in a list.', { value: element }, path);
      return null;
    }
    return expandValue(op, activeCtx, activeProperty, element, path);
  }
  checkPlain(element);

  if (Array.isArray(element)) {
    let rval: Json[] = [];
    const container: string[] = getContextValue(activeCtx, activeProperty, '@container') || [];
    insideList = insideList || container.includes('@list');
    for (let i = 0; i < element.length; ++i) {
      let e = expand(
        op,
        activeCtx,
        activeProperty,
        element[i],
        wrapped ? path : appendPointer(path, i),
        false,
        insideIndex,
        typeScopedContext,
      );
      if (insideList && Array.isArray(e)) e = { '@list': e };
      if (e === null) continue;
      if (Array.isArray(e)) rval = rval.concat(e);
      else rval.push(e);
    }
    return rval;
  }

  const expandedActiveProperty = expandKey(activeCtx, activeProperty);
  const propertyScopedCtx = getContextValue(activeCtx, activeProperty, '@context');
  const propertyScopedFromRegistry = provenance(activeCtx, activeProperty);

  typeScopedContext = typeScopedContext || (activeCtx.previousContext ? activeCtx : null);
  let keys = Object.keys(element).sort();
  let mustRevert = !insideIndex;
  if (mustRevert && typeScopedContext && keys.length <= 2 && !keys.includes('@context')) {
    for (const key of keys) {
      const expandedProperty = expandKey(typeScopedContext, key);
      if (expandedProperty === '@value') {
        mustRevert = false;
        activeCtx = typeScopedContext;
        break;
      }
      if (expandedProperty === '@id' && keys.length === 1) {
        mustRevert = false;
        break;
      }
    }
  }
  if (mustRevert) activeCtx = activeCtx.revertToPreviousContext();

  if (propertyScopedCtx !== undefined) {
    activeCtx = applyContext(op, activeCtx, propertyScopedCtx, path, {
      propagate: true,
      overrideProtected: true,
      fromRegistry: propertyScopedFromRegistry,
    });
  }
  if ('@context' in element) {
    activeCtx = applyContext(op, activeCtx, element['@context'], appendPointer(path, '@context'), {});
  }

  typeScopedContext = activeCtx;
  let typeKey: string | null = null;
  for (const key of keys) {
    if (expandKey(activeCtx, key) === '@type') {
      typeKey = typeKey || key;
      const value = element[key];
      const types = Array.isArray(value) ? (value.length > 1 ? value.slice().sort() : value) : [value];
      for (const type of types) {
        const ctx = getContextValue(typeScopedContext, type, '@context');
        if (ctx !== undefined) {
          activeCtx = applyContext(op, activeCtx, ctx, appendPointer(path, key), {
            propagate: false,
            fromRegistry: provenance(typeScopedContext, type),
          });
        }
      }
    }
  }

  const untyped = typeKey === null && !('type' in element) && !('@type' in element);
  let rval: Json = {};
  expandObject(
    op,
    activeCtx,
    activeProperty,
    expandedActiveProperty,
    element,
    path,
    rval,
    insideList,
    typeKey,
    typeScopedContext,
    untyped ? path : null,
  );

  keys = Object.keys(rval);
  let count = keys.length;

  if ('@value' in rval) {
    if ('@type' in rval && ('@language' in rval || '@direction' in rval)) {
      throw syntax(
        'an element containing "@value" may not contain both "@type" and either "@language" or "@direction".',
        'invalid value object',
        path,
      );
    }
    let validCount = count - 1;
    if ('@type' in rval) validCount -= 1;
    if ('@index' in rval) validCount -= 1;
    if ('@language' in rval) validCount -= 1;
    if ('@direction' in rval) validCount -= 1;
    if (validCount !== 0) {
      throw syntax(
        'an element containing "@value" may only have an "@index" property and either "@type" or either or both "@language" or "@direction".',
        'invalid value object',
        path,
      );
    }
    const values: Json[] = rval['@value'] === null ? [] : asArray(rval['@value']);
    const types: Json[] = [].concat(rval['@type'] || []);
    if (types.includes('@json') && types.length === 1) {
      // any @value is fine with @type @json
    } else if (values.length === 0) {
      op.emit('null @value value', 'Dropping null @value value.', { value: rval }, path);
      rval = null;
    } else if (!values.every((v) => isString(v) || isEmptyObject(v)) && '@language' in rval) {
      throw syntax('only strings may be language-tagged.', 'invalid language-tagged value', path);
    } else if (!types.every((t) => (isAbsoluteIri(t) && !(isString(t) && t.indexOf('_:') === 0)) || isEmptyObject(t))) {
      throw syntax(
        'an element containing "@value" and "@type" must have an absolute IRI for the value of "@type".',
        'invalid typed value',
        path,
      );
    }
  } else if ('@type' in rval && !Array.isArray(rval['@type'])) {
    rval['@type'] = [rval['@type']];
  } else if ('@set' in rval || '@list' in rval) {
    if (count > 1 && !(count === 2 && '@index' in rval)) {
      throw syntax(
        'if an element has the property "@set" or "@list", then it can have at most one other property that is "@index".',
        'invalid set or list object',
        path,
      );
    }
    if ('@set' in rval) {
      rval = rval['@set'];
      keys = Object.keys(rval);
      count = keys.length;
    }
  } else if (count === 1 && '@language' in rval) {
    op.emit('object with only @language', 'Dropping object with only @language.', { value: rval }, path);
    rval = null;
  }

  if (
    isObject(rval) &&
    !insideList &&
    (activeProperty === null ||
      expandedActiveProperty === '@graph' ||
      (getContextValue(activeCtx, activeProperty, '@container') || []).includes('@graph'))
  ) {
    rval = dropUnsafeObject(op, rval, count, path);
  }
  return rval;
}

function dropUnsafeObject(op: Operation, value: Json, count: number, path: string): Json {
  if (count === 0 || '@value' in value || '@list' in value || (count === 1 && '@id' in value)) {
    let code = '';
    let message = '';
    if (count === 0) {
      code = 'empty object';
      message = 'Dropping empty object.';
    } else if ('@value' in value) {
      code = 'object with only @value';
      message = 'Dropping object with only @value.';
    } else if ('@list' in value) {
      code = 'object with only @list';
      message = 'Dropping object with only @list.';
    } else if (count === 1 && '@id' in value) {
      code = 'object with only @id';
      message = 'Dropping object with only @id.';
    }
    op.emit(code, message, { value }, path);
    return null;
  }
  return value;
}

function expandObject(
  op: ExpandOperation,
  activeCtx: ActiveContext,
  activeProperty: string | null,
  expandedActiveProperty: Json,
  element: Record<string, Json>,
  path: string,
  expandedParent: Json,
  insideList: boolean,
  typeKey: string | null,
  typeScopedContext: ActiveContext,
  untypedNode: string | null,
): void {
  const keys = Object.keys(element).sort();
  const nests: string[] = [];
  let unexpandedValue: Json;

  // jsonld.js looks up element[typeKey] even when typeKey is null (i.e. the member "null").
  const typeValue = element[typeKey === null ? 'null' : typeKey];
  const isJsonType =
    typeValue &&
    expandIri(undefined as never, activeCtx, Array.isArray(typeValue) ? typeValue[0] : typeValue, true, false) ===
      '@json';

  for (const key of keys) {
    const value = element[key];
    let expandedValue: Json;
    if (key === '@context') continue;
    const keyPath = appendPointer(path, key);

    const expandedProperty = expandKey(activeCtx, key);
    if (expandedProperty === null || !(isAbsoluteIri(expandedProperty) || isKeyword(expandedProperty))) {
      if (
        untypedNode !== null &&
        !op.untypedNodes.includes(untypedNode) &&
        !keys.some((k) => expandKey(activeCtx, k) === '@value')
      ) {
        op.untypedNodes.push(untypedNode);
      }
      op.emit(
        'invalid property',
        'Dropping property that did not expand into an absolute IRI or keyword.',
        { property: key, expandedProperty },
        keyPath,
      );
      continue;
    }

    if (isKeyword(expandedProperty)) {
      if (expandedActiveProperty === '@reverse')
        throw syntax('a keyword cannot be used as a @reverse property.', 'invalid reverse property map', keyPath);
      if (expandedProperty in expandedParent && expandedProperty !== '@included' && expandedProperty !== '@type') {
        throw syntax('colliding keywords detected.', 'colliding keywords', keyPath);
      }
    } else if (
      expandedThroughVocab(activeCtx, key) &&
      !isAbsoluteIri(activeCtx.strippedVocab === undefined ? undefined : activeCtx.strippedVocab + key)
    ) {
      op.vocabTerms.push({ path: keyPath, key });
    }

    if (expandedProperty === '@id') {
      if (!isString(value)) throw syntax('"@id" value must a string.', 'invalid @id value', keyPath);
      const ve = expandIri(undefined as never, activeCtx, value, false, true);
      if (ve === null) op.emit('reserved @id value', 'Reserved @id found.', { id: value }, keyPath);
      else if (!isAbsoluteIri(ve))
        op.emit('relative @id reference', 'Relative @id reference found.', { id: value, expandedId: ve }, keyPath);
      addValue(expandedParent, '@id', [ve], false);
      continue;
    }

    if (expandedProperty === '@type') {
      if (!(isString(value) || (Array.isArray(value) && value.every((v) => isString(v))))) {
        throw syntax(
          '"@type" value must a string, an array of strings, an empty object, or a default object.',
          'invalid type value',
          keyPath,
        );
      }
      const many = Array.isArray(value);
      addValue(
        expandedParent,
        '@type',
        asArray(value).map((v: string, i: number) => {
          const ve = expandIri(undefined as never, typeScopedContext, v, true, true);
          if (ve !== '@json' && !isAbsoluteIri(ve)) {
            op.emit(
              'relative @type reference',
              'Relative @type reference found.',
              { type: v },
              many ? appendPointer(keyPath, i) : keyPath,
            );
          }
          return ve;
        }),
        false,
      );
      continue;
    }

    if (expandedProperty === '@included') {
      const includedResult = asArray(expand(op, activeCtx, activeProperty, value, keyPath));
      if (!includedResult.every((v) => isSubject(v)))
        throw syntax('values of @included must expand to node objects.', 'invalid @included value', keyPath);
      addValue(expandedParent, '@included', includedResult, true);
      continue;
    }

    if (expandedProperty === '@graph' && !(isObject(value) || Array.isArray(value))) {
      throw syntax('"@graph" value must not be an object or an array.', 'invalid @graph value', keyPath);
    }

    if (expandedProperty === '@value') {
      unexpandedValue = value;
      if (isJsonType) expandedParent['@value'] = value === undefined ? value : structuredClone(value);
      else addValue(expandedParent, '@value', value, false);
      continue;
    }

    if (expandedProperty === '@language') {
      if (value === null) continue;
      if (!isString(value))
        throw syntax('"@language" value must be a string.', 'invalid language-tagged string', keyPath);
      const language = value.toLowerCase();
      if (!REGEX_BCP47.test(language))
        op.emit('invalid @language value', '@language value must be valid BCP47.', { language }, keyPath);
      addValue(expandedParent, '@language', [language], false);
      continue;
    }

    if (expandedProperty === '@direction') {
      if (!isString(value)) throw syntax('"@direction" value must be a string.', 'invalid base direction', keyPath);
      if (value !== 'ltr' && value !== 'rtl')
        throw syntax('"@direction" must be "ltr" or "rtl".', 'invalid base direction', keyPath);
      addValue(expandedParent, '@direction', [value], false);
      continue;
    }

    if (expandedProperty === '@index') {
      if (!isString(value)) throw syntax('"@index" value must be a string.', 'invalid @index value', keyPath);
      addValue(expandedParent, '@index', value, false);
      continue;
    }

    if (expandedProperty === '@reverse') {
      if (!isObject(value)) throw syntax('"@reverse" value must be an object.', 'invalid @reverse value', keyPath);
      expandedValue = expand(op, activeCtx, '@reverse', value, keyPath);
      if ('@reverse' in expandedValue) {
        for (const property in expandedValue['@reverse'])
          addValue(expandedParent, property, expandedValue['@reverse'][property], true);
      }
      let reverseMap = expandedParent['@reverse'] || null;
      for (const property in expandedValue) {
        if (property === '@reverse') continue;
        if (reverseMap === null) reverseMap = expandedParent['@reverse'] = {};
        addValue(reverseMap, property, [], true);
        for (const item of expandedValue[property]) {
          if (isValue(item) || isList(item))
            throw syntax(
              '"@reverse" value must not be a @value or an @list.',
              'invalid reverse property value',
              keyPath,
            );
          addValue(reverseMap, property, item, true);
        }
      }
      continue;
    }

    if (expandedProperty === '@nest') {
      nests.push(key);
      continue;
    }

    let termCtx = activeCtx;
    const ctx = getContextValue(activeCtx, key, '@context');
    if (ctx !== undefined) {
      termCtx = applyContext(op, activeCtx, ctx, keyPath, {
        propagate: true,
        overrideProtected: true,
        fromRegistry: provenance(activeCtx, key),
      });
    }
    const container: string[] = getContextValue(activeCtx, key, '@container') || [];

    if (container.includes('@language') && isObject(value)) {
      const direction = getContextValue(termCtx, key, '@direction');
      expandedValue = expandLanguageMap(op, termCtx, value, direction, keyPath);
    } else if (container.includes('@index') && isObject(value)) {
      const asGraph = container.includes('@graph');
      const indexKey: string = getContextValue(termCtx, key, '@index') || '@index';
      const propertyIndex = indexKey !== '@index' && expandKey(activeCtx, indexKey);
      expandedValue = expandIndexMap(op, termCtx, key, value, asGraph, indexKey, propertyIndex, keyPath);
    } else if (container.includes('@id') && isObject(value)) {
      expandedValue = expandIndexMap(op, termCtx, key, value, container.includes('@graph'), '@id', false, keyPath);
    } else if (container.includes('@type') && isObject(value)) {
      expandedValue = expandIndexMap(op, termCtx.revertToPreviousContext(), key, value, false, '@type', false, keyPath);
    } else {
      const isListKey = expandedProperty === '@list';
      if (isListKey || expandedProperty === '@set') {
        let nextActiveProperty = activeProperty;
        if (isListKey && expandedActiveProperty === '@graph') nextActiveProperty = null;
        expandedValue = expand(op, termCtx, nextActiveProperty, value, keyPath, isListKey);
      } else if (getContextValue(activeCtx, key, '@type') === '@json') {
        expandedValue = { '@type': '@json', '@value': value === undefined ? value : structuredClone(value) };
      } else {
        expandedValue = expand(op, termCtx, key, value, keyPath, false);
      }
    }

    if (expandedValue === null && expandedProperty !== '@value') continue;

    if (expandedProperty !== '@list' && !isList(expandedValue) && container.includes('@list')) {
      expandedValue = { '@list': asArray(expandedValue) };
    }

    if (container.includes('@graph') && !container.some((k) => k === '@id' || k === '@index')) {
      expandedValue = asArray(expandedValue).filter(
        (v: Json) => dropUnsafeObject(op, v, Object.keys(v).length, keyPath) !== null,
      );
      if (expandedValue.length === 0) continue;
      expandedValue = expandedValue.map((v: Json) => ({ '@graph': asArray(v) }));
    }

    if (termCtx.mappings.get(key)?.reverse) {
      const reverseMap = (expandedParent['@reverse'] = expandedParent['@reverse'] || {});
      for (const item of asArray(expandedValue)) {
        if (isValue(item) || isList(item))
          throw syntax('"@reverse" value must not be a @value or an @list.', 'invalid reverse property value', keyPath);
        addValue(reverseMap, expandedProperty, item, true);
      }
      continue;
    }

    addValue(expandedParent, expandedProperty, expandedValue, true);
  }

  if ('@value' in expandedParent) {
    if (expandedParent['@type'] === '@json') {
      // any value is fine, checked once the object is complete
    } else if (isObject(unexpandedValue) || Array.isArray(unexpandedValue)) {
      throw syntax('"@value" value must not be an object or an array.', 'invalid value object value', path);
    }
  }

  for (const key of nests) {
    const nestPath = appendPointer(path, key);
    const many = Array.isArray(element[key]);
    const nestedValues: Json[] = many ? element[key] : [element[key]];
    nestedValues.forEach((nv, i) => {
      const nvPath = many ? appendPointer(nestPath, i) : nestPath;
      if (!isObject(nv) || Object.keys(nv).some((k) => expandKey(activeCtx, k) === '@value')) {
        throw syntax('nested value must be a node object.', 'invalid @nest value', nvPath);
      }
      checkPlain(nv);
      expandObject(
        op,
        activeCtx,
        activeProperty,
        expandedActiveProperty,
        nv,
        nvPath,
        expandedParent,
        insideList,
        typeKey,
        typeScopedContext,
        untypedNode,
      );
    });
  }
}

function expandValue(
  op: Operation,
  activeCtx: ActiveContext,
  activeProperty: string | null,
  value: Json,
  path: string,
): Json {
  if (value === null || value === undefined) return null;
  const expandedProperty = expandKey(activeCtx, activeProperty);
  if (expandedProperty === '@id') return expandIri(op, activeCtx, value, false, true);
  if (expandedProperty === '@type') return expandIri(op, activeCtx, value, true, true);

  const type = getContextValue(activeCtx, activeProperty, '@type');
  if ((type === '@id' || expandedProperty === '@graph') && isString(value)) {
    const expandedValue = expandIri(op, activeCtx, value, false, true);
    if (expandedValue === null && REGEX_KEYWORD.test(value))
      op.emit('reserved @id value', 'Reserved @id found.', { id: activeProperty }, path);
    return { '@id': expandedValue };
  }
  if (type === '@vocab' && isString(value)) return { '@id': expandIri(op, activeCtx, value, true, true) };
  if (isKeyword(expandedProperty)) return value;

  const rval: Json = {};
  if (type && !['@id', '@vocab', '@none'].includes(type)) {
    rval['@type'] = type;
  } else if (isString(value)) {
    const language = getContextValue(activeCtx, activeProperty, '@language');
    if (language !== null) rval['@language'] = language;
    const direction = getContextValue(activeCtx, activeProperty, '@direction');
    if (direction !== null) rval['@direction'] = direction;
  }
  rval['@value'] = value;
  return rval;
}

function expandLanguageMap(
  op: Operation,
  activeCtx: ActiveContext,
  languageMap: Record<string, Json>,
  direction: Json,
  path: string,
): Json[] {
  const rval: Json[] = [];
  for (const key of Object.keys(languageMap).sort()) {
    const expandedKey = expandKey(activeCtx, key);
    for (const item of asArray(languageMap[key])) {
      if (item === null) continue;
      if (!isString(item))
        throw syntax('language map values must be strings.', 'invalid language map value', appendPointer(path, key));
      const val: Json = { '@value': item };
      if (expandedKey !== '@none') {
        if (!REGEX_BCP47.test(key))
          op.emit(
            'invalid @language value',
            '@language value must be valid BCP47.',
            { language: key },
            appendPointer(path, key),
          );
        val['@language'] = key.toLowerCase();
      }
      if (direction) val['@direction'] = direction;
      rval.push(val);
    }
  }
  return rval;
}

function expandIndexMap(
  op: ExpandOperation,
  activeCtx: ActiveContext,
  activeProperty: string,
  value: Record<string, Json>,
  asGraph: boolean,
  indexKey: string,
  propertyIndex: Json,
  path: string,
): Json[] {
  const rval: Json[] = [];
  const isTypeIndex = indexKey === '@type';
  for (let key of Object.keys(value).sort()) {
    const keyPath = appendPointer(path, key);
    if (isTypeIndex) {
      const ctx = getContextValue(activeCtx, key, '@context');
      if (ctx !== undefined)
        activeCtx = applyContext(op, activeCtx, ctx, keyPath, {
          propagate: false,
          fromRegistry: provenance(activeCtx, key),
        });
    }
    const raw = value[key];
    const items: Json[] = expand(
      op,
      activeCtx,
      activeProperty,
      Array.isArray(raw) ? raw : [raw],
      keyPath,
      false,
      true,
      null,
      !Array.isArray(raw),
    );

    let expandedKey: Json;
    if (propertyIndex) expandedKey = key === '@none' ? '@none' : expandValue(op, activeCtx, indexKey, key, keyPath);
    else expandedKey = expandKey(activeCtx, key);

    if (indexKey === '@id') key = expandIri(op, activeCtx, key, false, true);
    else if (isTypeIndex) key = expandedKey;

    for (let item of items) {
      if (asGraph && !isGraph(item)) item = { '@graph': [item] };
      if (indexKey === '@type') {
        if (expandedKey === '@none') {
          // no type added
        } else if (item['@type']) item['@type'] = [key].concat(item['@type']);
        else item['@type'] = [key];
      } else if (isValue(item) && !['@language', '@type', '@index'].includes(indexKey)) {
        throw syntax(`Attempt to add illegal key to value object: "${indexKey}".`, 'invalid value object', keyPath);
      } else if (propertyIndex) {
        if (expandedKey !== '@none') addValue(item, propertyIndex, expandedKey, true, true);
      } else if (expandedKey !== '@none' && !(indexKey in item)) {
        item[indexKey] = key;
      }
      rval.push(item);
    }
  }
  return rval;
}
