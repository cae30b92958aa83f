import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_VERB } from '../../src/cli/account.js';
import { AMEND_VERB } from '../../src/cli/amend.js';
import { runBundle } from '../../src/cli/bundle.js';
import { runInvariants } from '../../src/cli/invariants.js';
import { ISSUE_VERB } from '../../src/cli/issue.js';
import { runLookup } from '../../src/cli/lookup.js';
import {
  openRegistryAccess,
  runLedgerVerb,
  type LedgerVerbSpec,
  type RegistryAccess,
  type RegistryTransport,
} from '../../src/cli/registry-access.js';
import { RETIRE_VERB } from '../../src/cli/retire.js';
import { runStatus } from '../../src/cli/status.js';
import { TRANSFER_VERB } from '../../src/cli/transfer.js';
import { runVerify } from '../../src/cli/verify.js';
import { openServerDatabase } from '../../src/server/bootstrap.js';
import { ensureIdentity } from '../../src/server/identity.js';
import { ROOT } from '../helpers.js';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
}

const api = (name: string) => join(ROOT, 'examples', 'api', `${name}.json`);
const work = mkdtempSync(join(tmpdir(), 'untp-verbs-'));
const dataDir = join(work, 'registry');
const env = {} as NodeJS.ProcessEnv; // no DATABASE_URL, no API key: the data directory is opened directly

// One open store shared by the verbs (opening PGlite costs seconds); the first verb opens its own.
let shared: RegistryAccess | undefined;
async function verb(spec: LedgerVerbSpec, options: Record<string, unknown>) {
  const c = capture();
  const code = await runLedgerVerb(spec, { dataDir, ...options }, c.out, c.err, env, shared);
  return { code, ...c };
}

describe('registry verbs on the database directly (no server holds it)', () => {
  beforeAll(async () => {
    const db = await openServerDatabase({ dataDir });
    await ensureIdentity(db, { publicUrl: 'https://registry.mineral-credits.example', name: 'Registry (test)' });
    await db.close();
  }, 60_000);

  it('account → issue → transfer → retire → lookup → bundle → verify → amend → status → invariants', async () => {
    expect((await verb(ACCOUNT_VERB, { body: api('account-coop') })).code).toBe(0);
    shared = await openRegistryAccess({ dataDir }, env);
    expect((await verb(ACCOUNT_VERB, { body: api('account-buyer') })).code).toBe(0);
    const issued = await verb(ISSUE_VERB, { body: api('issuance') });
    expect(issued.code, issued.errors.join('\n')).toBe(0);
    expect(issued.lines[0]).toMatch(/^✔ issue {2}issuance RCC-2026-Q1-0001: .*"start":1,"end":120/);
    expect((await verb(TRANSFER_VERB, { body: api('transfer') })).code).toBe(0);
    const retired = await verb(RETIRE_VERB, { body: api('retirement'), json: true });
    expect(retired.code, retired.errors.join('\n')).toBe(0);
    expect(JSON.parse(retired.lines.join('\n'))).toMatchObject({ retirementId: 'RET-2026-0007', quantity: 25 });

    // The ledger refuses what the account does not hold: exit 1 with the ledger's code.
    const over = await verb(RETIRE_VERB, { body: api('retirement'), retirementId: 'RET-2026-0008', quantity: '500' });
    expect(over.code).toBe(1);
    expect(over.errors[0]).toMatch(/^retire: [A-Z_]+: /);

    const found = capture();
    expect(await runLookup('RCC-CD-LU-1532-2026Q1-1', { dataDir }, found.out, found.err, env, shared)).toBe(0);
    expect(found.lines.join('\n')).toContain('retired by RET-2026-0007');
    expect(await runLookup('RCC-CD-LU-1532-2026Q1-999', { dataDir }, capture().out, capture().err, env, shared)).toBe(
      1,
    );
    // While this process holds the data directory, opening it again is refused: exit 2.
    const locked = capture();
    expect(await runLookup('RCC-CD-LU-1532-2026Q1-1', { dataDir }, locked.out, locked.err, env)).toBe(2);
    expect(locked.errors[0]).toContain('REGISTRY_LOCKED');

    const file = join(work, 'RET-2026-0007.bundle.json');
    const bundled = capture();
    expect(
      await runBundle({ retirement: 'RET-2026-0007', dataDir, out: file }, bundled.out, bundled.err, env, shared),
      bundled.errors.join('\n'),
    ).toBe(0);
    // Nothing pinned: the bundle's own keys prove nothing, so it fails; --allow-untrusted warns.
    const unpinned = capture();
    expect(await runVerify([file], {}, unpinned.out, unpinned.err)).toBe(1);
    expect(unpinned.lines.join('\n')).toContain('TRUST_NOT_PINNED');
    const checked = capture();
    expect(await runVerify([file], { allowUntrusted: true }, checked.out, checked.err)).toBe(0);
    expect(checked.lines[0]).toMatch(/verified, with warnings \(.*trust: TRUST_NOT_PINNED\) {2}bundle\n/);
    expect(checked.lines.join('\n')).toContain('retirement RET-2026-0007');

    expect((await verb(AMEND_VERB, { body: api('retirement-amendment') })).code).toBe(0);
    const old = capture();
    expect(await runStatus('RET-2026-0007', { dataDir }, old.out, old.err, env, shared)).toBe(1);
    expect(old.lines[0]).toContain('replaced by RET-2026-0007-A1');
    expect(await runStatus('RET-2026-0007-A1', { dataDir }, capture().out, capture().err, env, shared)).toBe(0);
    await shared?.close();
    shared = undefined;
    const inv = capture();
    expect(await runInvariants({ dataDir }, inv.out, inv.err, env)).toBe(0);
    expect(inv.lines[0]).toMatch(/^✔ /);
  }, 120_000);

  it('a missing --body file is a usage error (exit 2)', async () => {
    const missing = await verb(ISSUE_VERB, { body: join(work, 'nope.json') });
    expect(missing.code).toBe(2);
    expect(missing.errors[0]).toContain('nope.json');
  });
});

describe('registry verbs through a server (--registry)', () => {
  it('posts the body with the API key and idempotency key, and maps problem codes', async () => {
    const seen: Array<{ method: string; url: string; headers: Record<string, string>; body?: string }> = [];
    const transport: RegistryTransport = async (request) => {
      seen.push(request);
      return request.url.endsWith('/registry/transfers')
        ? { status: 409, body: JSON.stringify({ code: 'INSUFFICIENT_HOLDING', detail: 'not enough' }) }
        : { status: 201, body: JSON.stringify({ retirementId: 'R1' }) };
    };
    const access = await openRegistryAccess(
      { registry: 'https://registry.example/' },
      { UNTP_CREDITS_API_KEY: 'k1' } as NodeJS.ProcessEnv,
      transport,
    );
    expect(await access.run('retire', { account: 'A' }, 'idem-1')).toEqual({ retirementId: 'R1' });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: 'https://registry.example/registry/retirements',
      headers: { authorization: 'Bearer k1', 'idempotency-key': 'idem-1' },
      body: '{"account":"A"}',
    });
    await expect(access.run('transfer', {})).rejects.toMatchObject({ code: 'INSUFFICIENT_HOLDING' });
    const noKey = await openRegistryAccess(
      { registry: 'https://registry.example' },
      {} as NodeJS.ProcessEnv,
      transport,
    );
    await expect(noKey.run('issue', {})).rejects.toMatchObject({ code: 'API_KEY_MISSING' });
    // bundle --registry: GET /registry/retirements/:id/bundle, written to --out after a structure check.
    const { cobaltStory } = await import('../bundle/fixture.js');
    const story = await cobaltStory();
    const bundleTransport: RegistryTransport = async (request) =>
      request.url === 'https://registry.example/registry/retirements/RET-2026-0007/bundle'
        ? { status: 200, body: JSON.stringify(story.bundle) }
        : { status: 404, body: '{}' };
    const viaApi = await openRegistryAccess(
      { registry: 'https://registry.example' },
      {} as NodeJS.ProcessEnv,
      bundleTransport,
    );
    const file = join(work, 'api.bundle.json');
    const b = capture();
    expect(
      await runBundle(
        { retirement: 'RET-2026-0007', registry: 'https://registry.example', out: file },
        b.out,
        b.err,
        {} as NodeJS.ProcessEnv,
        viaApi,
      ),
    ).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(story.bundle);
    const none = capture();
    expect(
      await runBundle(
        { retirement: 'RET-9', registry: 'https://registry.example' },
        none.out,
        none.err,
        {} as NodeJS.ProcessEnv,
        viaApi,
      ),
    ).toBe(1);
    // The default transport (the guarded fetcher) POSTs to a loopback registry over plain HTTP; nothing listens on port 9: exit 2.
    const c = capture();
    expect(
      await runLedgerVerb(
        TRANSFER_VERB,
        { registry: 'http://127.0.0.1:9', from: 'a', to: 'b', quantity: '1' },
        c.out,
        c.err,
        { UNTP_CREDITS_API_KEY: 'k' } as NodeJS.ProcessEnv,
      ),
    ).toBe(2);
    expect(c.errors[0]).toContain('REGISTRY_UNREACHABLE');
  });

  it("flags override the body's unit selection: --range replaces quantity and issuance, --quantity replaces ranges", () => {
    const base = { account: 'A', issuanceId: 'I', quantity: 25, beneficiary: { id: 'did:web:b.example' } };
    expect(RETIRE_VERB.body(base, { range: 'RCC-CD-LU-1532-2026Q1:41-65' })).toEqual({
      account: 'A',
      beneficiary: { id: 'did:web:b.example' },
      ranges: [{ prefix: 'RCC-CD-LU-1532-2026Q1', start: 41, end: 65 }],
    });
    expect(
      TRANSFER_VERB.body(
        { from: 'a', to: 'b', ranges: [{ prefix: 'P', start: 1, end: 2 }] },
        { quantity: '3', issuanceId: 'I' },
      ),
    ).toEqual({ from: 'a', to: 'b', quantity: 3, issuanceId: 'I' });
    expect(() => RETIRE_VERB.body({}, { range: 'P-1-5' })).toThrow(/PREFIX:START-END/);
    expect(() => TRANSFER_VERB.body({}, { quantity: '0' })).toThrow(/positive whole number/);
  });
});
