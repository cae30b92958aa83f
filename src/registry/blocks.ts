import type { ErrorCode } from '../errors/catalogue.js';
import { makeBlock, rangeLength, sumQuantities, type SerialBlock } from '../credits/serial-block.js';
import { UntpCreditsError } from '../errors.js';
import { num } from './context.js';
import type { Queryable } from './db.js';
import { journalCreatedBlock, journalSupersededBlock } from './log/journal.js';
import type { BlockRef, BlockState, RangeSelector } from './types.js';

/** A live block row as the ledger code sees it. */
export interface BlockRow {
  id: number;
  issuanceId: string;
  issuanceOrder: number;
  prefix: string;
  start: number;
  end: number;
  holder: string;
  state: BlockState;
  retirementId: string | null;
}

/** One entry of a `blocks` selection: a quantity of one issuance (lowest serials first), or an explicit serial block. */
export type BlockSelector = { issuanceId: string; quantity: number } | { serialBlock: RangeSelector };

/**
 * Which units a command takes: a quantity (oldest issuance first, lowest serial first), explicit
 * ranges, per-issuance quantities and serial blocks (`blocks`), or everything eligible.
 */
export type Selection =
  { quantity: number } | { ranges: RangeSelector[] } | { blocks: BlockSelector[] } | { all: true };

const COLUMNS = `b.id, b.issuance_id, i.created_event AS issuance_order, b.prefix, b.serial_start, b.serial_end, b.holder, b.state, b.retirement_id`;

function toRow(row: Record<string, unknown>): BlockRow {
  return {
    id: num(row.id),
    issuanceId: String(row.issuance_id),
    issuanceOrder: num(row.issuance_order),
    prefix: String(row.prefix),
    start: num(row.serial_start),
    end: num(row.serial_end),
    holder: String(row.holder),
    state: row.state as BlockState,
    retirementId: row.retirement_id === null || row.retirement_id === undefined ? null : String(row.retirement_id),
  };
}

export function blockRef(block: { issuanceId: string; prefix: string; start: number; end: number }): BlockRef {
  return {
    issuanceId: block.issuanceId,
    prefix: block.prefix,
    start: block.start,
    end: block.end,
    quantity: block.end - block.start + 1,
  };
}

/** What a command may take: from whom, in which states, within which issuances. */
export interface Eligibility {
  holder?: string;
  states: readonly BlockState[];
  issuanceIds?: readonly string[];
}

/** One source block and the sub-ranges taken from it (sorted, disjoint). */
export interface Take {
  block: BlockRow;
  taken: { start: number; end: number }[];
}

/**
 * Locks the blocks a selection may draw on (`FOR UPDATE`, in id order so that concurrent commands
 * cannot deadlock) and plans what to take.
 *
 * Under READ COMMITTED a block superseded while we waited for its lock drops out of the locked set
 * and the winner's remainder is invisible to that statement, so the plan would fall short although
 * enough is held. Hence the holder's account row is locked first: commands on one account run one
 * after the other, each selecting with a snapshot taken after the previous one committed. (NO KEY:
 * the FOR KEY SHARE of foreign-key checks — credits arriving in the account — is not blocked.)
 * Cancel and correct take blocks of any holder without that lock, so a plan that falls short is
 * tried once more with a fresh statement before it is refused.
 */
export async function lockAndPlan(
  tx: Queryable,
  eligibility: Eligibility,
  selection: Selection,
  path = '',
): Promise<Take[]> {
  if (eligibility.holder !== undefined)
    await tx.query('SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE', [eligibility.holder]);
  for (let attempt = 1; ; attempt++) {
    try {
      if ('ranges' in selection) {
        const blocks = await lockRanges(tx, selection.ranges);
        return planRanges(blocks, eligibility, selection.ranges, (i) => `${path}/ranges/${i}`);
      }
      if ('blocks' in selection) {
        const { quantities, ranges } = splitBlockSelectors(selection.blocks, path);
        const blocks = await lockSelected(
          tx,
          eligibility,
          quantities.map((q) => q.issuanceId),
          ranges.map((r) => r.range),
        );
        return planBlocks(blocks, eligibility, quantities, ranges);
      }
      const blocks = await lockEligible(tx, eligibility);
      if ('quantity' in selection) return planQuantity(blocks, selection.quantity, eligibility, path);
      if (blocks.length === 0)
        throw new UntpCreditsError('NOTHING_TO_MOVE', 'no units match (the holding is empty in the required state)', {
          path,
          details: { holder: eligibility.holder, states: eligibility.states },
        });
      return blocks.map((block) => ({ block, taken: [{ start: block.start, end: block.end }] }));
    } catch (error) {
      if (attempt >= 2 || !(error instanceof UntpCreditsError)) throw error;
    }
  }
}

async function lockEligible(tx: Queryable, eligibility: Eligibility): Promise<BlockRow[]> {
  const params: unknown[] = [eligibility.states];
  let where = 'b.live AND b.state = ANY($1::text[])';
  if (eligibility.holder !== undefined) {
    params.push(eligibility.holder);
    where += ` AND b.holder = $${params.length}`;
  }
  if (eligibility.issuanceIds && eligibility.issuanceIds.length > 0) {
    params.push(eligibility.issuanceIds);
    where += ` AND b.issuance_id = ANY($${params.length}::text[])`;
  }
  const { rows } = await tx.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM blocks b JOIN issuances i ON i.id = b.issuance_id WHERE ${where} ORDER BY b.id FOR UPDATE OF b`,
    params,
  );
  return rows.map(toRow).sort(byOrder);
}

function byOrder(a: BlockRow, b: BlockRow): number {
  return (
    a.issuanceOrder - b.issuanceOrder ||
    (a.issuanceId < b.issuanceId ? -1 : a.issuanceId > b.issuanceId ? 1 : 0) ||
    a.start - b.start
  );
}

async function lockRanges(tx: Queryable, ranges: readonly RangeSelector[]): Promise<BlockRow[]> {
  if (!Array.isArray(ranges) || ranges.length === 0)
    throw new UntpCreditsError('RANGES_REQUIRED', 'give at least one serial range', { path: '/ranges' });
  const prefixes: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  ranges.forEach((range, i) => {
    makeBlock(range?.prefix, range?.start, range?.end); // checks integers, order, bounds
    if (typeof range.prefix !== 'string' || range.prefix === '')
      throw new UntpCreditsError('SERIAL_PREFIX_INVALID', 'a range needs its prefix', { path: `/ranges/${i}/prefix` });
    prefixes.push(range.prefix);
    starts.push(range.start);
    ends.push(range.end);
  });
  const { rows } = await tx.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM blocks b JOIN issuances i ON i.id = b.issuance_id
     JOIN unnest($1::text[], $2::bigint[], $3::bigint[]) AS r(prefix, s, e) ON b.prefix = r.prefix AND b.serials && int8range(r.s, r.e, '[]')
     WHERE b.live ORDER BY b.id FOR UPDATE OF b`,
    [prefixes, starts, ends],
  );
  const seen = new Set<number>();
  return rows
    .map(toRow)
    .filter((row) => (seen.has(row.id) ? false : (seen.add(row.id), true)))
    .sort(byOrder);
}

function eligible(block: BlockRow, eligibility: Eligibility): boolean {
  return (
    eligibility.states.includes(block.state) &&
    (eligibility.holder === undefined || block.holder === eligibility.holder) &&
    (!eligibility.issuanceIds ||
      eligibility.issuanceIds.length === 0 ||
      eligibility.issuanceIds.includes(block.issuanceId))
  );
}

function planQuantity(blocks: BlockRow[], quantity: number, eligibility: Eligibility, path: string): Take[] {
  if (!Number.isSafeInteger(quantity) || quantity <= 0)
    throw new UntpCreditsError(
      'QUANTITY_NOT_POSITIVE',
      `quantity must be a positive integer, got ${JSON.stringify(quantity)}`,
      { path: `${path}/quantity` },
    );
  let held = 0n;
  for (const block of blocks) held += rangeLength(block);
  if (held < BigInt(quantity)) {
    throw new UntpCreditsError(
      'INSUFFICIENT_HOLDING',
      `asked for ${quantity} units but ${eligibility.holder ?? 'the selection'} holds ${held} ${eligibility.states.join('/')} unit(s)`,
      {
        path: `${path}/quantity`,
        details: { requested: quantity, available: Number(held), holder: eligibility.holder },
      },
    );
  }
  const takes: Take[] = [];
  let remaining = quantity;
  for (const block of blocks) {
    if (remaining === 0) break;
    const length = block.end - block.start + 1;
    const count = Math.min(length, remaining);
    takes.push({ block, taken: [{ start: block.start, end: block.start + count - 1 }] });
    remaining -= count;
  }
  return takes;
}

// When a range cannot be taken, the most telling reason wins.
const REASONS: [(b: BlockRow, e: Eligibility) => boolean, ErrorCode, string][] = [
  [(b) => b.state === 'retired', 'BLOCK_RETIRED', 'is retired (retired units never change again)'],
  [(b) => b.state === 'invalidated', 'BLOCK_INVALIDATED', 'belongs to an invalidated retirement'],
  [
    (b, e) => b.state === 'suspended' && !e.states.includes('suspended'),
    'BLOCK_SUSPENDED',
    'is suspended (disputed units cannot move or retire)',
  ],
  [(b, e) => b.state === 'tradable' && !e.states.includes('tradable'), 'BLOCK_NOT_SUSPENDED', 'is not suspended'],
  [
    (b, e) => e.holder !== undefined && b.holder !== e.holder && b.state !== 'cancelled',
    'RANGE_NOT_HELD',
    'is not held by the account',
  ],
  [(b) => b.state === 'cancelled', 'BLOCK_CANCELLED', 'is cancelled'],
];

function planRanges(
  blocks: BlockRow[],
  eligibility: Eligibility,
  ranges: readonly RangeSelector[],
  pathOf: (index: number) => string,
): Take[] {
  const sorted = ranges
    .map((range, index) => ({ range, index }))
    .sort((a, b) =>
      a.range.prefix < b.range.prefix ? -1 : a.range.prefix > b.range.prefix ? 1 : a.range.start - b.range.start,
    );
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (
      previous &&
      current &&
      previous.range.prefix === current.range.prefix &&
      current.range.start <= previous.range.end
    ) {
      throw new UntpCreditsError('BLOCKS_OVERLAP', 'the ranges given overlap', { path: pathOf(current.index) });
    }
  }
  const takes = new Map<number, Take>();
  for (const { range, index } of sorted) {
    const rangePath = pathOf(index);
    const overlapping = blocks.filter((b) => b.prefix === range.prefix && b.start <= range.end && range.start <= b.end);
    let covered = 0;
    const pieces: { block: BlockRow; start: number; end: number }[] = [];
    for (const block of overlapping) {
      if (!eligible(block, eligibility)) continue;
      const start = Math.max(block.start, range.start);
      const end = Math.min(block.end, range.end);
      covered += end - start + 1;
      pieces.push({ block, start, end });
    }
    if (covered !== range.end - range.start + 1) {
      const blockers = overlapping.filter((b) => !eligible(b, eligibility));
      for (const [test, code, what] of REASONS) {
        const blocker = blockers.find((b) => test(b, eligibility));
        if (blocker) {
          throw new UntpCreditsError(
            code,
            `${range.prefix} ${range.start}–${range.end}: ${blocker.prefix} ${blocker.start}–${blocker.end} ${what}`,
            {
              path: rangePath,
              details: { issuanceId: blocker.issuanceId, start: blocker.start, end: blocker.end, state: blocker.state },
            },
          );
        }
      }
      throw new UntpCreditsError(
        'RANGE_NOT_HELD',
        `${range.prefix} ${range.start}–${range.end} is not (wholly) held by ${eligibility.holder ?? 'the selection'} in state ${eligibility.states.join('/')}`,
        { path: rangePath },
      );
    }
    for (const piece of pieces) {
      const take = takes.get(piece.block.id) ?? { block: piece.block, taken: [] };
      take.taken.push({ start: piece.start, end: piece.end });
      takes.set(piece.block.id, take);
    }
  }
  return [...takes.values()]
    .map((take) => ({ ...take, taken: take.taken.sort((a, b) => a.start - b.start) }))
    .sort((a, b) => byOrder(a.block, b.block));
}

interface QuantityPart {
  issuanceId: string;
  quantity: number;
  path: string;
}
interface RangePart {
  range: RangeSelector;
  path: string;
}

/** Checks a `blocks` selection: each entry is { issuanceId, quantity } or { serialBlock }. */
function splitBlockSelectors(
  selectors: readonly BlockSelector[],
  path: string,
): { quantities: QuantityPart[]; ranges: RangePart[] } {
  if (!Array.isArray(selectors) || selectors.length === 0)
    throw new UntpCreditsError(
      'BLOCKS_REQUIRED',
      'blocks must be a non-empty list of { issuanceId, quantity } or { serialBlock }',
      { path: `${path}/blocks` },
    );
  const quantities: QuantityPart[] = [];
  const ranges: RangePart[] = [];
  selectors.forEach((selector: unknown, i) => {
    const at = `${path}/blocks/${i}`;
    if (selector === null || typeof selector !== 'object' || Array.isArray(selector))
      throw new UntpCreditsError(
        'BLOCK_SELECTOR_INVALID',
        'each block is { issuanceId, quantity } or { serialBlock }',
        { path: at },
      );
    const entry = selector as Record<string, unknown>;
    if (entry.serialBlock !== undefined) {
      const range = entry.serialBlock as RangeSelector;
      if (range === null || typeof range !== 'object' || typeof range.prefix !== 'string' || range.prefix === '')
        throw new UntpCreditsError('SERIAL_PREFIX_INVALID', 'a serial block is { prefix, start, end }', {
          path: `${at}/serialBlock`,
        });
      makeBlock(range.prefix, range.start, range.end); // checks integers, order, bounds
      ranges.push({ range: { prefix: range.prefix, start: range.start, end: range.end }, path: `${at}/serialBlock` });
      return;
    }
    if (typeof entry.issuanceId !== 'string' || entry.issuanceId === '')
      throw new UntpCreditsError('ISSUANCE_REQUIRED', 'a block by quantity names its issuanceId', {
        path: `${at}/issuanceId`,
      });
    if (!Number.isSafeInteger(entry.quantity) || (entry.quantity as number) <= 0)
      throw new UntpCreditsError(
        'QUANTITY_NOT_POSITIVE',
        `quantity must be a positive integer, got ${JSON.stringify(entry.quantity)}`,
        { path: `${at}/quantity` },
      );
    quantities.push({ issuanceId: entry.issuanceId, quantity: entry.quantity as number, path: `${at}/quantity` });
  });
  return { quantities, ranges };
}

/** Locks, in one statement (id order), the eligible blocks of the named issuances and every live block overlapping the ranges. */
async function lockSelected(
  tx: Queryable,
  eligibility: Eligibility,
  issuanceIds: readonly string[],
  ranges: readonly RangeSelector[],
): Promise<BlockRow[]> {
  const params: unknown[] = [
    eligibility.states,
    [...new Set(issuanceIds)],
    ranges.map((r) => r.prefix),
    ranges.map((r) => r.start),
    ranges.map((r) => r.end),
  ];
  let owner = '';
  if (eligibility.holder !== undefined) {
    params.push(eligibility.holder);
    owner = ` AND b.holder = $${params.length}`;
  }
  const { rows } = await tx.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM blocks b JOIN issuances i ON i.id = b.issuance_id
     WHERE b.live AND ((b.state = ANY($1::text[]) AND b.issuance_id = ANY($2::text[])${owner})
       OR EXISTS (SELECT 1 FROM unnest($3::text[], $4::bigint[], $5::bigint[]) AS r(prefix, s, e) WHERE b.prefix = r.prefix AND b.serials && int8range(r.s, r.e, '[]')))
     ORDER BY b.id FOR UPDATE OF b`,
    params,
  );
  return rows.map(toRow).sort(byOrder);
}

/** Explicit serial blocks first (exact), then each quantity from the lowest serials of its issuance not taken yet. */
function planBlocks(
  blocks: BlockRow[],
  eligibility: Eligibility,
  quantities: readonly QuantityPart[],
  ranges: readonly RangePart[],
): Take[] {
  const takes = new Map<number, Take>();
  if (ranges.length > 0) {
    for (const take of planRanges(
      blocks,
      eligibility,
      ranges.map((r) => r.range),
      (i) => ranges[i]?.path ?? '/blocks',
    ))
      takes.set(take.block.id, take);
  }
  for (const part of quantities) {
    let remaining = part.quantity;
    let available = 0;
    const pieces: { block: BlockRow; start: number; end: number }[] = [];
    for (const block of blocks) {
      if (block.issuanceId !== part.issuanceId || !eligible(block, eligibility)) continue;
      for (const free of freePieces(block, takes.get(block.id)?.taken ?? [])) {
        available += free.end - free.start + 1;
        if (remaining === 0) continue;
        const count = Math.min(remaining, free.end - free.start + 1);
        pieces.push({ block, start: free.start, end: free.start + count - 1 });
        remaining -= count;
      }
    }
    if (remaining > 0) {
      throw new UntpCreditsError(
        'INSUFFICIENT_HOLDING',
        `asked for ${part.quantity} units of issuance ${part.issuanceId} but ${eligibility.holder ?? 'the selection'} holds ${available} more ${eligibility.states.join('/')} unit(s) of it`,
        {
          path: part.path,
          details: { requested: part.quantity, available, holder: eligibility.holder, issuanceId: part.issuanceId },
        },
      );
    }
    for (const piece of pieces) {
      const take = takes.get(piece.block.id) ?? { block: piece.block, taken: [] };
      take.taken.push({ start: piece.start, end: piece.end });
      takes.set(piece.block.id, take);
    }
  }
  return [...takes.values()]
    .map((take) => ({ ...take, taken: mergePieces(take.taken) }))
    .sort((a, b) => byOrder(a.block, b.block));
}

/** The parts of a block not yet taken, lowest first. */
function freePieces(
  block: BlockRow,
  taken: readonly { start: number; end: number }[],
): { start: number; end: number }[] {
  const free: { start: number; end: number }[] = [];
  let cursor = block.start;
  for (const piece of [...taken].sort((a, b) => a.start - b.start)) {
    if (piece.start > cursor) free.push({ start: cursor, end: piece.start - 1 });
    cursor = Math.max(cursor, piece.end + 1);
  }
  if (cursor <= block.end) free.push({ start: cursor, end: block.end });
  return free;
}

/** Sorted, with touching pieces joined (applyMove splits a block around them). */
function mergePieces(pieces: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const merged: { start: number; end: number }[] = [];
  for (const piece of [...pieces].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && last.end + 1 === piece.start) last.end = piece.end;
    else merged.push({ ...piece });
  }
  return merged;
}

/** Where the taken units go. */
export interface Destination {
  holder: string;
  state: BlockState;
  retirementId?: string;
}

/**
 * Applies a plan: supersedes each source block (live = false, a trigger allows this once) and
 * inserts what remains with the source holder plus what was taken at the destination, merging
 * contiguous taken pieces of one issuance into one row. Returns the taken blocks.
 */
export async function applyMove(
  tx: Queryable,
  takes: readonly Take[],
  to: Destination,
  eventSeq: number,
): Promise<BlockRef[]> {
  const moved = mergeTaken(takes);
  for (const { block, taken } of takes) {
    const superseded = await tx.query('UPDATE blocks SET live = false, superseded_event = $2 WHERE id = $1 AND live', [
      block.id,
      eventSeq,
    ]);
    if (superseded.rowCount !== 1)
      throw new UntpCreditsError('CONCURRENT_MODIFICATION', `block ${block.id} changed while the command ran; retry`);
    journalSupersededBlock(tx, eventSeq, block.id, block);
    let cursor = block.start;
    for (const piece of taken) {
      if (piece.start > cursor)
        await insertBlock(tx, block, { holder: block.holder, state: block.state }, cursor, piece.start - 1, eventSeq);
      cursor = piece.end + 1;
    }
    if (cursor <= block.end)
      await insertBlock(tx, block, { holder: block.holder, state: block.state }, cursor, block.end, eventSeq);
  }
  for (const piece of moved) {
    await tx.query(
      'INSERT INTO blocks (issuance_id, prefix, serial_start, serial_end, holder, state, retirement_id, parent_id, created_event) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [
        piece.issuanceId,
        piece.prefix,
        piece.start,
        piece.end,
        to.holder,
        to.state,
        to.retirementId ?? null,
        piece.parent,
        eventSeq,
      ],
    );
    journalCreatedBlock(tx, eventSeq, { ...piece, holder: to.holder, state: to.state });
  }
  return moved.map(blockRef);
}

/** The taken pieces of a plan, contiguous pieces of one issuance merged (what applyMove will insert). */
export function mergeTaken(takes: readonly Take[]): (BlockRef & { parent: number })[] {
  const moved: (BlockRef & { parent: number })[] = [];
  for (const { block, taken } of takes) {
    for (const piece of taken) {
      const last = moved[moved.length - 1];
      if (last && last.issuanceId === block.issuanceId && last.end + 1 === piece.start) {
        last.end = piece.end;
        last.quantity = last.end - last.start + 1;
      } else {
        moved.push({
          issuanceId: block.issuanceId,
          prefix: block.prefix,
          start: piece.start,
          end: piece.end,
          quantity: piece.end - piece.start + 1,
          parent: block.id,
        });
      }
    }
  }
  return moved;
}

async function insertBlock(
  tx: Queryable,
  parent: BlockRow,
  to: Destination,
  start: number,
  end: number,
  eventSeq: number,
): Promise<void> {
  await tx.query(
    'INSERT INTO blocks (issuance_id, prefix, serial_start, serial_end, holder, state, retirement_id, parent_id, created_event) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [parent.issuanceId, parent.prefix, start, end, to.holder, to.state, to.retirementId ?? null, parent.id, eventSeq],
  );
  journalCreatedBlock(tx, eventSeq, { issuanceId: parent.issuanceId, prefix: parent.prefix, start, end, ...to });
}

/** The units of several blocks, added exactly (bigint), as a JSON number. */
export function totalOf(blocks: readonly BlockRef[]): number {
  return sumQuantities(blocks);
}

export function toSerialBlock(block: BlockRef): SerialBlock {
  return makeBlock(block.prefix, block.start, block.end);
}

/** Parses the selection fields of a command input. Exactly one of quantity / ranges / blocks, or none when `all` is allowed. */
export function selectionOf(
  input: { quantity?: number; ranges?: RangeSelector[]; blocks?: BlockSelector[]; issuanceIds?: string[] },
  allowAll: boolean,
): Selection {
  if (input.quantity !== undefined && input.ranges !== undefined)
    throw new UntpCreditsError('SELECTION_AMBIGUOUS', 'give either quantity or ranges, not both', { path: '/ranges' });
  if (input.blocks !== undefined) {
    const other =
      input.quantity !== undefined
        ? 'quantity'
        : input.ranges !== undefined
          ? 'ranges'
          : input.issuanceIds !== undefined
            ? 'issuanceIds'
            : undefined;
    if (other)
      throw new UntpCreditsError(
        'SELECTION_AMBIGUOUS',
        `give either blocks or ${other}, not both (each block names its issuance)`,
        { path: `/${other}` },
      );
    return { blocks: input.blocks };
  }
  if (input.quantity !== undefined) return { quantity: input.quantity };
  if (input.ranges !== undefined) return { ranges: input.ranges };
  if (allowAll) return { all: true };
  throw new UntpCreditsError('SELECTION_REQUIRED', 'give a quantity or explicit serial ranges', { path: '/quantity' });
}
