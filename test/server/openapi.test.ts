import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_SCHEMAS, DISCLOSURE_RELEASE_SCHEMA } from '../../src/app/schemas.js';
import { createApp } from '../../src/server/app.js';
import { LEDGER_COMMANDS, type LedgerCommand } from '../../src/server/ports.js';
import { ADMIN_KEY, startLedgerServer, type TestServer } from './helpers.js';

type Json = Record<string, any>;

/** Every route Express knows: [METHOD, OpenAPI-style path]; regex routes as their source. */
function expressRoutes(app: ReturnType<typeof createApp>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const method of Object.keys(layer.route.methods)) {
            out.push([
              method.toUpperCase(),
              path instanceof RegExp ? `regex:${path.source}` : String(path).replace(/:([A-Za-z]+)/g, '{$1}'),
            ]);
          }
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as any).router.stack);
  return out;
}

describe('OpenAPI 3.1 document', () => {
  let server: TestServer;
  let doc: Json;
  beforeAll(async () => {
    server = await startLedgerServer();
    const response = await server.get('/openapi.json');
    expect(response.status).toBe(200);
    doc = (await response.json()) as Json;
  });
  afterAll(async () => server?.stop());

  it('is OpenAPI 3.1 and lists every Express route (and nothing else)', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0].url).toBe('https://registry.example.test');
    const documented = new Set(
      Object.entries(doc.paths as Json).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const routes = expressRoutes(createApp(server.context));
    const plain = routes.filter(([, p]) => !p.startsWith('regex:'));
    for (const [method, path] of plain)
      expect(documented, `${method} ${path} is not in the OpenAPI document`).toContain(`${method} ${path}`);
    // Regex routes: the DID document and our artefacts, each documented by its concrete paths.
    expect(routes.filter(([, p]) => p.startsWith('regex:')).map(([, p]) => p)).toEqual([
      'regex:^\\/registry\\/log\\/tile\\/',
      'regex:\\/did\\.json$',
      'regex:^\\/untp-credits\\/',
    ]);
    const concrete = [...documented].filter((op) =>
      / \/(\.well-known\/did\.json|untp-credits\/|registry\/log\/tile\/)/.test(op),
    );
    for (const op of documented) {
      if (concrete.includes(op)) continue;
      const [method, path] = op.split(' ') as [string, string];
      expect(
        plain.some(([m, p]) => m === method && p === path),
        `${op} is documented but not routed`,
      ).toBe(true);
    }
  });

  it("publishes as each request body the application layer's schema, the one the server checks", () => {
    const bodyOf = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema;
    for (const [command, path] of Object.entries(LEDGER_COMMANDS) as [LedgerCommand, string][])
      expect(bodyOf(path), path).toEqual(COMMAND_SCHEMAS[command]);
    expect(bodyOf('/registry/retirements/{id}/disclosures')).toEqual(DISCLOSURE_RELEASE_SCHEMA);
    expect(bodyOf('/registry/transfers').properties.quantity).toMatchObject({ type: 'integer', minimum: 1 });
  });

  it('every documented operation answers with a documented status', async () => {
    const samples: Record<string, string> = { id: 'RCC-NOPE', serial: 'RCC-NOPE-1' };
    const seen: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(ops as Json)) {
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => samples[name] ?? 'x');
        const attempts: Response[] = [];
        if (method === 'get') {
          attempts.push(await server.get(url), await server.get(url, { accept: 'text/html' }));
        } else {
          attempts.push(
            await server.post(url, {}),
            await server.post(url, {}, { key: ADMIN_KEY }),
            await server.post(url, '{', { key: ADMIN_KEY }),
            await fetch(`http://127.0.0.1:${server.port}${url}`, {
              method: 'POST',
              headers: { 'content-type': 'text/plain', authorization: `Bearer ${ADMIN_KEY}` },
              body: 'x',
            }),
          );
        }
        for (const response of attempts) {
          const documented = Object.keys((op as Json).responses);
          expect(documented, `${method.toUpperCase()} ${url} answered ${response.status}`).toContain(
            String(response.status),
          );
          const type = response.headers.get('content-type') ?? '';
          // A problem is problem+json, or a page for a request that prefers text/html (a browser).
          const html = attempts.indexOf(response) === 1 && method === 'get';
          if (response.status >= 400 && !(response.status === 400 && /verify$/.test(path)))
            expect(type, `${method} ${url}`).toContain(html ? 'text/html' : 'application/problem+json');
          seen.push(`${method.toUpperCase()} ${path} ${response.status}`);
        }
      }
    }
    expect(seen.length).toBeGreaterThan(60);
  });
});
