import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attacker,
  credentialBy,
  deepJsonText,
  envelopeOf,
  libraryCorpus,
  rawJws,
  type CorpusItem,
} from './support/corpus.js';
import { HTTP_A, HTTP_PREFIX, seedCommands, send } from './support/http-load.js';
import { fixtures } from './support/credentials.js';
import {
  ADMIN_KEY,
  rawRequest,
  startLedgerSecurityServer,
  startSecurityServer,
  type SecurityServer,
} from './support/server.js';

/**
 * The hostile-input corpus against the HTTP server (src/server createApp via startServer): every
 * item gets a clear 4xx (problem+json, or a verification report with verified:false) within a
 * generous bound, no 5xx, and the server keeps answering — /healthz and a real issue → verify
 * round trip still work afterwards.
 */

const BOUND_MS = 20_000;
const JSON_TYPE = { 'content-type': 'application/json' };

let server: SecurityServer;
let trap: HttpServer;
let trapHits = 0;
let items: CorpusItem[] = [];

interface RawItem {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  chunked?: boolean;
  status: number[];
  code?: string[];
}

beforeAll(async () => {
  server = await startSecurityServer();
  trap = createHttpServer((_req, res) => {
    trapHits++;
    res.end('{}');
  });
  trap.on('connection', () => {
    trapHits++;
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  items = await libraryCorpus({
    fixtures: await fixtures(),
    trapUrl: `http://127.0.0.1:${(trap.address() as AddressInfo).port}/context.jsonld`,
    redirectDidWeb: 'localhost%3A9',
    ca: readFileSync('test/fixtures/keys/tls-localhost.crt'),
  });
  // did:web issuers on private, loopback and metadata addresses: the server resolves nothing remotely.
  const evil = attacker();
  for (const did of [
    'did:web:127.0.0.1',
    'did:web:10.0.0.8',
    'did:web:169.254.169.254',
    'did:web:%5B%3A%3A1%5D',
    `did:web:127.0.0.1%3A${(trap.address() as AddressInfo).port}`,
  ]) {
    items.push({
      name: `issuer ${did}`,
      input: envelopeOf(
        rawJws(
          { alg: 'EdDSA', kid: `${did}#key-1`, typ: 'vc+jwt' },
          JSON.stringify(credentialBy(did)),
          evil.privateJwk,
        ),
      ),
      codes: ['DID_NOT_FOUND', 'DID_INVALID', 'KEY_ID_INVALID'],
    });
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (trap) {
    trap.closeAllConnections();
    await new Promise((resolve) => trap.close(resolve));
  }
});

function rawItems(): RawItem[] {
  const verify = '/credentials/verify';
  const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
  return [
    {
      name: '10 MB body with its length declared',
      path: verify,
      headers: JSON_TYPE,
      body: Buffer.concat([Buffer.from('{"verifiableCredential":"'), big, Buffer.from('"}')]),
      status: [413],
      code: ['BODY_TOO_LARGE'],
    },
    {
      name: '10 MB body chunked, no length',
      path: verify,
      headers: JSON_TYPE,
      body: Buffer.concat([Buffer.from('{"verifiableCredential":"'), big, Buffer.from('"}')]),
      chunked: true,
      status: [413],
      code: ['BODY_TOO_LARGE'],
    },
    {
      name: '10 MB body to a write route without a key',
      path: '/registry/issuances',
      headers: JSON_TYPE,
      body: big,
      status: [401, 413],
    },
    {
      name: '10 000-level nested JSON',
      path: verify,
      headers: JSON_TYPE,
      body: `{"verifiableCredential":${deepJsonText(10_000)}}`,
      status: [400],
      code: ['JSON_TOO_DEEP'],
    },
    {
      name: '10 000-level nested arrays',
      path: verify,
      headers: JSON_TYPE,
      body: `{"verifiableCredential":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      status: [400],
      code: ['JSON_TOO_DEEP'],
    },
    {
      name: 'nesting hidden behind escaped quotes',
      path: verify,
      headers: JSON_TYPE,
      body: `{"a":"\\\\","verifiableCredential":${deepJsonText(5_000)}}`,
      status: [400],
      code: ['JSON_TOO_DEEP'],
    },
    {
      name: 'invalid UTF-8 bytes in the body',
      path: verify,
      headers: JSON_TYPE,
      body: Buffer.concat([
        Buffer.from('{"verifiableCredential":"'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]),
      status: [400],
    },
    {
      name: 'invalid UTF-8 bytes outside strings',
      path: verify,
      headers: JSON_TYPE,
      body: Buffer.from([0x7b, 0xff, 0x7d]),
      status: [400],
      code: ['JSON_MALFORMED'],
    },
    {
      name: 'duplicate JSON keys in the body',
      path: verify,
      headers: JSON_TYPE,
      body: '{"verifiableCredential":"a.b.c","verifiableCredential":{"type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,x"}}',
      status: [400],
    },
    {
      name: '__proto__ in the body',
      path: verify,
      headers: JSON_TYPE,
      body: '{"__proto__":{"verified":true,"status":200},"verifiableCredential":{"__proto__":{"proof":{}}}}',
      status: [400],
    },
    {
      name: 'enormous integer literal',
      path: verify,
      headers: JSON_TYPE,
      body: `{"verifiableCredential":${'9'.repeat(100_000)}}`,
      status: [400],
    },
    {
      name: 'a number that overflows to Infinity',
      path: verify,
      headers: JSON_TYPE,
      body: '{"verifiableCredential":1e999999}',
      status: [400],
    },
    {
      name: 'malformed JSON',
      path: verify,
      headers: JSON_TYPE,
      body: '{"verifiableCredential":',
      status: [400],
      code: ['JSON_MALFORMED'],
    },
    { name: 'empty body', path: verify, headers: JSON_TYPE, body: '', status: [400] },
    {
      name: 'not a JSON object',
      path: verify,
      headers: JSON_TYPE,
      body: '[1,2,3]',
      status: [400],
      code: ['REQUEST_INVALID'],
    },
    {
      name: 'text/plain content type',
      path: verify,
      headers: { 'content-type': 'text/plain' },
      body: '{}',
      status: [415],
      code: ['CONTENT_TYPE_UNSUPPORTED'],
    },
    { name: 'no content type', path: verify, body: '{}', status: [415], code: ['CONTENT_TYPE_UNSUPPORTED'] },
    {
      name: 'a declared length far beyond the limit',
      path: verify,
      headers: { ...JSON_TYPE, 'content-length': String(2 ** 40) },
      status: [413, 400],
    },
    {
      name: 'presentation verify with hostile options',
      path: '/presentations/verify',
      headers: JSON_TYPE,
      body: '{"verifiablePresentation":"x.y.z","options":{"challenge":{"$ne":null},"domain":["a"]}}',
      status: [400],
      code: ['REQUEST_INVALID'],
    },
    // 503 LEDGER_UNAVAILABLE is the expected answer of registry reads on a server without a ledger.
    {
      name: 'huge query string',
      method: 'GET',
      path: `/registry/retirements?limit=${'9'.repeat(6000)}`,
      status: [400, 404, 414, 431, 503],
    },
    {
      name: 'path traversal in an id',
      method: 'GET',
      path: '/registry/credentials/..%2F..%2F..%2Fetc%2Fpasswd',
      status: [404, 503],
    },
    {
      name: 'path traversal in a DID path',
      method: 'GET',
      path: '/..%2F..%2Fetc%2Fpasswd/did.json',
      status: [400, 404],
    },
    { name: 'unknown method', method: 'PROPFIND', path: verify, status: [404, 405] },
  ];
}

describe('hostile-input corpus (HTTP server)', () => {
  it('every item gets a clear 4xx within bounds, and the server keeps answering', async () => {
    let crashes = 0;
    let serverErrors = 0;
    const outcomes: string[] = [];
    const gaps: string[] = [];
    const check = async (
      name: string,
      answer: Promise<{ status: number; body: string; ms: number }>,
      statuses: number[],
      codes?: string[],
      gap?: string,
    ): Promise<void> => {
      let response: { status: number; body: string; ms: number };
      try {
        response = await answer;
      } catch (error) {
        crashes++;
        outcomes.push(`${name}: NO ANSWER ${(error as Error).message}`);
        expect.soft(error, name).toBeUndefined();
        return;
      }
      if (response.status >= 500 && !statuses.includes(response.status)) serverErrors++;
      let body: { code?: unknown; verified?: unknown; steps?: Array<{ ok: boolean; code?: string }> } = {};
      try {
        body = JSON.parse(response.body) as typeof body;
      } catch {
        /* the status is what counts */
      }
      const code = typeof body.code === 'string' ? body.code : body.steps?.find((s) => !s.ok)?.code;
      outcomes.push(`${name}: ${response.status} ${String(code)} (${response.ms} ms)`);
      expect
        .soft(statuses, `${name}: got ${response.status} ${response.body.slice(0, 300)}`)
        .toContain(response.status);
      expect.soft(response.ms, name).toBeLessThan(BOUND_MS);
      if (body.verified !== undefined) expect.soft(body.verified, name).toBe(false);
      if (codes) expect.soft(codes, `${name}: code ${String(code)}`).toContain(code);
      // A clear code: no step may have failed with INTERNAL_ERROR (a crash caught by the step runner),
      // except for a known gap (named in the library corpus, whose tracker test fails once it is fixed).
      if (gap) gaps.push(name);
      else
        expect
          .soft(
            body.steps?.filter((s) => !s.ok && s.code === 'INTERNAL_ERROR') ?? [],
            `${name}: ${response.body.slice(0, 400)}`,
          )
          .toEqual([]);
      // After every item the server still answers.
      const health = await rawRequest(server.port, 'GET', '/healthz', { timeoutMs: BOUND_MS }).catch(() => ({
        status: 0,
      }));
      if (health.status !== 200) {
        crashes++;
        outcomes.push(`${name}: server stopped answering (healthz ${health.status})`);
      }
    };

    for (const item of items) {
      let text: string;
      try {
        text = JSON.stringify({ verifiableCredential: item.input });
      } catch {
        // JSON.stringify itself cannot write 10 000 levels: send the same shape as text.
        text = `{"verifiableCredential":{"type":"VerifiableCredential","credentialSubject":${deepJsonText(10_000)},"proof":{"type":"DataIntegrityProof"}}}`;
      }
      const oversized = Buffer.byteLength(text) > 1024 * 1024;
      await check(
        `credentials/verify: ${item.name}`,
        rawRequest(server.port, 'POST', '/credentials/verify', { headers: JSON_TYPE, body: text, timeoutMs: BOUND_MS }),
        oversized ? [413] : [400],
        oversized ? ['BODY_TOO_LARGE'] : undefined,
        item.knownGap,
      );
    }
    const raws = rawItems();
    for (const raw of raws) {
      await check(
        `raw: ${raw.name}`,
        rawRequest(server.port, raw.method ?? 'POST', raw.path, {
          ...(raw.headers ? { headers: raw.headers } : {}),
          ...(raw.body !== undefined ? { body: raw.body } : {}),
          ...(raw.chunked ? { chunked: true } : {}),
          timeoutMs: BOUND_MS,
        }),
        raw.status,
        raw.code,
      );
    }
    const burstItems = items;
    // Many hostile requests at once (bounded: 40), then the server still works end to end.
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        rawRequest(server.port, 'POST', '/credentials/verify', {
          headers: JSON_TYPE,
          body:
            i % 2 === 0
              ? `{"verifiableCredential":${deepJsonText(2_000)}}`
              : `{"verifiableCredential":${JSON.stringify(String((burstItems[i % burstItems.length]!.input as { id?: unknown }).id ?? 'x').slice(0, 900_000))}}`,
          timeoutMs: BOUND_MS,
        }).catch(() => ({ status: 0, body: '', ms: 0 })),
      ),
    );
    const burstBad = burst.filter((r) => r.status < 400 || r.status >= 500).length;

    const issuerKey = await server.keyFor('issuer');
    const issued = await rawRequest(server.port, 'POST', '/credentials/issue', {
      headers: { ...JSON_TYPE, authorization: `Bearer ${issuerKey}` },
      body: JSON.stringify({
        credential: {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          id: 'urn:uuid:7c1b0a4e-2a8f-4b6e-9d0c-1f2e3d4c5b6a',
          type: ['VerifiableCredential'],
          validFrom: '2025-01-01T00:00:00Z',
          credentialSubject: { id: 'did:example:s', name: 'still working' },
        },
      }),
    });
    expect(issued.status, issued.body).toBe(201);
    const verified = await rawRequest(server.port, 'POST', '/credentials/verify', {
      headers: JSON_TYPE,
      body: JSON.stringify({
        verifiableCredential: (JSON.parse(issued.body) as { verifiableCredential: unknown }).verifiableCredential,
      }),
    });
    expect(verified.status, verified.body).toBe(200);
    expect((JSON.parse(verified.body) as { verified: boolean }).verified).toBe(true);

    const total = items.length + raws.length + burst.length;
    console.log(
      `hostile corpus (HTTP): items ${total} (${items.length} credentials, ${raws.length} raw requests, ${burst.length} concurrent) / crashes ${crashes} / 5xx ${serverErrors} / known-gap items (4xx required, code not held) ${gaps.length} / burst answers outside 4xx ${burstBad} / network contacts ${trapHits}; the server still issues and verifies`,
    );
    if (process.env.CORPUS_DEBUG) console.log(outcomes.join('\n'));
    expect(crashes).toBe(0);
    expect(serverErrors).toBe(0);
    expect(burstBad).toBe(0);
    expect(trapHits).toBe(0);
  }, 600_000);

  it('hostile registry writes (huge and malformed serial ranges, quantities, deep details) get 4xx and leave the ledger intact', async () => {
    const ledgerServer = await startLedgerSecurityServer();
    try {
      for (const command of seedCommands('hostile'))
        expect((await send(ledgerServer.port, ADMIN_KEY, command)).status).toBe(201);
      const post = (path: string, text: string) =>
        rawRequest(ledgerServer.port, 'POST', path, {
          headers: { ...JSON_TYPE, authorization: `Bearer ${ADMIN_KEY}` },
          body: text,
          timeoutMs: BOUND_MS,
        });
      const issuance = (range: string) =>
        `{"issuanceId":"HOSTILE-${Math.random().toString(36).slice(2)}","prefix":"HOSTILE","holder":"${HTTP_A}",${range},"details":{}}`;
      const retire = (selection: string) =>
        `{"account":"${HTTP_A}","retirementId":"RET-HOSTILE-${Math.random().toString(36).slice(2)}",${selection}}`;
      const cases: Array<[string, string, string]> = [
        ['issuance end 2^53', '/registry/issuances', issuance('"start":1,"end":9007199254740992')],
        ['issuance end 2^64', '/registry/issuances', issuance('"start":1,"end":18446744073709551616')],
        ['issuance end 1e400', '/registry/issuances', issuance('"start":1,"end":1e400')],
        ['issuance quantity 2^60', '/registry/issuances', issuance('"quantity":1152921504606846976')],
        ['issuance start > end', '/registry/issuances', issuance('"start":10,"end":1')],
        ['issuance negative start', '/registry/issuances', issuance('"start":-5,"end":5')],
        ['issuance fractional', '/registry/issuances', issuance('"start":1.5,"end":3')],
        ['issuance start as a string', '/registry/issuances', issuance('"start":"1","end":"9"')],
        [
          'issuance overlapping the seed',
          '/registry/issuances',
          `{"issuanceId":"HOSTILE-OVERLAP","prefix":"${HTTP_PREFIX}","holder":"${HTTP_A}","start":5,"end":6,"details":{}}`,
        ],
        [
          'retire a range beyond 2^53',
          '/registry/retirements',
          retire(`"ranges":[{"prefix":"${HTTP_PREFIX}","start":9007199254740990,"end":9007199254740999}]`),
        ],
        ['retire quantity 2^60', '/registry/retirements', retire('"quantity":1152921504606846976')],
        ['retire quantity -1', '/registry/retirements', retire('"quantity":-1')],
        ['retire quantity 0', '/registry/retirements', retire('"quantity":0')],
        ['retire quantity NaN-ish string', '/registry/retirements', retire('"quantity":"NaN"')],
        [
          'retire 10 000 ranges',
          '/registry/retirements',
          retire(
            `"ranges":[${Array.from({ length: 10_000 }, (_, i) => `{"prefix":"${HTTP_PREFIX}","start":${i + 1},"end":${i + 1}}`).join(',')}]`,
          ),
        ],
        ['transfer to itself', '/registry/transfers', `{"from":"${HTTP_A}","to":"${HTTP_A}","quantity":1}`],
        [
          'transfer from an unknown account',
          '/registry/transfers',
          '{"from":"ACC-NOPE","to":"ACC-NOPE-2","quantity":1}',
        ],
        ['details 60 deep', '/registry/retirements', retire(`"quantity":1,"details":${deepJsonText(60)}`)],
        [
          '__proto__ in details',
          '/registry/retirements',
          retire('"quantity":1,"details":{"__proto__":{"admin":true}}'),
        ],
      ];
      const outcomes: string[] = [];
      let bad = 0;
      for (const [name, path, text] of cases) {
        const response = await post(path, text);
        outcomes.push(`${name}: ${response.status}`);
        // A hostile body may be refused (4xx) or, for the last two (valid but odd), accepted (201); never 5xx.
        const allowed =
          name.startsWith('details') || name.startsWith('__proto__') || name === 'retire 10 000 ranges'
            ? [201, 400, 409, 413, 422]
            : [400, 404, 409, 413, 422];
        if (!allowed.includes(response.status)) bad++;
        expect.soft(allowed, `${name}: ${response.status} ${response.body.slice(0, 300)}`).toContain(response.status);
      }
      const invariants = await rawRequest(ledgerServer.port, 'GET', '/registry/invariants');
      const report = JSON.parse(invariants.body) as { violations: unknown[]; totals: Record<string, string> };
      expect(report.violations).toEqual([]);
      expect(BigInt(report.totals.issued ?? '0')).toBe(2000n); // nothing hostile was issued
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
      console.log(
        `hostile registry writes (HTTP, real ledger): items ${cases.length} / 5xx or unexpected ${bad} / invariant violations 0 / units issued by hostile requests 0`,
      );
      if (process.env.CORPUS_DEBUG) console.log(outcomes.join('\n'));
      expect(bad).toBe(0);
    } finally {
      await ledgerServer.stop();
    }
  }, 180_000);
});
