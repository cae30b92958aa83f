import type { Command } from 'commander';
import { count, defined, registerLedgerVerb, type LedgerVerbSpec } from './registry-access.js';

/** `untp-credits issue`: issue a serial block of credits to a holder account (POST /registry/issuances). */
export const ISSUE_VERB: LedgerVerbSpec = {
  name: 'issue',
  command: 'issue',
  description: "issue credits: a serial block to the producer's account, signed as a CreditIssuanceCredential",
  flags: [
    ['--issuance-id <id>', 'the issuance id (also the serial prefix unless --prefix)'],
    ['--prefix <prefix>', 'the serial namespace'],
    ['--quantity <n>', 'how many credits (serials 1..n unless --start)'],
    ['--start <n>', 'the first serial'],
    ['--end <n>', 'the last serial'],
    ['--holder <account>', 'the account receiving them'],
  ],
  body: (base, o) => ({
    ...base,
    ...defined({
      issuanceId: o.issuanceId,
      prefix: o.prefix,
      holder: o.holder,
      quantity: o.quantity === undefined ? undefined : count(o.quantity, '--quantity'),
      start: o.start === undefined ? undefined : Number(o.start),
      end: o.end === undefined ? undefined : Number(o.end),
    }),
  }),
  summary: (r) =>
    `issuance ${String(r.issuanceId)}: ${JSON.stringify(r.serialBlock)} to ${String(r.holder)}; credential ${String(r.credentialId)} (${String(r.digestMultibase)})`,
  examples: [
    'untp-credits issue --body examples/api/issuance.json --data-dir ./data/registry',
    'UNTP_CREDITS_API_KEY=… untp-credits issue --body issuance.json --quantity 120 --registry https://registry.example',
  ],
};

export function registerIssue(program: Command): void {
  registerLedgerVerb(program, ISSUE_VERB);
}
