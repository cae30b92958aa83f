import { UntpCreditsError } from '../../errors.js';
import { applyMove, lockAndPlan, selectionOf, totalOf } from '../blocks.js';
import { accountRef, appendEvent, runCommand, type Ledger } from '../context.js';
import type { RangeSelector, TransferResult } from '../types.js';

export interface TransferInput {
  key: string;
  from: string;
  to: string;
  /** Units to move (oldest issuance, lowest serials first); or `ranges`; neither = the whole tradable holding. */
  quantity?: number;
  ranges?: RangeSelector[];
  /** With `quantity`: draw only on these issuances. */
  issuanceIds?: string[];
}

/**
 * Moves tradable units between accounts; a partial transfer splits blocks (inclusive arithmetic,
 * totals conserved). Returns the transfer event record (no credential).
 * Codes: INSUFFICIENT_HOLDING, RANGE_NOT_HELD, BLOCK_RETIRED, BLOCK_SUSPENDED, BLOCK_CANCELLED, ACCOUNT_NOT_FOUND, SAME_ACCOUNT.
 *
 * @example
 *   await registry.transfer({ key: 't-1', from: 'coop-1', to: 'trader-1', quantity: 40 });
 */
export async function transfer(ledger: Ledger, input: TransferInput): Promise<TransferResult> {
  const { key, ...body } = input;
  return runCommand(ledger, 'transfer', key, body, async (tx) => {
    await accountRef(tx, ledger, input.from, '/from');
    await accountRef(tx, ledger, input.to, '/to');
    if (input.from === input.to)
      throw new UntpCreditsError('SAME_ACCOUNT', 'from and to are the same account', { path: '/to' });
    const takes = await lockAndPlan(
      tx,
      { holder: input.from, states: ['tradable'], ...(input.issuanceIds ? { issuanceIds: input.issuanceIds } : {}) },
      selectionOf(input, true),
    );
    const planned = takes.flatMap((t) =>
      t.taken.map((p) => ({
        issuanceId: t.block.issuanceId,
        prefix: t.block.prefix,
        ...p,
        quantity: p.end - p.start + 1,
      })),
    );
    const event = await appendEvent(tx, ledger, 'transferred', key, {
      from: input.from,
      to: input.to,
      quantity: totalOf(planned),
      blocks: planned,
    });
    const blocks = await applyMove(tx, takes, { holder: input.to, state: 'tradable' }, event.seq);
    return { event, from: input.from, to: input.to, quantity: totalOf(blocks), blocks };
  });
}
