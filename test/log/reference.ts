// A direct, recursive transcription of RFC 9162 §2.1 (MTH, PATH, PROOF and their verification by
// recursion over the same definitions), written independently of src/log to check it against.
import { createHash } from 'node:crypto';

const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};

export const refLeaf = (entry: Uint8Array): Uint8Array => sha(Uint8Array.of(0), entry);
const node = (l: Uint8Array, r: Uint8Array): Uint8Array => sha(Uint8Array.of(1), l, r);

/** k: the largest power of two smaller than n. */
function split(n: number): number {
  let k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

/** Memoised MTH over a fixed list of leaf hashes (memoising changes nothing but speed). */
export class Reference {
  readonly #memo = new Map<string, Uint8Array>();
  constructor(readonly leaves: Uint8Array[]) {}

  mth(start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 0) return sha();
    if (n === 1) return this.leaves[start]!;
    const key = `${start}:${end}`;
    let hash = this.#memo.get(key);
    if (hash === undefined) {
      const k = split(n);
      hash = node(this.mth(start, start + k), this.mth(start + k, end));
      this.#memo.set(key, hash);
    }
    return hash;
  }

  /** PATH(m, D[start:end]). */
  path(m: number, start: number, end: number): Uint8Array[] {
    const n = end - start;
    if (n === 1) return [];
    const k = split(n);
    if (m < k) return [...this.path(m, start, start + k), this.mth(start + k, end)];
    return [...this.path(m - k, start + k, end), this.mth(start, start + k)];
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
  proof(m: number, n: number): Uint8Array[] {
    return this.#subproof(m, 0, n, true);
  }

  #subproof(m: number, start: number, end: number, b: boolean): Uint8Array[] {
    const n = end - start;
    if (m === n) return b ? [] : [this.mth(start, end)];
    const k = split(n);
    if (m <= k) return [...this.#subproof(m, start, start + k, b), this.mth(start + k, end)];
    return [...this.#subproof(m - k, start + k, end, false), this.mth(start, start + k)];
  }
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** Recomputes the root from an audit path by recursion over PATH's definition. */
export function refVerifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: Uint8Array[],
  root: Uint8Array,
): boolean {
  if (index < 0 || index >= size) return false;
  const rest = [...proof];
  const walk = (m: number, n: number): Uint8Array | undefined => {
    if (n === 1) return leaf;
    const sibling = rest.pop();
    if (sibling === undefined) return undefined;
    const k = split(n);
    const below = m < k ? walk(m, k) : walk(m - k, n - k);
    if (below === undefined) return undefined;
    return m < k ? node(below, sibling) : node(sibling, below);
  };
  const computed = walk(index, size);
  return computed !== undefined && rest.length === 0 && same(computed, root);
}

/** Recomputes both roots from a consistency proof by recursion over SUBPROOF's definition. */
export function refVerifyConsistency(
  m: number,
  n: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: Uint8Array[],
): boolean {
  if (m <= 0 || m > n) return false;
  const rest = [...proof];
  const sub = (m: number, n: number, b: boolean): [Uint8Array, Uint8Array] | undefined => {
    if (m === n) {
      if (b) return [oldRoot, oldRoot];
      const h = rest.pop();
      return h === undefined ? undefined : [h, h];
    }
    const last = rest.pop();
    if (last === undefined) return undefined;
    const k = split(n);
    if (m <= k) {
      const inner = sub(m, k, b);
      return inner && [inner[0], node(inner[1], last)];
    }
    const inner = sub(m - k, n - k, false);
    return inner && [node(last, inner[0]), node(last, inner[1])];
  };
  const roots = sub(m, n, true);
  return roots !== undefined && rest.length === 0 && same(roots[0], oldRoot) && same(roots[1], newRoot);
}
