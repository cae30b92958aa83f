import { applyMove, lockAndPlan, selectionOf, totalOf } from '../blocks.js';
import { accountRef, appendEvent, requireReason, runCommand, type Ledger } from '../context.js';
import type { RangeSelector, SuspendResult } from '../types.js';

export interface SuspendInput {
  key: string;
  account: string;
  /** Part of the holding (quantity or ranges); neither = the whole holding (within `issuanceIds`). */
  quantity?: number;
  ranges?: RangeSelector[];
  issuanceIds?: string[];
  reason: string;
}

/**
 * Suspends tradable units (a dispute): they cannot move or retire until unsuspended. Retirements
 * made before are untouched (retired units are never selected). Codes: REASON_REQUIRED, NOTHING_TO_MOVE, …
 *
 * @example
 *   await registry.suspend({ key: 's-1', account: 'trader-1', reason: 'ownership dispute #12' });
 */
export async function suspend(ledger: Ledger, input: SuspendInput): Promise<SuspendResult> {
  return toggle(ledger, input, 'suspend');
}

/**
 * Lifts a suspension: suspended units of the account become tradable again.
 *
 * @example
 *   await registry.unsuspend({ key: 'u-1', account: 'trader-1', reason: 'dispute #12 settled' });
 */
export async function unsuspend(ledger: Ledger, input: SuspendInput): Promise<SuspendResult> {
  return toggle(ledger, input, 'unsuspend');
}

async function toggle(ledger: Ledger, input: SuspendInput, command: 'suspend' | 'unsuspend'): Promise<SuspendResult> {
  const { key, ...body } = input;
  return runCommand(ledger, command, key, body, async (tx) => {
    requireReason(input.reason, command);
    await accountRef(tx, ledger, input.account, '/account');
    const from = command === 'suspend' ? 'tradable' : 'suspended';
    const to = command === 'suspend' ? 'suspended' : 'tradable';
    const takes = await lockAndPlan(
      tx,
      { holder: input.account, states: [from], ...(input.issuanceIds ? { issuanceIds: input.issuanceIds } : {}) },
      selectionOf(input, true),
    );
    const quantity = takes.reduce((sum, t) => sum + t.taken.reduce((s, p) => s + p.end - p.start + 1, 0), 0);
    const event = await appendEvent(tx, ledger, command === 'suspend' ? 'suspended' : 'unsuspended', key, {
      account: input.account,
      quantity,
      reason: input.reason,
    });
    const blocks = await applyMove(tx, takes, { holder: input.account, state: to }, event.seq);
    return { event, account: input.account, quantity: totalOf(blocks), blocks };
  });
}
