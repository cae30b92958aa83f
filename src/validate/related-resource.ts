import { base58btc } from 'multiformats/bases/base58';
import { base64, base64url } from 'multiformats/bases/base64';
import type { ArtefactRegistry } from '../artefacts/registry.js';
import { appendPointer } from '../lib/json-pointer.js';
import type { Issue } from './report.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const hexToBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The bytes a multibase digest names: the raw digest, or a sha2-256 multihash (0x12 0x20 ‖ digest). */
function multibaseDigest(value: string): Uint8Array | undefined {
  try {
    const bytes = value.startsWith('z') ? base58btc.decode(value) : base64url.decode(value);
    return bytes.length === 34 && bytes[0] === 0x12 && bytes[1] === 0x20 ? bytes.slice(2) : bytes;
  } catch {
    return undefined;
  }
}

/**
 * VCDM 2.0 §5.3 relatedResource, beyond its shape (checked by the VCDM rules): each `id` appears once
 * (VCDM_RELATED_RESOURCE), and the digests of every resource the verifier actually loads — the
 * bundled contexts and schemas, whose SHA-256 the index records — must match
 * (RELATED_RESOURCE_DIGEST_MISMATCH). A resource not loaded, or a digest that is not SHA-256, is reported as
 * not checked (RELATED_RESOURCE_NOT_CHECKED), never as verified.
 */
export function checkRelatedResources(
  document: Record<string, unknown>,
  registry: ArtefactRegistry,
): { errors: Issue[]; warnings: Issue[] } {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const related = document.relatedResource;
  if (related === undefined) return { errors, warnings };
  const many = Array.isArray(related);
  const seen = new Map<string, string>();
  (many ? related : [related]).forEach((entry, i) => {
    const path = many ? appendPointer('/relatedResource', i) : '/relatedResource';
    if (!isObject(entry) || typeof entry.id !== 'string') return; // the VCDM rules report the shape
    const first = seen.get(entry.id);
    if (first !== undefined) {
      errors.push({
        code: 'VCDM_RELATED_RESOURCE',
        path: appendPointer(path, 'id'),
        message: `relatedResource id ${entry.id} appears twice (first at ${first}); each id must be unique`,
      });
      return;
    }
    seen.set(entry.id, path);
    const bundled = registry.entryOf(entry.id);
    if (!bundled) {
      warnings.push({
        code: 'RELATED_RESOURCE_NOT_CHECKED',
        path,
        message: `${entry.id} is not loaded by the verifier, so its digest was not checked`,
      });
      return;
    }
    const expected = hexToBytes(bundled.sha256);
    let checked = false;
    const sri = entry.digestSRI;
    if (typeof sri === 'string') {
      const [alg, value] = sri.split('-', 2) as [string, string | undefined];
      if (alg === 'sha256' && value !== undefined) {
        checked = true;
        let given: Uint8Array | undefined;
        try {
          given = base64.baseDecode(value.replace(/=+$/, ''));
        } catch {
          given = undefined;
        }
        if (given === undefined || !equal(given, expected))
          errors.push({
            code: 'RELATED_RESOURCE_DIGEST_MISMATCH',
            path: appendPointer(path, 'digestSRI'),
            message: `digestSRI does not match ${entry.id} as bundled (sha256-${base64.baseEncode(expected)}=)`,
          });
      }
    }
    const multibase = entry.digestMultibase;
    if (typeof multibase === 'string') {
      const bytes = multibaseDigest(multibase);
      if (bytes !== undefined && bytes.length === 32) {
        checked = true;
        if (!equal(bytes, expected))
          errors.push({
            code: 'RELATED_RESOURCE_DIGEST_MISMATCH',
            path: appendPointer(path, 'digestMultibase'),
            message: `digestMultibase does not match the SHA-256 of ${entry.id} as bundled`,
          });
      }
    }
    if (!checked)
      warnings.push({
        code: 'RELATED_RESOURCE_NOT_CHECKED',
        path,
        message: `${entry.id} is bundled, but only SHA-256 digests of it are checked`,
      });
  });
  return { errors, warnings };
}
