import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUntpCreditsError } from '../../src/errors.js';
import { createDidResolver } from '../../src/keys/resolver.js';
import { buildStatusListCredential, emptyBitstring, setBit } from '../../src/status/bitstring.js';
import { VerifyPool } from '../../src/verify/pool.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { verify } from '../../src/verify/verify.js';
import { bundlePoolWorker, crashingWorker } from './support.js';

const read = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const registryDid = read('keys/registry.mineral-credits.example.did.json');
const cobalt = read('cobalt/issuance.signed.json');
const copper = read('copper/issuance-2026q1.signed.json');
const retirement = read('cobalt/retirement.signed.json');
const NOW = '2026-06-01T00:00:00Z';
const flip = (jws: string) => {
  const i = jws.lastIndexOf('.') + 10;
  return `${jws.slice(0, i)}${jws[i] === 'A' ? 'B' : 'A'}${jws.slice(i + 1)}`;
};
const tampered = { ...cobalt, id: flip(String(cobalt.id)) }; // one signature character changed

const summary = (r: VerificationReport) => ({
  verified: r.verified,
  failed: r.steps.find((s) => !s.ok)?.code ?? null,
  issuer: r.issuer,
  warnings: r.warnings.map((w) => w.code),
});
const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isUntpCreditsError(e) ? e.code : String(e)),
  );

let entry: string;
beforeAll(async () => {
  entry = await bundlePoolWorker();
});
afterAll(() => rmSync(entry, { force: true }));

describe('VerifyPool', () => {
  const pools: VerifyPool[] = [];
  const pool = (options: ConstructorParameters<typeof VerifyPool>[0] = {}) => {
    const p = new VerifyPool({ workerEntry: entry, ...options });
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.terminate()));
  });

  it('returns the same reports as verify(), in input order', async () => {
    const inputs = [
      cobalt,
      tampered,
      'not a jws',
      copper,
      null,
      retirement,
      cobalt,
      { type: 'VerifiableCredential' },
      copper,
    ];
    const expected = await Promise.all(
      inputs.map((i) =>
        verify(i, { resolver: createDidResolver({ documents: [registryDid] }), clock: () => new Date(NOW) }),
      ),
    );
    const p = pool({ workers: 2, perWorker: 2, verify: { didDocuments: [registryDid], now: NOW } });
    const reports = await p.verifyAll(inputs);
    expect(reports.map(summary)).toEqual(expected.map(summary));
    expect(reports).toEqual(JSON.parse(JSON.stringify(expected))); // whole reports, as JSON data
    expect(reports[0]!.verified).toBe(true);
    expect(reports[1]!.steps.find((s) => !s.ok)?.code).toBe('SIGNATURE_INVALID');
    const streamed: VerificationReport[] = [];
    for await (const r of p.verifyStream(
      (function* () {
        for (let i = 0; i < 40; i++) yield i % 2 === 0 ? cobalt : tampered;
      })(),
    ))
      streamed.push(r);
    expect(streamed.map((r) => r.verified)).toEqual(Array.from({ length: 40 }, (_, i) => i % 2 === 0));
    await p.close();
  });

  it('checks status inside the workers from a snapshot, or on the main thread through a proxy', async () => {
    const url = 'https://registry.mineral-credits.example/status/revocation/1';
    const list = (revoked: boolean) =>
      buildStatusListCredential({
        url,
        issuer: String(registryDid.id),
        bits: revoked ? setBit(emptyBitstring(), 1001) : emptyBitstring(),
        validFrom: '2026-01-01T00:00:00Z',
      });
    const snapshot = pool({
      workers: 1,
      verify: { didDocuments: [registryDid], now: NOW, statusLists: { [url]: list(true) } },
    });
    expect(summary((await snapshot.verifyAll([cobalt]))[0]!).failed).toBe('CREDENTIAL_REVOKED');
    const seen: unknown[] = [];
    const proxied = pool({
      workers: 1,
      verify: { now: NOW },
      resolver: createDidResolver({ documents: [registryDid] }),
      status: {
        check: async (e, credential) => {
          seen.push(credential.issuer);
          return { status: e.statusListIndex === 1001 ? 'suspended' : 'valid' };
        },
      },
    });
    expect(summary(await proxied.verify(cobalt)).failed).toBe('CREDENTIAL_SUSPENDED');
    expect(seen).toHaveLength(1);
    const unresolvable = pool({
      workers: 1,
      verify: { now: NOW },
      resolver: {
        resolve: async () => {
          throw new Error('offline');
        },
      },
    });
    expect(summary(await unresolvable.verify(cobalt)).failed).toBe('DID_RESOLUTION_FAILED');
    await Promise.all([snapshot.close(), proxied.close(), unresolvable.close()]);
  });

  it('bounds its queue, and refuses input it cannot send to a worker', async () => {
    const p = pool({ workers: 1, perWorker: 1, maxQueue: 1, verify: { didDocuments: [registryDid], now: NOW } });
    const first = p.verify(cobalt);
    const second = p.verify(cobalt);
    expect(await code(p.verify(cobalt))).toBe('POOL_QUEUE_FULL');
    expect(p.pending).toBe(2);
    expect((await first).verified).toBe(true);
    expect((await second).verified).toBe(true);
    expect(await code(p.verify(() => 1))).toBe('INPUT_INVALID');
    // verifyAll waits for room instead of refusing
    expect((await p.verifyAll(Array.from({ length: 10 }, () => cobalt))).every((r) => r.verified)).toBe(true);
    await p.close();
  });

  it('fails the in-flight work of a dead worker and replaces it', async () => {
    const crashing = crashingWorker();
    const p = pool({ workers: 1, workerEntry: crashing });
    expect(await code(p.verify(cobalt))).toBe('POOL_WORKER_FAILED');
    expect(await code(p.verify(cobalt))).toBe('POOL_WORKER_FAILED'); // served (and killed) by the replacement
    await p.terminate();
    rmSync(crashing, { force: true });
  });

  it('a worker that cannot start fails each verification instead of respawning', async () => {
    const p = pool({ workers: 1, verify: { didDocumentFiles: ['/nonexistent/did.json'] } });
    expect(await code(p.verify(cobalt))).toBe('INTERNAL_ERROR');
    await p.close();
  });

  it('close() finishes accepted work, then refuses; terminate() rejects what is pending', async () => {
    const p = pool({ workers: 2, verify: { didDocuments: [registryDid], now: NOW } });
    const accepted = Array.from({ length: 12 }, () => p.verify(cobalt));
    const closed = p.close();
    expect(await code(p.verify(cobalt))).toBe('POOL_CLOSED');
    expect((await Promise.all(accepted)).every((r) => r.verified)).toBe(true);
    await closed;
    expect(p.pending).toBe(0);

    const q = pool({ workers: 1, perWorker: 1, verify: { didDocuments: [registryDid], now: NOW } });
    const pending = Array.from({ length: 6 }, () => code(q.verify(cobalt)));
    await q.terminate();
    const codes = await Promise.all(pending);
    expect(codes.filter((c) => c === 'POOL_CLOSED').length).toBeGreaterThanOrEqual(5);
    expect(await code(q.verify(cobalt))).toBe('POOL_CLOSED');
  });

  it('refuses a worker count that is not a positive integer', () => {
    expect(() => new VerifyPool({ workers: 0, workerEntry: entry })).toThrow(/positive integer/);
  });
});
