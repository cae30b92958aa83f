import type { Command } from 'commander';
import { defined, registerLedgerVerb, type LedgerVerbSpec } from './registry-access.js';

/** `untp-credits correct`: cancel an issuance's unretired credits and reissue them with corrected details. */
export const CORRECT_VERB: LedgerVerbSpec = {
  name: 'correct',
  command: 'correct',
  description:
    'correct an issuance (admin): cancel and reissue with corrected details; the new credential names the old in replaces',
  flags: [
    ['--issuance-id <id>', 'the issuance to correct'],
    ['--new-issuance-id <id>', "the reissue's id"],
    ['--reason <text>', 'why (kept in the ledger)'],
  ],
  body: (base, o) => ({
    ...base,
    ...defined({ issuanceId: o.issuanceId, newIssuanceId: o.newIssuanceId, reason: o.reason }),
  }),
  summary: (r) =>
    `reissued as ${String((r.issuance as Record<string, unknown> | undefined)?.issuanceId)}; revoked ${JSON.stringify(r.revoked)}`,
  examples: [
    'untp-credits correct --issuance-id RCC-2026-Q1-0001 --new-issuance-id RCC-2026-Q1-0001-C1 --reason "wrong vintage" --body details.json',
  ],
};

export function registerCorrect(program: Command): void {
  registerLedgerVerb(program, CORRECT_VERB);
}
