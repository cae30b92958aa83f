import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJson } from '../../src/lib/json-scan.js';

describe('scanJson', () => {
  it('finds duplicate member names at any depth, including escaped spellings, and not across objects', () => {
    expect(scanJson('{"a":1,"b":{"a":2}}').duplicate).toBeUndefined();
    expect(scanJson('{"a":1,"b":2,"a":3}').duplicate).toBe('a');
    expect(scanJson('{"x":[{"k":"v","k":"w"}]}').duplicate).toBe('k');
    expect(scanJson('{"issuer":"x","\\u0069ssuer":"y"}').duplicate).toBe('issuer');
    expect(scanJson('{"a":"{\\"a\\":1,","b":"a"}').duplicate).toBeUndefined();
  });

  it('measures depth and stops early past the limit', () => {
    expect(scanJson('[]').depth).toBe(1);
    expect(scanJson('{"a":[{"b":[1]}]}').depth).toBe(4);
    expect(scanJson('['.repeat(10_000) + ']'.repeat(10_000), 64).depth).toBe(65);
  });

  it('agrees with JSON.parse on depth and on the absence of duplicates for any JSON value', () => {
    const depthOf = (v: unknown): number =>
      v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const scan = scanJson(JSON.stringify(value));
        expect(scan.duplicate).toBeUndefined();
        expect(scan.depth).toBe(depthOf(value));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
