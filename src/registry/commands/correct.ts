import { randomUUID } from 'node:crypto';
import { makeBlock } from '../../credits/serial-block.js';
import { UntpCreditsError } from '../../errors.js';
import { lockAndPlan, mergeTaken } from '../blocks.js';
import { appendEvent, checkId, requireReason, requireReservation, runCommand, type Ledger } from '../context.js';
import type { CorrectResult } from '../types.js';
import { cancelTakes, requireIssuance, revokeSpentIssuances } from './cancel.js';
import { issueWithin } from './issue.js';

export interface CorrectInput {
  key: string;
  /** The issuance with the error. */
  issuanceId: string;
  /** The corrected issuance's id; generated when absent. */
  newIssuanceId?: string;
  /** The corrected issuance credential content. */
  details: Record<string, unknown>;
  reason: string;
}

/**
 * Corrects an issuance: cancels its unretired units and reissues the same serials to the same
 * holder as a new issuance whose credential `replaces` the old one (never an edit in place). The
 * unretired units must be tradable, form one contiguous range and sit with one holder; retired
 * units stay retired under the old issuance. Codes: NOTHING_TO_MOVE, BLOCK_SUSPENDED,
 * CORRECTION_SEVERAL_HOLDERS, CORRECTION_NOT_CONTIGUOUS, REASON_REQUIRED.
 *
 * @example
 *   const { issuance, statusLists } = await registry.correct({ key: 'fix-1', issuanceId: 'ISS-1', details: fixedDetails, reason: 'wrong site id' });
 */
export async function correct(ledger: Ledger, input: CorrectInput): Promise<CorrectResult> {
  const { key, ...body } = input;
  return runCommand(
    ledger,
    'correct',
    key,
    body,
    async (tx, [reservation]) => {
      requireReason(input.reason, 'a correction');
      const newIssuanceId = checkId(input.newIssuanceId ?? `ISS-${randomUUID()}`, '/newIssuanceId', 'newIssuanceId');
      const old = await requireIssuance(tx, input.issuanceId);
      const { rows: credential } = await tx.query<{ digest: string }>('SELECT digest FROM credentials WHERE id = $1', [
        old.credential_id,
      ]);
      const takes = await lockAndPlan(
        tx,
        { states: ['tradable', 'suspended'], issuanceIds: [input.issuanceId] },
        { all: true },
      );
      const suspended = takes.find((t) => t.block.state === 'suspended');
      if (suspended)
        throw new UntpCreditsError(
          'BLOCK_SUSPENDED',
          `${suspended.block.prefix} ${suspended.block.start}–${suspended.block.end} is suspended; settle the dispute first`,
          { path: '/issuanceId' },
        );
      const holders = [...new Set(takes.map((t) => t.block.holder))];
      if (holders.length !== 1 || holders[0] === undefined)
        throw new UntpCreditsError(
          'CORRECTION_SEVERAL_HOLDERS',
          `the unretired units sit with ${holders.length} holders; cancel and issue separately`,
          { path: '/issuanceId' },
        );
      const ranges = mergeTaken(takes);
      const range = ranges[0];
      if (ranges.length !== 1 || !range)
        throw new UntpCreditsError(
          'CORRECTION_NOT_CONTIGUOUS',
          `the unretired units form ${ranges.length} ranges; cancel and issue separately`,
          { path: '/issuanceId' },
        );
      const event = await appendEvent(tx, ledger, 'corrected', key, {
        issuanceId: input.issuanceId,
        newIssuanceId,
        reason: input.reason,
        cancelled: range,
      });
      const [cancelled] = await cancelTakes(tx, takes, input.reason, event.seq);
      const revocations = await revokeSpentIssuances(tx, ledger, [input.issuanceId], event.seq);
      const issuance = await issueWithin(tx, ledger, {
        key,
        type: 'issued',
        issuanceId: newIssuanceId,
        serialBlock: makeBlock(range.prefix, range.start, range.end),
        holder: holders[0],
        details: input.details,
        replaces: {
          issuanceId: input.issuanceId,
          credentialId: old.credential_id,
          digestMultibase: credential[0]?.digest ?? '',
        },
        reservation: requireReservation(reservation),
      });
      if (!cancelled) throw new UntpCreditsError('NOTHING_TO_MOVE', 'nothing was cancelled');
      return { event, cancelled, issuance, revoked: revocations.revoked, statusLists: revocations.statusLists };
    },
    { credentials: 1 },
  );
}
