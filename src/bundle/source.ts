import { isObject } from '../credits/check.js';
import { jwsPayload } from '../lib/digest.js';
import { UntpCreditsError } from '../errors.js';
import type { Signer } from '../keys/types.js';
import type { Queryable } from '../registry/db.js';
import type { LogEvidence } from '../verify/log.js';
import { buildBundle } from './build.js';
import { compactJwsOf } from './build.js';
import type { VerificationBundle } from './format.js';

/**
 * The registry's published credentials as a bundle source: the database edge of bundle building
 * (the registry API serves the same records). Pure SQL reads, no writes.
 */
export interface BundleSource {
  /** The retirement credential (compact JWS) by retirement id or credential id. */
  retirement(idOrCredentialId: string): Promise<string | undefined>;
  /** A credential the registry published, by credential id. */
  credential(credentialId: string): Promise<string | undefined>;
  /** The current status-list credential published at `url` (compact JWS). */
  statusList(url: string): Promise<string | undefined>;
  /**
   * Optional: a credential's log entry, inclusion proof and latest checkpoint, once logged (the
   * registry's `credentialInclusion`, which the edges that open the registry plug in).
   */
  log?(credentialId: string): Promise<LogEvidence | undefined>;
}

/**
 * Reads bundle components from the registry ledger's tables (PGlite or PostgreSQL).
 *
 * @example
 *   const source = databaseBundleSource(registry.db);
 *   const bundle = await bundleRetirement(source, 'RET-2026-0007', signer, [didDocument]);
 */
export function databaseBundleSource(db: Queryable): BundleSource {
  return {
    async retirement(id) {
      const { rows } = await db.query<{ jws: string }>(
        'SELECT c.jws FROM retirements r JOIN credentials c ON c.id = r.credential_id WHERE r.id = $1 OR r.credential_id = $1',
        [id],
      );
      return rows[0]?.jws;
    },
    async credential(id) {
      const { rows } = await db.query<{ jws: string }>('SELECT jws FROM credentials WHERE id = $1', [id]);
      return rows[0]?.jws;
    },
    async statusList(url) {
      const { rows } = await db.query<{ credential: unknown }>('SELECT credential FROM status_lists WHERE url = $1', [
        url,
      ]);
      const stored = rows[0]?.credential;
      if (stored === undefined) return undefined;
      return compactJwsOf((typeof stored === 'string' ? JSON.parse(stored) : stored) as Record<string, unknown>, url);
    },
  };
}

function statusUrls(payload: Record<string, unknown>): string[] {
  const raw = payload.credentialStatus;
  const entries = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return entries
    .filter(isObject)
    .map((e) => e.statusListCredential)
    .filter((u): u is string => typeof u === 'string');
}

/**
 * Builds the bundle of one retirement from a source: the retirement, every issuance it cites, the
 * current status lists of all of them, the DID documents given, signed by the registry's `signer`.
 * Codes: RETIREMENT_NOT_FOUND, ISSUANCE_NOT_FOUND, STATUS_LIST_NOT_FOUND, and buildBundle's.
 *
 * @example
 *   const bundle = await bundleRetirement(databaseBundleSource(db), 'RET-2026-0007', signer, [await identityDidDocument(identity)]);
 */
export async function bundleRetirement(
  source: BundleSource,
  retirementId: string,
  signer: Signer,
  didDocuments: Record<string, unknown>[],
  options: { anchors?: string[]; bundledAt?: string; disclosures?: string[] } = {},
): Promise<VerificationBundle> {
  const retirement = await source.retirement(retirementId);
  if (!retirement) throw new UntpCreditsError('RETIREMENT_NOT_FOUND', `the registry has no retirement ${retirementId}`);
  const payload = jwsPayload(retirement);
  const ext =
    isObject(payload.credentialSubject) && isObject(payload.credentialSubject.creditRetirement)
      ? payload.credentialSubject.creditRetirement
      : {};
  const cited = [
    ...new Set(
      (Array.isArray(ext.retiredUnits) ? ext.retiredUnits : [])
        .filter(isObject)
        .map((u) => (isObject(u.issuanceCredential) ? String(u.issuanceCredential.id) : '')),
    ),
  ];
  const issuances: string[] = [];
  for (const id of cited) {
    const jws = await source.credential(id);
    if (!jws) throw new UntpCreditsError('ISSUANCE_NOT_FOUND', `the registry has no issuance credential ${id}`);
    issuances.push(jws);
  }
  const urls = [...new Set([retirement, ...issuances].flatMap((jws) => statusUrls(jwsPayload(jws))))];
  const statusLists: string[] = [];
  for (const url of urls) {
    const list = await source.statusList(url);
    if (!list) throw new UntpCreditsError('STATUS_LIST_NOT_FOUND', `the registry publishes no status list ${url}`);
    statusLists.push(list);
  }
  // Each credit credential's place in the log, as the registry's records carry it (absent until logged).
  const log = [];
  for (const jws of [retirement, ...issuances]) {
    const credentialId = String(jwsPayload(jws).id ?? '');
    const evidence = await source.log?.(credentialId);
    if (evidence) log.push({ credentialId, ...evidence });
  }
  return buildBundle(
    {
      retirement,
      issuances,
      log,
      statusLists,
      didDocuments,
      ...(options.anchors ? { anchors: options.anchors } : {}),
      ...(options.bundledAt ? { bundledAt: options.bundledAt } : {}),
      ...(options.disclosures ? { disclosures: options.disclosures } : {}),
    },
    signer,
  );
}
