import type { ErrorCode } from '../errors/catalogue.js';
import { isUntpCreditsError } from '../errors.js';
import { digestMultibase } from '../lib/digest.js';
import {
  cosignatureVerifier,
  ed25519NoteVerifier,
  leafHash,
  openCheckpoint,
  parseSignedNote,
  parseVerifierKey,
  verifyInclusion,
  type NoteVerifier,
} from '../log/index.js';
import type { VerificationStep } from './report.js';

/**
 * The log step of verification (docs/transparency-log.md): a credit credential — issuance,
 * retirement, premium allocation — is checked against the registry's public transparency log when
 * the trust in use names that registry's log key, or when inclusion is required. What it proves is
 * said exactly: an inclusion proof against a checkpoint signed by the pinned log key proves the
 * credential is entry N of the registry's one public history; "retired once up to size S" is said
 * only when k pinned witnesses (who replay the ledger's rules before cosigning) cosigned a
 * checkpoint of size S ≥ N + 1.
 */

/** The credit credential types the ledger signs and logs. */
export const LOGGED_CREDENTIAL_TYPES: readonly string[] = [
  'CreditIssuanceCredential',
  'CreditRetirementCredential',
  'PremiumAllocationCredential',
];

/** A registry's log as the verifier pins it (a trust file's `issuers[].log`). */
export interface TrustedLog {
  /** The registry DID whose credit credentials the log holds. */
  issuer: string;
  /** C2SP verifier keys of the log (`<origin>+<key ID>+<base64>`); several during a rotation. */
  keys: readonly string[];
  /** C2SP verifier keys (type 0x04 cosigners) of the witnesses the verifier relies on. */
  witnesses: readonly string[];
  /** How many of `witnesses` must have cosigned the checkpoint (0: inclusion only). */
  witnessThreshold: number;
}

/**
 * Where a credential sits in the log: a registry record's `log` member (`GET
 * /registry/retirements/:id`), with the entry itself (base64 of its bytes) so that it can be
 * checked offline.
 */
export interface LogEvidence {
  index: number;
  treeSize: number;
  /** RFC 9162 inclusion proof: base64 hashes, leaf side first. */
  proof: readonly string[];
  /** The signed checkpoint (C2SP signed note, with any witness cosignature lines). */
  checkpoint: string;
  /** Base64 of the entry's bytes (RFC 8785 JSON naming the credential's id and credentialDigest). */
  entry: string;
}

/** What the log step established, for the report and the pages. */
export interface LogFinding {
  /** The registry log's origin (its URL prefix without scheme). */
  origin: string;
  index: number;
  treeSize: number;
  /** Witnesses (their key names) whose cosignature on the checkpoint verified. */
  witnesses: string[];
  /** Set only when k pinned witnesses cosigned: "retired (issued) once up to this size". */
  attestedUpTo?: number;
}

export interface LogCheckInput {
  /** The decoded credential. */
  credential: Record<string, unknown>;
  /** Its compact JWS: the credentialDigest is over these bytes. */
  jws: string | undefined;
  issuer: string | null;
  logs: readonly TrustedLog[];
  evidence: LogEvidence | undefined;
  require: boolean;
}

function typesOf(credential: Record<string, unknown>): string[] {
  const t = credential.type;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : typeof t === 'string' ? [t] : [];
}

/** True for a credential the ledger signs and logs (issuance, retirement, premium allocation). */
export function isLoggedCredential(credential: Record<string, unknown>): boolean {
  return typesOf(credential).some((t) => LOGGED_CREDENTIAL_TYPES.includes(t));
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string' || !BASE64.test(text))
    throw new LogStepError('LOG_EVIDENCE_INVALID', `${what} is not standard base64`);
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

class LogStepError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Reads log evidence from JSON (a record's `log` member with `entry`). Throws LOG_EVIDENCE_INVALID. */
export function parseLogEvidence(value: unknown): LogEvidence {
  const v = (value ?? {}) as Record<string, unknown>;
  const bad = (why: string) => new LogStepError('LOG_EVIDENCE_INVALID', `log evidence: ${why}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('not an object');
  if (!Number.isSafeInteger(v.index) || (v.index as number) < 0) throw bad('index is not a non-negative integer');
  if (!Number.isSafeInteger(v.treeSize) || (v.treeSize as number) < 1) throw bad('treeSize is not a positive integer');
  if (!Array.isArray(v.proof) || v.proof.some((h) => typeof h !== 'string'))
    throw bad('proof is not an array of base64 hashes');
  if (typeof v.checkpoint !== 'string') throw bad('checkpoint is not a signed note');
  if (typeof v.entry !== 'string') throw bad('entry is not the base64 of the entry');
  return {
    index: v.index as number,
    treeSize: v.treeSize as number,
    proof: v.proof as string[],
    checkpoint: v.checkpoint,
    entry: v.entry,
  };
}

/**
 * The log step for one credential, or undefined when there is nothing to say (not a credit
 * credential; no trusted log for its issuer, no evidence, not required). Never throws.
 *
 * @example
 *   const step = checkLogInclusion({ credential, jws, issuer, logs: [trustedLog], evidence: record.log, require: true });
 *   step?.ok; step?.code; // 'LOG_ENTRY_MISSING' when the credential is not in the log
 */
export function checkLogInclusion(input: LogCheckInput): (VerificationStep & { log?: LogFinding }) | undefined {
  if (!isLoggedCredential(input.credential)) return undefined;
  const logs = input.logs.filter((l) => l.issuer === input.issuer && l.keys.length > 0);
  if (logs.length === 0) {
    if (input.require)
      return {
        name: 'log',
        ok: false,
        code: 'LOG_KEY_NOT_PINNED',
        message: `log inclusion is required, but the trust in use names no log key for ${input.issuer ?? 'the issuer'}`,
      };
    if (input.evidence === undefined) return undefined;
    return {
      name: 'log',
      ok: true,
      code: 'LOG_NOT_CHECKED',
      message: `the credential carries log evidence (entry ${input.evidence.index}), but the trust in use names no log key for ${input.issuer ?? 'the issuer'}: inclusion was not checked`,
    };
  }
  try {
    const finding = check(input, logs);
    return { name: 'log', ok: true, message: describe(finding, input.credential), log: finding };
  } catch (error) {
    const code: ErrorCode =
      error instanceof LogStepError ? error.code : isUntpCreditsError(error) ? error.code : 'LOG_EVIDENCE_INVALID';
    return { name: 'log', ok: false, code, message: (error as Error).message };
  }
}

function check(input: LogCheckInput, logs: readonly TrustedLog[]): LogFinding {
  const id = typeof input.credential.id === 'string' ? input.credential.id : '(no id)';
  if (input.evidence === undefined)
    throw new LogStepError(
      'LOG_ENTRY_MISSING',
      `credit credential ${id} comes with no log entry and inclusion proof: nothing shows it is in the registry's public log (a credential the ledger never recorded has none)`,
    );
  const evidence = parseLogEvidence(input.evidence);
  // The checkpoint: signed by a pinned log key, whose name is the log's origin.
  let opened: ReturnType<typeof openCheckpoint> | undefined;
  let log: TrustedLog | undefined;
  let lastError: Error | undefined;
  for (const candidate of logs) {
    const verifiers: NoteVerifier[] = candidate.keys.map((k) => ed25519NoteVerifier(k));
    const origins = [...new Set(verifiers.map((v) => v.name))];
    for (const origin of origins) {
      try {
        opened = openCheckpoint(evidence.checkpoint, origin, verifiers);
        log = candidate;
        break;
      } catch (error) {
        lastError = error as Error;
      }
    }
    if (opened) break;
  }
  if (!opened || !log)
    throw lastError ?? new LogStepError('LOG_NOTE_UNVERIFIED', 'the checkpoint is not signed by a pinned log key');
  const { checkpoint } = opened;
  if (checkpoint.size !== evidence.treeSize)
    throw new LogStepError(
      'LOG_EVIDENCE_INVALID',
      `the evidence says tree size ${evidence.treeSize}, the signed checkpoint ${checkpoint.size}`,
    );
  if (evidence.index >= checkpoint.size)
    throw new LogStepError(
      'LOG_EVIDENCE_INVALID',
      `entry ${evidence.index} is not in a tree of size ${checkpoint.size}`,
    );
  // The entry names this credential by id and by the digest of its exact signed bytes.
  const entryBytes = base64(evidence.entry, 'the entry');
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entryBytes)) as Record<string, unknown>;
  } catch {
    throw new LogStepError('LOG_EVIDENCE_INVALID', 'the entry is not UTF-8 JSON');
  }
  if (input.jws === undefined)
    throw new LogStepError(
      'LOG_ENTRY_MISMATCH',
      `${id} is not a compact JWS: the log's credentialDigest is over the JWS the registry published`,
    );
  const digest = digestMultibase(input.jws);
  if (entry.credentialId !== input.credential.id || entry.credentialDigest !== digest)
    throw new LogStepError(
      'LOG_ENTRY_MISMATCH',
      `log entry ${evidence.index} names ${String(entry.credentialId)} with digest ${String(entry.credentialDigest)}, not ${id} with digest ${digest}`,
    );
  // The proof: from the entry's leaf hash to the signed root.
  const proof = evidence.proof.map((h, i) => {
    const bytes = base64(h, `proof hash ${i}`);
    if (bytes.length !== 32) throw new LogStepError('LOG_EVIDENCE_INVALID', `proof hash ${i} is not 32 bytes`);
    return bytes;
  });
  if (!verifyInclusion(leafHash(entryBytes), evidence.index, checkpoint.size, proof, checkpoint.rootHash))
    throw new LogStepError(
      'LOG_PROOF_INVALID',
      `the inclusion proof of entry ${evidence.index} does not lead to the root of the checkpoint of size ${checkpoint.size} signed by ${checkpoint.origin}`,
    );
  // Witnesses: each pinned cosigner counts once, only with a valid cosignature.
  const note = parseSignedNote(evidence.checkpoint);
  const text = new TextEncoder().encode(note.text);
  const witnesses: string[] = [];
  for (const vkey of log.witnesses) {
    const verifier = cosignatureVerifier(parseVerifierKey(vkey));
    const signature = note.signatures.find((s) => s.name === verifier.name && s.keyId === verifier.keyId);
    if (signature && verifier.verify(text, signature.signature) && !witnesses.includes(verifier.name))
      witnesses.push(verifier.name);
  }
  const finding: LogFinding = {
    origin: checkpoint.origin,
    index: evidence.index,
    treeSize: checkpoint.size,
    witnesses,
  };
  if (log.witnessThreshold > 0) {
    if (witnesses.length < log.witnessThreshold)
      throw new LogStepError(
        'LOG_WITNESS_THRESHOLD_UNMET',
        `entry ${evidence.index} is included in the checkpoint of size ${checkpoint.size}, but ${witnesses.length} of the ${log.witnesses.length} pinned witness(es) cosigned it; the trust file requires ${log.witnessThreshold}`,
      );
    finding.attestedUpTo = checkpoint.size;
  }
  return finding;
}

function describe(finding: LogFinding, credential: Record<string, unknown>): string {
  const types = typesOf(credential);
  const what = types.includes('CreditRetirementCredential')
    ? 'retired'
    : types.includes('CreditIssuanceCredential')
      ? 'issued'
      : 'recorded';
  const inclusion = `entry ${finding.index} of the public log ${finding.origin} (checkpoint of size ${finding.treeSize}, signed by the pinned log key)`;
  if (finding.attestedUpTo === undefined)
    return `${inclusion}; inclusion only: no pinned witness attests that the ledger's rules held`;
  return `${inclusion}; ${what} once up to size ${finding.attestedUpTo}: ${finding.witnesses.length} pinned witness(es) (${finding.witnesses.join(', ')}) replayed the log and cosigned`;
}
