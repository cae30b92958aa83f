import type { Command } from 'commander';
import { defined, registerLedgerVerb, type LedgerVerbSpec } from './registry-access.js';

/** `untp-credits amend`: amend a retirement (new credential naming the old in `replaces`; the old is revoked). */
export const AMEND_VERB: LedgerVerbSpec = {
  name: 'amend',
  command: 'amend',
  description: 'amend a retirement: a new credential for the same units replaces the old one, which is revoked',
  flags: [
    ['--retirement-id <id>', 'the retirement to amend'],
    ['--new-retirement-id <id>', "the amended retirement's id"],
    ['--reason <text>', 'why (kept in the ledger)'],
  ],
  body: (base, o) => ({
    ...base,
    ...defined({ retirementId: o.retirementId, newRetirementId: o.newRetirementId, reason: o.reason }),
  }),
  summary: (r) =>
    `retirement ${String(r.retirementId)} replaces ${String(r.replaces)}; revoked ${JSON.stringify(r.revoked)}`,
  examples: [
    'untp-credits amend --retirement-id RET-2026-0007 --new-retirement-id RET-2026-0007-A1 --reason "beneficiary jurisdiction" --body details.json',
  ],
};

export function registerAmend(program: Command): void {
  registerLedgerVerb(program, AMEND_VERB);
}
