import { randomBytes } from 'node:crypto';
import type { BundledLogEvidence, VerificationBundle } from '../../src/bundle/format.js';
import { digestMultibase, jwsPayload } from '../../src/lib/digest.js';
import {
  canonicalJson,
  cosigner,
  ed25519NoteSigner,
  formatVerifierKey,
  inclusionProof,
  MemoryTree,
  parseSignedNote,
  signCheckpoint,
  signNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
} from '../../src/log/index.js';
import { trustFileFor, type PinnedLog, type TrustFile } from '../../src/trust/trust-file.js';
import { cobaltStory, type CobaltStory } from './fixture.js';

export const LOG_ORIGIN = 'registry.mineral-credits.example/registry/log';
export const WITNESS_NAME = 'witness.example/w1';

/** A test log key and witness key, and their verifier keys. */
export interface LogKeys {
  logSecret: Uint8Array;
  logVkey: string;
  witnessSecret: Uint8Array;
  witnessVkey: string;
}

export function logKeys(): LogKeys {
  const logSecret = new Uint8Array(randomBytes(32));
  const witnessSecret = new Uint8Array(randomBytes(32));
  return {
    logSecret,
    logVkey: formatVerifierKey(LOG_ORIGIN, ed25519NoteSigner(LOG_ORIGIN, logSecret).publicKey),
    witnessSecret,
    witnessVkey: formatVerifierKey(
      WITNESS_NAME,
      cosigner(WITNESS_NAME, witnessSecret).publicKey,
      SIGNATURE_TYPE_COSIGNATURE_V1,
    ),
  };
}

/** The entry the ledger logs for a credential it signed (the part a verifier checks). */
export function entryFor(jws: string, seq: number, type: string, digest = digestMultibase(jws)): Uint8Array {
  return canonicalJson({
    seq,
    type,
    at: '2026-11-01T00:00:00.000Z',
    credentialId: String(jwsPayload(jws).id),
    credentialDigest: digest,
  });
}

/** Appends a witness's v1 cosignature line to a signed checkpoint (as a witness answers add-checkpoint). */
export async function cosign(note: string, witnessSecret: Uint8Array, time = 1_790_000_000): Promise<string> {
  const parsed = parseSignedNote(note);
  return signNote(parsed.text, [cosigner(WITNESS_NAME, witnessSecret, () => time)], parsed.signatures);
}

export interface LoggedStory extends CobaltStory {
  keys: LogKeys;
  /** The bundle with each credit credential's log evidence and a witness-cosigned checkpoint. */
  logged: VerificationBundle;
  /** Pins the registry's key, its log key and the witness (threshold 1). */
  logTrust: TrustFile;
  evidence: { issuance: BundledLogEvidence; retirement: BundledLogEvidence };
  /** A trust file for the same registry with another log pinned. */
  trustWith(log: Partial<PinnedLog>): TrustFile;
}

/**
 * The cobalt story with a synthetic registry log: unrelated entries around the issuance's and the
 * retirement's, a checkpoint signed by the log key and cosigned by one witness.
 */
export async function loggedStory(
  options: { retirementDigest?: string; witness?: boolean; keys?: LogKeys } = {},
): Promise<LoggedStory> {
  const story = await cobaltStory();
  const keys = options.keys ?? logKeys();
  const filler = (seq: number) => canonicalJson({ seq, type: 'account-opened', at: '2026-10-01T00:00:00.000Z' });
  const entries = [
    filler(1),
    filler(2),
    entryFor(story.issuanceJws, 3, 'issued'),
    filler(4),
    entryFor(story.retirementJws, 5, 'retired', options.retirementDigest),
    filler(6),
    filler(7),
  ];
  const tree = new MemoryTree();
  for (const entry of entries) tree.append(entry);
  const size = tree.size;
  let checkpoint = await signCheckpoint({ origin: LOG_ORIGIN, size, rootHash: tree.root(), extensions: [] }, [
    ed25519NoteSigner(LOG_ORIGIN, keys.logSecret),
  ]);
  if (options.witness !== false) checkpoint = await cosign(checkpoint, keys.witnessSecret);
  const evidenceAt = (jws: string, index: number): BundledLogEvidence => ({
    credentialId: String(jwsPayload(jws).id),
    index,
    treeSize: size,
    proof: inclusionProof(index, size, tree).map((h) => Buffer.from(h).toString('base64')),
    checkpoint,
    entry: Buffer.from(entries[index]!).toString('base64'),
  });
  const evidence = { issuance: evidenceAt(story.issuanceJws, 2), retirement: evidenceAt(story.retirementJws, 4) };
  const trustWith = (log: Partial<PinnedLog>) =>
    trustFileFor([
      {
        did: story.registry.did,
        name: 'registry',
        keys: [story.registry.thumbprint],
        log: { keys: [keys.logVkey], witnesses: [keys.witnessVkey], witnessThreshold: 1, ...log },
      },
    ]);
  return {
    ...story,
    keys,
    logged: { ...story.bundle, log: [evidence.retirement, evidence.issuance] },
    logTrust: trustWith({}),
    evidence,
    trustWith,
  };
}
