import type { Command } from 'commander';
import { defined, registerLedgerVerb, type LedgerVerbSpec } from './registry-access.js';

/** `untp-credits account`: open an account for a holder (POST /registry/accounts). */
export const ACCOUNT_VERB: LedgerVerbSpec = {
  name: 'account',
  command: 'openAccount',
  description:
    'open an account for a holder (admin): credits are issued to, transferred between and retired from accounts',
  flags: [
    ['--account-id <id>', 'the account id'],
    ['--holder-id <uri>', 'the holder (a DID or URI)'],
    ['--holder-name <name>', "the holder's name"],
  ],
  body: (base, o) => {
    const holder = {
      ...((base.holder as Record<string, unknown> | undefined) ?? {}),
      ...defined({ id: o.holderId, name: o.holderName }),
    };
    return { ...base, ...defined({ accountId: o.accountId }), ...(Object.keys(holder).length > 0 ? { holder } : {}) };
  },
  summary: (r) =>
    `account ${String(r.accountId ?? (r.account as Record<string, unknown> | undefined)?.accountId ?? '')} opened`,
  examples: [
    'untp-credits account --account-id ACC-CD-0001 --holder-id did:web:comakam.coop.example --holder-name "COMAKAM" --data-dir ./data/registry',
    'untp-credits account --body examples/api/account-coop.json --registry https://registry.example',
  ],
};

export function registerAccount(program: Command): void {
  registerLedgerVerb(program, ACCOUNT_VERB);
}
