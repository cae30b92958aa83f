import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBody } from '../../src/app/check-body.js';
import {
  COMMAND_SCHEMAS,
  DISCLOSURE_RELEASE_SCHEMA,
  LEDGER_COMMAND_NAMES,
  type LedgerCommand,
} from '../../src/app/schemas.js';
import type { RegistryService } from '../../src/app/service.js';
import type { Database } from '../../src/registry/db.js';
import { ensureIdentity } from '../../src/server/identity.js';
import { openLedger } from '../../src/server/ledger.js';
import { openTestDatabase } from '../support/database.js';
import { example } from '../server/helpers.js';

/** [command, body, the JSON pointer the refusal must name] */
const REFUSED: Array<[LedgerCommand, unknown, string]> = [
  ['openAccount', {}, '/accountId'],
  ['openAccount', { accountId: 'A-1', holder: 'Coop' }, '/holder'],
  ['openAccount', { accountId: 'A-1', holder: { id: 7, name: 'Coop' } }, '/holder/id'],
  ['issue', { issuanceId: 'X-1' }, '/holder'],
  ['issue', { issuanceId: 'X-1', holder: 'A-1', quantity: 0 }, '/quantity'],
  ['issue', { issuanceId: 'X-1', holder: 'A-1', quantity: 2 ** 53 }, '/quantity'],
  ['issue', { issuanceId: 'X-1', holder: 'A-1', quantity: 1.5 }, '/quantity'],
  ['issue', { issuanceId: 'X-1', holder: 'A-1', quantity: '40' }, '/quantity'],
  ['issue', { issuanceId: 'X-1', holder: 'A-1', start: 1, end: 'ten' }, '/end'],
  ['issue', { issuanceId: '', holder: 'A-1', quantity: 1 }, '/issuanceId'],
  ['issue', { issuanceId: 'X-1', holder: 'A-1', quantity: 1, details: [1] }, '/details'],
  ['transfer', { to: 'B', quantity: 1 }, '/from'],
  ['transfer', { from: 'A', to: 'B', quantity: -3 }, '/quantity'],
  [
    'transfer',
    {
      from: 'A',
      to: 'B',
      ranges: [
        { prefix: 'P', start: 1, end: 2 },
        { prefix: 'P', start: 5 },
      ],
    },
    '/ranges/1/end',
  ],
  ['transfer', { from: 'A', to: 'B', serialBlock: { prefix: 'P', start: '1', end: 2 } }, '/serialBlock/start'],
  ['transfer', { from: 'A', to: 'B', issuanceIds: ['I-1', 2] }, '/issuanceIds/1'],
  ['retire', { account: 'A', blocks: [] }, '/blocks'],
  ['retire', { account: 'A', blocks: 'x' }, '/blocks'],
  [
    'retire',
    { account: 'A', blocks: [{ issuanceId: 'I-1', quantity: 1 }, { issuanceId: 'I-1' }] },
    '/blocks/1/quantity',
  ],
  ['retire', { account: 'A', blocks: [{ issuanceId: 'I-1', quantity: 0.5 }] }, '/blocks/0/quantity'],
  ['retire', { account: 'A', blocks: [{ serialBlock: { prefix: 'P', start: 1 } }] }, '/blocks/0/serialBlock/end'],
  ['retire', { account: 'A', retirementId: 5, quantity: 1 }, '/retirementId'],
  ['amend', { retirementId: 'R-1', reason: 3 }, '/reason'],
  ['suspend', { reason: 'audit', quantity: 1 }, '/account'],
  ['unsuspend', { account: 'A', reason: 'audit', quantity: 0 }, '/quantity'],
  ['cancel', { issuanceId: 'I-1', reason: 'x', ranges: {} }, '/ranges'],
  ['invalidate', { reason: 'x' }, '/retirementId'],
  ['correct', { issuanceId: 'I-1', newIssuanceId: '', reason: 'x' }, '/newIssuanceId'],
  ['transfer', [], ''],
];

describe('command bodies are checked against their schema, and the refusal names the field', () => {
  it.each(REFUSED)('%s %j → REQUEST_INVALID at %s', (command, body, path) => {
    let thrown: unknown;
    try {
      checkBody(COMMAND_SCHEMAS[command], body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'REQUEST_INVALID', path });
    expect((thrown as Error).message.startsWith(path === '' ? 'the body' : path)).toBe(true);
  });

  it('every command has a schema, and the examples of the registry API pass theirs', async () => {
    expect(Object.keys(COMMAND_SCHEMAS).sort()).toEqual([...LEDGER_COMMAND_NAMES].sort());
    const examples: Array<[LedgerCommand, string]> = [
      ['openAccount', 'account-coop'],
      ['issue', 'issuance'],
      ['transfer', 'transfer'],
      ['retire', 'retirement'],
      ['retire', 'retirement-blocks'],
      ['amend', 'retirement-amendment'],
      ['suspend', 'suspension'],
      ['unsuspend', 'unsuspension'],
      ['cancel', 'cancellation'],
      ['invalidate', 'invalidation'],
      ['correct', 'correction'],
    ];
    for (const [command, name] of examples) {
      const body = await example(name);
      expect(checkBody(COMMAND_SCHEMAS[command], body), name).toBe(body);
    }
  });

  it('a disclosure release body: the disclosure string, a pointer, a boolean', () => {
    expect(() => checkBody(DISCLOSURE_RELEASE_SCHEMA, { disclosure: 42 })).toThrow(
      expect.objectContaining({ code: 'REQUEST_INVALID', path: '/disclosure' }),
    );
    expect(() => checkBody(DISCLOSURE_RELEASE_SCHEMA, { disclosure: 'd', early: 'yes' })).toThrow(
      expect.objectContaining({ code: 'REQUEST_INVALID', path: '/early' }),
    );
    expect(() => checkBody(DISCLOSURE_RELEASE_SCHEMA, { disclosure: 'd', commitment: 'x' })).toThrow(
      expect.objectContaining({ code: 'REQUEST_INVALID', path: '/commitment' }),
    );
    expect(checkBody(DISCLOSURE_RELEASE_SCHEMA, { disclosure: 'd', commitment: '/a', early: true })).toBeTruthy();
  });
});

describe('the application layer over a registry database', () => {
  let db: Database;
  let service: RegistryService;
  const caller = { principal: { keyId: 'test' } };
  beforeAll(async () => {
    db = await openTestDatabase();
    const identity = await ensureIdentity(db, { publicUrl: 'https://registry.example.test' });
    service = (await openLedger(db, identity)).ledger;
  }, 120_000);
  afterAll(async () => db?.close());

  it('a refused body reaches no ledger table; the same command with a valid body runs, typed', async () => {
    await expect(service.run('openAccount', { accountId: 'ACC-1', holder: [] }, caller)).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      path: '/holder',
    });
    expect((await service.events({ limit: 10 })).items).toEqual([]);
    const opened = await service.run('openAccount', await example('account-coop'), caller);
    expect(opened.accountId).toBe('ACC-CD-0001');
    const issued = await service.run('issue', await example('issuance'), caller);
    expect(issued.recordUrl).toBe('https://registry.example.test/registry/issuances/RCC-2026-Q1-0001');
    await expect(
      service.run('transfer', { from: 'ACC-CD-0001', to: 'ACC-DE-0042', quantity: 2 ** 53 }, caller),
    ).rejects.toMatchObject({ code: 'REQUEST_INVALID', path: '/quantity' });
    // The ledger's own rules keep their codes: an unknown account is the ledger's refusal, not the schema's.
    await expect(
      service.run('transfer', { from: 'ACC-CD-0001', to: 'NOBODY', quantity: 1 }, caller),
    ).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    const holdings = await service.holdings('ACC-CD-0001');
    expect(holdings).toMatchObject({ accountId: 'ACC-CD-0001', totals: { tradable: 120 } });
    expect((await service.getIssuance('RCC-2026-Q1-0001'))?.serialBlock).toMatchObject({ quantity: 120 });
    expect((await service.events({ limit: 10 })).items.map((e) => e.type)).toEqual(['account.opened', 'issued']);
  }, 60_000);
});
