// The transparency log core, measured side by side (bench/lib/measure.js):
//   logAppendRatio     appending a batch of entries (leaf hashing, the merges, one root for the
//                      checkpoint; CPU time) to a tree of 1 000 000 entries over the same batch at 1 000.
//                      Target ≤ 1.2 (appends stay O(log n), amortised O(1)). Measured twice: on the
//                      in-memory tree, and on the registry sequencer's path (a CompactRange resumed
//                      from a checkpoint's right edge, its tile hashes collected, one root per batch).
//   inclusionVsEd25519 verifying an inclusion proof at 1 000 000 entries (20 hashes) over one
//                      Ed25519 signature verification (node:crypto, as credential verification does);
//                      consistency proofs and @noble/curves (the browser path) reported alongside.
// --quick builds the large tree at 200 000 entries instead (said in the output).
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  CompactRange,
  MemoryTree,
  consistencyProof,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  formatVerifierKey,
  inclusionProof,
  openCheckpoint,
  signCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '../dist/log/index.js';
import { compare, fmt } from './lib/measure.js';

const entry = (i) =>
  new TextEncoder().encode(`{"seq":${i},"type":"retirement","blocks":[{"start":"CO-${i}","end":"CO-${i + 9}"}]}`);

function grow(size) {
  const tree = new MemoryTree();
  for (let i = 0; i < size; i++) tree.append(entry(i));
  return tree;
}

export async function run({ quick = false } = {}) {
  const large = quick ? 200_000 : 1_000_000;
  const small = 1_000;
  const batch = 2_000;
  const buildStart = performance.now();
  const big = grow(large);
  const buildSeconds = (performance.now() - buildStart) / 1000;

  // Appending a batch: the small tree is rebuilt untimed each round so it stays at 1 000.
  let next = large;
  const appendAt = (treeOf) => () => {
    const tree = treeOf();
    const cpu = process.cpuUsage();
    for (let i = 0; i < batch; i++) tree.append(entry(next++));
    tree.root();
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1000 / batch; // CPU ms per entry (the machine is shared)
  };
  const append = await compare(
    { fn: appendAt(() => grow(small)), timed: true },
    { fn: appendAt(() => big), timed: true },
    { rounds: 7, warmup: 1 },
  );

  // The sequencer's path: a CompactRange resumed from the edge of a tree of `large` entries (the
  // state a checkpoint row keeps) against one of 1 000, the same batch appended to each.
  const edgeAt = (size) => {
    const range = new CompactRange();
    for (let i = 0; i < size; i++) range.appendEntry(entry(i));
    return { size, edge: range.edge() };
  };
  const bigEdge = edgeAt(large);
  const smallEdge = edgeAt(small);
  let nextSeq = large;
  const sequencerAppend = (state) => () => {
    const range = new CompactRange(state.size, state.edge);
    const cpu = process.cpuUsage();
    let stored = 0;
    for (let i = 0; i < batch; i++) stored += range.appendEntry(entry(nextSeq++)).length;
    range.root();
    const used = process.cpuUsage(cpu);
    if (stored === 0) throw new Error('no tile hashes were stored');
    return (used.user + used.system) / 1000 / batch;
  };
  const sequencerAppendRatio = await compare(
    { fn: sequencerAppend(smallEdge), timed: true },
    { fn: sequencerAppend(bigEdge), timed: true },
    { rounds: 7, warmup: 1 },
  );

  // Verification costs at the large size.
  const n = big.size;
  const index = Math.floor(n * 0.61);
  const proof = inclusionProof(index, n, big);
  const leaf = big.leafHash(index);
  const root = big.root();
  const old = Math.floor(n * 0.37) + 1;
  const cproof = consistencyProof(old, n, big);
  const oldRoot = big.root(old);
  const message = new TextEncoder().encode('x'.repeat(300));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signature = nodeSign(null, message, privateKey);
  const seed = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })).export({ format: 'jwk' }).d;
  const secret = Buffer.from(seed, 'base64url');
  const nobleSig = ed25519.sign(message, secret);
  const noblePub = ed25519.getPublicKey(secret);
  const pub = createPublicKey(publicKey.export({ format: 'pem', type: 'spki' }));

  const iterations = 2_000;
  const inclusionVsEd25519 = await compare(
    { fn: () => nodeVerify(null, message, pub, signature), iterations },
    { fn: () => verifyInclusion(leaf, index, n, proof, root), iterations },
  );
  const consistencyVsEd25519 = await compare(
    { fn: () => nodeVerify(null, message, pub, signature), iterations },
    { fn: () => verifyConsistency(old, n, oldRoot, root, cproof), iterations },
  );
  const nobleVsNode = await compare(
    { fn: () => nodeVerify(null, message, pub, signature), iterations: 500 },
    { fn: () => ed25519.verify(nobleSig, message, noblePub, { zip215: false }), iterations: 500 },
  );
  const origin = 'registry.example.org/registry/log';
  const key = ed25519NoteSigner(origin, secret);
  const note = await signCheckpoint({ origin, size: n, rootHash: root, extensions: [] }, [key]);
  const verifiers = [ed25519NoteVerifier(formatVerifierKey(origin, key.publicKey))];
  const checkpointVsEd25519 = await compare(
    { fn: () => nodeVerify(null, message, pub, signature), iterations: 500 },
    { fn: () => openCheckpoint(note, origin, verifiers), iterations: 500 },
  );

  console.log(
    `\nTransparency log core (${large.toLocaleString('en')} entries${quick ? ', quick run' : ''}; built in ${fmt(buildSeconds, 1)} s)`,
  );
  console.log(
    `  append (per entry, batch of ${batch} + root)   at ${small}: ${fmt(append.aMs * 1000, 2)} µs   at ${large.toLocaleString('en')}: ${fmt(append.bMs * 1000, 2)} µs   ratio ${fmt(append.ratio)} (target ≤ 1.2)`,
  );
  console.log(
    `  sequencer append (CompactRange from the checkpoint's edge, per entry)   at ${small}: ${fmt(sequencerAppendRatio.aMs * 1000, 2)} µs   at ${large.toLocaleString('en')}: ${fmt(sequencerAppendRatio.bMs * 1000, 2)} µs   ratio ${fmt(sequencerAppendRatio.ratio)} (target ≤ 1.2)`,
  );
  console.log(
    `  inclusion proof: ${proof.length} hashes, verify ${fmt(inclusionVsEd25519.bMs * 1000, 1)} µs = ${fmt(inclusionVsEd25519.ratio)} × one Ed25519 verify (node:crypto, ${fmt(inclusionVsEd25519.aMs * 1000, 1)} µs)`,
  );
  console.log(
    `  consistency proof: ${cproof.length} hashes, verify ${fmt(consistencyVsEd25519.bMs * 1000, 1)} µs = ${fmt(consistencyVsEd25519.ratio)} × one Ed25519 verify`,
  );
  console.log(`  Ed25519 verify in @noble/curves (browser path) = ${fmt(nobleVsNode.ratio)} × node:crypto`);
  console.log(
    `  open a signed checkpoint (parse + noble Ed25519) = ${fmt(checkpointVsEd25519.ratio)} × one node:crypto Ed25519 verify`,
  );
  return {
    entries: large,
    buildSeconds,
    logAppendRatio: append.ratio,
    sequencerAppendRatio: sequencerAppendRatio.ratio,
    appendMicrosAtSmall: append.aMs * 1000,
    appendMicrosAtLarge: append.bMs * 1000,
    inclusionHashes: proof.length,
    consistencyHashes: cproof.length,
    inclusionVsEd25519: inclusionVsEd25519.ratio,
    consistencyVsEd25519: consistencyVsEd25519.ratio,
    nobleVsNodeEd25519: nobleVsNode.ratio,
    checkpointOpenVsEd25519: checkpointVsEd25519.ratio,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) await run({ quick: process.argv.includes('--quick') });
