import type { ErrorCode } from '../errors/catalogue.js';
import { verify } from '../verify/verify.js';
import type { VerifyOptions } from '../verify/options.js';
import { decodeCompactJws } from '../secure/jose/verify.js';
import { assessKeys, type TrackedResolver, type VouchingAnchor } from './provenance.js';
import { JWK_THUMBPRINT_URI, type TrustFile } from './trust-file.js';

/** One anchor as checked: vouching (ok) or refused with a code. */
export interface AnchorReport extends Partial<VouchingAnchor> {
  ok: boolean;
  code?: ErrorCode;
  message: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks UNTP Digital Identity Anchor credentials against the trust file's roots. An anchor vouches
 * for an issuer (its `credentialSubject.id`, a DID) only when it verifies, is a
 * DigitalIdentityAnchor, and was signed by a key the trust file pins for a root. The DIA model binds
 * a DID to a registered identity, not to keys: an anchor names keys by RFC 9278 JWK Thumbprint URIs
 * (`urn:ietf:params:oauth:jwk-thumbprint:sha-256:…`) in `registrationScope`; only those keys become
 * trusted through it. Codes: ANCHOR_INVALID, ANCHOR_NOT_DIA, ANCHOR_ROOT_UNTRUSTED.
 *
 * @example
 *   const anchors = await checkAnchors(trust.anchors, trust, resolver);
 *   anchors.filter((a) => a.ok).map((a) => `${a.root} vouches for ${a.issuer}`);
 */
export async function checkAnchors(
  jwss: readonly string[],
  trust: TrustFile | undefined,
  resolver: TrackedResolver,
  options: Pick<VerifyOptions, 'clock' | 'validator'> = {},
): Promise<AnchorReport[]> {
  const out: AnchorReport[] = [];
  const seen = new Set<string>();
  for (const jws of jwss) {
    if (seen.has(jws)) continue;
    seen.add(jws);
    const report = await verify(jws, { resolver, ...options });
    const credential = report.credential;
    const anchorId = typeof credential?.id === 'string' ? credential.id : '(anchor without id)';
    const failed = report.steps.find((s) => !s.ok);
    if (failed || !credential) {
      out.push({
        anchorId,
        ok: false,
        code: 'ANCHOR_INVALID',
        message: `anchor ${anchorId} does not verify (${failed?.name}: ${failed?.code}: ${failed?.message ?? ''})`,
      });
      continue;
    }
    const types = Array.isArray(credential.type) ? credential.type : [credential.type];
    const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : {};
    if (!types.includes('DigitalIdentityAnchor') || typeof subject.id !== 'string') {
      out.push({
        anchorId,
        ok: false,
        code: 'ANCHOR_NOT_DIA',
        message: `${anchorId} is not a DigitalIdentityAnchor naming a DID`,
      });
      continue;
    }
    let kid = '';
    try {
      kid = String(decodeCompactJws(jws).header.kid ?? '');
    } catch {
      kid = '';
    }
    const [key] = await assessKeys([{ keyId: kid, usedFor: `anchor ${anchorId}` }], resolver, trust);
    const root = report.issuer ?? '';
    const isRoot = (trust?.roots ?? []).some((r) => r.did === root);
    if (!isRoot || !key || key.source !== 'pinned') {
      out.push({
        anchorId,
        root,
        issuer: subject.id,
        ok: false,
        code: 'ANCHOR_ROOT_UNTRUSTED',
        message: `anchor ${anchorId} is signed by ${root}, ${isRoot ? 'with a key the trust file does not pin' : 'which is not a root in the trust file'}`,
      });
      continue;
    }
    const scope = Array.isArray(subject.registrationScope) ? subject.registrationScope : [];
    const keys = scope
      .filter((s): s is string => typeof s === 'string' && s.startsWith(JWK_THUMBPRINT_URI))
      .map((s) => s.slice(JWK_THUMBPRINT_URI.length));
    out.push({
      anchorId,
      root,
      issuer: subject.id,
      keys,
      ok: true,
      ...(typeof subject.registeredName === 'string' ? { registeredName: subject.registeredName } : {}),
      ...(typeof subject.registeredId === 'string' ? { registeredId: subject.registeredId } : {}),
      message: `root ${root} vouches for ${subject.id}${typeof subject.registeredName === 'string' ? ` (${subject.registeredName})` : ''}${keys.length > 0 ? `, keys ${keys.join(', ')}` : ' (identity only, no keys named)'}`,
    });
  }
  return out;
}

/** The anchors that vouch (ok), in the shape `assessKeys` takes. */
export function vouchingAnchors(reports: readonly AnchorReport[]): VouchingAnchor[] {
  return reports
    .filter((a) => a.ok)
    .map((a) => ({
      anchorId: a.anchorId as string,
      root: a.root as string,
      issuer: a.issuer as string,
      keys: a.keys ?? [],
      ...(a.registeredName ? { registeredName: a.registeredName } : {}),
      ...(a.registeredId ? { registeredId: a.registeredId } : {}),
    }));
}

/** Input of `buildAnchorCredential`. */
export interface AnchorInput {
  /** The anchor credential's id (a URL at the root's register). */
  id: string;
  /** The root: the register operator that signs the anchor. */
  root: { id: string; name: string };
  /** The DID the anchor binds to the registered identity (the issuer it vouches for). */
  subject: string;
  registeredName: string;
  registeredId: string;
  register: { id: string; name: string };
  /** When the identity was registered (ISO date). */
  registeredDate: string;
  /** JWK thumbprints of the subject's keys the root vouches for. */
  keys: string[];
  validFrom: string;
  validUntil?: string;
}

/**
 * An unsigned UNTP 0.7.0 DigitalIdentityAnchor vouching for `subject`, naming its keys as RFC 9278
 * JWK Thumbprint URIs in `registrationScope` (sign it with the root's key, e.g. `issue()`).
 *
 * @example
 *   const anchor = buildAnchorCredential({ id, root, subject: 'did:web:registry.example', registeredName, registeredId, register, keys: [thumbprint], validFrom });
 */
export function buildAnchorCredential(input: AnchorInput): Record<string, unknown> {
  return {
    type: ['DigitalIdentityAnchor', 'VerifiableCredential'],
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://vocabulary.uncefact.org/untp/0.7.0/context/'],
    id: input.id,
    issuer: { type: ['CredentialIssuer'], id: input.root.id, name: input.root.name },
    validFrom: input.validFrom,
    ...(input.validUntil ? { validUntil: input.validUntil } : {}),
    name: `Identity anchor — ${input.registeredName}`,
    credentialSubject: {
      type: ['RegisteredIdentity'],
      id: input.subject,
      registeredName: input.registeredName,
      registeredId: input.registeredId,
      registeredDate: input.registeredDate,
      idScheme: { type: ['IdentifierScheme'], id: input.register.id, name: input.register.name },
      registrar: { type: ['Party'], id: input.root.id, name: input.root.name },
      registerType: 'business',
      registrationScope: input.keys.map((k) => `${JWK_THUMBPRINT_URI}${k}`),
    },
  };
}
