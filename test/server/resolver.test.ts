// The UNTP Identity Resolver over HTTP: one linkset per identifier kind, validated against the
// bundled UNTP linkset schema; linkType redirects and the default redirect; amended retirement
// versions; language negotiation; the resolver description, the DID service and the statement's QR.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseTarget, type Resolution } from '../../src/app/resolver.js';
import { ROOT } from '../helpers.js';
import { ADMIN_KEY, example, runCobaltStory, startLedgerServer, type TestServer } from './helpers.js';

const DCC = 'https://test.uncefact.org/vocabulary/linkTypes/dcc';
const PUBLIC = 'https://registry.example.test';
const ajv = new Ajv({ strict: false, allErrors: true });
const linksetSchema = ajv.compile(
  JSON.parse(readFileSync(join(ROOT, 'schemas/untp/0.7.0/idr/LinksetSchema.json'), 'utf8')) as object,
);
const SITE = 'https://registry.mineral-credits.example/sites/CD-LU-ZEA-1532';
const PREFIX = 'RCC-CD-LU-1532-2026Q1';

type Linkset = { linkset: Array<Record<string, any>> };

describe('the identity resolver (/id/<kind>/<id>)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startLedgerServer();
    await runCobaltStory(server);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  const linkset = async (path: string, headers: Record<string, string> = {}) => {
    const response = await server.get(path, headers);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/linkset\+json/);
    expect(response.headers.get('vary')).toBe('Accept, Accept-Language');
    return (await response.json()) as Linkset;
  };
  const redirect = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${server.port}${path}`, { headers, redirect: 'manual' });
    expect(response.status, path).toBe(307);
    expect(response.headers.get('vary')).toBe('Accept, Accept-Language');
    return response.headers.get('location');
  };

  it('answers a schema-valid linkset for every identifier kind (linkType=all, linkType=linkset, Accept: application/linkset+json)', async () => {
    const kinds: Array<[string, string, string]> = [
      ['retirement', 'RET-2026-0007', `${PUBLIC}/registry/retirements/RET-2026-0007/credential`],
      ['issuance', 'RCC-2026-Q1-0001', `${PUBLIC}/registry/issuances/RCC-2026-Q1-0001/credential`],
      ['serial', `${PREFIX}-3`, `${PUBLIC}/registry/retirements/RET-2026-0007/credential`],
      ['serial', `${PREFIX}-100`, `${PUBLIC}/registry/issuances/RCC-2026-Q1-0001/credential`],
      ['block', `${PREFIX}-1-25`, `${PUBLIC}/registry/retirements/RET-2026-0007/credential`],
      ['site', SITE, `${PUBLIC}/registry/issuances/RCC-2026-Q1-0001/credential`],
      ['account', 'ACC-DE-0042', `${PUBLIC}/registry/retirements/RET-2026-0007/credential`],
    ];
    for (const [kind, id, credential] of kinds) {
      const path = `/id/${kind}/${encodeURIComponent(id)}`;
      const body = await linkset(`${path}?linkType=all`);
      expect(linksetSchema(body), `${kind}: ${JSON.stringify(linksetSchema.errors)}`).toBe(true);
      const [context] = body.linkset;
      expect(context!.anchor).toBe(`${PUBLIC}${path}`);
      expect(
        context![DCC].map((t: { href: string }) => t.href),
        kind,
      ).toContain(credential);
      for (const targets of Object.values(context!).filter(Array.isArray))
        for (const t of targets as Array<Record<string, unknown>>) {
          expect(Object.keys(t).sort()).toEqual(expect.arrayContaining(['href', 'hreflang', 'title', 'type']));
          expect(t.hreflang).toEqual(['en']);
        }
      expect(context!.author[0].href).toBe(`${PUBLIC}/.well-known/did.json`);
      expect(await linkset(`${path}?linkType=linkset`)).toEqual(body);
      expect(await linkset(path, { accept: 'application/linkset+json' })).toEqual(body);
    }
    // The statement page, bundle and record of a retirement are in its linkset.
    const [retirement] = (await linkset('/id/retirement/RET-2026-0007?linkType=all')).linkset;
    expect(retirement!.describedby[0]).toMatchObject({
      href: `${PUBLIC}/registry/retirements/RET-2026-0007`,
      type: 'text/html',
    });
    expect(retirement!.alternate[0].href).toBe(`${PUBLIC}/registry/retirements/RET-2026-0007/bundle`);
  });

  it('negative twins: unknown identifiers are 404, an unknown kind or a malformed serial is 400, and the schema refuses a bad linkset', async () => {
    expect((await server.get('/id/retirement/RET-NOPE?linkType=all')).status).toBe(404);
    expect((await server.get(`/id/serial/${PREFIX}-9999`)).status).toBe(404);
    expect((await server.get(`/id/block/${PREFIX}-30-20`)).status).toBe(404);
    expect((await server.get('/id/site/https%3A%2F%2Fnowhere.example%2Fsite')).status).toBe(404);
    expect((await server.get('/id/account/ACC-NONE')).status).toBe(404);
    expect((await server.get('/id/planet/earth')).status).toBe(400);
    expect((await server.get('/id/serial/no-number-here')).status).toBe(400);
    const body = await linkset('/id/retirement/RET-2026-0007?linkType=all');
    const bad = structuredClone(body);
    bad.linkset[0]!['https://w3id.org/not_a-valid_key'] = [{ href: 'https://x.example', title: 't' }];
    expect(linksetSchema(bad)).toBe(false);
    const untitled = structuredClone(body);
    delete untitled.linkset[0]![DCC][0].title;
    expect(linksetSchema(untitled)).toBe(false);
  });

  it('redirects (307) to the requested link type, an IRI or its untp: short form, else to the default: the page for a browser, the credential for application/vc+jwt', async () => {
    const base = `${PUBLIC}/registry/retirements/RET-2026-0007`;
    expect(await redirect('/id/retirement/RET-2026-0007?linkType=untp:dcc')).toBe(`${base}/credential`);
    expect(await redirect(`/id/retirement/RET-2026-0007?linkType=${encodeURIComponent(DCC)}`)).toBe(
      `${base}/credential`,
    );
    expect(await redirect('/id/retirement/RET-2026-0007?linkType=alternate')).toBe(`${base}/bundle`);
    expect(await redirect('/id/retirement/RET-2026-0007?linkType=untp:dpp', { accept: 'text/html' })).toBe(base);
    expect(await redirect('/id/retirement/RET-2026-0007', { accept: 'text/html,*/*;q=0.8' })).toBe(base);
    expect(await redirect('/id/retirement/RET-2026-0007', { accept: 'application/vc+jwt' })).toBe(`${base}/credential`);
    // …and the credential link answers the compact JWS to a client asking for application/vc+jwt.
    const jws = await server.get('/registry/retirements/RET-2026-0007/credential', { accept: 'application/vc+jwt' });
    expect(jws.headers.get('content-type')).toMatch(/^application\/vc\+jwt/);
    expect(await jws.text()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const json = await server.get('/registry/retirements/RET-2026-0007/credential');
    expect(((await json.json()) as { type: string }).type).toBe('EnvelopedVerifiableCredential');
    expect(await redirect(`/id/serial/${PREFIX}-100`, { accept: 'text/html' })).toBe(
      `${PUBLIC}/registry/serials/${PREFIX}-100`,
    );
    expect(await redirect('/id/issuance/RCC-2026-Q1-0001', { accept: 'application/vc+jwt' })).toBe(
      `${PUBLIC}/registry/issuances/RCC-2026-Q1-0001/credential`,
    );
  });

  it('an amended retirement lists both versions, the older marked predecessor-version; defaults point at the current one', async () => {
    const response = await server.post('/registry/retirement-amendments', await example('retirement-amendment'), {
      key: ADMIN_KEY,
    });
    expect(response.status, await response.clone().text()).toBe(201);
    for (const id of ['RET-2026-0007', 'RET-2026-0007-A1']) {
      const body = await linkset(`/id/retirement/${id}?linkType=all`);
      expect(linksetSchema(body)).toBe(true);
      const dcc = body.linkset[0]![DCC] as Array<{ href: string; rel?: string[] }>;
      expect(dcc.map((t) => [t.href.split('/').at(-2), t.rel ?? []])).toEqual([
        ['RET-2026-0007-A1', []],
        ['RET-2026-0007', ['predecessor-version']],
      ]);
      expect(await redirect(`/id/retirement/${id}`, { accept: 'text/html' })).toBe(
        `${PUBLIC}/registry/retirements/RET-2026-0007-A1`,
      );
      expect(await redirect(`/id/retirement/${id}?linkType=untp:dcc`)).toBe(
        `${PUBLIC}/registry/retirements/RET-2026-0007-A1/credential`,
      );
    }
  });

  it('language: ?lang= and Accept-Language pick a target in that language when there is one (pages are English today: en either way)', async () => {
    const base = `${PUBLIC}/registry/retirements/RET-2026-0007-A1`;
    expect(await redirect('/id/retirement/RET-2026-0007-A1?lang=fr', { accept: 'text/html' })).toBe(base);
    expect(
      await redirect('/id/retirement/RET-2026-0007-A1', { accept: 'text/html', 'accept-language': 'sw, en;q=0.5' }),
    ).toBe(base);
    // With translated targets the same choice picks the language asked for, ?lang= first, then Accept-Language order.
    const page = (lang: string) => ({
      href: `https://x.example/${lang}`,
      title: lang,
      type: 'text/html',
      hreflang: [lang],
    });
    const resolution: Resolution = {
      anchor: 'https://x.example/id/retirement/R',
      links: { describedby: [page('en'), page('fr'), page('sw')] },
      defaults: { html: 'https://x.example/en' },
    };
    const choose = (languages: string[]) =>
      chooseTarget(resolution, { linkType: 'describedby', wantsCredential: false, languages });
    expect(choose(['fr'])).toBe('https://x.example/fr');
    expect(choose(['sw', 'fr'])).toBe('https://x.example/sw');
    expect(choose(['fr-CD'])).toBe('https://x.example/fr');
    expect(choose(['de'])).toBe('https://x.example/en');
    expect(choose([])).toBe('https://x.example/en');
  });

  it('describes itself at /.well-known/resolver; the DID document names it as a service; the statement QR encodes the resolver URL', async () => {
    const description = (await (await server.get('/.well-known/resolver')).json()) as Record<string, any>;
    expect(description.resolverRoot).toBe(`${PUBLIC}/id/`);
    expect(description.supportedPrimaryKeys.map((k: { kind: string }) => k.kind)).toEqual([
      'retirement',
      'issuance',
      'serial',
      'block',
      'site',
      'account',
    ]);
    expect(description.supportedLinkType[0].linkTypes).toContain(DCC);
    const did = (await (await server.get('/.well-known/did.json')).json()) as { id: string; service: unknown[] };
    expect(did.service).toEqual([
      {
        id: `${did.id}#untp-idr`,
        type: 'https://test.uncefact.org/vocabulary/linkTypes/idr',
        serviceEndpoint: `${PUBLIC}/id/`,
      },
    ]);
    const html = await (await server.get('/registry/retirements/RET-2026-0007-A1', { accept: 'text/html' })).text();
    const qr = (url: string) => QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    expect(html).toContain(await qr(`${PUBLIC}/id/retirement/RET-2026-0007-A1`));
    expect(html).not.toContain(await qr(`${PUBLIC}/registry/retirements/RET-2026-0007-A1`));
  });
});
