import type { Command } from 'commander';
import {
  count,
  defined,
  parseRange,
  registerLedgerVerb,
  withSelection,
  type LedgerVerbSpec,
} from './registry-access.js';

/** `untp-credits cancel`: cancel unretired credits of an issuance (its credential is revoked once none remain). */
export const CANCEL_VERB: LedgerVerbSpec = {
  name: 'cancel',
  command: 'cancel',
  description:
    'cancel credits of an issuance that were not retired (admin); the issuance credential is revoked when none remain valid',
  flags: [
    ['--issuance-id <id>', 'the issuance'],
    ['--reason <text>', 'why (kept in the ledger)'],
    ['--quantity <n>', 'how many'],
    ['--range <prefix:start-end>', 'exactly these serials'],
  ],
  body: (base, o) => ({
    ...withSelection(base, o, true),
    ...defined({
      issuanceId: o.issuanceId,
      reason: o.reason,
      quantity: o.quantity === undefined ? undefined : count(o.quantity, '--quantity'),
      ranges: typeof o.range === 'string' ? [parseRange(o.range)] : undefined,
    }),
  }),
  summary: (r) =>
    `${String(r.quantity)} credit(s) of ${String(r.issuanceId)} cancelled${r.issuanceRevoked ? '; issuance credential revoked' : ''}`,
  examples: [
    'untp-credits cancel --issuance-id RCC-2026-Q1-0001 --range RCC-CD-LU-1532-2026Q1:110-120 --reason "over-issued"',
  ],
};

export function registerCancel(program: Command): void {
  registerLedgerVerb(program, CANCEL_VERB);
}
