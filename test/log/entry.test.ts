// Log entries: RFC 8785 canonical JSON, strict JSON input, the size bound, and the split of an
// event touching many blocks; equivocation evidence from two signed checkpoints.
import { describe, expect, it } from 'vitest';
import { openCheckpoint, signCheckpoint } from '../../src/log/checkpoint.js';
import { consistencyProof } from '../../src/log/consistency-proof.js';
import { canonicalJson, eventEntries, jsonDigestMultibase, logEntry, MAX_LOG_ENTRY_SIZE } from '../../src/log/entry.js';
import { detectEquivocation } from '../../src/log/equivocation.js';
import { ed25519NoteSigner, ed25519NoteVerifier } from '../../src/log/note.js';
import { encodeEntryBundle } from '../../src/log/tiles.js';
import { MemoryTree } from '../../src/log/tree.js';
import { formatVerifierKey } from '../../src/log/verifier-key.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const code = (c: string) => expect.objectContaining({ code: c });

describe('RFC 8785 canonical JSON', () => {
  it('the RFC 8785 §3.2.2 example', () => {
    const input = String.raw`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}`;
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    expect(text(canonicalJson(JSON.parse(input)))).toBe(expected);
  });

  it('sorts property names by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = JSON.parse(String.raw`{"\u20ac":1,"\r":2,"\ufb33":3,"1":4,"\ud83d\ude00":5,"\u0080":6,"\u00f6":7}`);
    // Compared as text: Object.keys would list the integer-like key "1" first whatever the order.
    const keys = [...text(canonicalJson(input)).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`));
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('refuses what is not plain JSON, naming where', () => {
    const cases: [unknown, string][] = [
      [{ a: undefined }, '/a'],
      [{ a: [1, NaN] }, '/a/1'],
      [{ a: Infinity }, '/a'],
      [{ 'a/b': { c: '\ud800' } }, '/a~1b/c'],
      [{ a: new Date(0) }, '/a'],
      [{ a: { toJSON: () => 1 } }, '/a/toJSON'],
      [{ a: 1n }, '/a'],
      [{ a: [, 1] }, '/a'], // eslint-disable-line no-sparse-arrays
    ];
    for (const [value, path] of cases)
      expect(() => canonicalJson(value)).toThrow(expect.objectContaining({ code: 'LOG_ENTRY_NOT_JSON', path }));
  });
});

describe('log entries', () => {
  const event = {
    seq: 41,
    type: 'retirement',
    time: '2026-12-04T10:00:00Z',
    blocks: [{ start: 'CO-1', end: 'CO-9' }],
    credentialId: 'urn:uuid:1',
  };

  it('an entry is the canonical JSON of the event, and under 65 535 bytes', () => {
    expect(text(logEntry(event))).toBe(
      '{"blocks":[{"end":"CO-9","start":"CO-1"}],"credentialId":"urn:uuid:1","seq":41,"time":"2026-12-04T10:00:00Z","type":"retirement"}',
    );
    const base = logEntry({ seq: 1, type: 'x', pad: '' }).length;
    const big = { seq: 1, type: 'x', pad: 'a'.repeat(MAX_LOG_ENTRY_SIZE - base) };
    expect(logEntry(big).length).toBe(MAX_LOG_ENTRY_SIZE);
    expect(() => logEntry({ ...big, pad: `${big.pad}a` })).toThrow(code('LOG_ENTRY_TOO_LARGE'));
    expect(() => logEntry([] as never)).toThrow(code('LOG_ENTRY_NOT_JSON'));
    expect(() => encodeEntryBundle([logEntry(big)])).not.toThrow();
  });

  it('an event touching many blocks is split into entries that each fit, with a digest of the whole list', () => {
    const blocks = Array.from({ length: 2500 }, (_, i) => ({
      start: `CO-2026-${String(i * 10).padStart(8, '0')}`,
      end: `CO-2026-${String(i * 10 + 9).padStart(8, '0')}`,
    }));
    const many = { ...event, blocks };
    expect(canonicalJson(many).length).toBeGreaterThan(MAX_LOG_ENTRY_SIZE);
    const entries = eventEntries(many);
    expect(entries.length).toBeGreaterThan(2);
    for (const entry of entries) expect(entry.length).toBeLessThanOrEqual(MAX_LOG_ENTRY_SIZE);
    const [head, ...parts] = entries.map((e) => JSON.parse(text(e)));
    expect(head).toMatchObject({
      seq: 41,
      type: 'retirement',
      blockCount: 2500,
      blockParts: parts.length,
      blocksDigest: jsonDigestMultibase(blocks),
    });
    expect(head.blocks).toBeUndefined();
    expect(parts.map((p) => p.part)).toEqual([...parts.keys()]);
    expect(parts.flatMap((p) => p.blocks)).toEqual(blocks);
    expect(jsonDigestMultibase(parts.flatMap((p) => p.blocks))).toBe(head.blocksDigest);
    expect(jsonDigestMultibase(blocks.slice(1))).not.toBe(head.blocksDigest);
    expect(head.blocksDigest).toMatch(/^zQm/);
    // Small events stay one entry; an oversized event with no block list is refused.
    expect(eventEntries(event)).toHaveLength(1);
    expect(() => eventEntries(event, { maxSize: 60 })).toThrow(code('LOG_ENTRY_TOO_LARGE'));
    expect(() => eventEntries({ seq: 1, type: 'x', pad: 'a'.repeat(70_000) })).toThrow(code('LOG_ENTRY_TOO_LARGE'));
  });
});

describe('equivocation evidence', () => {
  const origin = 'registry.example.org/registry/log';
  const key = ed25519NoteSigner(origin, new Uint8Array(32).fill(3));
  const verifiers = [ed25519NoteVerifier(formatVerifierKey(origin, key.publicKey))];
  const honest = new MemoryTree();
  const forked = new MemoryTree();
  for (let i = 0; i < 20; i++) {
    honest.append(new TextEncoder().encode(`entry ${i}`));
    forked.append(new TextEncoder().encode(i === 7 ? 'rewritten' : `entry ${i}`));
  }
  const signed = async (tree: MemoryTree, size: number) => {
    const note = await signCheckpoint({ origin, size, rootHash: tree.root(size), extensions: [] }, [key]);
    return { note, opened: openCheckpoint(note, origin, verifiers) };
  };

  it('same size, different roots: evidence with both signed notes', async () => {
    const a = await signed(honest, 12);
    const b = await signed(forked, 12);
    const evidence = detectEquivocation(a, b);
    expect(evidence).toMatchObject({
      kind: 'same-size-different-roots',
      origin,
      sizes: [12, 12],
      notes: [a.note, b.note],
    });
    // The evidence stands on its own: both notes open with the log key.
    for (const note of evidence!.notes) expect(openCheckpoint(note, origin, verifiers).checkpoint.size).toBe(12);
    expect(detectEquivocation(a, await signed(honest, 12))).toBeUndefined();
  });

  it('a later tree that does not extend the earlier one: evidence with the failing proof', async () => {
    const early = await signed(honest, 10);
    const late = await signed(forked, 20);
    expect(detectEquivocation(late, early, consistencyProof(10, 20, forked))).toMatchObject({
      kind: 'not-consistent',
      sizes: [10, 20],
      notes: [early.note, late.note],
    });
    expect(detectEquivocation(early, await signed(honest, 20), consistencyProof(10, 20, honest))).toBeUndefined();
    // Up to entry 7 the fork agrees with the honest log.
    expect(detectEquivocation(await signed(honest, 7), late, consistencyProof(7, 20, forked))).toBeUndefined();
    expect(() => detectEquivocation(early, late)).toThrow(code('LOG_CONSISTENCY_PROOF_REQUIRED'));
  });
});
