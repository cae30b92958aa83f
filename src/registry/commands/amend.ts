import { randomUUID } from 'node:crypto';
import { UntpCreditsError } from '../../errors.js';
import { totalOf } from '../blocks.js';
import {
  accountRef,
  appendEvent,
  checkId,
  requireReservation,
  revokeCredentials,
  requireReason,
  runCommand,
  type Ledger,
} from '../context.js';
import type { Queryable } from '../db.js';
import type { AmendResult } from '../types.js';
import { retiredBlocks, signRetirement } from './retire.js';

export interface AmendRetirementInput {
  key: string;
  /** The retirement to amend: the current one of its chain. */
  retirementId: string;
  /** Id of the amended retirement; generated when absent. */
  newRetirementId?: string;
  /** The corrected retirement content (beneficiary, wording…); the units stay the same. */
  details: Record<string, unknown>;
  reason: string;
}

export interface RetirementRow {
  id: string;
  account_id: string;
  credential_id: string;
  original_id: string;
  invalidated_event: unknown;
  digest: string;
}

/**
 * Locks a retirement chain (by its original) and returns the chain's current retirement.
 * Codes: RETIREMENT_NOT_FOUND.
 */
export async function lockCurrentRetirement(
  tx: Queryable,
  retirementId: string,
): Promise<{ current: RetirementRow; originalId: string }> {
  const { rows } = await tx.query<{ original_id: string }>('SELECT original_id FROM retirements WHERE id = $1', [
    retirementId,
  ]);
  const found = rows[0];
  if (!found)
    throw new UntpCreditsError('RETIREMENT_NOT_FOUND', `retirement ${retirementId} does not exist`, {
      path: '/retirementId',
    });
  // One lock per chain: amendments and invalidations of one retirement run one at a time.
  await tx.query('SELECT id FROM retirements WHERE id = $1 FOR UPDATE', [found.original_id]);
  const { rows: current } = await tx.query<RetirementRow>(
    `SELECT r.id, r.account_id, r.credential_id, r.original_id, r.invalidated_event, c.digest FROM retirements r JOIN credentials c ON c.id = r.credential_id
     WHERE r.original_id = $1 AND NOT EXISTS (SELECT 1 FROM retirements x WHERE x.replaces = r.id)`,
    [found.original_id],
  );
  const row = current[0];
  if (!row)
    throw new UntpCreditsError(
      'RETIREMENT_NOT_FOUND',
      `retirement chain ${found.original_id} has no current retirement`,
    );
  return { current: row, originalId: found.original_id };
}

/**
 * Amends a retirement (a beneficiary or wording typo): a new retirement credential for the same
 * units, with `replaces` naming the old one, which is revoked. Codes: RETIREMENT_NOT_FOUND,
 * RETIREMENT_REPLACED (amend the current one), RETIREMENT_INVALIDATED, REASON_REQUIRED.
 *
 * @example
 *   const { credential, statusLists } = await registry.amendRetirement({ key: 'a-1', retirementId: 'RET-1', details: fixed, reason: 'beneficiary name typo' });
 */
export async function amendRetirement(ledger: Ledger, input: AmendRetirementInput): Promise<AmendResult> {
  const { key, ...body } = input;
  return runCommand(
    ledger,
    'amendRetirement',
    key,
    body,
    async (tx, [reservation]) => {
      requireReason(input.reason, 'an amendment');
      if (input.details === null || typeof input.details !== 'object' || Array.isArray(input.details))
        throw new UntpCreditsError('DETAILS_REQUIRED', 'details must be an object', { path: '/details' });
      const newId = checkId(input.newRetirementId ?? `RET-${randomUUID()}`, '/newRetirementId', 'newRetirementId');
      const { current, originalId } = await lockCurrentRetirement(tx, input.retirementId);
      if (current.id !== input.retirementId) {
        throw new UntpCreditsError(
          'RETIREMENT_REPLACED',
          `retirement ${input.retirementId} was amended; the current one is ${current.id}`,
          { path: '/retirementId', details: { current: current.id } },
        );
      }
      if (current.invalidated_event !== null && current.invalidated_event !== undefined) {
        throw new UntpCreditsError('RETIREMENT_INVALIDATED', `retirement ${current.id} was invalidated`, {
          path: '/retirementId',
        });
      }
      const account = await accountRef(tx, ledger, current.account_id, '/retirementId');
      const blocks = await retiredBlocks(tx, originalId);
      const { rows } = await tx.query<{ at: Date | string }>(
        'SELECT e.at FROM retirements r JOIN events e ON e.seq = r.created_event WHERE r.id = $1',
        [originalId],
      );
      const retiredAt = new Date(rows[0]?.at ?? ledger.now()).toISOString();
      const event = await appendEvent(tx, ledger, 'retirement.amended', key, {
        retirementId: newId,
        replaces: current.id,
        reason: input.reason,
      });
      const revocations = await revokeCredentials(tx, ledger, [current.credential_id], event.seq);
      const { credentialId, ...status } = requireReservation(reservation);
      const signed = await signRetirement(tx, ledger, {
        credentialId,
        retirementId: newId,
        account,
        blocks,
        details: input.details,
        retiredAt,
        status,
        eventSeq: event.seq,
        replaces: { id: current.credential_id, digestMultibase: current.digest },
      });
      await tx.query(
        'INSERT INTO retirements (id, account_id, quantity, details, credential_id, original_id, replaces, created_event) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)',
        [
          newId,
          current.account_id,
          totalOf(blocks),
          JSON.stringify(input.details),
          credentialId,
          originalId,
          current.id,
          event.seq,
        ],
      );
      return {
        event,
        retirementId: newId,
        replaces: current.id,
        credentialId,
        credential: signed.credential,
        digestMultibase: signed.digestMultibase,
        ...revocations,
      };
    },
    { credentials: 1 },
  );
}
