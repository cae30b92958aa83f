import type { Command } from 'commander';
import {
  count,
  defined,
  parseRange,
  registerLedgerVerb,
  withSelection,
  type LedgerVerbSpec,
} from './registry-access.js';

/** `untp-credits transfer`: move credits between accounts (POST /registry/transfers). No credential is issued. */
export const TRANSFER_VERB: LedgerVerbSpec = {
  name: 'transfer',
  command: 'transfer',
  description: 'transfer credits from one account to another (a quantity of an issuance, or explicit serial ranges)',
  flags: [
    ['--from <account>', 'the account giving them'],
    ['--to <account>', 'the account receiving them'],
    ['--quantity <n>', 'how many (lowest serials first)'],
    ['--issuance-id <id>', 'take them from this issuance'],
    ['--range <prefix:start-end>', 'exactly these serials'],
  ],
  body: (base, o) => ({
    ...withSelection(base, o),
    ...defined({
      from: o.from,
      to: o.to,
      issuanceId: o.issuanceId,
      quantity: o.quantity === undefined ? undefined : count(o.quantity, '--quantity'),
      ranges: typeof o.range === 'string' ? [parseRange(o.range)] : undefined,
    }),
  }),
  summary: (r) =>
    `${String(r.quantity)} credit(s) from ${String(r.from)} to ${String(r.to)}: ${JSON.stringify(r.blocks)}`,
  examples: [
    'untp-credits transfer --from ACC-CD-0001 --to ACC-DE-0042 --issuance-id RCC-2026-Q1-0001 --quantity 65',
    'untp-credits transfer --from ACC-CD-0001 --to ACC-DE-0042 --range RCC-CD-LU-1532-2026Q1:1-65 --registry https://registry.example',
  ],
};

export function registerTransfer(program: Command): void {
  registerLedgerVerb(program, TRANSFER_VERB);
}
