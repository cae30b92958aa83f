import { UntpCreditsError } from '../../errors.js';
import { appendEvent, num, revokeCredentials, requireReason, runCommand, type Ledger } from '../context.js';
import type { InvalidateResult } from '../types.js';
import { lockCurrentRetirement } from './amend.js';
import { spentIssuanceCredentials } from './cancel.js';

export interface InvalidateRetirementInput {
  key: string;
  retirementId: string;
  reason: string;
}

/**
 * Invalidates a retirement (e.g. its units turned out never to have been produced): its units
 * become `invalidated` — never cancelled, never tradable again — and its credential is revoked;
 * an issuance left with no valid unit has its credential revoked too.
 * Codes: RETIREMENT_NOT_FOUND, RETIREMENT_INVALIDATED, REASON_REQUIRED.
 *
 * @example
 *   const { statusLists } = await registry.invalidateRetirement({ key: 'inv-1', retirementId: 'RET-1', reason: 'site assessment withdrawn' });
 */
export async function invalidateRetirement(
  ledger: Ledger,
  input: InvalidateRetirementInput,
): Promise<InvalidateResult> {
  const { key, ...body } = input;
  return runCommand(ledger, 'invalidateRetirement', key, body, async (tx) => {
    requireReason(input.reason, 'an invalidation');
    const { current, originalId } = await lockCurrentRetirement(tx, input.retirementId);
    if (current.invalidated_event !== null && current.invalidated_event !== undefined) {
      throw new UntpCreditsError('RETIREMENT_INVALIDATED', `retirement ${current.id} is already invalidated`, {
        path: '/retirementId',
      });
    }
    const event = await appendEvent(tx, ledger, 'retirement.invalidated', key, {
      retirementId: current.id,
      original: originalId,
      reason: input.reason,
    });
    const { rows } = await tx.query<{ issuance_id: string; quantity: unknown }>(
      "UPDATE blocks SET state = 'invalidated' WHERE retirement_id = $1 AND live AND state = 'retired' RETURNING issuance_id, quantity",
      [originalId],
    );
    await tx.query('UPDATE retirements SET invalidated_event = $2 WHERE id = $1', [current.id, event.seq]);
    await tx.query('INSERT INTO invalidations (retirement_id, reason, event_seq) VALUES ($1, $2, $3)', [
      originalId,
      input.reason,
      event.seq,
    ]);
    // One revocation call: each list is locked once, in id order.
    const spent = await spentIssuanceCredentials(tx, [...new Set(rows.map((r) => r.issuance_id))]);
    const revocations = await revokeCredentials(tx, ledger, [current.credential_id, ...spent], event.seq);
    return {
      event,
      retirementId: current.id,
      quantity: rows.reduce((sum, r) => sum + num(r.quantity), 0),
      ...revocations,
    };
  });
}
