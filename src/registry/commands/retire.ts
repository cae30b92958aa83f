import { randomUUID } from 'node:crypto';
import { UntpCreditsError } from '../../errors.js';
import {
  applyMove,
  blockRef,
  lockAndPlan,
  mergeTaken,
  selectionOf,
  toSerialBlock,
  totalOf,
  type BlockSelector,
} from '../blocks.js';
import {
  accountRef,
  appendEvent,
  baseUrl,
  checkId,
  requireReservation,
  num,
  runCommand,
  storeCredential,
  type Ledger,
} from '../context.js';
import type { Queryable } from '../db.js';
import type { AccountReference, BlockRef, RangeSelector, RetiredUnitFacts, RetireResult } from '../types.js';

export interface RetireInput {
  key: string;
  /** The retiring account. */
  account: string;
  /** Registry-unique retirement id; generated when absent. */
  retirementId?: string;
  /** Units to retire (oldest issuance, lowest serials first), or explicit `ranges` (from one or several issuances). */
  quantity?: number;
  ranges?: RangeSelector[];
  /** With `quantity`: draw only on these issuances. */
  issuanceIds?: string[];
  /**
   * Or per issuance: `[{ issuanceId, quantity } | { serialBlock: { prefix, start, end } }]`. Serials
   * are chosen inside the command's transaction (lowest first), so concurrent retirements from one
   * account each get their own.
   */
  blocks?: BlockSelector[];
  /** The retirement credential content: beneficiary (on whose behalf), purpose, claim boundary, levels… */
  details: Record<string, unknown>;
}

/**
 * Retires tradable units of one account against one claim and returns the signed retirement
 * credential. Retired units never change again (a database trigger refuses it).
 * Codes: INSUFFICIENT_HOLDING, RANGE_NOT_HELD, BLOCK_RETIRED, BLOCK_SUSPENDED, BLOCK_CANCELLED, DETAILS_REQUIRED,
 * SELECTION_AMBIGUOUS, BLOCKS_REQUIRED, BLOCK_SELECTOR_INVALID.
 *
 * @example
 *   const { credential } = await registry.retire({ key: 'r-1', account: 'oem-1', quantity: 25, details: { beneficiary, purpose: 'product-claim', claimBoundary } });
 */
export async function retire(ledger: Ledger, input: RetireInput): Promise<RetireResult> {
  const { key, ...body } = input;
  return runCommand(
    ledger,
    'retire',
    key,
    body,
    async (tx, [reservation]) => {
      const retirementId = checkId(input.retirementId ?? `RET-${randomUUID()}`, '/retirementId', 'retirementId');
      if (input.details === null || typeof input.details !== 'object' || Array.isArray(input.details)) {
        throw new UntpCreditsError(
          'DETAILS_REQUIRED',
          'details must be an object (beneficiary, purpose, claim boundary)',
          { path: '/details' },
        );
      }
      const account = await accountRef(tx, ledger, input.account, '/account');
      const exists = await tx.query('SELECT 1 FROM retirements WHERE id = $1', [retirementId]);
      if (exists.rowCount > 0)
        throw new UntpCreditsError('RETIREMENT_EXISTS', `retirement ${retirementId} already exists`, {
          path: '/retirementId',
        });
      const takes = await lockAndPlan(
        tx,
        {
          holder: input.account,
          states: ['tradable'],
          ...(input.issuanceIds ? { issuanceIds: input.issuanceIds } : {}),
        },
        selectionOf(input, false),
      );
      const planned = mergeTaken(takes).map(blockRef);
      const quantity = totalOf(planned);
      const event = await appendEvent(tx, ledger, 'retired', key, {
        retirementId,
        account: input.account,
        quantity,
        blocks: planned,
      });
      const { credentialId, ...status } = requireReservation(reservation);
      // Order follows the references: credential, then the retirement, then the retired blocks.
      const signed = await signRetirement(tx, ledger, {
        credentialId,
        retirementId,
        account,
        blocks: planned,
        details: input.details,
        retiredAt: event.at,
        status,
        eventSeq: event.seq,
      });
      await tx.query(
        'INSERT INTO retirements (id, account_id, quantity, details, credential_id, original_id, created_event) VALUES ($1, $2, $3, $4::jsonb, $5, $1, $6)',
        [retirementId, input.account, quantity, JSON.stringify(input.details), credentialId, event.seq],
      );
      const blocks = await applyMove(tx, takes, { holder: input.account, state: 'retired', retirementId }, event.seq);
      return {
        event,
        retirementId,
        account: input.account,
        quantity: totalOf(blocks),
        blocks,
        credentialId,
        credential: signed.credential,
        digestMultibase: signed.digestMultibase,
      };
    },
    { credentials: 1 },
  );
}

/** Builds, signs and stores a retirement credential for `blocks` (shared with amendments). */
export async function signRetirement(
  tx: Queryable,
  ledger: Ledger,
  input: {
    credentialId: string;
    retirementId: string;
    account: AccountReference;
    blocks: BlockRef[];
    details: Record<string, unknown>;
    retiredAt: string;
    status: { listId: number; statusListCredential: string; statusListIndex: number };
    eventSeq: number;
    replaces?: { id: string; digestMultibase: string };
  },
) {
  const issuanceIds = [...new Set(input.blocks.map((b) => b.issuanceId))];
  const { rows } = await tx.query<{ id: string; credential_id: string; jws: string; digest: string }>(
    'SELECT i.id, i.credential_id, c.jws, c.digest FROM issuances i JOIN credentials c ON c.id = i.credential_id WHERE i.id = ANY($1::text[])',
    [issuanceIds],
  );
  const byIssuance = new Map(rows.map((row) => [row.id, row]));
  const retiredUnits: RetiredUnitFacts[] = input.blocks.map((block) => {
    const issuance = byIssuance.get(block.issuanceId);
    if (!issuance) throw new UntpCreditsError('ISSUANCE_NOT_FOUND', `issuance ${block.issuanceId} is missing`);
    return {
      issuance: {
        jws: issuance.jws,
        digestMultibase: issuance.digest,
        credentialId: issuance.credential_id,
        issuanceId: issuance.id,
      },
      serialBlock: toSerialBlock(block),
    };
  });
  const unsigned = await ledger.options.builders.retirement({
    id: input.credentialId,
    issuer: ledger.options.issuer,
    validFrom: ledger.now().toISOString(),
    recordUrl: `${baseUrl(ledger)}/retirements/${encodeURIComponent(input.retirementId)}`,
    credentialStatus: {
      statusListCredential: input.status.statusListCredential,
      statusListIndex: input.status.statusListIndex,
    },
    retirementId: input.retirementId,
    retiredAt: input.retiredAt,
    retiredUnits,
    retiringAccount: input.account,
    details: input.details,
    ...(input.replaces ? { replaces: input.replaces } : {}),
  });
  return storeCredential(tx, ledger, {
    id: input.credentialId,
    kind: 'retirement',
    credential: unsigned,
    status: input.status,
    eventSeq: input.eventSeq,
  });
}

/** The retired blocks of a retirement chain (by its original), sorted, merged as in the credential. */
export async function retiredBlocks(tx: Queryable, originalId: string): Promise<BlockRef[]> {
  const { rows } = await tx.query<Record<string, unknown>>(
    'SELECT b.issuance_id, b.prefix, b.serial_start, b.serial_end FROM blocks b JOIN issuances i ON i.id = b.issuance_id WHERE b.retirement_id = $1 AND b.live ORDER BY i.created_event, b.issuance_id, b.serial_start',
    [originalId],
  );
  const blocks: BlockRef[] = [];
  for (const row of rows) {
    const start = num(row.serial_start);
    const end = num(row.serial_end);
    const last = blocks[blocks.length - 1];
    if (last && last.issuanceId === row.issuance_id && last.end + 1 === start) {
      last.end = end;
      last.quantity = last.end - last.start + 1;
    } else {
      blocks.push({
        issuanceId: String(row.issuance_id),
        prefix: String(row.prefix),
        start,
        end,
        quantity: end - start + 1,
      });
    }
  }
  return blocks;
}
