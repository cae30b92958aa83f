import type { Command } from 'commander';
import { registerLedgerVerb, type LedgerVerbSpec } from './registry-access.js';
import { SUSPEND_VERB } from './suspend.js';

/** `untp-credits unsuspend`: lifts a suspension; it selects credits exactly as `suspend` does. */
export const UNSUSPEND_VERB: LedgerVerbSpec = {
  ...SUSPEND_VERB,
  name: 'unsuspend',
  command: 'unsuspend',
  description: 'unsuspend credits held in an account (admin)',
  examples: [
    'untp-credits unsuspend --account ACC-CD-0001 --range RCC-CD-LU-1532-2026Q1:100-120 --reason "assessment under review"',
  ],
};

export function registerUnsuspend(program: Command): void {
  registerLedgerVerb(program, UNSUSPEND_VERB);
}
