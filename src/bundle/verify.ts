import type { ErrorCode } from '../errors/catalogue.js';
import { isObject } from '../credits/check.js';
import { checkDigest, digestMultibase } from '../lib/digest.js';
import {
  assertDisjoint,
  checkSerialBlock,
  contains,
  totalQuantity,
  type SerialBlock,
} from '../credits/serial-block.js';
import { isUntpCreditsError, UntpCreditsError } from '../errors.js';
import type { DidWebHttpsOptions } from '../keys/did-web-https.js';
import type { LocalDidStore } from '../keys/resolver.js';
import { SIGNATURE_ALGORITHMS } from '../keys/types.js';
import { resolveKey } from '../secure/lib/methods.js';
import { decodeCompactJws, verifyJwsSignature, type DecodedJws } from '../secure/jose/verify.js';
import { createStatusResolver } from '../status/resolver.js';
import { checkAnchors, vouchingAnchors, type AnchorReport } from '../trust/anchors.js';
import { assessKeys, createTrackedResolver, type KeyTrust, type TrackedResolver } from '../trust/provenance.js';
import { didDocumentDigest, trustedLogs, type TrustFile } from '../trust/trust-file.js';
import type { LogFinding } from '../verify/log.js';
import type { Issue } from '../validate/report.js';
import type { Validator } from '../verify/options.js';
import type { VerificationReport } from '../verify/report.js';
import { verify } from '../verify/verify.js';
import {
  MANIFEST_TYP,
  parseBundle,
  type BundleManifest,
  type ManifestEntry,
  type VerificationBundle,
} from './format.js';

type Obj = Record<string, unknown>;

/** The named steps of bundle verification, in order. */
export type BundleStepName =
  | 'format'
  | 'manifest'
  | 'digests'
  | 'status-lists'
  | 'retirement'
  | 'issuances'
  | 'status'
  | 'arithmetic'
  | 'log'
  | 'trust';
export const BUNDLE_STEPS: readonly BundleStepName[] = [
  'format',
  'manifest',
  'digests',
  'status-lists',
  'retirement',
  'issuances',
  'status',
  'arithmetic',
  'log',
  'trust',
];

export interface BundleStep {
  name: BundleStepName;
  ok: boolean;
  code?: string;
  message?: string;
}

/** One credential of the bundle, as verified. */
export interface BundledCredentialReport {
  role: 'retirement' | 'issuance' | 'status-list';
  id: string;
  digestMultibase: string;
  report: VerificationReport;
}

/**
 * The report of `verifyBundle`: `verified` only when every step passed. `keys` says where each
 * signing key came from; `anchors` which anchor vouches for which issuer; `statusAsOf` is the
 * date of the status snapshot the revocation answers come from.
 */
export interface BundleReport {
  verified: boolean;
  kind: 'bundle';
  issuer: string | null;
  retirementId: string | null;
  credentialId: string | null;
  bundledAt: string | null;
  statusAsOf: string | null;
  /** The retirement's payload, when it could be decoded. */
  retirement: Obj | null;
  /** The retirement as published (compact JWS), for double-claim and DPP checks. */
  retirementJws: string | null;
  /** True when the snapshot shows the retirement revoked (e.g. superseded by an amendment). */
  revoked: boolean;
  steps: BundleStep[];
  keys: KeyTrust[];
  anchors: AnchorReport[];
  credentials: BundledCredentialReport[];
  /** Each credit credential's place in the registry's log, as the log step established it. */
  log?: Array<LogFinding & { credentialId: string; role: 'retirement' | 'issuance' }>;
  warnings: Issue[];
}

export interface BundleVerifyOptions {
  /** The verifier's pinned keys, roots and anchors. */
  trust?: TrustFile;
  /**
   * Kept for callers of earlier versions: failing on a key only carried in the bundle is now the
   * default (TRUST_NOT_PINNED); see `allowUntrusted`.
   */
  requireTrust?: boolean;
  /** Accept keys only carried in the bundle, as a loud warning (never ✔) instead of a failure. */
  allowUntrusted?: boolean;
  /** Fail when a credit credential's inclusion in a pinned log is not shown (also without a log key pinned). */
  requireLog?: boolean;
  /** The oldest status snapshot used, in milliseconds of age (default: each list's own `ttl`, if it has one). */
  maxStatusAgeMs?: number;
  /** DID documents the verifier gave itself. */
  local?: LocalDidStore;
  /** Resolve did:web over HTTPS (off by default: bundle verification needs no network). */
  https?: boolean | DidWebHttpsOptions;
  clock?: () => Date;
  validator?: Validator;
}

function fail(code: ErrorCode, message: string): never {
  throw new UntpCreditsError(code, message);
}

async function step(
  report: BundleReport,
  name: BundleStepName,
  fn: () => Promise<{ code?: string; message?: string } | void> | { code?: string; message?: string } | void,
): Promise<boolean> {
  try {
    const result = await fn();
    report.steps.push({
      name,
      ok: true,
      ...(result && result.code ? { code: result.code } : {}),
      ...(result && result.message ? { message: result.message } : {}),
    });
    return true;
  } catch (error) {
    report.steps.push({
      name,
      ok: false,
      code: isUntpCreditsError(error) ? error.code : 'INTERNAL_ERROR',
      message: (error as Error)?.message ?? String(error),
    });
    return false;
  }
}

function issuerOf(payload: Obj): string | null {
  const issuer = payload.issuer;
  return typeof issuer === 'string' ? issuer : isObject(issuer) && typeof issuer.id === 'string' ? issuer.id : null;
}

/** The first failed step of a credential report other than `status` and `log` (each its own bundle step). */
function cryptoFailure(report: VerificationReport) {
  return report.steps.find((s) => !s.ok && s.name !== 'status' && s.name !== 'log');
}

function kidOf(jws: string): string | null {
  try {
    const kid = decodeCompactJws(jws).header.kid;
    return typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

function sameEntries(what: string, listed: readonly ManifestEntry[], actual: readonly ManifestEntry[]): void {
  const want = new Map(listed.map((e) => [e.digestMultibase, e.id]));
  for (const entry of actual) {
    if (!want.has(entry.digestMultibase)) {
      const sameId = listed.find((e) => e.id === entry.id);
      fail(
        sameId ? 'BUNDLE_DIGEST_MISMATCH' : 'BUNDLE_COMPONENT_UNLISTED',
        sameId
          ? `${what} ${entry.id}: digest ${entry.digestMultibase} is not the one the manifest lists (${sameId.digestMultibase})`
          : `${what} ${entry.id} (${entry.digestMultibase}) is not listed in the manifest`,
      );
    }
    want.delete(entry.digestMultibase);
  }
  for (const [digest, id] of want)
    fail('BUNDLE_COMPONENT_MISSING', `the manifest lists ${what} ${id} (${digest}), which the bundle does not hold`);
}

/**
 * Verifies an offline verification bundle with no network (unless `https` is allowed): the
 * registry's signed manifest and the digest of every component, the status lists, the retirement
 * and each issuance it cites (signature, schemas, validity), their status as of the snapshot, the
 * credit arithmetic (retired ranges inside issued blocks, totals), and where each key came from.
 * Never throws on bad input. Steps: format → manifest → digests → status-lists → retirement →
 * issuances → status → arithmetic → trust.
 *
 * @example
 *   const report = await verifyBundle(JSON.parse(text), { trust: readTrustFile('trust.json'), requireTrust: true });
 *   report.verified; report.steps.find((s) => !s.ok); report.keys.map((k) => `${k.keyId}: ${k.source}`);
 */
export async function verifyBundle(input: unknown, options: BundleVerifyOptions = {}): Promise<BundleReport> {
  const report: BundleReport = {
    verified: false,
    kind: 'bundle',
    issuer: null,
    retirementId: null,
    credentialId: null,
    bundledAt: null,
    statusAsOf: null,
    retirement: null,
    retirementJws: null,
    revoked: false,
    steps: [],
    keys: [],
    anchors: [],
    credentials: [],
    log: [],
    warnings: [],
  };
  try {
    await run(input, options, report);
  } catch (error) {
    report.steps.push({
      name: 'format',
      ok: false,
      code: 'INTERNAL_ERROR',
      message: (error as Error)?.message ?? String(error),
    });
  }
  report.verified = report.steps.length === BUNDLE_STEPS.length && report.steps.every((s) => s.ok);
  return report;
}

async function run(input: unknown, options: BundleVerifyOptions, report: BundleReport): Promise<void> {
  let bundle: VerificationBundle | undefined;
  if (
    !(await step(report, 'format', () => {
      bundle = parseBundle(input);
    }))
  )
    return;
  const b = bundle as VerificationBundle;
  const resolver: TrackedResolver = createTrackedResolver({
    bundle: b.didDocuments,
    ...(options.local ? { local: options.local } : {}),
    ...(options.https ? { https: options.https } : {}),
  });
  const clock = options.clock ?? (() => new Date());
  const verifyOptions = { resolver, clock, ...(options.validator ? { validator: options.validator } : {}) };
  const keyUses: { keyId: string; usedFor: string }[] = [];
  const use = (jws: string, usedFor: string) => {
    const kid = kidOf(jws);
    if (kid) keyUses.push({ keyId: kid, usedFor });
  };

  // The retirement, decoded early: the manifest must be signed by its issuer.
  let retirementDecoded: DecodedJws | undefined;
  try {
    retirementDecoded = decodeCompactJws(b.retirement);
    report.retirement = retirementDecoded.payload;
    report.retirementJws = b.retirement;
    report.issuer = issuerOf(retirementDecoded.payload);
    report.credentialId = typeof retirementDecoded.payload.id === 'string' ? retirementDecoded.payload.id : null;
    const ext = retirementExt(retirementDecoded.payload);
    report.retirementId = typeof ext.retirementId === 'string' ? ext.retirementId : null;
  } catch {
    retirementDecoded = undefined;
  }

  // manifest: the registry's signature over the list of digests.
  let manifest: BundleManifest | undefined;
  await step(report, 'manifest', async () => {
    const decoded = decodeCompactJws(b.manifest);
    const header = decoded.header;
    if (typeof header.alg !== 'string' || !(SIGNATURE_ALGORITHMS as readonly string[]).includes(header.alg))
      fail(
        'JOSE_ALG_REFUSED',
        `manifest alg ${JSON.stringify(header.alg)} is not allowed (${SIGNATURE_ALGORITHMS.join(', ')})`,
      );
    if (header.typ !== MANIFEST_TYP)
      fail('MANIFEST_INVALID', `manifest typ must be ${MANIFEST_TYP}, not ${JSON.stringify(header.typ)}`);
    if (header.crit !== undefined || header.b64 !== undefined)
      fail('JOSE_CRIT_UNSUPPORTED', 'crit / b64 header parameters are not supported');
    const payload = decoded.payload as unknown as BundleManifest;
    if (
      payload.type !== 'UntpCreditsBundleManifest' ||
      typeof payload.iss !== 'string' ||
      !isObject(payload.retirement) ||
      !Array.isArray(payload.issuances)
    )
      fail('MANIFEST_INVALID', 'the manifest payload is not a UntpCreditsBundleManifest');
    if (report.issuer !== null && payload.iss !== report.issuer)
      fail(
        'MANIFEST_SIGNER_MISMATCH',
        `the manifest is signed by ${payload.iss}, not by the retirement's issuer ${report.issuer}`,
      );
    const key = await resolveKey(header.kid, payload.iss, 'assertionMethod', resolver);
    await verifyJwsSignature(
      decoded,
      header.alg as (typeof SIGNATURE_ALGORITHMS)[number],
      key.publicJwk,
      key.algorithm,
    );
    keyUses.push({ keyId: header.kid as string, usedFor: 'manifest' });
    manifest = payload;
    report.bundledAt = typeof payload.bundledAt === 'string' ? payload.bundledAt : null;
    return { message: `signed by ${String(header.kid)} at ${String(payload.bundledAt)}` };
  });

  // digests: every component is exactly what the manifest lists, no more, no less.
  await step(report, 'digests', () => {
    if (!manifest)
      fail('MANIFEST_UNVERIFIED', 'the manifest did not verify, so the components cannot be checked against it');
    const m = manifest;
    const entry = (jws: string): ManifestEntry => {
      let id = '';
      try {
        id = String(decodeCompactJws(jws).payload.id ?? '');
      } catch {
        id = '(undecodable)';
      }
      return { id, digestMultibase: digestMultibase(jws) };
    };
    sameEntries('retirement', [m.retirement], [entry(b.retirement)]);
    sameEntries('issuance', m.issuances ?? [], b.issuances.map(entry));
    sameEntries('status list', m.statusLists ?? [], b.statusLists.map(entry));
    sameEntries(
      'DID document',
      m.didDocuments ?? [],
      b.didDocuments.map((d) => ({ id: String(d.id), digestMultibase: didDocumentDigest(d) })),
    );
    sameEntries('anchor', m.anchors ?? [], b.anchors.map(entry));
    return {
      message: `${1 + b.issuances.length + b.statusLists.length + b.didDocuments.length + b.anchors.length} component(s) match the manifest`,
    };
  });

  // status-lists: each snapshot list is the registry's, signed.
  const snapshot = new Map<string, string>();
  const listDates: string[] = [];
  // Several snapshots of one list: the newest (by validFrom) decides.
  const chosen = new Map<string, { validFrom: string; ttl: unknown }>();
  await step(report, 'status-lists', async () => {
    for (const jws of b.statusLists) {
      const r = await verify(jws, verifyOptions);
      const id = String(r.credential?.id ?? '(undecodable)');
      report.credentials.push({ role: 'status-list', id, digestMultibase: digestMultibase(jws), report: r });
      use(jws, `status list ${id}`);
      const failed = r.steps.find((s) => !s.ok);
      if (failed)
        fail('STATUS_LIST_INVALID', `status list ${id}: ${failed.name} ${failed.code}: ${failed.message ?? ''}`);
      if (report.issuer !== null && r.issuer !== report.issuer)
        fail(
          'STATUS_LIST_INVALID',
          `status list ${id} is issued by ${String(r.issuer)}, not by the registry ${report.issuer}`,
        );
      const validFrom = typeof r.credential?.validFrom === 'string' ? r.credential.validFrom : '';
      const known = chosen.get(id);
      if (known === undefined || Date.parse(validFrom) > Date.parse(known.validFrom)) {
        snapshot.set(id, jws);
        chosen.set(id, {
          validFrom,
          ttl: isObject(r.credential?.credentialSubject) ? r.credential.credentialSubject.ttl : undefined,
        });
      }
    }
    // Freshness: a snapshot is not used past its ttl (Bitstring Status List §2.2, milliseconds) or
    // the verifier's maxStatusAge (which, given, replaces the ttl); past validUntil it did not verify.
    const now = clock().getTime();
    const stale: string[] = [];
    for (const [id, list] of chosen) {
      listDates.push(list.validFrom);
      const limit = options.maxStatusAgeMs ?? (typeof list.ttl === 'number' && list.ttl > 0 ? list.ttl : undefined);
      const from = Date.parse(list.validFrom);
      if (limit !== undefined && (Number.isNaN(from) || now - from > limit))
        stale.push(
          `status list ${id} is as of ${list.validFrom || '(no validFrom)'}, older than ${Math.round(limit / 1000)} s (${options.maxStatusAgeMs !== undefined ? 'max status age' : 'its ttl'})`,
        );
    }
    if (stale.length > 0) fail('STATUS_SNAPSHOT_STALE', `${stale.join('; ')}: get a fresh bundle or status list`);
    return {
      message: `${b.statusLists.length} status list(s)${chosen.size < b.statusLists.length ? `; the newest of each list decides` : ''}`,
    };
  });
  report.statusAsOf = listDates.sort()[0] ?? report.bundledAt;
  const status = createStatusResolver(snapshot);
  const statusFindings: Array<{ what: string; step: VerificationReport['steps'][number] | undefined }> = [];
  // The log: each credit credential against the registry's log the trust file pins.
  const logs = trustedLogs(options.trust);
  const evidenceOf = (id: unknown) => {
    const found = (b.log ?? []).find((e) => e.credentialId === id);
    if (!found) return {};
    const { credentialId: _id, ...evidence } = found;
    return { logEvidence: evidence };
  };
  const logOptions = (jws: string) => {
    let id: unknown;
    try {
      id = decodeCompactJws(jws).payload.id;
    } catch {
      id = undefined;
    }
    return { logs, requireLog: options.requireLog ?? false, ...evidenceOf(id) };
  };
  const logFindings: Array<{ what: string; role: 'retirement' | 'issuance'; report: VerificationReport }> = [];

  // retirement: signature, schemas, validity window.
  await step(report, 'retirement', async () => {
    const r = await verify(b.retirement, {
      ...verifyOptions,
      ...logOptions(b.retirement),
      status,
      requireStatus: true,
      ...(b.disclosures ? { disclosures: b.disclosures } : {}),
    });
    logFindings.push({ what: `retirement ${String(r.credential?.id ?? '')}`, role: 'retirement', report: r });
    report.credentials.push({
      role: 'retirement',
      id: String(r.credential?.id ?? ''),
      digestMultibase: digestMultibase(b.retirement),
      report: r,
    });
    use(b.retirement, 'retirement');
    report.warnings.push(...r.warnings);
    statusFindings.push({
      what: `retirement ${String(r.credential?.id ?? '')}`,
      step: r.steps.find((s) => s.name === 'status'),
    });
    const failed = cryptoFailure(r);
    if (failed)
      fail(failed.code ?? 'RETIREMENT_INVALID', `retirement: ${failed.name}: ${failed.message ?? failed.code}`);
    return { message: `${r.format} ${r.issuer}` };
  });

  // issuances: each cited one is in the bundle by digest, and verifies.
  const issuancePayloads = new Map<string, Obj>();
  await step(report, 'issuances', async () => {
    if (!retirementDecoded)
      fail('RETIREMENT_UNDECODABLE', 'the retirement could not be decoded, so its issuances cannot be found');
    const units = retiredUnits(retirementDecoded.payload);
    const byDigest = new Map(b.issuances.map((jws) => [digestMultibase(jws), jws]));
    const problems: string[] = [];
    let code: ErrorCode | undefined;
    for (const [i, unit] of units.entries()) {
      const cited = isObject(unit.issuanceCredential) ? unit.issuanceCredential : {};
      const digest = typeof cited.digestMultibase === 'string' ? cited.digestMultibase : '';
      const jws = [...byDigest.entries()].find(([, j]) => {
        try {
          return checkDigest(j, digest);
        } catch {
          return false;
        }
      })?.[1];
      if (!jws) {
        const sameId = b.issuances.find((j) => {
          try {
            return decodeCompactJws(j).payload.id === cited.id;
          } catch {
            return false;
          }
        });
        code ||= sameId ? 'ISSUANCE_DIGEST_MISMATCH' : 'ISSUANCE_MISSING';
        problems.push(
          sameId
            ? `retiredUnits/${i}: the bundled ${String(cited.id)} is not the issuance cited by digest ${digest}`
            : `retiredUnits/${i}: issuance ${String(cited.id)} (${digest}) is not in the bundle`,
        );
        continue;
      }
      if (issuancePayloads.has(digest)) continue;
      const r = await verify(jws, { ...verifyOptions, ...logOptions(jws), status, requireStatus: true });
      const id = String(r.credential?.id ?? '');
      logFindings.push({ what: `issuance ${id}`, role: 'issuance', report: r });
      report.credentials.push({ role: 'issuance', id, digestMultibase: digest, report: r });
      use(jws, `issuance ${id}`);
      statusFindings.push({ what: `issuance ${id}`, step: r.steps.find((s) => s.name === 'status') });
      const failed = cryptoFailure(r);
      if (failed) {
        code ||= failed.code ?? 'ISSUANCE_INVALID';
        problems.push(`issuance ${id}: ${failed.name}: ${failed.message ?? failed.code}`);
        continue;
      }
      if (report.issuer !== null && r.issuer !== report.issuer) {
        code ||= 'ISSUER_MISMATCH';
        problems.push(
          `issuance ${id} is issued by ${String(r.issuer)}, not by the retirement's registry ${report.issuer}`,
        );
        continue;
      }
      issuancePayloads.set(digest, r.credential as Obj);
    }
    if (units.length === 0) fail('RETIREMENT_INVALID', 'the retirement lists no retired units');
    if (problems.length > 0) fail(code ?? 'ISSUANCE_INVALID', problems.join('; '));
    return { message: `${issuancePayloads.size} issuance(s) cited by digest` };
  });

  // status: as of the snapshot, with its date.
  await step(report, 'status', () => {
    const asOf = `as of ${report.statusAsOf ?? 'an unknown date'}`;
    const bad = statusFindings.filter((f) => f.step && !f.step.ok);
    const revokedRetirement = statusFindings.some(
      (f) => f.what.startsWith('retirement') && f.step?.code === 'CREDENTIAL_REVOKED',
    );
    report.revoked = revokedRetirement;
    if (bad.length > 0) {
      const first = bad[0] as (typeof bad)[number];
      fail(
        first.step?.code ?? 'STATUS_UNAVAILABLE',
        `${bad.map((f) => `${f.what}: ${f.step?.code}`).join('; ')} (${asOf}): ${first.step?.message ?? ''}`,
      );
    }
    if (statusFindings.length === 0) fail('STATUS_UNAVAILABLE', 'no credential status could be checked');
    return { message: `${statusFindings.length} credential(s) not revoked ${asOf}` };
  });

  // arithmetic: retired ranges inside the issued blocks, totals consistent.
  await step(report, 'arithmetic', () => {
    if (!retirementDecoded) fail('RETIREMENT_UNDECODABLE', 'the retirement could not be decoded');
    const ext = retirementExt(retirementDecoded.payload);
    const units = retiredUnits(retirementDecoded.payload);
    const blocks: SerialBlock[] = [];
    for (const [i, unit] of units.entries()) {
      const path = `/credentialSubject/creditRetirement/retiredUnits/${i}`;
      const block = checkSerialBlock(unit.serialBlock as SerialBlock, `${path}/serialBlock`);
      blocks.push(block);
      const digest = isObject(unit.issuanceCredential) ? String(unit.issuanceCredential.digestMultibase) : '';
      const issuance = issuancePayloads.get(digest);
      if (!issuance)
        fail(
          'ISSUANCE_UNVERIFIED',
          `${path}: the cited issuance did not verify, so the range cannot be checked against it`,
        );
      const issued = issuanceExt(issuance);
      const issuedBlock = issued.serialBlock as SerialBlock;
      if (!contains(checkSerialBlock(issuedBlock, '/issuance/serialBlock'), block)) {
        fail(
          'RANGE_OUTSIDE_ISSUANCE',
          `${path}: ${block.prefix} ${block.start}–${block.end} is not within issuance ${String(issued.issuanceId)} (${issuedBlock.prefix} ${issuedBlock.start}–${issuedBlock.end})`,
        );
      }
      if (unit.issuanceId !== undefined && unit.issuanceId !== issued.issuanceId)
        fail(
          'ISSUANCE_MISMATCH',
          `${path}: issuanceId ${String(unit.issuanceId)} is not the cited issuance's ${String(issued.issuanceId)}`,
        );
      const a = isObject(unit.creditUnit) ? unit.creditUnit : {};
      const c = isObject(issued.creditUnit) ? issued.creditUnit : {};
      if (a.unit !== c.unit || a.quantityPerCredit !== c.quantityPerCredit)
        fail('UNITS_MISMATCH', `${path}: the credit unit differs from the issuance's`);
    }
    assertDisjoint(blocks, '/credentialSubject/creditRetirement/retiredUnits');
    const total = totalQuantity(blocks);
    if (BigInt(Number(ext.totalQuantity)) !== total || !Number.isSafeInteger(ext.totalQuantity))
      fail('TOTAL_MISMATCH', `totalQuantity ${String(ext.totalQuantity)} ≠ the sum of the retired blocks (${total})`);
    return { message: `${total} credit(s) in ${blocks.length} block(s), each inside its issuance` };
  });

  // log: each credit credential is an entry of the registry's public log (when a log key is pinned).
  await step(report, 'log', () => {
    const found: NonNullable<BundleReport['log']> = (report.log = []);
    const checked = logFindings.map((f) => ({ ...f, step: f.report.steps.find((s) => s.name === 'log') }));
    const bad = checked.filter((f) => f.step && !f.step.ok);
    if (bad.length > 0) {
      const first = bad[0] as (typeof bad)[number];
      fail(
        first.step?.code ?? 'LOG_ENTRY_MISSING',
        bad.map((f) => `${f.what}: ${f.step?.code}: ${f.step?.message ?? ''}`).join('; '),
      );
    }
    for (const f of checked)
      if (f.report.log && typeof f.report.credential?.id === 'string')
        found.push({ ...f.report.log, credentialId: f.report.credential.id, role: f.role });
    const registryLogs = logs.filter((l) => l.issuer === report.issuer);
    if (registryLogs.length === 0 || found.length === 0)
      return {
        code: 'LOG_NOT_CHECKED',
        message: `the trust in use names no log key for ${report.issuer ?? 'the registry'}: inclusion in its public log was not checked${(b.log ?? []).length > 0 ? ` (the bundle carries log evidence for ${(b.log ?? []).length} credential(s))` : ''}`,
      };
    return {
      message: checked
        .filter((f) => f.step?.ok)
        .map((f) => `${f.what}: ${f.step?.message ?? ''}`)
        .join('; '),
    };
  });

  // trust: where every key came from; anchors from the bundle and the trust file.
  await step(report, 'trust', async () => {
    report.anchors = await checkAnchors([...b.anchors, ...(options.trust?.anchors ?? [])], options.trust, resolver, {
      clock,
      ...(options.validator ? { validator: options.validator } : {}),
    });
    for (const a of report.anchors.filter((x) => !x.ok))
      report.warnings.push({ code: a.code ?? 'ANCHOR_INVALID', path: '/anchors', message: a.message });
    report.keys = await assessKeys(keyUses, resolver, options.trust, vouchingAnchors(report.anchors));
    const untrusted = report.keys.filter((k) => !k.trusted);
    if (untrusted.length === 0) return { message: report.keys.map((k) => `${k.keyId}: ${k.source}`).join('; ') };
    const message = untrusted.map((k) => `${k.keyId} (${k.usedFor.join(', ')}): ${k.message}`).join('; ');
    if (untrusted.some((k) => k.pinnedMismatch)) fail('UNTRUSTED_KEY', message);
    // Keys only from DID documents the bundle carries: whoever wrote the bundle could have written
    // them. Safe by default: that fails unless the verifier accepts it, loudly, as a warning.
    const pinnedNothing = options.trust === undefined && (options.local?.dids().length ?? 0) === 0;
    const code: ErrorCode = pinnedNothing ? 'TRUST_NOT_PINNED' : 'UNTRUSTED_KEY';
    const advice = 'pin trust with --trust, --did-dir or --did-doc';
    if (!options.allowUntrusted) fail(code, `${message}; ${advice}, or accept it as a warning with --allow-untrusted`);
    for (const k of untrusted)
      report.warnings.push({
        code,
        path: '',
        message: `UNTRUSTED (--allow-untrusted): ${k.keyId} (${k.usedFor.join(', ')}): ${k.message}`,
      });
    return { code, message: `UNTRUSTED, accepted only because --allow-untrusted was given: ${message}` };
  });
}

function retirementExt(payload: Obj): Obj {
  return isObject(payload.credentialSubject) && isObject(payload.credentialSubject.creditRetirement)
    ? payload.credentialSubject.creditRetirement
    : {};
}

function issuanceExt(payload: Obj): Obj {
  return isObject(payload.credentialSubject) && isObject(payload.credentialSubject.creditIssuance)
    ? payload.credentialSubject.creditIssuance
    : {};
}

function retiredUnits(payload: Obj): Obj[] {
  const units = retirementExt(payload).retiredUnits;
  return Array.isArray(units) ? units.filter(isObject) : [];
}
