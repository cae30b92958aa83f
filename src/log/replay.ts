// Replaying the ledger's rules over log entries (docs/transparency-log.md, "Monitor and witness"):
// the checks a monitor or a witness makes before it believes "retired once". Pure and incremental:
// entries go in in log order, the state is plain JSON so it can be saved and restored, and every
// broken rule is reported with the entry's index and a catalogue code — replay never throws.
//
// The rules, over the blocks each entry records (`superseded` ones it took away, created ones with
// their state at creation):
// * per-issuance conservation — an event that does not issue an issuance creates exactly the
//   serials of it that it superseded; an issuance's serials are created once, by the event naming it;
// * no serial held by two accounts — created blocks overlap no live block (cancelled ones aside);
// * no serial retired twice, and nothing after a retirement touches retired serials;
// * credential ids and digests unique.
import type { ErrorCode } from '../errors/catalogue.js';
import { fromUtf8 } from './lib/bytes.js';
import { jsonDigestMultibase } from './entry.js';

export type ReplayCode = Extract<
  ErrorCode,
  | 'LOG_REPLAY_ENTRY_MALFORMED'
  | 'LOG_REPLAY_SEQ_ORDER'
  | 'LOG_REPLAY_BLOCKS_INCOMPLETE'
  | 'LOG_REPLAY_BLOCK_NOT_LIVE'
  | 'LOG_REPLAY_NOT_CONSERVED'
  | 'LOG_REPLAY_SERIAL_DOUBLE_HELD'
  | 'LOG_REPLAY_RETIRED_TWICE'
  | 'LOG_REPLAY_RETIRED_TOUCHED'
  | 'LOG_REPLAY_CREDENTIAL_REUSED'
>;

export interface ReplayFailure {
  /** The log index of the entry (the first entry of a split event). */
  readonly index: number;
  readonly seq?: number;
  readonly code: ReplayCode;
  readonly message: string;
}

/** A live block: [start, end, issuanceId, holder, state]. */
type LiveBlock = [number, number, string, string, string];
/** A retired range: [start, end, index of the entry that retired it]. */
type RetiredRange = [number, number, number];

/** Everything replay remembers, as plain JSON (save it with JSON.stringify, restore by passing it back). */
export interface ReplayState {
  readonly version: 1;
  /** How many entries were replayed (the next entry's index). */
  size: number;
  lastSeq: number;
  /** Issuance id → prefix. */
  issuances: Record<string, string>;
  /** Prefix → live, non-cancelled blocks sorted by start (they never overlap). */
  live: Record<string, LiveBlock[]>;
  /** Prefix → ranges ever retired, sorted by start. */
  retired: Record<string, RetiredRange[]>;
  /** Credential id or digest → index of the entry that logged it. */
  credentials: Record<string, number>;
  /** A split event waiting for its block parts. */
  pending?: { index: number; event: Record<string, unknown>; parts: number; seen: number; blocks: unknown[] };
}

export interface ReplayReport {
  /** Entries replayed so far (state.size). */
  readonly size: number;
  readonly failures: ReplayFailure[];
}

const STATES = new Set(['tradable', 'suspended', 'retired', 'cancelled', 'superseded']);

interface Block {
  issuanceId: string;
  prefix: string;
  start: number;
  end: number;
  holder: string;
  state: string;
}

export function emptyReplayState(): ReplayState {
  return { version: 1, size: 0, lastSeq: 0, issuances: {}, live: {}, retired: {}, credentials: {} };
}

/** Replays entries in log order from `state` (which is updated in place and stays valid). */
export class LedgerReplay {
  readonly state: ReplayState;

  constructor(state: ReplayState = emptyReplayState()) {
    if (state.version !== 1) throw new TypeError('unknown replay state version');
    this.state = state;
  }

  /** Replays the next entry (its index is state.size); returns what it broke. */
  apply(entry: Uint8Array): ReplayFailure[] {
    const index = this.state.size++;
    const fail = (code: ReplayCode, message: string, seq?: number): ReplayFailure[] => [
      { index, ...(seq === undefined ? {} : { seq }), code, message },
    ];
    const text = fromUtf8(entry);
    let json: unknown;
    try {
      json = text === undefined ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      return fail('LOG_REPLAY_ENTRY_MALFORMED', `entry ${index} is not a JSON object`);
    const event = json as Record<string, unknown>;
    const seq = event.seq;
    if (!Number.isSafeInteger(seq) || typeof event.type !== 'string')
      return fail('LOG_REPLAY_ENTRY_MALFORMED', `entry ${index} has no integer seq and string type`);
    const s = seq as number;
    const pending = this.state.pending;
    if (pending) {
      if (event.type !== 'blocks' || s !== pending.event.seq) {
        delete this.state.pending;
        return fail(
          'LOG_REPLAY_BLOCKS_INCOMPLETE',
          `event ${String(pending.event.seq)} (entry ${pending.index}) announced ${pending.parts} block parts; entry ${index} is not the next`,
          s,
        );
      }
      const partsSeen = pending.seen;
      if (event.part !== partsSeen || !Array.isArray(event.blocks)) {
        delete this.state.pending;
        return fail('LOG_REPLAY_BLOCKS_INCOMPLETE', `entry ${index} is not block part ${partsSeen} of event ${s}`, s);
      }
      pending.blocks.push(...(event.blocks as unknown[]));
      pending.seen++;
      if (pending.seen < pending.parts) return [];
      delete this.state.pending;
      const head = pending.event;
      if (head.blockCount !== pending.blocks.length || head.blocksDigest !== jsonDigestMultibase(pending.blocks)) {
        return [
          {
            index: pending.index,
            seq: s,
            code: 'LOG_REPLAY_BLOCKS_INCOMPLETE',
            message: `the block parts of event ${s} do not match its blockCount and blocksDigest`,
          },
        ];
      }
      return this.#event(pending.index, { ...head, blocks: pending.blocks });
    }
    if (event.type === 'blocks')
      return fail('LOG_REPLAY_BLOCKS_INCOMPLETE', `entry ${index} is a block part no event announced`, s);
    if (s <= this.state.lastSeq)
      return fail('LOG_REPLAY_SEQ_ORDER', `entry ${index} has seq ${s}, not after ${this.state.lastSeq}`, s);
    this.state.lastSeq = s;
    if (event.blockParts !== undefined) {
      if (!Number.isSafeInteger(event.blockParts) || (event.blockParts as number) < 1)
        return fail('LOG_REPLAY_ENTRY_MALFORMED', `entry ${index}: blockParts is not a positive integer`, s);
      this.state.pending = { index, event, parts: event.blockParts as number, seen: 0, blocks: [] };
      return [];
    }
    return this.#event(index, event);
  }

  #event(index: number, event: Record<string, unknown>): ReplayFailure[] {
    const seq = event.seq as number;
    const failures: ReplayFailure[] = [];
    const add = (code: ReplayCode, message: string) => failures.push({ index, seq, code, message });
    // Credentials.
    const credentialKeys = [event.credentialId, event.credentialDigest].filter(
      (v): v is string => typeof v === 'string',
    );
    for (const key of credentialKeys) {
      const earlier = this.state.credentials[key];
      if (earlier !== undefined) add('LOG_REPLAY_CREDENTIAL_REUSED', `${key} was already logged by entry ${earlier}`);
    }
    // Blocks.
    const blocks: Block[] = [];
    const list = event.blocks ?? [];
    if (!Array.isArray(list)) {
      add('LOG_REPLAY_ENTRY_MALFORMED', 'blocks is not an array');
      return failures;
    }
    for (const [i, raw] of list.entries()) {
      const b = raw as Record<string, unknown> | null;
      if (
        b === null ||
        typeof b !== 'object' ||
        typeof b.issuanceId !== 'string' ||
        typeof b.prefix !== 'string' ||
        typeof b.holder !== 'string' ||
        typeof b.state !== 'string' ||
        !STATES.has(b.state) ||
        !Number.isSafeInteger(b.start) ||
        !Number.isSafeInteger(b.end) ||
        (b.start as number) > (b.end as number)
      ) {
        add('LOG_REPLAY_ENTRY_MALFORMED', `block ${i} is not { issuanceId, prefix, start ≤ end, holder, state }`);
        return failures;
      }
      blocks.push(b as unknown as Block);
    }
    const superseded = blocks.filter((b) => b.state === 'superseded');
    const created = blocks.filter((b) => b.state !== 'superseded');
    // Superseded blocks must be live, and not retired.
    const removals: [string, number][] = [];
    for (const b of superseded) {
      const retiredBy = this.#retiredOverlap(b);
      const at = this.#findLive(b);
      if (retiredBy !== undefined) {
        add('LOG_REPLAY_RETIRED_TOUCHED', `${describe(b)} takes serials retired by entry ${retiredBy}`);
      } else if (at < 0) {
        add('LOG_REPLAY_BLOCK_NOT_LIVE', `${describe(b)} is superseded but is not a live block of ${b.holder}`);
      } else removals.push([b.prefix, at]);
    }
    // Created blocks: never over retired serials, never over live ones (after the removals).
    const removed = new Set(removals.map(([p, at]) => `${p}\u0000${at}`));
    for (const [i, b] of created.entries()) {
      const retiredBy = this.#retiredOverlap(b);
      if (retiredBy !== undefined) {
        add(
          b.state === 'retired' ? 'LOG_REPLAY_RETIRED_TWICE' : 'LOG_REPLAY_RETIRED_TOUCHED',
          `${describe(b)} ${b.state === 'retired' ? 'retires serials already retired' : 'touches serials retired'} by entry ${retiredBy}`,
        );
        continue;
      }
      if (b.state === 'cancelled') continue;
      const clash = this.#liveOverlap(b, removed);
      const twin = created.findIndex(
        (o, j) => j < i && o.state !== 'cancelled' && o.prefix === b.prefix && overlaps(o, b),
      );
      if (clash || twin >= 0)
        add(
          'LOG_REPLAY_SERIAL_DOUBLE_HELD',
          `${describe(b)} overlaps serials ${clash ? `held by ${clash[3]}` : 'created twice'}`,
        );
    }
    // Conservation, per issuance.
    const issuances = new Set(blocks.map((b) => b.issuanceId));
    const issuing = new Set<string>();
    for (const id of issuances) {
      const took = ranges(superseded.filter((b) => b.issuanceId === id));
      const made = ranges(created.filter((b) => b.issuanceId === id));
      const known = this.state.issuances[id];
      const prefixes = new Set(blocks.filter((b) => b.issuanceId === id).map((b) => b.prefix));
      if (known === undefined) {
        const names = event.issuanceId === id || event.newIssuanceId === id;
        if (took !== '' || !names || prefixes.size !== 1) {
          add('LOG_REPLAY_NOT_CONSERVED', `issuance ${id} was never issued, yet this event moves its serials`);
        } else issuing.add(id);
      } else if (took !== made || prefixes.size !== 1 || !prefixes.has(known)) {
        add(
          'LOG_REPLAY_NOT_CONSERVED',
          `issuance ${id}: created ${made || 'nothing'} for superseded ${took || 'nothing'}`,
        );
      }
    }
    // One failure per rule broken (the first message of each).
    if (failures.length > 0) return failures.filter((f, i) => failures.findIndex((g) => g.code === f.code) === i);
    // Apply.
    for (const key of credentialKeys) this.state.credentials[key] = index;
    for (const id of issuing) this.state.issuances[id] = blocks.find((b) => b.issuanceId === id)!.prefix;
    const byPrefix = new Map<string, number[]>();
    for (const [prefix, at] of removals) byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), at]);
    for (const [prefix, ats] of byPrefix) {
      const live = this.state.live[prefix]!;
      for (const at of ats.sort((a, b) => b - a)) live.splice(at, 1);
    }
    for (const b of created) {
      if (b.state === 'retired') insertSorted((this.state.retired[b.prefix] ??= []), [b.start, b.end, index]);
      if (b.state === 'cancelled') continue;
      insertSorted((this.state.live[b.prefix] ??= []), [b.start, b.end, b.issuanceId, b.holder, b.state]);
    }
    return failures;
  }

  #findLive(b: Block): number {
    const live = this.state.live[b.prefix];
    if (!live) return -1;
    const at = lowerBound(live, b.start);
    const found = live[at];
    return found && found[0] === b.start && found[1] === b.end && found[2] === b.issuanceId && found[3] === b.holder
      ? at
      : -1;
  }

  #liveOverlap(b: Block, removed: Set<string>): LiveBlock | undefined {
    const live = this.state.live[b.prefix];
    if (!live) return undefined;
    // Blocks never overlap each other, so only the one starting at or before b.start and those after can.
    for (let at = Math.max(0, lowerBound(live, b.start + 1) - 1); at < live.length && live[at]![0] <= b.end; at++) {
      const l = live[at]!;
      if (l[1] >= b.start && !removed.has(`${b.prefix}\u0000${at}`)) return l;
    }
    return undefined;
  }

  #retiredOverlap(b: Block): number | undefined {
    const retired = this.state.retired[b.prefix];
    if (!retired) return undefined;
    for (
      let at = Math.max(0, lowerBound(retired, b.start + 1) - 1);
      at < retired.length && retired[at]![0] <= b.end;
      at++
    ) {
      if (retired[at]![1] >= b.start) return retired[at]![2];
    }
    return undefined;
  }
}

/** Replays `entries` (the next ones after `state`, which is updated in place). */
export function replayEntries(entries: Iterable<Uint8Array>, state: ReplayState = emptyReplayState()): ReplayReport {
  const replay = new LedgerReplay(state);
  const failures: ReplayFailure[] = [];
  for (const entry of entries) failures.push(...replay.apply(entry));
  return { size: state.size, failures };
}

function describe(b: Block): string {
  return `${b.prefix} ${b.start}–${b.end} (issuance ${b.issuanceId})`;
}

function overlaps(a: Block, b: Block): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** A canonical text of the serials of blocks (merged ranges per prefix), to compare two sets. */
function ranges(blocks: readonly Block[]): string {
  const sorted = [...blocks].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.start - b.start));
  const out: [string, number, number][] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last[0] === b.prefix && b.start <= last[2] + 1) last[2] = Math.max(last[2], b.end);
    else out.push([b.prefix, b.start, b.end]);
  }
  // Overlapping blocks count twice in a set comparison: keep the total too.
  const total = blocks.reduce((n, b) => n + b.end - b.start + 1, 0);
  return out.length === 0 ? '' : `${out.map(([p, s, e]) => `${p} ${s}–${e}`).join(', ')} (${total})`;
}

/** First position whose start is ≥ `start`. */
function lowerBound(list: readonly (readonly [number, ...unknown[]])[], start: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]![0] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted<T extends [number, ...unknown[]]>(list: T[], item: T): void {
  list.splice(lowerBound(list, item[0]), 0, item);
}
