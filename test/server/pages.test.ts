import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, ROOT } from '../helpers.js';
import { startTestServer, type TestServer } from './helpers.js';

// The committed example retirement: signed by the example registry, whose DID this server does not
// hold, so it does not verify here — its claims must appear only as unverified content.
const example = readJson(join(ROOT, 'examples/cobalt/retirement.signed.json')) as { id: string };
const payload = JSON.parse(Buffer.from(example.id.split('.')[1]!, 'base64url').toString('utf8'));
const retirement = payload.credentialSubject.creditRetirement;
const FACTS = [
  retirement.beneficiary.name,
  retirement.retirementId,
  retirement.retiredUnits[0].serialBlock.prefix,
  'may claim',
];

/** The HTML before and inside the "unverified content" box. */
function split(html: string): { outside: string; inside: string } {
  const start = html.indexOf('<section class="unverified"');
  expect(start, 'the unverified box is there').toBeGreaterThan(0);
  const end = html.indexOf('</section>', html.lastIndexOf('</details>'));
  return { outside: html.slice(0, start) + html.slice(end), inside: html.slice(start, end) };
}

describe('pages without a browser: POST /verify, the problem page', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demo: true });
  });
  afterAll(async () => server?.stop());

  it('POST /verify (JSON, the page script) answers the verdict fragment; claims only inside the unverified box', async () => {
    const response = await server.post(
      '/verify',
      { input: JSON.stringify(example) },
      { headers: { accept: 'text/html' } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('data-outcome="failed"');
    expect(html).toContain('data-step="key"');
    const { outside, inside } = split(html);
    for (const fact of FACTS) {
      expect(inside, `${fact} in the box (positive control)`).toContain(fact);
      expect(outside, `${fact} outside the box`).not.toContain(fact);
    }
  });

  it('a plain form post (no script) answers the whole page, the text kept and the verdict under it', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ input: example.id.slice('data:application/vc+jwt,'.length) }).toString(),
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Verify a credential</h1>');
    expect(html).toContain('<label for="input">');
    expect(html).toContain('data-outcome="failed"');
  });

  it('unreadable input goes through the same renderer; a missing input is a problem', async () => {
    const html = await (await server.post('/verify', { input: '{"@context": [' })).text();
    expect(html).toContain('data-step="decode"');
    expect(html).toContain('JSON_MALFORMED');
    const missing = await server.post('/verify', {});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: string }).code).toBe('REQUEST_INVALID');
  });

  it('a browser gets a 404 page; a program gets problem+json', async () => {
    const page = await server.get('/registry/nothing-here', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('vary')).toContain('Accept');
    const html = await page.text();
    expect(html).toContain('data-problem="NOT_FOUND"');
    expect(html).toContain('DEMO');
    for (const accept of ['application/json', '*/*']) {
      const api = await server.get('/registry/nothing-here', { accept });
      expect(api.headers.get('content-type'), accept).toMatch(/^application\/problem\+json/);
    }
  });
});
