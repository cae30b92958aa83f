import { UntpCreditsError } from '../../errors.js';
import { appendEvent, num, revokeCredentials, runCommand, type Ledger } from '../context.js';
import type { InvalidateResult } from '../types.js';
import { lockCurrentRetirement } from './amend.js';
import { revokeSpentIssuances } from './cancel.js';

export interface InvalidateRetirementInput {
  key: string;
  retirementId: string;
  reason: string;
}

/**
 * Invalidates a retirement (e.g. its units turned out never to have been produced): its units
 * become `invalidated` — never cancelled, never tradable again — and its credential is revoked;
 * an issuance left with no valid unit has its credential revoked too.
 * Codes: RETIREMENT_UNKNOWN, RETIREMENT_INVALIDATED, REASON_REQUIRED.
 *
 * @example
 *   const { statusLists } = await registry.invalidateRetirement({ key: 'inv-1', retirementId: 'RET-1', reason: 'site assessment withdrawn' });
 */
export async function invalidateRetirement(ledger: Ledger, input: InvalidateRetirementInput): Promise<InvalidateResult> {
  const { key, ...body } = input;
  return runCommand(ledger, 'invalidateRetirement', key, body, async (tx) => {
    if (typeof input.reason !== 'string' || input.reason.trim() === '') throw new UntpCreditsError('REASON_REQUIRED', 'an invalidation needs a reason', { path: '/reason' });
    const { current, originalId } = await lockCurrentRetirement(tx, input.retirementId);
    if (current.invalidated_event !== null && current.invalidated_event !== undefined) {
      throw new UntpCreditsError('RETIREMENT_INVALIDATED', `retirement ${current.id} is already invalidated`, { path: '/retirementId' });
    }
    const event = await appendEvent(tx, ledger, 'retirement.invalidated', key, { retirementId: current.id, original: originalId, reason: input.reason });
    const { rows } = await tx.query<{ issuance_id: string; quantity: unknown }>(
      "UPDATE blocks SET state = 'invalidated' WHERE retirement_id = $1 AND live AND state = 'retired' RETURNING issuance_id, quantity", [originalId]);
    await tx.query('UPDATE retirements SET invalidated_event = $2 WHERE id = $1', [current.id, event.seq]);
    await tx.query('INSERT INTO invalidations (retirement_id, reason, event_seq) VALUES ($1, $2, $3)', [originalId, input.reason, event.seq]);
    const own = await revokeCredentials(tx, ledger, [current.credential_id], event.seq);
    const issuances = await revokeSpentIssuances(tx, ledger, [...new Set(rows.map((r) => r.issuance_id))], event.seq);
    return {
      event, retirementId: current.id, quantity: rows.reduce((sum, r) => sum + num(r.quantity), 0),
      revoked: [...own.revoked, ...issuances.revoked],
      statusLists: dedupeLists([...own.statusLists, ...issuances.statusLists]),
    };
  });
}

/** Keeps the last version of each status list (a list re-signed twice in one command). */
export function dedupeLists<T extends { id: string }>(lists: T[]): T[] {
  const byUrl = new Map<string, T>();
  for (const list of lists) {
    const url = listUrlOf(list);
    byUrl.set(url, list);
  }
  return [...byUrl.values()];
}

function listUrlOf(list: { id: string }): string {
  try {
    const payload = JSON.parse(Buffer.from(list.id.split(',')[1]?.split('.')[1] ?? '', 'base64url').toString('utf8')) as { id?: string };
    return payload.id ?? list.id;
  } catch {
    return list.id;
  }
}
