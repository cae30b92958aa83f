import type { Command } from 'commander';
import { defined, registerLedgerVerb, type LedgerVerbSpec } from './registry-access.js';

/** `untp-credits invalidate`: invalidate a retirement (its credential is revoked; the units stay out of circulation). */
export const INVALIDATE_VERB: LedgerVerbSpec = {
  name: 'invalidate',
  command: 'invalidate',
  description: 'invalidate a retirement (admin): its credential is revoked, its units are never reissued',
  flags: [
    ['--retirement-id <id>', 'the retirement'],
    ['--reason <text>', 'why (kept in the ledger)'],
  ],
  body: (base, o) => ({ ...base, ...defined({ retirementId: o.retirementId, reason: o.reason }) }),
  summary: (r) =>
    `retirement ${String(r.retirementId)} invalidated (${String(r.quantity)} credit(s)); revoked ${JSON.stringify(r.revoked)}`,
  examples: ['untp-credits invalidate --retirement-id RET-2026-0007 --reason "fraudulent claim"'],
};

export function registerInvalidate(program: Command): void {
  registerLedgerVerb(program, INVALIDATE_VERB);
}
