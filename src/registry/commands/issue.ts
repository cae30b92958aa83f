import { randomUUID } from 'node:crypto';
import { makeBlock, MAX_SERIAL, type SerialBlock } from '../../credits/serial-block.js';
import { UntpCreditsError } from '../../errors.js';
import {
  accountRef,
  appendEvent,
  baseUrl,
  beforeCommit,
  checkId,
  requireReservation,
  requireText,
  runCommand,
  storeCredential,
  type Ledger,
  type StatusReservation,
} from '../context.js';
import type { Queryable } from '../db.js';
import { journalCreatedBlock } from '../log/journal.js';
import type { IssueResult } from '../types.js';

/**
 * The default per-issuance cap, in credits (1 credit = 1 t). One issuance credits one site's
 * production for one period (at most a year). The artisanal cobalt output of the whole DRC, the
 * largest source, is estimated in the tens of thousands of tonnes a year, and one cooperative
 * produces a fraction of that; 1 000 000 leaves more than an order of magnitude of headroom for
 * ore-tonnage commodities and large cooperatives, while a slip of a few digits (10^15 t of cobalt,
 * more than has ever been mined) is refused. A registry sets its own with `maxIssuanceQuantity`.
 */
export const DEFAULT_MAX_ISSUANCE_QUANTITY = 1_000_000;

/** The registry's per-issuance cap, checked once when the registry opens (OPTION_INVALID). */
export function issuanceCap(options: { maxIssuanceQuantity?: number }): number {
  const cap = options.maxIssuanceQuantity ?? DEFAULT_MAX_ISSUANCE_QUANTITY;
  if (!Number.isSafeInteger(cap) || cap < 1)
    throw new UntpCreditsError(
      'OPTION_INVALID',
      `maxIssuanceQuantity must be a whole number of credits from 1 to 2^53−1, got ${JSON.stringify(cap)}`,
      { path: '/maxIssuanceQuantity' },
    );
  return cap;
}

export interface IssueInput {
  key: string;
  /** Registry-unique issuance id; generated when absent. */
  issuanceId?: string;
  /** The serial namespace, e.g. "RCC-CD-LU-2026Q1". */
  prefix: string;
  /** Inclusive serial range. */
  start: number;
  end: number;
  /** The account that receives the credits. */
  holder: string;
  /** Everything the issuance credential says beyond the ledger facts (site, standard, assessment…). */
  details: Record<string, unknown>;
}

/**
 * Issues a block of credits to an account and returns the signed issuance credential. The block
 * is one row however large. Codes: SERIALS_OVERLAP, ACCOUNT_NOT_FOUND, ISSUANCE_EXISTS, SERIAL_*,
 * ISSUANCE_EXCEEDS_CAP (more than the registry's `maxIssuanceQuantity`), TOTAL_OUT_OF_RANGE (all
 * issuances together would pass 2^53 − 1).
 *
 * @example
 *   const { credential } = await registry.issue({ key: 'iss-2026q1', prefix: 'RCC-CD-LU-2026Q1', start: 1, end: 120, holder: 'coop-1', details });
 */
export async function issue(ledger: Ledger, input: IssueInput): Promise<IssueResult> {
  const { key, ...body } = input;
  return runCommand(
    ledger,
    'issue',
    key,
    body,
    async (tx, [reservation]) => {
      const issuanceId = checkId(input.issuanceId ?? `ISS-${randomUUID()}`, '/issuanceId', 'issuanceId');
      const serialBlock = makeBlock(
        requireText(input.prefix, 'SERIAL_PREFIX_INVALID', '/prefix', 'prefix'),
        input.start,
        input.end,
      );
      const event = await issueWithin(tx, ledger, {
        key,
        type: 'issued',
        issuanceId,
        serialBlock,
        holder: input.holder,
        details: input.details,
        reservation: requireReservation(reservation),
      });
      return event;
    },
    { credentials: 1 },
  );
}

/** The issuing step, shared with corrections (which may reuse cancelled serials of the issuance they replace). */
export async function issueWithin(
  tx: Queryable,
  ledger: Ledger,
  input: {
    key: string;
    type: string;
    issuanceId: string;
    serialBlock: SerialBlock;
    holder: string;
    details: Record<string, unknown>;
    replaces?: { issuanceId: string; credentialId: string; digestMultibase: string };
    /** The credential id and status index reserved for the issuance credential. */
    reservation: StatusReservation;
  },
): Promise<IssueResult> {
  const { serialBlock } = input;
  if (input.details === null || typeof input.details !== 'object' || Array.isArray(input.details)) {
    throw new UntpCreditsError('DETAILS_REQUIRED', 'details must be an object (the issuance credential content)', {
      path: '/details',
    });
  }
  const cap = issuanceCap(ledger.options);
  if (serialBlock.quantity > cap)
    throw new UntpCreditsError(
      'ISSUANCE_EXCEEDS_CAP',
      `an issuance of ${serialBlock.quantity} credits exceeds this registry's cap of ${cap} per issuance (maxIssuanceQuantity)`,
      { path: '/quantity', details: { quantity: serialBlock.quantity, cap } },
    );
  const holder = await accountRef(tx, ledger, input.holder, '/holder');
  // Every quantity the ledger answers with (account totals, transfers, retirements) is a sum of
  // disjoint parts of issuances, so keeping all issuances together within 2^53 − 1 keeps each of
  // them an exact JSON number. The sum is one counter row: read here to refuse early, and raised
  // under the same check as the command's last statement, after signing — concurrent issuances
  // meet on that row only for their commits, and each re-checks against the total the one before
  // it committed (READ COMMITTED re-reads the row it waited for), so the ceiling holds exactly.
  const { rows: sums } = await tx.query<{ total: unknown }>('SELECT total::text AS total FROM issued_total');
  const outOfRange = (issued: bigint) =>
    new UntpCreditsError(
      'TOTAL_OUT_OF_RANGE',
      `this registry has issued ${issued} credits; ${serialBlock.quantity} more would pass 2^53−1, beyond which totals are no longer exact JSON numbers`,
      { path: '/quantity', details: { issued: issued.toString(), quantity: serialBlock.quantity } },
    );
  const issued = BigInt(String(sums[0]?.total ?? '0'));
  if (issued + BigInt(serialBlock.quantity) > BigInt(MAX_SERIAL)) throw outOfRange(issued);
  beforeCommit(tx, async () => {
    const raised = await tx.query('UPDATE issued_total SET total = total + $1 WHERE total + $1 <= $2 RETURNING total', [
      serialBlock.quantity,
      MAX_SERIAL,
    ]);
    if (raised.rowCount === 1) return;
    const { rows: now } = await tx.query<{ total: unknown }>('SELECT total::text AS total FROM issued_total');
    throw outOfRange(BigInt(String(now[0]?.total ?? '0')));
  });
  const exists = await tx.query('SELECT 1 FROM issuances WHERE id = $1', [input.issuanceId]);
  if (exists.rowCount > 0)
    throw new UntpCreditsError('ISSUANCE_EXISTS', `issuance ${input.issuanceId} already exists`, {
      path: '/issuanceId',
    });
  // Serials are issued once: any live block of the namespace counts, cancelled ones too, except for
  // a correction, which reissues serials just cancelled (perhaps cancelled by earlier corrections).
  const { rows: clashes } = await tx.query<{ issuance_id: string; state: string }>(
    `SELECT issuance_id, state FROM blocks WHERE live AND prefix = $1 AND serials && int8range($2, $3, '[]')
       AND NOT (state = 'cancelled' AND $4::boolean) LIMIT 1`,
    [serialBlock.prefix, serialBlock.start, serialBlock.end, input.replaces !== undefined],
  );
  const clash = clashes[0];
  if (clash) {
    throw new UntpCreditsError(
      'SERIALS_OVERLAP',
      `${serialBlock.prefix} ${serialBlock.start}–${serialBlock.end} overlaps serials of issuance ${clash.issuance_id} (${clash.state})`,
      {
        path: '/start',
        details: { issuanceId: clash.issuance_id },
      },
    );
  }
  const event = await appendEvent(tx, ledger, input.type, input.key, {
    issuanceId: input.issuanceId,
    serialBlock,
    holder: input.holder,
    ...(input.replaces ? { replaces: input.replaces.issuanceId } : {}),
  });
  const { credentialId, ...status } = input.reservation;
  const unsigned = await ledger.options.builders.issuance({
    id: credentialId,
    issuer: ledger.options.issuer,
    validFrom: event.at,
    recordUrl: `${baseUrl(ledger)}/issuances/${encodeURIComponent(input.issuanceId)}`,
    credentialStatus: { statusListCredential: status.statusListCredential, statusListIndex: status.statusListIndex },
    issuanceId: input.issuanceId,
    serialBlock,
    initialHolder: holder,
    details: input.details,
    ...(input.replaces
      ? { replaces: { id: input.replaces.credentialId, digestMultibase: input.replaces.digestMultibase } }
      : {}),
  });
  const signed = await storeCredential(tx, ledger, {
    id: credentialId,
    kind: 'issuance',
    credential: unsigned,
    status,
    eventSeq: event.seq,
  });
  await tx.query(
    'INSERT INTO issuances (id, prefix, serial_start, serial_end, initial_holder, credential_id, replaces, details, created_event) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)',
    [
      input.issuanceId,
      serialBlock.prefix,
      serialBlock.start,
      serialBlock.end,
      input.holder,
      credentialId,
      input.replaces?.issuanceId ?? null,
      JSON.stringify(input.details),
      event.seq,
    ],
  );
  await tx.query(
    "INSERT INTO blocks (issuance_id, prefix, serial_start, serial_end, holder, state, created_event) VALUES ($1, $2, $3, $4, $5, 'tradable', $6)",
    [input.issuanceId, serialBlock.prefix, serialBlock.start, serialBlock.end, input.holder, event.seq],
  );
  journalCreatedBlock(tx, event.seq, {
    issuanceId: input.issuanceId,
    prefix: serialBlock.prefix,
    start: serialBlock.start,
    end: serialBlock.end,
    holder: input.holder,
    state: 'tradable',
  });
  return {
    event,
    issuanceId: input.issuanceId,
    serialBlock,
    holder: input.holder,
    credentialId,
    credential: signed.credential,
    digestMultibase: signed.digestMultibase,
  };
}
