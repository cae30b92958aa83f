import type { Command } from 'commander';
import {
  count,
  defined,
  parseRange,
  registerLedgerVerb,
  withSelection,
  type LedgerVerbSpec,
} from './registry-access.js';

/** `untp-credits retire`: retire credits for a beneficiary's claim (POST /registry/retirements). */
export const RETIRE_VERB: LedgerVerbSpec = {
  name: 'retire',
  command: 'retire',
  description: 'retire credits once, for one beneficiary and claim boundary, signed as a CreditRetirementCredential',
  flags: [
    ['--account <account>', 'the retiring account'],
    ['--retirement-id <id>', 'the retirement id'],
    ['--quantity <n>', 'how many (lowest serials first)'],
    ['--issuance-id <id>', 'take them from this issuance'],
    ['--range <prefix:start-end>', 'exactly these serials'],
  ],
  body: (base, o) => ({
    ...withSelection(base, o),
    ...defined({
      account: o.account,
      retirementId: o.retirementId,
      issuanceId: o.issuanceId,
      quantity: o.quantity === undefined ? undefined : count(o.quantity, '--quantity'),
      ranges: typeof o.range === 'string' ? [parseRange(o.range)] : undefined,
    }),
  }),
  summary: (r) =>
    `retirement ${String(r.retirementId)}: ${String(r.quantity)} credit(s) from ${String(r.account)}; credential ${String(r.credentialId)} (${String(r.digestMultibase)})`,
  examples: [
    'untp-credits retire --body examples/api/retirement.json --data-dir ./data/registry',
    'untp-credits retire --body retirement.json --account ACC-DE-0042 --range RCC-CD-LU-1532-2026Q1:1-25 --registry https://registry.example',
  ],
};

export function registerRetire(program: Command): void {
  registerLedgerVerb(program, RETIRE_VERB);
}
