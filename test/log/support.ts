/** A small deterministic PRNG (mulberry32) so random sizes are reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A distinct entry per index, of varying length (a synthetic log). */
export function syntheticEntry(index: number): Uint8Array {
  return new TextEncoder().encode(`{"seq":${index},"type":"synthetic","pad":"${'x'.repeat(index % 17)}"}`);
}
