// C2SP signed-note, tlog-checkpoint and tlog-cosignature: published vectors, strict parsing with
// stable codes, and key rotation / witness signatures side by side.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatCheckpoint,
  logOrigin,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from '../../src/log/checkpoint.js';
import { cosignatureMessage, cosignatureTimestamp, cosigner, cosignatureVerifier } from '../../src/log/cosignature.js';
import { ed25519NoteSigner, ed25519NoteVerifier, openNote, parseSignedNote, signNote } from '../../src/log/note.js';
import { MemoryTree } from '../../src/log/tree.js';
import { formatVerifierKey, keyId, parseVerifierKey } from '../../src/log/verifier-key.js';

const seed = (label: string): Uint8Array => new Uint8Array(Buffer.from(label.padEnd(32, '.')).subarray(0, 32));
const code = (c: string) => expect.objectContaining({ code: c });

// The published example of golang.org/x/mod/sumdb/note (BSD licence): a key and the signed note it makes.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SEED_B64 = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_NOTE = `${PETER_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe('signed-note', () => {
  it('reproduces and verifies the published Go example byte for byte', async () => {
    const vkey = parseVerifierKey(PETER_VKEY);
    expect(vkey).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3, type: 1 });
    const signer = ed25519NoteSigner('PeterNeumann', Buffer.from(PETER_SEED_B64, 'base64').subarray(1));
    expect(formatVerifierKey('PeterNeumann', signer.publicKey)).toBe(PETER_VKEY);
    expect(await signNote(PETER_TEXT, [signer])).toBe(PETER_NOTE);
    const opened = openNote(PETER_NOTE, [ed25519NoteVerifier(PETER_VKEY)]);
    expect(opened.text).toBe(PETER_TEXT);
    expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
  });

  it('ignores unknown keys, rejects a bad signature by a known key, and needs one verified', async () => {
    const other = ed25519NoteSigner('EnochRoot', seed('enoch'));
    const both = await signNote(PETER_TEXT, [other], parseSignedNote(PETER_NOTE).signatures);
    const peter = ed25519NoteVerifier(PETER_VKEY);
    expect(openNote(both, [peter]).unknown.map((s) => s.name)).toEqual(['EnochRoot']);
    expect(() =>
      openNote(both, [
        ed25519NoteVerifier(formatVerifierKey('EnochRoot', ed25519NoteSigner('x', seed('other')).publicKey)),
      ]),
    ).toThrow(code('LOG_NOTE_UNVERIFIED'));
    // Same name, other key ID: unknown (ignored), so nothing verifies.
    const impostor = ed25519NoteVerifier(formatVerifierKey('PeterNeumann', other.publicKey));
    expect(() => openNote(PETER_NOTE, [impostor])).toThrow(code('LOG_NOTE_UNVERIFIED'));
    // Same name and ID, wrong signature: the whole note is rejected.
    const tampered = PETER_NOTE.replace('cryptography', 'cryptographY');
    expect(() => openNote(tampered, [peter])).toThrow(code('LOG_NOTE_SIGNATURE_INVALID'));
    expect(() => openNote(PETER_NOTE.replace('x08go/', 'x08go+'), [peter])).toThrow(code('LOG_NOTE_SIGNATURE_INVALID'));
    const twice = PETER_NOTE + PETER_NOTE.split('\n\n')[1];
    expect(() => openNote(twice, [peter])).toThrow(code('LOG_NOTE_DUPLICATE_SIGNATURE'));
  });

  it('parses strictly, naming what is wrong', () => {
    const sig = PETER_NOTE.split('\n\n')[1]!;
    const cases: [string | Uint8Array, string][] = [
      [PETER_TEXT, 'LOG_NOTE_NO_SIGNATURES'],
      [`${PETER_TEXT}\n`, 'LOG_NOTE_NO_SIGNATURES'],
      [`${PETER_TEXT}\n${sig.slice(0, -1)}`, 'LOG_NOTE_SIGNATURE_LINE_MALFORMED'],
      [`${PETER_TEXT}\n- PeterNeumann AAAAAAA=\n`, 'LOG_NOTE_SIGNATURE_LINE_MALFORMED'],
      [`${PETER_TEXT}\n— PeterNeumann\n`, 'LOG_NOTE_SIGNATURE_LINE_MALFORMED'],
      [`${PETER_TEXT}\n— Peter+Neumann AAAAAAA=\n`, 'LOG_NOTE_SIGNATURE_LINE_MALFORMED'],
      [`${PETER_TEXT}\n— PeterNeumann AAAA\n`, 'LOG_NOTE_SIGNATURE_LINE_MALFORMED'],
      [`${PETER_TEXT}\n— PeterNeumann AAAAAAA\n`, 'LOG_NOTE_SIGNATURE_LINE_MALFORMED'],
      [`${PETER_TEXT}\n— PeterNeumann AAAAAAB=\n`, 'LOG_NOTE_SIGNATURE_LINE_MALFORMED'],
      [`${PETER_TEXT}\n— PeterNeumann  AAAAAAA=\n`, 'LOG_NOTE_SIGNATURE_LINE_MALFORMED'],
      [`If\tyou\n\n${sig}`, 'LOG_NOTE_CONTROL_CHARACTER'],
      [`If you\r\n\n${sig}`, 'LOG_NOTE_CONTROL_CHARACTER'],
      [`\ud800\n\n${sig}`, 'LOG_NOTE_NOT_UTF8'],
      [Uint8Array.of(0xff, 0x0a, 0x0a), 'LOG_NOTE_NOT_UTF8'],
      [`${PETER_TEXT}\n${sig.repeat(101)}`, 'LOG_NOTE_TOO_MANY_SIGNATURES'],
      ['x'.repeat(1 << 21), 'LOG_NOTE_TOO_LARGE'],
    ];
    for (const [input, expected] of cases)
      expect(() => parseSignedNote(input), String(input).slice(0, 80)).toThrow(code(expected));
    expect(parseSignedNote(`${PETER_TEXT}\n${sig.repeat(16)}`).signatures).toHaveLength(16);
    // The text may contain blank lines; the last one separates the signatures.
    expect(parseSignedNote(`a\n\nb\n\n${sig}`).text).toBe('a\n\nb\n');
  });

  it('verifier keys: strict format, matching key ID, supported types only', () => {
    const good = PETER_VKEY;
    expect(() => parseVerifierKey(good.replace('c74f20a3', 'c74f20a4'))).toThrow(code('LOG_VKEY_KEY_ID_MISMATCH'));
    expect(() => parseVerifierKey(good.replace('c74f20a3', 'C74F20A3'))).toThrow(code('LOG_VKEY_MALFORMED'));
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3')).toThrow(code('LOG_VKEY_MALFORMED'));
    expect(() => parseVerifierKey(`${good}+extra`)).toThrow(code('LOG_VKEY_MALFORMED'));
    expect(() => parseVerifierKey(good.replace('ARpc', 'Apc2'))).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^LOG_VKEY_/) }),
    );
    // The Go test's bad keys: a 33-byte key and an unknown algorithm, each with its key ID adjusted.
    expect(() =>
      parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
    ).toThrow(code('LOG_VKEY_MALFORMED'));
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(
      code('LOG_VKEY_UNSUPPORTED'),
    );
    expect(() => ed25519NoteVerifier(formatVerifierKey('w', new Uint8Array(32).fill(1), 4))).toThrow(
      code('LOG_VKEY_UNSUPPORTED'),
    );
    expect(keyId('PeterNeumann', 1, parseVerifierKey(good).publicKey)).toBe(0xc74f20a3);
  });
});

describe('tlog-checkpoint', () => {
  const origin = logOrigin('https://registry.example.org/registry/log/');
  const logKey = ed25519NoteSigner(origin, seed('log key'));
  const vkey = formatVerifierKey(origin, logKey.publicKey);
  const tree = new MemoryTree();
  for (let i = 0; i < 5; i++) tree.append(new TextEncoder().encode(`entry ${i}`));
  const checkpoint = { origin, size: 5, rootHash: tree.root(), extensions: [] };

  it('the origin is the URL prefix without scheme; the note verifies with the vkey named after it', async () => {
    expect(origin).toBe('registry.example.org/registry/log');
    expect(logOrigin('http://127.0.0.1:8090/registry/log')).toBe('127.0.0.1:8090/registry/log');
    expect(() => logOrigin('registry.example.org/log')).toThrow(code('LOG_ORIGIN_INVALID'));
    expect(() => logOrigin('https://registry.example.org/log?x=1')).toThrow(code('LOG_ORIGIN_INVALID'));
    const note = await signCheckpoint(checkpoint, [logKey]);
    expect(note.split('\n').slice(0, 4)).toEqual([origin, '5', Buffer.from(tree.root()).toString('base64'), '']);
    const opened = openCheckpoint(note, origin, [ed25519NoteVerifier(vkey)]);
    expect(opened.checkpoint.size).toBe(5);
    expect(Buffer.from(opened.checkpoint.rootHash).equals(Buffer.from(tree.root()))).toBe(true);
  });

  it('refuses another origin, a missing log signature and malformed bodies', async () => {
    const note = await signCheckpoint(checkpoint, [logKey]);
    const otherOrigin = 'other.example/log';
    expect(() =>
      openCheckpoint(note, otherOrigin, [ed25519NoteVerifier(formatVerifierKey(otherOrigin, logKey.publicKey))]),
    ).toThrow(code('LOG_CHECKPOINT_ORIGIN_MISMATCH'));
    expect(() => openCheckpoint(note, origin, [])).toThrow(code('LOG_CHECKPOINT_NO_LOG_KEY'));
    // Signed only by a witness key the caller knows: not accepted as the log's checkpoint.
    const witness = cosigner('witness.example/w1', seed('witness'), () => 1_700_000_000);
    const witnessOnly = await signNote(formatCheckpoint(checkpoint), [witness]);
    expect(() =>
      openCheckpoint(witnessOnly, origin, [
        ed25519NoteVerifier(vkey),
        cosignatureVerifier({ name: witness.name, publicKey: witness.publicKey }),
      ]),
    ).toThrow(code('LOG_NOTE_UNVERIFIED'));
    await expect(signCheckpoint(checkpoint, [witness])).rejects.toMatchObject({
      code: 'LOG_CHECKPOINT_ORIGIN_MISMATCH',
    });
    const root = Buffer.from(tree.root()).toString('base64');
    const bodies: [string, string][] = [
      [`${origin}\n5\n`, 'LOG_CHECKPOINT_MALFORMED'],
      [`${origin}\n5\n${root}`, 'LOG_CHECKPOINT_MALFORMED'],
      [`\n5\n${root}\n`, 'LOG_CHECKPOINT_ORIGIN_INVALID'],
      [`a b\n5\n${root}\n`, 'LOG_CHECKPOINT_ORIGIN_INVALID'],
      [`${origin}\n05\n${root}\n`, 'LOG_CHECKPOINT_SIZE_INVALID'],
      [`${origin}\n-5\n${root}\n`, 'LOG_CHECKPOINT_SIZE_INVALID'],
      [`${origin}\n5.0\n${root}\n`, 'LOG_CHECKPOINT_SIZE_INVALID'],
      [`${origin}\n99999999999999999999\n${root}\n`, 'LOG_CHECKPOINT_SIZE_INVALID'],
      [`${origin}\n5\n${root.slice(0, -4)}\n`, 'LOG_CHECKPOINT_ROOT_INVALID'],
      [`${origin}\n5\n${root.replace(/=$/, '')}\n`, 'LOG_CHECKPOINT_ROOT_INVALID'],
      [`${origin}\n5\n${root}\n\nx\n`, 'LOG_CHECKPOINT_EXTENSION_INVALID'],
    ];
    for (const [body, expected] of bodies) expect(() => parseCheckpoint(body), body).toThrow(code(expected));
    expect(parseCheckpoint(`${origin}\n0\n${root}\next one\n`).extensions).toEqual(['ext one']);
  });

  it('rotation: during a rotation a checkpoint carries both keys, and either verifies it', async () => {
    const next = ed25519NoteSigner(origin, seed('next log key'));
    const note = await signCheckpoint(checkpoint, [logKey, next]);
    expect(openCheckpoint(note, origin, [ed25519NoteVerifier(vkey)]).note.unknown).toHaveLength(1);
    expect(
      openCheckpoint(note, origin, [ed25519NoteVerifier(formatVerifierKey(origin, next.publicKey))]).note.verified,
    ).toHaveLength(1);
  });
});

describe('tlog-cosignature v1', () => {
  const vector = JSON.parse(readFileSync(new URL('./vectors/cosignature-v1.json', import.meta.url), 'utf8')) as {
    seedHex: string;
    name: string;
    vkey: string;
    timestamp: number;
    checkpoint: string;
    signatureLine: string;
  };

  it('matches the checked-in vector (the C2SP example checkpoint and time, our witness key)', async () => {
    const witness = cosigner(vector.name, Buffer.from(vector.seedHex, 'hex'), () => vector.timestamp);
    expect(formatVerifierKey(vector.name, witness.publicKey, 4)).toBe(vector.vkey);
    const note = await signNote(vector.checkpoint, [witness]);
    expect(note).toBe(`${vector.checkpoint}\n${vector.signatureLine}`);
    const [signature] = openNote(note, [cosignatureVerifier(vector.vkey)]).verified;
    expect(cosignatureTimestamp(signature!)).toBe(1679315147);
    expect(new TextDecoder().decode(cosignatureMessage(vector.checkpoint, 1679315147)).split('\n').slice(0, 3)).toEqual(
      ['cosignature/v1', 'time 1679315147', 'example.com/behind-the-sofa'],
    );
  });

  it("reads the timestamp of the spec's own example line the same way", () => {
    // The C2SP example: key ID, then the big-endian uint64 time, then the Ed25519 signature.
    const line =
      '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
    const [signature] = parseSignedNote(`${vector.checkpoint}\n${line}`).signatures;
    expect(signature!.keyId).toBe(0x8d66cf3f);
    expect(cosignatureTimestamp(signature!)).toBe(1679315147);
  });

  it('a cosignature verifies only over its own time and checkpoint, by its own key type', async () => {
    const witness = cosigner(vector.name, Buffer.from(vector.seedHex, 'hex'), () => vector.timestamp);
    const verifier = cosignatureVerifier({ name: witness.name, publicKey: witness.publicKey });
    const note = await signNote(vector.checkpoint, [witness]);
    const parsed = parseSignedNote(note);
    const sig = parsed.signatures[0]!;
    const shifted = sig.signature.slice();
    shifted[7]! ^= 1; // another time
    expect(verifier.verify(new TextEncoder().encode(vector.checkpoint), sig.signature)).toBe(true);
    expect(verifier.verify(new TextEncoder().encode(vector.checkpoint), shifted)).toBe(false);
    expect(
      verifier.verify(new TextEncoder().encode(vector.checkpoint.replace('20852163', '20852164')), sig.signature),
    ).toBe(false);
    expect(verifier.verify(new TextEncoder().encode(vector.checkpoint), sig.signature.subarray(0, 70))).toBe(false);
    expect(
      cosignatureVerifier(vector.vkey, { maxTimestamp: vector.timestamp - 1 }).verify(
        new TextEncoder().encode(vector.checkpoint),
        sig.signature,
      ),
    ).toBe(false);
    // The same key as a plain Ed25519 note key (type 0x01) has another key ID: the line is unknown to it.
    const asNoteKey = ed25519NoteVerifier(formatVerifierKey(vector.name, witness.publicKey));
    expect(asNoteKey.keyId).not.toBe(verifier.keyId);
    expect(() => openNote(note, [asNoteKey])).toThrow(code('LOG_NOTE_UNVERIFIED'));
    const tooLate = new Uint8Array(72);
    tooLate[0] = 0x80;
    expect(() => cosignatureTimestamp(tooLate)).toThrow(code('LOG_COSIGNATURE_TIMESTAMP_INVALID'));
    expect(() => cosignatureTimestamp(new Uint8Array(64))).toThrow(code('LOG_COSIGNATURE_MALFORMED'));
  });
});
