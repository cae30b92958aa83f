import type { Registry } from '../../../src/registry/registry.js';

/**
 * A deterministic load of conflicting registry writes, shared by the fault worker (which runs it and
 * is killed) and the test (which replays it after the restart). Command (lane, i) is always the same
 * input under the same idempotency key, so a replay must return the stored result and move nothing.
 */

export const PREFIX = 'FAULT';
export const SUPPLY = 3000;
export const ACCOUNT_A = 'fault-a';
export const ACCOUNT_B = 'fault-b';

export type FaultCommand =
  | { kind: 'retire-range'; key: string; account: string; start: number; end: number }
  | { kind: 'retire-quantity'; key: string; account: string; quantity: number }
  | { kind: 'transfer'; key: string; from: string; to: string; quantity: number };

/** Lanes run concurrently; their ranges overlap on purpose, so many commands conflict. */
export function commandOf(tag: string, lane: number, i: number): FaultCommand {
  const key = `${tag}-${lane}-${i}`;
  const pick = (lane * 7 + i * 13) % 10;
  if (pick < 4) {
    // Five-serial ranges from a window of 60 slots: other lanes ask for the same slots.
    const slot = (lane * 11 + i * 3) % 60;
    return { kind: 'retire-range', key, account: ACCOUNT_A, start: 1 + slot * 5, end: 5 + slot * 5 };
  }
  if (pick < 7)
    return {
      kind: 'transfer',
      key,
      from: i % 2 === 0 ? ACCOUNT_A : ACCOUNT_B,
      to: i % 2 === 0 ? ACCOUNT_B : ACCOUNT_A,
      quantity: 1 + (i % 4),
    };
  return { kind: 'retire-quantity', key, account: i % 3 === 0 ? ACCOUNT_A : ACCOUNT_B, quantity: 1 + (i % 3) };
}

export interface Applied {
  seq: number;
  kind: FaultCommand['kind'];
  retired: Array<{ start: number; end: number }>;
}

/** Runs one command; a refusal rejects with the registry's UntpCreditsError. */
export async function run(registry: Registry, command: FaultCommand): Promise<Applied> {
  if (command.kind === 'transfer') {
    const r = await registry.transfer({
      key: command.key,
      from: command.from,
      to: command.to,
      quantity: command.quantity,
    });
    return { seq: r.event.seq, kind: command.kind, retired: [] };
  }
  const r =
    command.kind === 'retire-range'
      ? await registry.retire({
          key: command.key,
          account: command.account,
          ranges: [{ prefix: PREFIX, start: command.start, end: command.end }],
          details: { load: command.key },
        })
      : await registry.retire({
          key: command.key,
          account: command.account,
          quantity: command.quantity,
          details: { load: command.key },
        });
  return { seq: r.event.seq, kind: command.kind, retired: r.blocks.map((b) => ({ start: b.start, end: b.end })) };
}

/** Opens the two accounts and issues the supply to A (idempotent: safe to run again). */
export async function seedFault(registry: Registry, tag: string): Promise<void> {
  await registry.openAccount({
    key: `${tag}-open-a`,
    accountId: ACCOUNT_A,
    holder: { id: 'did:web:fault-a.example', name: 'Fault A' },
  });
  await registry.openAccount({
    key: `${tag}-open-b`,
    accountId: ACCOUNT_B,
    holder: { id: 'did:web:fault-b.example', name: 'Fault B' },
  });
  await registry.issue({
    key: `${tag}-issue`,
    issuanceId: `${tag}-ISS`,
    prefix: PREFIX,
    start: 1,
    end: SUPPLY,
    holder: ACCOUNT_A,
    details: {},
  });
}
