// docs/transparency-log.md's worked example is computed by this code: every value it shows is
// recomputed here and must appear on the page verbatim.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as log from '../../src/log/index.js';

const page = readFileSync(new URL('../../docs/transparency-log.md', import.meta.url), 'utf8');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

describe('docs/transparency-log.md worked example', () => {
  it('shows what the code computes', async () => {
    const events = [
      { seq: 1, type: 'account.opened', time: '2026-12-01T09:00:00Z', account: 'acct:coop-kolwezi' },
      {
        seq: 2,
        type: 'issuance',
        time: '2026-12-01T09:05:00Z',
        blocks: [{ start: 'CO-2026-000001', end: 'CO-2026-000025' }],
        credentialId: 'https://registry.example.org/credentials/iss-1',
        credentialDigest: 'zQmExampleIssuanceDigest',
      },
      {
        seq: 3,
        type: 'retirement',
        time: '2026-12-02T14:30:00Z',
        blocks: [{ start: 'CO-2026-000001', end: 'CO-2026-000010' }],
        credentialId: 'https://registry.example.org/credentials/ret-1',
        credentialDigest: 'zQmExampleRetirementDigest',
      },
    ];
    const tree = new log.MemoryTree();
    const entries = events.map((e) => log.logEntry(e));
    for (const entry of entries) tree.append(entry);
    const origin = log.logOrigin('https://registry.example.org/registry/log/');
    const key = log.ed25519NoteSigner(origin, new Uint8Array(32).fill(7));
    const witness = log.cosigner('witness.example.net/w1', new Uint8Array(32).fill(9), () => 1796220000);
    const note = await log.signCheckpoint({ origin, size: 3, rootHash: tree.root(), extensions: [] }, [key]);
    const parsed = log.parseSignedNote(note);
    const cosigned = await log.signNote(parsed.text, [witness], parsed.signatures);

    const shown = [
      log.formatVerifierKey(origin, key.publicKey),
      log.formatVerifierKey(witness.name, witness.publicKey, 4),
      new TextDecoder().decode(entries[2]),
      ...entries.map((e, i) => `leaf ${i}    ${hex(log.leafHash(e))}`),
      `root(2)   ${hex(tree.root(2))}`,
      `root(3)   ${hex(tree.root(3))}`,
      cosigned,
      JSON.stringify(log.inclusionProof(2, 3, tree).map(b64)),
      JSON.stringify(log.consistencyProof(2, 3, tree).map(b64)),
      ...log.tilesForSize(3).map((t) => `\`${log.tilePath(t)}\``),
      log.tilePath({ level: 0, index: 1234067, width: 256 }).replace('tile/0/', ''),
    ];
    for (const value of shown) expect(page, value).toContain(value);
    expect(entries[0]!.length).toBe(0x5d);
    expect(page).toContain('`00 5d`, its length 93');
    // The example verifies as the page says it does.
    const { checkpoint } = log.openCheckpoint(cosigned, origin, [
      log.ed25519NoteVerifier(shown[0]!),
      log.cosignatureVerifier(shown[1]!),
    ]);
    expect(
      log.verifyInclusion(tree.leafHash(2), 2, checkpoint.size, log.inclusionProof(2, 3, tree), checkpoint.rootHash),
    ).toBe(true);
  });
});
