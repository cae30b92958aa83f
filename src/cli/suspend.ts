import type { Command } from 'commander';
import {
  count,
  defined,
  parseRange,
  registerLedgerVerb,
  withSelection,
  type LedgerVerbSpec,
} from './registry-access.js';

/** `untp-credits suspend`: suspend credits in an account (ledger state only; no credential changes). */
export const SUSPEND_VERB: LedgerVerbSpec = {
  name: 'suspend',
  command: 'suspend',
  description: 'suspend credits held in an account (admin)',
  flags: [
    ['--account <account>', 'the holding account'],
    ['--reason <text>', 'why (kept in the ledger)'],
    ['--quantity <n>', 'how many (lowest serials first)'],
    ['--issuance-id <id>', 'from this issuance'],
    ['--range <prefix:start-end>', 'exactly these serials'],
  ],
  body: (base, o) => ({
    ...withSelection(base, o),
    ...defined({
      account: o.account,
      reason: o.reason,
      issuanceId: o.issuanceId,
      quantity: o.quantity === undefined ? undefined : count(o.quantity, '--quantity'),
      ranges: typeof o.range === 'string' ? [parseRange(o.range)] : undefined,
    }),
  }),
  summary: (r) => `${String(r.quantity)} credit(s) in ${String(r.account)}: ${JSON.stringify(r.blocks)}`,
  examples: [
    'untp-credits suspend --account ACC-CD-0001 --range RCC-CD-LU-1532-2026Q1:100-120 --reason "assessment under review"',
  ],
};

export function registerSuspend(program: Command): void {
  registerLedgerVerb(program, SUSPEND_VERB);
}
