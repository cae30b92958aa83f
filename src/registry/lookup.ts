import { UntpCreditsError } from '../errors.js';
import { num } from './context.js';
import type { Queryable } from './db.js';
import type { BlockState, LedgerBlock } from './types.js';

export interface SerialLookup {
  prefix: string;
  serial: number;
  block: LedgerBlock;
  issuance: { issuanceId: string; credentialId: string; revoked: boolean; replaces?: string };
  holder: string;
  state: BlockState;
  /** For retired and invalidated units: the current retirement of the chain (after amendments). */
  retirement?: {
    retirementId: string;
    originalId: string;
    credentialId: string;
    account: string;
    details: Record<string, unknown>;
    revoked: boolean;
    invalidated: boolean;
  };
  /** Other live blocks holding the serial: the cancelled block of an issuance a correction replaced. */
  cancelledEarlier: LedgerBlock[];
}

function toBlock(row: Record<string, unknown>): LedgerBlock {
  return {
    issuanceId: String(row.issuance_id),
    prefix: String(row.prefix),
    start: num(row.serial_start),
    end: num(row.serial_end),
    quantity: num(row.serial_end) - num(row.serial_start) + 1,
    holder: String(row.holder),
    state: row.state as BlockState,
    ...(row.retirement_id ? { retirementId: String(row.retirement_id) } : {}),
  };
}

/**
 * Everything about one serial number: its block, issuance, holder, state and, if retired, the
 * retirement. Undefined when the serial was never issued.
 *
 * @example
 *   const found = await lookupSerial(db, 'RCC-CD-LU-2026Q1', 57); // found.state === 'retired', found.retirement.retirementId
 */
export async function lookupSerial(db: Queryable, prefix: string, serial: number): Promise<SerialLookup | undefined> {
  if (!Number.isSafeInteger(serial) || serial < 0)
    throw new UntpCreditsError('SERIAL_NOT_INTEGER', `serial must be a non-negative integer, got ${serial}`, {
      path: '/serial',
    });
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT b.issuance_id, b.prefix, b.serial_start, b.serial_end, b.holder, b.state, b.retirement_id, i.credential_id, i.replaces, c.revoked_event
       FROM blocks b JOIN issuances i ON i.id = b.issuance_id JOIN credentials c ON c.id = i.credential_id
      WHERE b.live AND b.prefix = $1 AND b.serials @> $2::bigint ORDER BY (b.state = 'cancelled'), b.id DESC`,
    [prefix, serial],
  );
  const first = rows[0];
  if (!first) return undefined;
  const block = toBlock(first);
  const result: SerialLookup = {
    prefix,
    serial,
    block,
    holder: block.holder,
    state: block.state,
    issuance: {
      issuanceId: block.issuanceId,
      credentialId: String(first.credential_id),
      revoked: first.revoked_event !== null,
      ...(first.replaces ? { replaces: String(first.replaces) } : {}),
    },
    cancelledEarlier: rows.slice(1).map(toBlock),
  };
  if (block.retirementId) {
    const { rows: current } = await db.query<Record<string, unknown>>(
      `SELECT r.id, r.original_id, r.credential_id, r.account_id, r.details, r.invalidated_event, c.revoked_event FROM retirements r JOIN credentials c ON c.id = r.credential_id
        WHERE r.original_id = $1 AND NOT EXISTS (SELECT 1 FROM retirements x WHERE x.replaces = r.id)`,
      [block.retirementId],
    );
    const row = current[0];
    if (row) {
      result.retirement = {
        retirementId: String(row.id),
        originalId: String(row.original_id),
        credentialId: String(row.credential_id),
        account: String(row.account_id),
        details: row.details as Record<string, unknown>,
        revoked: row.revoked_event !== null,
        invalidated: row.invalidated_event !== null,
      };
    }
  }
  return result;
}

/**
 * The live blocks an account holds, in every state.
 *
 * @example
 *   const blocks = await holdings(db, 'oem-1'); // [{ issuanceId, prefix, start, end, quantity, state: 'tradable' }, …]
 */
export async function holdings(db: Queryable, accountId: string): Promise<LedgerBlock[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    "SELECT issuance_id, prefix, serial_start, serial_end, holder, state, retirement_id FROM blocks WHERE live AND holder = $1 AND state <> 'cancelled' ORDER BY prefix, serial_start",
    [accountId],
  );
  return rows.map(toBlock);
}
