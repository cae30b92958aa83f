import { UntpCreditsError } from '../../errors.js';
import { applyMove, lockAndPlan, selectionOf, totalOf } from '../blocks.js';
import { appendEvent, num, revokeCredentials, requireReason, runCommand, type Ledger } from '../context.js';
import type { Queryable } from '../db.js';
import type { BlockRef, CancelResult, RangeSelector } from '../types.js';

export interface CancelInput {
  key: string;
  issuanceId: string;
  /** Which unretired units (any holder, tradable or suspended); neither = all of them. */
  quantity?: number;
  ranges?: RangeSelector[];
  reason: string;
}

/**
 * Cancels unretired units of an issuance (an issuance error). Retired units are never cancelled
 * (BLOCK_RETIRED; invalidate the retirement instead). When no unit of the issuance remains valid
 * its credential is revoked and the updated status list returned.
 * Codes: ISSUANCE_NOT_FOUND, REASON_REQUIRED, BLOCK_RETIRED, NOTHING_TO_MOVE, INSUFFICIENT_HOLDING.
 *
 * @example
 *   const { issuanceRevoked, statusLists } = await registry.cancel({ key: 'c-1', issuanceId: 'ISS-1', reason: 'double-counted tonnage' });
 */
export async function cancel(ledger: Ledger, input: CancelInput): Promise<CancelResult> {
  const { key, ...body } = input;
  return runCommand(ledger, 'cancel', key, body, async (tx) => {
    requireReason(input.reason, 'a cancellation');
    await requireIssuance(tx, input.issuanceId);
    const takes = await lockAndPlan(
      tx,
      { states: ['tradable', 'suspended'], issuanceIds: [input.issuanceId] },
      selectionOf(input, true),
    );
    const quantity = takes.reduce((sum, t) => sum + t.taken.reduce((s, p) => s + p.end - p.start + 1, 0), 0);
    const event = await appendEvent(tx, ledger, 'cancelled', key, {
      issuanceId: input.issuanceId,
      quantity,
      reason: input.reason,
    });
    const blocks = await cancelTakes(tx, takes, input.reason, event.seq);
    const revocations = await revokeSpentIssuances(tx, ledger, [input.issuanceId], event.seq);
    return {
      event,
      issuanceId: input.issuanceId,
      quantity: totalOf(blocks),
      blocks,
      issuanceRevoked: revocations.revoked.length > 0,
      ...revocations,
    };
  });
}

export async function requireIssuance(
  tx: Queryable,
  issuanceId: string,
): Promise<{ credential_id: string; prefix: string }> {
  const { rows } = await tx.query<{ credential_id: string; prefix: string }>(
    'SELECT credential_id, prefix FROM issuances WHERE id = $1',
    [issuanceId],
  );
  const row = rows[0];
  if (!row)
    throw new UntpCreditsError('ISSUANCE_NOT_FOUND', `issuance ${issuanceId} does not exist`, { path: '/issuanceId' });
  return row;
}

/** Moves planned units to `cancelled` (each keeps its holder, for the record) and logs the cancellation. */
export async function cancelTakes(
  tx: Queryable,
  takes: Awaited<ReturnType<typeof lockAndPlan>>,
  reason: string,
  eventSeq: number,
): Promise<BlockRef[]> {
  // Group by holder: a cancelled block keeps the holder it was cancelled from.
  const byHolder = new Map<string, typeof takes>();
  for (const take of takes) byHolder.set(take.block.holder, [...(byHolder.get(take.block.holder) ?? []), take]);
  const blocks: BlockRef[] = [];
  for (const [holder, group] of byHolder)
    blocks.push(...(await applyMove(tx, group, { holder, state: 'cancelled' }, eventSeq)));
  for (const block of blocks) {
    await tx.query(
      'INSERT INTO cancellations (issuance_id, serial_start, serial_end, reason, event_seq) VALUES ($1, $2, $3, $4, $5)',
      [block.issuanceId, block.start, block.end, reason, eventSeq],
    );
  }
  return blocks;
}

/** Revokes the credential of each issuance none of whose units remains valid (tradable, suspended or retired). */
export async function revokeSpentIssuances(
  tx: Queryable,
  ledger: Ledger,
  issuanceIds: readonly string[],
  eventSeq: number,
) {
  return revokeCredentials(tx, ledger, await spentIssuanceCredentials(tx, issuanceIds), eventSeq);
}

/** The credentials of the issuances none of whose units remains valid. */
export async function spentIssuanceCredentials(tx: Queryable, issuanceIds: readonly string[]): Promise<string[]> {
  const spent: string[] = [];
  for (const issuanceId of issuanceIds) {
    const { rows } = await tx.query<{ valid: unknown; credential_id: string }>(
      `SELECT (SELECT count(*) FROM blocks WHERE issuance_id = i.id AND live AND state IN ('tradable', 'suspended', 'retired')) AS valid, i.credential_id FROM issuances i WHERE i.id = $1`,
      [issuanceId],
    );
    const row = rows[0];
    if (row && num(row.valid) === 0) spent.push(row.credential_id);
  }
  return spent;
}
