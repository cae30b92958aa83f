import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrustAdd } from '../../src/cli/trust.js';
import { runVerify } from '../../src/cli/verify.js';
import { issue } from '../../src/issue.js';
import { jwsPayload } from '../../src/lib/digest.js';
import { identitySigner, loadIdentity } from '../../src/server/identity.js';
import { readTrustFile } from '../../src/trust/trust-file.js';
import { runCobaltStory, startLedgerServer, type TestServer } from './helpers.js';

type Json = Record<string, any>;
const dir = mkdtempSync(join(tmpdir(), 'untp-verify-log-server-'));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
function capture() {
  const lines: string[] = [];
  return { lines, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), text: () => lines.join('\n') };
}

let server: TestServer;
let record: Json;
beforeAll(async () => {
  server = await startLedgerServer({}, { log: true });
  await runCobaltStory(server);
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    record = (await (await server.get('/registry/retirements/RET-2026-0007')).json()) as Json;
    if (record.log) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe('verify against the registry log, with a trust file made by trust add --registry', () => {
  let trust: string;
  let didDoc: string;
  beforeAll(async () => {
    trust = join(dir, 'trust.json');
    const c = capture();
    expect(await runTrustAdd({ registry: `http://127.0.0.1:${server.port}`, trust }, c.out, c.err), c.text()).toBe(0);
    didDoc = file('registry.did.json', await (await server.get('/.well-known/did.json')).text());
  }, 60_000);

  it('trust add pins the registry DID, its assertion keys and the log key the registry serves', async () => {
    const pinned = readTrustFile(trust);
    const vkey = (await (await server.get('/registry/log/vkey')).text()).trim();
    expect(pinned.version).toBe(2);
    expect(pinned.issuers).toHaveLength(1);
    expect(pinned.issuers[0]).toMatchObject({ log: { keys: [vkey], witnesses: [], witnessThreshold: 0 } });
    expect(pinned.issuers[0]!.keys.length).toBeGreaterThan(0);
  });

  it("the ledger's retirement, with its record's log proof, passes --require-log", async () => {
    expect(record.log?.entry, 'the record carries the entry').toBeTypeOf('string');
    const c = capture();
    const code = await runVerify(
      [file('retirement.json', record.credential)],
      { trust, didDoc: [didDoc], logProof: file('record.json', record), requireLog: true },
      c.out,
      c.err,
    );
    expect(code, c.text()).toBe(0);
    expect(c.text()).toContain('✔ log');
  });

  it('a credit credential signed with the registry ledger key outside the ledger fails --require-log and the default trust file', async () => {
    const identity = await loadIdentity(server.db);
    const signer = await identitySigner(identity!, 'jose');
    const real = jwsPayload(String(record.credential.id).slice('data:application/vc+jwt,'.length));
    const { proof: _proof, ...unsigned } = { ...real, id: `${String(real.id)}-second` } as Json;
    const forged = file('forged.json', await issue(unsigned, { format: 'jose', signer }));
    const run = async (options: Json) => {
      const c = capture();
      return { code: await runVerify([forged], { didDoc: [didDoc], ...options }, c.out, c.err), text: c.text() };
    };
    // Signed by the registry's own key: without the log, nothing tells it apart.
    const unlogged = await run({});
    expect(unlogged.code, unlogged.text).toBe(0);
    const required = await run({ trust, requireLog: true });
    expect(required.code).toBe(1);
    expect(required.text).toContain('✘ log LOG_ENTRY_MISSING');
    // The trust file trust add wrote names the log key: that alone makes the log step run.
    const defaulted = await run({ trust });
    expect(defaulted.code).toBe(1);
    expect(defaulted.text).toContain('✘ log LOG_ENTRY_MISSING');
    // Offered the real retirement's log proof: the entry names another credential.
    const borrowed = await run({ trust, logProof: file('record.json', record) });
    expect(borrowed.code).toBe(1);
    expect(borrowed.text).toContain('✘ log LOG_ENTRY_MISMATCH');
  });

  it("the server's bundle carries each credit credential's log proof; it verifies with the trust file and --require-log", async () => {
    const bundle = (await (await server.get('/registry/retirements/RET-2026-0007/bundle')).json()) as Json;
    expect(bundle.log.map((l: Json) => l.credentialId)).toContain(record.credentialId);
    const c = capture();
    const code = await runVerify([file('ret.bundle.json', bundle)], { trust, requireLog: true }, c.out, c.err);
    expect(code, c.text()).toBe(0);
    expect(c.text()).toMatch(/✔ log retirement +entry \d+ of registry\.example\.test\/registry\/log/);
    // Stripped of its log proofs, the same bundle fails.
    const stripped = capture();
    const { log: _log, ...bare } = bundle;
    expect(await runVerify([file('bare.bundle.json', bare)], { trust }, stripped.out, stripped.err)).toBe(1);
    expect(stripped.text()).toContain('✘ log LOG_ENTRY_MISSING');
    expect(readFileSync(join(dir, 'bare.bundle.json'), 'utf8')).not.toContain('"log"');
  });
});
