import { UntpCreditsError } from '../../errors.js';
import { appendEvent, checkId, requireText, runCommand, type Ledger } from '../context.js';
import type { AccountHolder, EventRecord } from '../types.js';

export interface OpenAccountInput {
  key: string;
  /** The account id at the registry (letters, digits, `._:-`). */
  accountId: string;
  holder: AccountHolder;
}

export interface OpenAccountResult {
  event: EventRecord;
  accountId: string;
  holder: AccountHolder;
}

/**
 * Opens an account (a holder of credits). Codes: ID_INVALID, HOLDER_REQUIRED, ACCOUNT_EXISTS.
 *
 * @example
 *   await registry.openAccount({ key: 'acct-coop-1', accountId: 'coop-1', holder: { id: 'did:web:coop.example', name: 'COMIAKOL' } });
 */
export async function openAccount(ledger: Ledger, input: OpenAccountInput): Promise<OpenAccountResult> {
  const { key, ...body } = input;
  return runCommand(ledger, 'openAccount', key, body, async (tx) => {
    const accountId = checkId(input.accountId, '/accountId', 'accountId');
    const holderId = requireText(input.holder?.id, 'HOLDER_REQUIRED', '/holder/id', 'holder.id');
    const holderName = requireText(input.holder?.name, 'HOLDER_REQUIRED', '/holder/name', 'holder.name');
    const existing = await tx.query('SELECT 1 FROM accounts WHERE id = $1', [accountId]);
    if (existing.rowCount > 0) {
      throw new UntpCreditsError('ACCOUNT_EXISTS', `account ${accountId} already exists`, { path: '/accountId' });
    }
    const holder = { ...input.holder, id: holderId, name: holderName };
    const event = await appendEvent(tx, ledger, 'account.opened', key, { accountId, holder });
    await tx.query(
      'INSERT INTO accounts (id, holder_id, holder_name, holder, created_event) VALUES ($1, $2, $3, $4::jsonb, $5)',
      [accountId, holderId, holderName, JSON.stringify(holder), event.seq],
    );
    return { event, accountId, holder };
  });
}
