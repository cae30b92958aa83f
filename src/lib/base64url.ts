import * as base64url from 'jose/base64url';

/**
 * base64url without padding, in Node (Buffer, native) and in a browser (jose's portable codec).
 * Decoding is lenient like Buffer's; the security path uses secure/lib/base64url.ts, which refuses
 * anything but the canonical encoding.
 */
type BufferLike = {
  from(data: Uint8Array | string, encoding?: string): Uint8Array & { toString(encoding: string): string };
};
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

export function encodeBase64url(bytes: Uint8Array | string): string {
  if (NodeBuffer) return NodeBuffer.from(bytes).toString('base64url');
  return base64url.encode(bytes);
}

export function decodeBase64url(text: string): Uint8Array {
  if (NodeBuffer) {
    const buffer = NodeBuffer.from(text, 'base64url');
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  }
  return base64url.decode(text.replace(/=+$/, ''));
}

/** The UTF-8 text of a base64url segment (a JWS header or payload). */
export function decodeBase64urlText(text: string): string {
  return new TextDecoder().decode(decodeBase64url(text));
}
