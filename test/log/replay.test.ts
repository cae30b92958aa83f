import { describe, expect, it } from 'vitest';
import { eventEntries, logEntry } from '../../src/log/index.js';
import { LedgerReplay, emptyReplayState, replayEntries, type ReplayState } from '../../src/log/replay.js';

type B = [prefix: string, start: number, end: number, holder: string, state: string, issuanceId?: string];
const block = ([prefix, start, end, holder, state, issuanceId = 'ISS-1']: B) => ({
  issuanceId,
  prefix,
  start,
  end,
  holder,
  state,
});
const at = '2026-12-06T00:00:00.000Z';

/** A story shaped like the ledger's own entries (see src/registry/log/entries.ts). */
function story() {
  return [
    logEntry({ seq: 1, type: 'account.opened', at, accountId: 'coop' }),
    logEntry({ seq: 2, type: 'account.opened', at, accountId: 'oem' }),
    logEntry({
      seq: 3,
      type: 'issued',
      at,
      issuanceId: 'ISS-1',
      credentialId: 'urn:c:1',
      credentialDigest: 'zD1',
      blocks: [block(['P', 1, 20, 'coop', 'tradable'])],
    }),
    logEntry({
      seq: 4,
      type: 'transferred',
      at,
      from: 'coop',
      to: 'oem',
      quantity: 8,
      blocks: [
        block(['P', 1, 20, 'coop', 'superseded']),
        block(['P', 9, 20, 'coop', 'tradable']),
        block(['P', 1, 8, 'oem', 'tradable']),
      ],
    }),
    logEntry({
      seq: 5,
      type: 'retired',
      at,
      account: 'oem',
      quantity: 3,
      retirementId: 'RET-1',
      credentialId: 'urn:c:2',
      credentialDigest: 'zD2',
      blocks: [
        block(['P', 1, 8, 'oem', 'superseded']),
        block(['P', 4, 8, 'oem', 'tradable']),
        block(['P', 1, 3, 'oem', 'retired']),
      ],
    }),
    logEntry({
      seq: 6,
      type: 'cancelled',
      at,
      issuanceId: 'ISS-1',
      quantity: 1,
      blocks: [
        block(['P', 4, 8, 'oem', 'superseded']),
        block(['P', 5, 8, 'oem', 'tradable']),
        block(['P', 4, 4, 'oem', 'cancelled']),
      ],
    }),
    // A correction: cancel 9–20 and reissue the same serials as a new issuance.
    logEntry({
      seq: 7,
      type: 'corrected',
      at,
      issuanceId: 'ISS-1',
      newIssuanceId: 'ISS-2',
      blocks: [block(['P', 9, 20, 'coop', 'superseded']), block(['P', 9, 20, 'coop', 'cancelled'])],
    }),
    logEntry({
      seq: 8,
      type: 'issued',
      at,
      issuanceId: 'ISS-2',
      credentialId: 'urn:c:3',
      credentialDigest: 'zD3',
      blocks: [block(['P', 9, 20, 'coop', 'tradable', 'ISS-2'])],
    }),
  ];
}

const codes = (state: ReplayState | undefined, entries: Uint8Array[]) =>
  replayEntries(entries, state).failures.map((f) => [f.index, f.code]);

describe('replaying the ledger rules over log entries', () => {
  it('a consistent story passes; the same story split in two runs with the state saved as JSON passes too', () => {
    expect(replayEntries(story()).failures).toEqual([]);
    const first = emptyReplayState();
    expect(replayEntries(story().slice(0, 4), first).failures).toEqual([]);
    const restored = JSON.parse(JSON.stringify(first)) as ReplayState;
    const report = replayEntries(story().slice(4), restored);
    expect(report.failures).toEqual([]);
    expect(report.size).toBe(8);
  });

  it('a second retirement of retired serials is named (LOG_REPLAY_RETIRED_TWICE), and a replayed retirement entry too', () => {
    const twice = logEntry({
      seq: 9,
      type: 'retired',
      at,
      credentialId: 'urn:c:9',
      credentialDigest: 'zD9',
      blocks: [
        block(['P', 5, 8, 'oem', 'superseded']),
        block(['P', 5, 8, 'oem', 'retired']),
        block(['P', 2, 2, 'oem', 'retired']),
      ],
    });
    expect(codes(undefined, [...story(), twice])).toEqual([
      [8, 'LOG_REPLAY_RETIRED_TWICE'],
      [8, 'LOG_REPLAY_NOT_CONSERVED'],
    ]);
    // The same retirement entry logged again under a new seq: retired twice, and its credential reused.
    const replayed = JSON.parse(Buffer.from(story()[4]!).toString());
    const again = logEntry({ ...replayed, seq: 9 });
    expect(codes(undefined, [...story(), again])).toEqual([
      [8, 'LOG_REPLAY_CREDENTIAL_REUSED'],
      [8, 'LOG_REPLAY_RETIRED_TOUCHED'],
      [8, 'LOG_REPLAY_SERIAL_DOUBLE_HELD'],
      [8, 'LOG_REPLAY_RETIRED_TWICE'],
    ]);
  });

  it('each rule has its code, naming the entry; the twin of each passes', () => {
    const base = story();
    const next = (event: Record<string, unknown>) => [...base, logEntry({ seq: 9, at, ...event })];
    // Moving retired serials.
    expect(
      codes(
        undefined,
        next({
          type: 'transferred',
          blocks: [block(['P', 1, 3, 'oem', 'superseded']), block(['P', 1, 3, 'coop', 'tradable'])],
        }),
      ),
    ).toEqual([[8, 'LOG_REPLAY_RETIRED_TOUCHED']]);
    // Twin: moving tradable serials is fine.
    expect(
      codes(
        undefined,
        next({
          type: 'transferred',
          blocks: [block(['P', 5, 8, 'oem', 'superseded']), block(['P', 5, 8, 'coop', 'tradable'])],
        }),
      ),
    ).toEqual([]);
    // Creating more than it took (conservation).
    expect(
      codes(
        undefined,
        next({
          type: 'transferred',
          blocks: [block(['P', 5, 8, 'oem', 'superseded']), block(['P', 5, 7, 'coop', 'tradable'])],
        }),
      ),
    ).toEqual([[8, 'LOG_REPLAY_NOT_CONSERVED']]);
    // A block superseded that is not live with that holder.
    expect(
      codes(
        undefined,
        next({
          type: 'transferred',
          blocks: [block(['P', 5, 8, 'coop', 'superseded']), block(['P', 5, 8, 'oem', 'tradable'])],
        }),
      ),
      // (and the serials it creates are still held by the live block)
    ).toEqual([
      [8, 'LOG_REPLAY_BLOCK_NOT_LIVE'],
      [8, 'LOG_REPLAY_SERIAL_DOUBLE_HELD'],
    ]);
    // Serials held twice: an issuance over serials another issuance holds.
    expect(
      codes(
        undefined,
        next({ type: 'issued', issuanceId: 'ISS-3', blocks: [block(['P', 15, 30, 'oem', 'tradable', 'ISS-3'])] }),
      ),
    ).toEqual([[8, 'LOG_REPLAY_SERIAL_DOUBLE_HELD']]);
    expect(
      codes(
        undefined,
        next({ type: 'issued', issuanceId: 'ISS-3', blocks: [block(['P', 21, 30, 'oem', 'tradable', 'ISS-3'])] }),
      ),
    ).toEqual([]);
    // An issuance issued twice, or created by an event not naming it.
    expect(
      codes(
        undefined,
        next({ type: 'issued', issuanceId: 'ISS-2', blocks: [block(['P', 40, 41, 'oem', 'tradable', 'ISS-2'])] }),
      ),
    ).toEqual([[8, 'LOG_REPLAY_NOT_CONSERVED']]);
    expect(
      codes(undefined, next({ type: 'transferred', blocks: [block(['P', 40, 41, 'oem', 'tradable', 'ISS-9'])] })),
    ).toEqual([[8, 'LOG_REPLAY_NOT_CONSERVED']]);
    // Credential digests unique.
    expect(
      codes(undefined, next({ type: 'retirement.amended', credentialId: 'urn:c:new', credentialDigest: 'zD2' })),
    ).toEqual([[8, 'LOG_REPLAY_CREDENTIAL_REUSED']]);
    expect(
      codes(undefined, next({ type: 'retirement.amended', credentialId: 'urn:c:new', credentialDigest: 'zDnew' })),
    ).toEqual([]);
    // Order and shape.
    expect(codes(undefined, [...base, logEntry({ seq: 8, type: 'x', at })])).toEqual([[8, 'LOG_REPLAY_SEQ_ORDER']]);
    expect(codes(undefined, [...base, new TextEncoder().encode('not json')])).toEqual([
      [8, 'LOG_REPLAY_ENTRY_MALFORMED'],
    ]);
    expect(codes(undefined, next({ type: 'transferred', blocks: [{ prefix: 'P' }] }))).toEqual([
      [8, 'LOG_REPLAY_ENTRY_MALFORMED'],
    ]);
  });

  it('a split event is replayed from its parts and its digest checked, across a saved state', () => {
    const blocks = [block(['Q', 1, 1000, 'coop', 'superseded'])];
    for (let i = 0; i < 100; i++)
      blocks.push(block(['Q', i * 10 + 1, i * 10 + 10, i % 2 ? 'coop' : 'oem', 'tradable']));
    const issued = logEntry({
      seq: 1,
      type: 'issued',
      at,
      issuanceId: 'ISS-1',
      blocks: [block(['Q', 1, 1000, 'coop', 'tradable'])],
    });
    const split = eventEntries({ seq: 2, type: 'transferred', at, blocks }, { maxSize: 2000 });
    expect(split.length).toBeGreaterThan(3);
    const state = emptyReplayState();
    const replay = new LedgerReplay(state);
    expect(replay.apply(issued)).toEqual([]);
    expect(replay.apply(split[0]!)).toEqual([]);
    const saved = JSON.parse(JSON.stringify(state)) as ReplayState;
    expect(replayEntries(split.slice(1), saved).failures).toEqual([]);
    // A part altered in transit no longer matches the head's digest.
    const part = JSON.parse(Buffer.from(split[1]!).toString());
    part.blocks[0].holder = 'oem';
    const tampered = [issued, split[0]!, logEntry(part), ...split.slice(2)];
    expect(codes(undefined, tampered)).toEqual([[1, 'LOG_REPLAY_BLOCKS_INCOMPLETE']]);
  });
});
