// An independent implementation checks ours: golang.org/x/mod/sumdb/tlog and sumdb/note (Debian's
// golang-golang-x-mod-dev, built offline in GOPATH mode) recompute our tree hashes, proofs and hash
// tiles, read our tile directory through its authenticating tile reader, and open our signed
// checkpoints; it signs a note and a cosignature that we then verify. Needs `go`; under CI=true a
// missing toolchain fails the test (.ci/run installs it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint, signCheckpoint } from '../../src/log/checkpoint.js';
import { consistencyProof } from '../../src/log/consistency-proof.js';
import { inclusionProof } from '../../src/log/inclusion-proof.js';
import { ed25519NoteSigner, ed25519NoteVerifier, openNote } from '../../src/log/note.js';
import { tilePath } from '../../src/log/tile-path.js';
import { tilesForSize } from '../../src/log/tiles.js';
import { MemoryTree } from '../../src/log/tree.js';
import { verifyInclusion } from '../../src/log/verify-inclusion.js';
import { formatVerifierKey, parseVerifierKey } from '../../src/log/verifier-key.js';
import { seededRandom, syntheticEntry, tileData } from './support.js';

const GOPATH = '/usr/share/gocode';
const haveGo = spawnSync('go', ['version']).status === 0 && existsSync(join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog'));
const N = Math.min(Number(process.env.LOG_PROOF_N ?? 1000), 200_000);
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const work = mkdtempSync(join(tmpdir(), 'untp-log-go-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('cross-check with golang.org/x/mod/sumdb (tlog, note)', () => {
  it.runIf(!haveGo && process.env.CI === 'true')('CI has Go and golang-golang-x-mod-dev', () => {
    expect.fail('go or golang.org/x/mod is missing: apt-get install golang-go golang-golang-x-mod-dev (.ci/run does)');
  });

  it.runIf(haveGo)(
    `agrees on hashes, proofs, tiles, notes and cosignatures (${N} entries)`,
    async () => {
      const tree = new MemoryTree();
      const entries: Uint8Array[] = [];
      for (let i = 0; i < N; i++) {
        entries.push(syntheticEntry(i));
        tree.append(entries[i]!);
      }
      const random = seededRandom(N + 2);
      const pick = (max: number) => 1 + Math.floor(random() * max);
      const sizes = [
        ...new Set(
          [...Array(Math.min(N, 300)).keys()]
            .map((i) => i + 1)
            .concat(
              [N, 256, 257, 511, 512, 513].filter((s) => s <= N),
              Array.from({ length: 50 }, () => pick(N)),
            ),
        ),
      ];
      const inclusion = Array.from({ length: 200 }, () => {
        const size = pick(N);
        const index = pick(size) - 1;
        return { index, old: 0, size, proof: inclusionProof(index, size, tree).map(b64) };
      });
      const consistency = Array.from({ length: 200 }, () => {
        const size = pick(N);
        const old = pick(size);
        return { index: 0, old, size, proof: consistencyProof(old, size, tree).map(b64) };
      });

      // The tiles as a static mirror would hold them (directories x001/… and partial .p/ files).
      for (const tile of tilesForSize(N)) {
        const path = join(work, tilePath(tile));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, tileData(tree, entries, tile));
      }

      const origin = 'registry.example.org/registry/log';
      const logKey = ed25519NoteSigner(origin, new Uint8Array(32).fill(11));
      const nextKey = ed25519NoteSigner(origin, new Uint8Array(32).fill(12));
      const vkey = formatVerifierKey(origin, logKey.publicKey);
      const checkpoints = [];
      for (const size of [1, Math.ceil(N / 2), N]) {
        const note = await signCheckpoint(
          { origin, size, rootHash: tree.root(size), extensions: [] },
          size === N ? [logKey, nextKey] : [logKey],
        );
        checkpoints.push({ vkey, note });
      }
      checkpoints.push({ vkey: formatVerifierKey(origin, nextKey.publicKey), note: checkpoints[2]!.note });

      const vector = JSON.parse(readFileSync(new URL('./vectors/cosignature-v1.json', import.meta.url), 'utf8'));
      const goSeed = 'a1'.repeat(32);
      const fixture = {
        entries: entries.map(b64),
        treeHashes: Object.fromEntries(sizes.map((s) => [String(s), b64(tree.root(s))])),
        inclusion,
        consistency,
        tileSize: N,
        tileDir: work,
        checkpoints,
        sign: { seedHex: goSeed, name: 'go.example/log', text: `go.example/log\n${N}\n${b64(tree.root())}\n` },
        cosign: {
          seedHex: vector.seedHex,
          name: vector.name,
          timestamp: vector.timestamp,
          checkpoint: vector.checkpoint,
        },
      };
      writeFileSync(join(work, 'fixture.json'), JSON.stringify(fixture));

      const env = {
        ...process.env,
        GO111MODULE: 'off',
        GOPATH,
        GOFLAGS: '',
        GOTOOLCHAIN: 'local',
        GOCACHE: join(tmpdir(), 'untp-credits-gocache'),
      };
      const binary = join(work, 'logcheck');
      const build = spawnSync('go', ['build', '-o', binary, './test/go/logcheck'], {
        env,
        encoding: 'utf8',
        timeout: 180_000,
      });
      expect(build.stderr, 'go build').toBe('');
      expect(build.status).toBe(0);
      const run = spawnSync(binary, [join(work, 'fixture.json')], {
        encoding: 'utf8',
        timeout: 180_000,
        maxBuffer: 1 << 26,
      });
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout);
      expect(report.failures ?? []).toEqual([]);
      expect(run.status).toBe(0);
      expect(report.checked).toMatchObject({
        treeHash: sizes.length,
        inclusion: 200,
        consistency: 200,
        checkpoint: 4,
        tileProof: 3,
      });
      expect(report.checked.hashTile).toBe(tilesForSize(N).filter((t) => t.level !== 'entries').length);
      expect(report.checked.entryBundle).toBe(tilesForSize(N).filter((t) => t.level === 'entries').length);

      // The other way: what Go made, we verify.
      expect(report.goTreeHashLast).toBe(b64(tree.root()));
      const goProof = report.goInclusion.proof.map((p: string) => new Uint8Array(Buffer.from(p, 'base64')));
      expect(
        verifyInclusion(tree.leafHash(report.goInclusion.index), report.goInclusion.index, N, goProof, tree.root()),
      ).toBe(true);
      const goKey = parseVerifierKey(report.goVkey);
      expect(formatVerifierKey(goKey.name, goKey.publicKey)).toBe(report.goVkey);
      expect(
        formatVerifierKey('go.example/log', ed25519NoteSigner('go.example/log', Buffer.from(goSeed, 'hex')).publicKey),
      ).toBe(report.goVkey);
      const opened = openCheckpoint(report.goNote, 'go.example/log', [ed25519NoteVerifier(report.goVkey)]);
      expect(opened.checkpoint.size).toBe(N);
      expect(openNote(report.goNote, [ed25519NoteVerifier(report.goVkey)]).text).toBe(fixture.sign.text);
      // The cosignature Go computed from the C2SP text is the checked-in vector, byte for byte.
      expect(report.cosignatureLine).toBe(vector.signatureLine);
      expect(report.cosignatureVkey).toBe(vector.vkey);
    },
    300_000,
  );
});
