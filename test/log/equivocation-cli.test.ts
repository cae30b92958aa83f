import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ed25519NoteSigner, formatVerifierKey, logEntry, signCheckpoint } from '../../src/log/index.js';
import { runLogEquivocation } from '../../src/cli/log-equivocation.js';
import { lines, writeLogDir } from './support/log-server.js';

const dir = mkdtempSync(join(tmpdir(), 'untp-log-equivocation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const origin = 'registry.example/registry/log';
const signer = ed25519NoteSigner(origin, randomBytes(32));
const vkey = formatVerifierKey(origin, signer.publicKey);
const entries = [1, 2, 3, 4, 5].map((seq) => logEntry({ seq, type: 'account.opened', accountId: `a${seq}` }));

async function run(a: string, b: string, log?: string) {
  const o = lines();
  const code = await runLogEquivocation([a, b], { vkey: [vkey], ...(log ? { log } : {}) }, o.out, o.out);
  return { code, text: o.text() };
}

describe('log equivocation NOTE1 NOTE2', () => {
  it('two notes of one size with different roots: exit 1 and both notes printed; the same note twice: exit 0', async () => {
    const good = join(dir, 'good');
    const note = await writeLogDir(good, entries, origin, signer, vkey);
    const forged = await signCheckpoint({ origin, size: 5, rootHash: new Uint8Array(32).fill(1), extensions: [] }, [
      signer,
    ]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'a'), note);
    writeFileSync(join(dir, 'b'), forged);
    const bad = await run(join(dir, 'a'), join(dir, 'b'));
    expect(bad.code).toBe(1);
    expect(bad.text).toContain('LOG_EQUIVOCATION');
    expect(bad.text).toContain(forged.trimEnd());
    expect(bad.text).toContain(note.trimEnd());
    expect((await run(join(dir, 'a'), join(dir, 'a'))).code).toBe(0);
  });

  it('different sizes: consistent ones agree (proof from the tiles); a fork of the prefix is equivocation', async () => {
    const small = await writeLogDir(join(dir, 'small'), entries.slice(0, 3), origin, signer, vkey);
    const large = await writeLogDir(join(dir, 'large'), entries, origin, signer, vkey);
    const forkedEntries = [
      entries[0]!,
      logEntry({ seq: 2, type: 'account.opened', accountId: 'other' }),
      ...entries.slice(2),
    ];
    const fork = await writeLogDir(join(dir, 'fork'), forkedEntries, origin, signer, vkey);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 's'), small);
    writeFileSync(join(dir, 'l'), large);
    writeFileSync(join(dir, 'f'), fork);
    expect((await run(join(dir, 's'), join(dir, 'l'), join(dir, 'large'))).code).toBe(0);
    const forked = await run(join(dir, 's'), join(dir, 'f'), join(dir, 'fork'));
    expect(forked.code).toBe(1);
    expect(forked.text).toContain('does not extend');
    // Without a log to read the proof from, different sizes cannot be compared: exit 1 (a failed check) with a code.
    expect((await run(join(dir, 's'), join(dir, 'l'))).text).toContain('LOG_CONSISTENCY_PROOF_REQUIRED');
  });
});
