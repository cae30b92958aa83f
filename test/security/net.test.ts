import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDidWebDocument } from '../../src/keys/did-web-https.js';
import { createDidResolver } from '../../src/keys/resolver.js';
import { checkFetchUrl, guardedFetch, isPublicAddress } from '../../src/net/guarded-fetch.js';
import { createHttpsStatusListSource } from '../../src/net/status-list-source.js';
import { createStatusResolver } from '../../src/status/resolver.js';

// One guarded fetcher for every outbound request (src/net/guarded-fetch.ts). Everything here targets
// only listeners on 127.0.0.1 of this machine; refusals of other addresses are checked without connecting.

const cert = readFileSync('test/fixtures/keys/tls-localhost.crt');
const key = readFileSync('test/fixtures/keys/tls-localhost.key');
const loopbackOptIn = { ca: cert, isAllowedAddress: () => true, timeoutMs: 2000 };

interface Listener {
  server: Server;
  port: number;
  connections: number;
  requests: string[];
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Listener> {
  const l: Listener = { server: createServer({ cert, key }, handler), port: 0, connections: 0, requests: [] };
  l.server.on('connection', (_s: Socket) => {
    l.connections++;
  });
  l.server.on('request', (req) => {
    l.requests.push(req.url ?? '');
  });
  await new Promise<void>((resolve) => l.server.listen(0, '127.0.0.1', resolve));
  l.port = (l.server.address() as AddressInfo).port;
  return l;
}

async function close(l: Listener | undefined): Promise<void> {
  if (!l) return;
  l.server.closeAllConnections();
  await new Promise((resolve) => l.server.close(resolve));
}

let target: Listener;
let elsewhere: Listener;

beforeAll(async () => {
  elsewhere = await listen((_req, res) => res.end('{"reached":true}'));
  target = await listen((req, res) => {
    const path = req.url ?? '/';
    if (path === '/json') res.end('{"ok":true}');
    else if (path === '/redirect') {
      res.statusCode = 302;
      res.setHeader('location', `https://localhost:${elsewhere.port}/`);
      res.end();
    } else if (path === '/redirect-metadata') {
      res.statusCode = 301;
      res.setHeader('location', 'https://169.254.169.254/latest/meta-data/');
      res.end();
    } else if (path === '/declared-big') {
      res.setHeader('content-length', String(50 * 1024 * 1024));
      res.write('x');
    } else if (path === '/streamed-big') {
      // Chunked, no length: the cap must stop reading, not the server.
      let sent = 0;
      const push = (): void => {
        if (sent < 4 * 1024 * 1024 && !res.destroyed) {
          sent += 64 * 1024;
          res.write(Buffer.alloc(64 * 1024, 120), push);
        }
      };
      push();
    } else if (path === '/slow')
      setTimeout(() => {
        if (!res.destroyed) res.end('{}');
      }, 3000);
    else if (path === '/list.jwt') {
      res.setHeader('content-type', 'application/vc+jwt');
      res.end('eyJhbGciOiJFZERTQSJ9.eyJpZCI6Imh0dHBzOi8vbGlzdCJ9.c2ln');
    } else if (path === '/list.json') {
      res.setHeader('content-type', 'application/vc+ld+json');
      res.end('{"id":"https://list","type":["VerifiableCredential"]}');
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
});
afterAll(async () => {
  await close(target);
  await close(elsewhere);
});

describe('address policy', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.1',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:7f00:1',
    '::ffff:a00:1',
    '::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2001:db8::1',
    'not-an-address',
    '',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows public %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('URL policy, checked before any connection', () => {
  it.each([
    ['http://registry.example/status/1', 'FETCH_URL_REFUSED'],
    ['file:///etc/passwd', 'FETCH_URL_REFUSED'],
    ['ftp://registry.example/x', 'FETCH_URL_REFUSED'],
    ['data:application/json,{}', 'FETCH_URL_REFUSED'],
    ['https://user:pw@registry.example/', 'FETCH_URL_REFUSED'],
    ['not a url', 'FETCH_URL_REFUSED'],
    ['https://127.0.0.1/', 'FETCH_ADDRESS_REFUSED'],
    ['https://2130706433/', 'FETCH_ADDRESS_REFUSED'], // decimal 127.0.0.1
    ['https://0x7f.1/', 'FETCH_ADDRESS_REFUSED'],
    ['https://017700000001/', 'FETCH_ADDRESS_REFUSED'], // octal 127.0.0.1
    ['https://10.0.0.1/', 'FETCH_ADDRESS_REFUSED'],
    ['https://169.254.169.254/latest/meta-data/', 'FETCH_ADDRESS_REFUSED'],
    ['https://[::1]/', 'FETCH_ADDRESS_REFUSED'],
    ['https://[::ffff:169.254.169.254]/', 'FETCH_ADDRESS_REFUSED'],
    ['https://[fd00::1]:8443/', 'FETCH_ADDRESS_REFUSED'],
    ['https://localhost/', 'FETCH_ADDRESS_REFUSED'],
    ['https://metadata.google.internal/', 'FETCH_ADDRESS_REFUSED'],
  ])('%s → %s', async (url, code) => {
    expect(() => checkFetchUrl(url)).toThrow(expect.objectContaining({ code }));
    await expect(guardedFetch(url)).rejects.toMatchObject({ code });
  });

  it('applies the allow-list of hosts when one is configured', () => {
    expect(() => checkFetchUrl('https://evil.example/x', { allowedHosts: ['registry.example'] })).toThrow(
      expect.objectContaining({ code: 'FETCH_HOST_NOT_ALLOWED' }),
    );
    expect(checkFetchUrl('https://REGISTRY.example/x', { allowedHosts: ['registry.example'] }).hostname).toBe(
      'registry.example',
    );
    expect(() => checkFetchUrl('https://registry.example:444/x', { allowedHosts: ['registry.example:443'] })).toThrow(
      expect.objectContaining({ code: 'FETCH_HOST_NOT_ALLOWED' }),
    );
  });

  it('the plain-HTTP loopback opt-in (a registry URL typed on the command line) reaches loopback only', () => {
    for (const url of [
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost.attacker.example/',
      'http://127.0.0.1.nip.io/',
      'http://[fd00::1]/',
      'http://user:pw@127.0.0.1/',
    ]) {
      expect(() => checkFetchUrl(url, { allowLoopbackHttp: true }), url).toThrow(
        expect.objectContaining({ code: 'FETCH_URL_REFUSED' }),
      );
    }
    for (const url of ['http://127.0.0.1:8080/registry', 'http://[::1]:8080/', 'http://localhost:8080/'])
      expect(checkFetchUrl(url, { allowLoopbackHttp: true }).protocol, url).toBe('http:');
    // Without the opt-in plain HTTP is refused even on loopback.
    expect(() => checkFetchUrl('http://127.0.0.1:8080/')).toThrow(
      expect.objectContaining({ code: 'FETCH_URL_REFUSED' }),
    );
  });

  it('did:web to private or metadata addresses is refused without connecting; [::1] is not a did:web host at all', async () => {
    for (const did of [
      'did:web:127.0.0.1',
      'did:web:10.0.0.8',
      'did:web:169.254.169.254',
      'did:web:192.168.0.1%3A8443:user:alice',
      'did:web:localhost',
    ]) {
      await expect(fetchDidWebDocument(did)).rejects.toMatchObject({ code: 'DID_WEB_ADDRESS_REFUSED' });
      await expect(createDidResolver({ https: true }).resolve(did)).rejects.toMatchObject({
        code: 'DID_WEB_ADDRESS_REFUSED',
      });
    }
    await expect(createDidResolver({ https: true }).resolve('did:web:%5B%3A%3A1%5D')).rejects.toMatchObject({
      code: 'DID_INVALID',
    });
  });
});

describe('against local listeners (loopback opted in only where said)', () => {
  it('refuses loopback by default at resolution time: the listener sees no connection', async () => {
    const before = target.connections;
    // A DNS name (not a literal) that resolves to loopback: refused in the lookup, before connect.
    await expect(
      guardedFetch(`https://localhost:${target.port}/json`, { ca: cert, isAllowedAddress: isPublicAddress }),
    ).rejects.toMatchObject({ code: 'FETCH_ADDRESS_REFUSED' });
    await expect(guardedFetch(`https://127.0.0.1:${target.port}/json`, { ca: cert })).rejects.toMatchObject({
      code: 'FETCH_ADDRESS_REFUSED',
    });
    await expect(fetchDidWebDocument(`did:web:localhost%3A${target.port}`, { ca: cert })).rejects.toMatchObject({
      code: 'DID_WEB_ADDRESS_REFUSED',
    });
    expect(target.connections).toBe(before);
  });

  it('fetches when loopback is opted in', async () => {
    const response = await guardedFetch(`https://localhost:${target.port}/json`, loopbackOptIn);
    expect(response.status).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({ ok: true });
  });

  it('never follows redirects: the redirect target is not contacted', async () => {
    const before = elsewhere.requests.length;
    await expect(guardedFetch(`https://localhost:${target.port}/redirect`, loopbackOptIn)).rejects.toMatchObject({
      code: 'FETCH_REDIRECT_REFUSED',
    });
    await expect(
      guardedFetch(`https://localhost:${target.port}/redirect-metadata`, loopbackOptIn),
    ).rejects.toMatchObject({ code: 'FETCH_REDIRECT_REFUSED' });
    expect(elsewhere.requests.length).toBe(before);
  });

  it('caps the size (declared and streamed), bounds the time, refuses non-200', async () => {
    const started = Date.now();
    await expect(guardedFetch(`https://localhost:${target.port}/declared-big`, loopbackOptIn)).rejects.toMatchObject({
      code: 'FETCH_TOO_LARGE',
    });
    await expect(
      guardedFetch(`https://localhost:${target.port}/streamed-big`, { ...loopbackOptIn, maxBytes: 100_000 }),
    ).rejects.toMatchObject({ code: 'FETCH_TOO_LARGE' });
    await expect(
      guardedFetch(`https://localhost:${target.port}/slow`, { ...loopbackOptIn, timeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'FETCH_TIMEOUT' });
    await expect(guardedFetch(`https://localhost:${target.port}/missing`, loopbackOptIn)).rejects.toMatchObject({
      code: 'FETCH_FAILED',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('status lists come through the same fetcher, with its refusals', async () => {
    const source = createHttpsStatusListSource(loopbackOptIn);
    expect(await source.get(`https://localhost:${target.port}/list.jwt`)).toBe(
      'eyJhbGciOiJFZERTQSJ9.eyJpZCI6Imh0dHBzOi8vbGlzdCJ9.c2ln',
    );
    expect(await source.get(`https://localhost:${target.port}/list.json`)).toMatchObject({ id: 'https://list' });
    await expect(source.get(`https://localhost:${target.port}/redirect`)).rejects.toMatchObject({
      code: 'STATUS_LIST_REDIRECT_REFUSED',
    });
    await expect(createHttpsStatusListSource().get(`https://127.0.0.1:${target.port}/list.jwt`)).rejects.toMatchObject({
      code: 'STATUS_LIST_ADDRESS_REFUSED',
    });
    await expect(createHttpsStatusListSource().get('http://registry.example/status/1')).rejects.toMatchObject({
      code: 'STATUS_LIST_URL_REFUSED',
    });
    // In a resolver, a refused fetch is "unavailable" (STATUS_UNAVAILABLE in verify), never "valid".
    const resolver = createStatusResolver(createHttpsStatusListSource());
    const entry = {
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '1',
      statusListCredential: 'https://169.254.169.254/status/1',
    };
    await expect(resolver.check(entry, {})).rejects.toMatchObject({ code: 'STATUS_LIST_ADDRESS_REFUSED' });
  });
});
