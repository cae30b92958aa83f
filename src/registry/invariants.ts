import type { ErrorCode } from '../errors/catalogue.js';
import { checkDigest, digestMultibase, jwsPayload } from '../lib/digest.js';
import { VC_JWT_PREFIX } from '../lib/envelope.js';
import { decodeBitstring, getBit } from '../status/bitstring.js';
import { num } from './context.js';
import type { Queryable } from './db.js';
import { retiredBlocks } from './commands/retire.js';

export interface InvariantViolation {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export interface InvariantReport {
  ok: boolean;
  issuances: number;
  retirements: number;
  credentials: number;
  /** Units by state over all issuances (decimal strings: totals may pass 2^53). */
  totals: Record<'issued' | 'tradable' | 'suspended' | 'retired' | 'cancelled' | 'invalidated', string>;
  violations: InvariantViolation[];
}

/**
 * Checks the ledger end to end, read-only:
 * - conservation: for each issuance, tradable + suspended + retired + cancelled + invalidated = issued,
 *   and its live blocks partition its range (no overlap within it, none outside it);
 * - no serial in two live, uncancelled blocks of a namespace;
 * - each retirement's quantity equals its retired (or invalidated) blocks;
 * - every stored credential matches the ledger: digest of its JWS, id, status entry, serial blocks,
 *   and revocation (bit set exactly when the ledger says the credential is no longer good);
 * - each status list's stored bits equal its published (signed) list and its allocation count.
 *
 * @example
 *   const report = await checkInvariants(db); if (!report.ok) console.error(report.violations);
 */
export async function checkInvariants(db: Queryable): Promise<InvariantReport> {
  const violations: InvariantViolation[] = [];
  const add = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
    violations.push({ code, message, ...(details ? { details } : {}) });

  const { rows: conservation } = await db.query<Record<string, string>>(`
    SELECT i.id, i.quantity::text AS issued,
      COALESCE(SUM(b.quantity) FILTER (WHERE b.state = 'tradable'), 0)::text AS tradable,
      COALESCE(SUM(b.quantity) FILTER (WHERE b.state = 'suspended'), 0)::text AS suspended,
      COALESCE(SUM(b.quantity) FILTER (WHERE b.state = 'retired'), 0)::text AS retired,
      COALESCE(SUM(b.quantity) FILTER (WHERE b.state = 'cancelled'), 0)::text AS cancelled,
      COALESCE(SUM(b.quantity) FILTER (WHERE b.state = 'invalidated'), 0)::text AS invalidated,
      COUNT(b.id) FILTER (WHERE b.serial_start < i.serial_start OR b.serial_end > i.serial_end)::text AS outside
    FROM issuances i LEFT JOIN blocks b ON b.issuance_id = i.id AND b.live
    GROUP BY i.id, i.quantity ORDER BY i.id`);
  const totals = { issued: 0n, tradable: 0n, suspended: 0n, retired: 0n, cancelled: 0n, invalidated: 0n };
  for (const row of conservation) {
    const parts = (['tradable', 'suspended', 'retired', 'cancelled', 'invalidated'] as const).map((state) =>
      BigInt(row[state] ?? '0'),
    );
    const sum = parts.reduce((a, b) => a + b, 0n);
    totals.issued += BigInt(row.issued ?? '0');
    (['tradable', 'suspended', 'retired', 'cancelled', 'invalidated'] as const).forEach((state, i) => {
      totals[state] += parts[i] ?? 0n;
    });
    if (sum !== BigInt(row.issued ?? '0')) {
      add(
        'CONSERVATION_BROKEN',
        `issuance ${row.id}: tradable ${row.tradable} + suspended ${row.suspended} + retired ${row.retired} + cancelled ${row.cancelled} + invalidated ${row.invalidated} = ${sum} ≠ issued ${row.issued}`,
        { issuanceId: row.id },
      );
    }
    if (row.outside !== '0')
      add('BLOCK_OUTSIDE_ISSUANCE', `issuance ${row.id} has ${row.outside} live block(s) outside its range`, {
        issuanceId: row.id,
      });
  }

  const { rows: overlaps } = await db.query<Record<string, unknown>>(`
    SELECT a.id AS a, b.id AS b, a.prefix, a.issuance_id AS ai, b.issuance_id AS bi, a.state AS astate, b.state AS bstate FROM blocks a JOIN blocks b
      ON a.prefix = b.prefix AND a.id < b.id AND a.serials && b.serials
     WHERE a.live AND b.live AND ((a.state <> 'cancelled' AND b.state <> 'cancelled') OR a.issuance_id = b.issuance_id) LIMIT 100`);
  for (const row of overlaps)
    add(
      'BLOCKS_OVERLAP',
      `live blocks ${String(row.a)} (${String(row.ai)}, ${String(row.astate)}) and ${String(row.b)} (${String(row.bi)}, ${String(row.bstate)}) overlap in ${String(row.prefix)}`,
      { blocks: [row.a, row.b] },
    );

  const { rows: retirements } = await db.query<Record<string, unknown>>(`
    SELECT r.id, r.original_id, r.quantity, r.replaces, r.invalidated_event,
      EXISTS (SELECT 1 FROM retirements x WHERE x.replaces = r.id) AS replaced,
      (SELECT COALESCE(SUM(b.quantity), 0) FROM blocks b WHERE b.retirement_id = r.original_id AND b.live AND b.state IN ('retired', 'invalidated')) AS held,
      (SELECT COUNT(*) FROM blocks b WHERE b.retirement_id = r.original_id AND b.live AND b.state = 'invalidated') AS invalidated_blocks,
      (SELECT bool_or(x.invalidated_event IS NOT NULL) FROM retirements x WHERE x.original_id = r.original_id) AS chain_invalidated
    FROM retirements r`);
  const retirementById = new Map(retirements.map((r) => [String(r.id), r]));
  for (const r of retirements) {
    if (num(r.held) !== num(r.quantity))
      add(
        'RETIREMENT_QUANTITY_MISMATCH',
        `retirement ${String(r.id)} says ${num(r.quantity)} units, the ledger holds ${num(r.held)}`,
        { retirementId: r.id },
      );
    if (num(r.invalidated_blocks) > 0 !== (r.chain_invalidated === true))
      add(
        'INVALIDATION_MISMATCH',
        `retirement chain ${String(r.original_id)}: invalidated blocks and invalidation record disagree`,
        { retirementId: r.id },
      );
  }

  const { rows: lists } = await db.query<{
    id: number;
    url: string;
    bits: Uint8Array;
    allocated: number;
    credential: { id?: string };
    n: unknown;
  }>(
    'SELECT l.id, l.url, l.bits, l.allocated, l.credential, (SELECT COUNT(*) FROM status_allocations a WHERE a.list_id = l.id) AS n FROM status_lists l',
  );
  const listBits = new Map<number, Uint8Array>();
  for (const list of lists) {
    const bits = new Uint8Array(list.bits);
    listBits.set(num(list.id), bits);
    if (num(list.allocated) !== num(list.n))
      add(
        'STATUS_ALLOCATION_MISMATCH',
        `status list ${list.url}: allocated ${num(list.allocated)} ≠ ${num(list.n)} allocations`,
      );
    try {
      const jws = String(list.credential.id ?? '').slice(VC_JWT_PREFIX.length);
      const payload = jwsPayload(jws);
      const published = decodeBitstring(String((payload.credentialSubject as Record<string, unknown>).encodedList));
      if (payload.id !== list.url)
        add('STATUS_LIST_MISMATCH', `status list ${list.url}: the signed list names ${String(payload.id)}`);
      if (Buffer.compare(Buffer.from(published), Buffer.from(bits)) !== 0)
        add('STATUS_LIST_STALE', `status list ${list.url}: the published list differs from the ledger's bits`);
    } catch (error) {
      add('STATUS_LIST_UNREADABLE', `status list ${list.url}: ${(error as Error).message}`);
    }
  }

  const { rows: credentials } = await db.query<Record<string, unknown>>(`
    SELECT c.id, c.kind, c.jws, c.digest, c.list_id, c.idx, c.revoked_event, l.url,
      i.id AS issuance_id, i.prefix, i.serial_start, i.serial_end,
      (SELECT COUNT(*) FROM blocks b WHERE b.issuance_id = i.id AND b.live AND b.state IN ('tradable', 'suspended', 'retired')) AS valid_units,
      r.id AS retirement_id, r.original_id, a.id AS allocation_id
    FROM credentials c JOIN status_lists l ON l.id = c.list_id
    LEFT JOIN issuances i ON i.credential_id = c.id LEFT JOIN retirements r ON r.credential_id = c.id
    LEFT JOIN impact_allocations a ON a.credential_id = c.id`);
  for (const c of credentials) {
    const id = String(c.id);
    const jws = String(c.jws);
    if (c.digest !== digestMultibase(jws) || !checkDigest(jws, String(c.digest)))
      add('CREDENTIAL_DIGEST_MISMATCH', `credential ${id}: stored digest is not the digest of its JWS`, {
        credentialId: id,
      });
    let payload: Record<string, unknown>;
    try {
      payload = jwsPayload(jws);
    } catch (error) {
      add('CREDENTIAL_UNREADABLE', `credential ${id}: ${(error as Error).message}`, { credentialId: id });
      continue;
    }
    if (payload.id !== id)
      add('CREDENTIAL_ID_MISMATCH', `credential ${id}: its JWS says id ${String(payload.id)}`, { credentialId: id });
    const status = [payload.credentialStatus].flat()[0] as Record<string, unknown> | undefined;
    if (!status || Number(status.statusListIndex) !== num(c.idx) || status.statusListCredential !== c.url) {
      add(
        'CREDENTIAL_STATUS_MISMATCH',
        `credential ${id}: its credentialStatus is not its allocation ${String(c.url)}#${num(c.idx)}`,
        { credentialId: id },
      );
    }
    const bit = getBit(listBits.get(num(c.list_id)) ?? new Uint8Array(0), num(c.idx));
    const revoked = c.revoked_event !== null && c.revoked_event !== undefined;
    if (bit !== revoked)
      add('REVOCATION_MISMATCH', `credential ${id}: ledger revoked=${revoked}, status bit=${bit}`, {
        credentialId: id,
      });

    let expected: string[];
    let shouldBeRevoked: boolean;
    if (c.kind === 'issuance' && c.issuance_id) {
      expected = [`${String(c.prefix)}:${num(c.serial_start)}-${num(c.serial_end)}`];
      shouldBeRevoked = num(c.valid_units) === 0;
    } else if (c.kind === 'retirement' && c.retirement_id) {
      expected = (await retiredBlocks(db, String(c.original_id))).map((b) => `${b.prefix}:${b.start}-${b.end}`);
      const r = retirementById.get(String(c.retirement_id));
      shouldBeRevoked = r?.replaced === true || (r?.invalidated_event !== null && r?.invalidated_event !== undefined);
    } else if (c.kind === 'allocation' && c.allocation_id) {
      // A premium allocation report names no serials and no ledger command revokes it.
      if (revoked)
        add('REVOCATION_MISMATCH', `credential ${id}: an allocation report is never revoked`, { credentialId: id });
      continue;
    } else {
      add('CREDENTIAL_ORPHAN', `credential ${id} (${String(c.kind)}) belongs to no ${String(c.kind)}`, {
        credentialId: id,
      });
      continue;
    }
    if (revoked !== shouldBeRevoked)
      add('REVOCATION_MISMATCH', `credential ${id}: revoked=${revoked} but the ledger implies ${shouldBeRevoked}`, {
        credentialId: id,
      });
    const found = [...new Set(serialBlocksIn(payload))].sort();
    if (found.join(',') !== [...new Set(expected)].sort().join(',')) {
      add(
        'CREDENTIAL_BLOCKS_MISMATCH',
        `credential ${id}: serial blocks ${found.join(', ') || '(none)'} ≠ ledger ${expected.join(', ')}`,
        { credentialId: id },
      );
    }
  }

  return {
    ok: violations.length === 0,
    issuances: conservation.length,
    retirements: retirements.length,
    credentials: credentials.length,
    totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v.toString()])) as InvariantReport['totals'],
    violations,
  };
}

/** Every `{ prefix, start, end, quantity }` object in a credential, as "prefix:start-end". */
function serialBlocksIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) serialBlocksIn(item, out);
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (
      typeof o.prefix === 'string' &&
      typeof o.start === 'number' &&
      typeof o.end === 'number' &&
      typeof o.quantity === 'number'
    )
      out.push(`${o.prefix}:${o.start}-${o.end}`);
    else for (const item of Object.values(o)) serialBlocksIn(item, out);
  }
  return out;
}
