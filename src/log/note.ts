// C2SP signed-note: a text ending in a newline, a blank line, then signature lines
// `— <key name> base64(uint32 key ID || signature)`. Parsing is strict and every refusal has a
// stable code; opening a note verifies every signature by a known key and needs at least one.
import { LONE_SURROGATE, concatBytes, controlCharacterAt, fromBase64, fromUtf8, toBase64, utf8 } from './lib/bytes.js';
import { ED25519_SIGNATURE_SIZE, ed25519Sign, ed25519Verify } from './lib/ed25519.js';
import { logError } from './lib/errors.js';
import {
  SIGNATURE_TYPE_ED25519,
  assertKeyName,
  isValidKeyName,
  parseVerifierKey,
  namedEd25519Key,
  type VerifierKey,
} from './verifier-key.js';

export const MAX_NOTE_SIZE = 1 << 20;
/** The spec asks verifiers to accept at least 16 signatures; more than this is refused. */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes after the 4-byte key ID. */
  readonly signature: Uint8Array;
}

export interface SignedNote {
  /** The note text, including its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Verifies one kind of signature by one key (Ed25519 note keys, cosigner keys, …). */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** Signs note texts; `sign` may be asynchronous (a KMS or HSM). */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

export function parseSignedNote(input: string | Uint8Array): SignedNote {
  const size = typeof input === 'string' ? utf8(input).length : input.length;
  if (size > MAX_NOTE_SIZE)
    throw logError('LOG_NOTE_TOO_LARGE', `a note is at most ${MAX_NOTE_SIZE} bytes, got ${size}`);
  const note = typeof input === 'string' ? input : fromUtf8(input);
  if (note === undefined) throw logError('LOG_NOTE_NOT_UTF8', 'the note is not valid UTF-8');
  if (LONE_SURROGATE.test(note))
    throw logError('LOG_NOTE_NOT_UTF8', 'the note holds a lone surrogate (not encodable as UTF-8)');
  assertNoControlCharacters(note, 'note');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw logError('LOG_NOTE_NO_SIGNATURES', 'the note has no blank line before signature lines');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '') throw logError('LOG_NOTE_NO_SIGNATURES', 'the note has no signature lines');
  if (!block.endsWith('\n'))
    throw logError('LOG_NOTE_SIGNATURE_LINE_MALFORMED', 'the last signature line does not end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw logError(
      'LOG_NOTE_TOO_MANY_SIGNATURES',
      `a note carries at most ${MAX_NOTE_SIGNATURES} signatures, got ${lines.length}`,
    );
  }
  const signatures = lines.map((line, i) => parseSignatureLine(line, i));
  return { text, signatures };
}

function parseSignatureLine(line: string, i: number): NoteSignature {
  const fail = (why: string) =>
    logError('LOG_NOTE_SIGNATURE_LINE_MALFORMED', `signature line ${i + 1}: ${why}`, { line: i + 1 });
  if (!line.startsWith(SIGNATURE_PREFIX)) throw fail('it does not start with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw fail('expected "— <key name> <base64 signature>"');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) throw fail('the key name is empty or has spaces or +');
  const bytes = fromBase64(rest.slice(space + 1));
  if (bytes === undefined) throw fail('the signature is not standard padded base64');
  if (bytes.length < 5) throw fail('the signature is shorter than a key ID and one byte');
  const id = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return { name, keyId: id, signature: bytes.slice(4) };
}

export function formatSignedNote(note: SignedNote): string {
  assertNoteText(note.text);
  if (note.signatures.length === 0)
    throw logError('LOG_NOTE_NO_SIGNATURES', 'a signed note needs at least one signature');
  const lines = note.signatures.map((s) => {
    assertKeyName(s.name);
    const id = Uint8Array.of(s.keyId >>> 24, (s.keyId >>> 16) & 255, (s.keyId >>> 8) & 255, s.keyId & 255);
    return `${SIGNATURE_PREFIX}${s.name} ${toBase64(concatBytes(id, s.signature))}\n`;
  });
  return `${note.text}\n${lines.join('')}`;
}

/** Signs `text` with each signer and appends the lines after any signatures already present. */
export async function signNote(
  text: string,
  signers: readonly NoteSigner[],
  existing: readonly NoteSignature[] = [],
): Promise<string> {
  assertNoteText(text);
  const message = utf8(text);
  const added: NoteSignature[] = [];
  for (const signer of signers)
    added.push({ name: signer.name, keyId: signer.keyId, signature: await signer.sign(message) });
  return formatSignedNote({ text, signatures: [...existing, ...added] });
}

export interface OpenedNote extends SignedNote {
  /** The signatures that matched a known key and verified, with that key's verifier. */
  readonly verified: readonly (NoteSignature & { readonly verifier: NoteVerifier })[];
  /** Signatures by keys the caller did not name (ignored, as the spec requires). */
  readonly unknown: readonly NoteSignature[];
}

/**
 * Parses and verifies a note. Signatures by unknown keys are ignored (even if they share a name or
 * ID, but not both, with a known key); a known key's signature that fails rejects the whole note;
 * a note with no verified signature is rejected.
 */
export function openNote(input: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const note = parseSignedNote(input);
  const message = utf8(note.text);
  const verified: (NoteSignature & { verifier: NoteVerifier })[] = [];
  const unknown: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const signature of note.signatures) {
    const key = `${signature.name} ${signature.keyId}`;
    if (seen.has(key)) {
      throw logError(
        'LOG_NOTE_DUPLICATE_SIGNATURE',
        `the note carries two signatures by ${signature.name} (key ID ${hex8(signature.keyId)})`,
      );
    }
    seen.add(key);
    const verifier = verifiers.find((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (verifier === undefined) {
      unknown.push(signature);
      continue;
    }
    if (!verifier.verify(message, signature.signature)) {
      throw logError(
        'LOG_NOTE_SIGNATURE_INVALID',
        `the signature by ${signature.name} (key ID ${hex8(signature.keyId)}) does not verify`,
        {
          name: signature.name,
          keyId: hex8(signature.keyId),
        },
      );
    }
    verified.push({ ...signature, verifier });
  }
  if (verified.length === 0) {
    throw logError(
      'LOG_NOTE_UNVERIFIED',
      `no signature on the note is by a known key (${verifiers.map((v) => v.name).join(', ') || 'none given'})`,
      {
        signers: note.signatures.map((s) => s.name),
      },
    );
  }
  return { ...note, verified, unknown };
}

/** A verifier for Ed25519 note signatures (type 0x01), from a verifier key string or its parts. */
export function ed25519NoteVerifier(key: string | VerifierKey): NoteVerifier {
  const parsed = typeof key === 'string' ? parseVerifierKey(key) : key;
  if (parsed.type !== SIGNATURE_TYPE_ED25519) {
    throw logError('LOG_VKEY_UNSUPPORTED', `${parsed.name} is not an Ed25519 note key (type 0x01)`);
  }
  return {
    name: parsed.name,
    keyId: parsed.keyId,
    verify: (text, signature) =>
      signature.length === ED25519_SIGNATURE_SIZE && ed25519Verify(signature, text, parsed.publicKey),
  };
}

/** An Ed25519 note signer over a 32-byte secret key (seed) held in memory. */
export function ed25519NoteSigner(
  name: string,
  secretKey: Uint8Array,
): NoteSigner & { readonly publicKey: Uint8Array } {
  return {
    ...namedEd25519Key(name, secretKey, SIGNATURE_TYPE_ED25519),
    sign: (text) => ed25519Sign(text, secretKey),
  };
}

export function assertNoteText(text: string): void {
  if (text === '' || !text.endsWith('\n'))
    throw logError('LOG_NOTE_TEXT_INVALID', 'a note text is non-empty and ends in a newline');
  assertNoControlCharacters(text, 'note text');
}

function assertNoControlCharacters(text: string, what: string): void {
  const at = controlCharacterAt(text, [0x0a]);
  if (at >= 0) {
    throw logError(
      'LOG_NOTE_CONTROL_CHARACTER',
      `the ${what} holds control character U+${text.charCodeAt(at).toString(16).padStart(4, '0')} at ${at}`,
      {
        offset: at,
      },
    );
  }
}

function hex8(id: number): string {
  return id.toString(16).padStart(8, '0');
}
