import { isDeepStrictEqual } from 'node:util';

/** JSON mutation helpers for the tamper fuzzer. All of them copy; none mutates its input. */

export type Path = Array<string | number>;
export interface JsonNode {
  path: Path;
  value: unknown;
}

/** Every node of a JSON value (root first), depth-first, at most `limit` of them. */
export function nodesOf(root: unknown, limit = 20_000): JsonNode[] {
  const out: JsonNode[] = [];
  const stack: JsonNode[] = [{ path: [], value: root }];
  while (stack.length > 0 && out.length < limit) {
    const node = stack.pop() as JsonNode;
    out.push(node);
    const v = node.value;
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ path: [...node.path, i], value: v[i] });
    else if (v !== null && typeof v === 'object')
      for (const k of Object.keys(v).reverse())
        stack.push({ path: [...node.path, k], value: (v as Record<string, unknown>)[k] });
  }
  return out;
}

function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // An own data property even for `__proto__` (as JSON.parse would make), never a prototype change.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function edit(root: unknown, path: Path, at: (parent: unknown, key: string | number) => void): unknown {
  const copy = structuredClone(root);
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
  at(parent, path[path.length - 1] as string | number);
  return copy;
}

export function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return structuredClone(value);
  return edit(root, path, (parent, key) => {
    if (Array.isArray(parent)) parent[key as number] = value;
    else defineOwn(parent as Record<string, unknown>, String(key), value);
  });
}

export function removeAt(root: unknown, path: Path): unknown {
  return edit(root, path, (parent, key) => {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, unknown>)[String(key)];
  });
}

/** Adds a member to the object at `path` (a fresh key) or an element to the array at `path`. */
export function addAt(root: unknown, path: Path, key: string, value: unknown, variant: number): unknown {
  const copy = structuredClone(root);
  let target: unknown = copy;
  for (const k of path) target = (target as Record<string | number, unknown>)[k];
  if (Array.isArray(target)) target.splice(variant % (target.length + 1), 0, value);
  else {
    const object = target as Record<string, unknown>;
    let name = key;
    for (let i = 0; Object.prototype.hasOwnProperty.call(object, name) && i < 10; i++) name = `${key}${i}`;
    defineOwn(object, name, value);
  }
  return copy;
}

/** A value different from `value`: near misses first (off by one, one character), then type changes and random JSON. */
export function tweak(value: unknown, variant: number, random: unknown): unknown {
  const v = variant % 8;
  let next: unknown;
  if (typeof value === 'number') {
    next = [value + 1, value - 1, value * 2, 0, -value, 2 ** 53, String(value), random][v];
  } else if (typeof value === 'string') {
    const i = value.length === 0 ? 0 : variant % value.length;
    const flipped =
      value.length === 0
        ? 'a'
        : `${value.slice(0, i)}${String.fromCharCode(value.charCodeAt(i) ^ 1)}${value.slice(i + 1)}`;
    next = [
      flipped,
      `${value}x`,
      value.slice(0, -1),
      value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase(),
      ` ${value}`,
      'did:web:attacker.example',
      [value],
      random,
    ][v];
  } else if (typeof value === 'boolean') {
    next = [!value, String(value), value ? 1 : 0, null, random, !value, !value, random][v];
  } else if (value === null) {
    next = [0, '', false, {}, [], random, 'null', random][v];
  } else if (Array.isArray(value)) {
    next = [
      [...value].reverse(),
      value.length > 0 ? [...value, value[0]] : [random],
      [],
      value.slice(1),
      value[0] ?? random,
      { ...value },
      random,
      [random, ...value],
    ][v];
  } else {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    next = [
      {},
      [object],
      random,
      keys.length > 0 ? Object.fromEntries(keys.slice(1).map((k) => [k, object[k]])) : { x: random },
      JSON.stringify(object),
      null,
      random,
      { ...object, id: 'urn:uuid:00000000-0000-4000-8000-000000000000' },
    ][v];
  }
  if (next === undefined || isDeepStrictEqual(next, value))
    next = isDeepStrictEqual(random, value) ? 'tampered' : random;
  return next;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same segment with some of the unused low bits of its last character set differently: it
 * decodes to the same bytes, but is not the canonical encoding (length % 4 == 2: 4 unused bits,
 * == 3: 2 unused bits). Returns the segment unchanged when it has no unused bits.
 */
export function flipUnusedBits(segment: string, variant: number): string {
  const unused = segment.length % 4 === 2 ? 4 : segment.length % 4 === 3 ? 2 : 0;
  if (unused === 0) return segment;
  const index = ALPHABET.indexOf(segment[segment.length - 1] ?? '');
  if (index < 0) return segment;
  const mask = 1 + (variant % ((1 << unused) - 1));
  return `${segment.slice(0, -1)}${ALPHABET[index ^ mask]}`;
}
