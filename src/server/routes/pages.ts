import { Router } from 'express';
import type { ServerContext } from '../context.js';
import { esc, layout } from '../pages/html.js';
import { renderVerifierPage, STATEMENT_SCRIPT, VERIFIER_SCRIPT } from '../pages/verifier.js';
import { handle } from '../reply.js';

/** The web verifier, its script, and a home page pointing at both. */
export function pageRoutes(context: ServerContext): Router {
  const router = Router();
  router.get(
    '/verify',
    handle(async (req) => {
      const url = typeof req.query.url === 'string' ? req.query.url : undefined;
      return {
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: renderVerifierPage(await context.identity(), url),
      };
    }),
  );
  router.get(
    '/assets/statement.js',
    handle(async () => ({
      status: 200,
      contentType: 'text/javascript; charset=utf-8',
      body: STATEMENT_SCRIPT,
      headers: { 'Cache-Control': 'public, max-age=300' },
    })),
  );
  router.get(
    '/assets/verifier.js',
    handle(async () => ({
      status: 200,
      contentType: 'text/javascript; charset=utf-8',
      body: VERIFIER_SCRIPT,
      headers: { 'Cache-Control': 'public, max-age=300' },
    })),
  );
  router.get(
    '/',
    handle(async (req) => {
      const identity = await context.identity();
      if (req.accepts(['text/html', 'application/json']) === 'application/json') {
        return {
          status: 200,
          body: {
            name: identity.name,
            did: identity.did,
            publicUrl: identity.publicUrl,
            demo: identity.demo,
            openapi: `${identity.publicUrl}/openapi.json`,
          },
        };
      }
      const body = `<h1>${esc(identity.name)}</h1>
<p>A registry of responsibly-produced mineral credits (book and claim). Every issuance, transfer and retirement is published as a signed UNTP credential.</p>
<dl><dt>Issuer DID</dt><dd><code>${esc(identity.did)}</code> (<a href="/.well-known/did.json">DID document</a>)</dd>
<dt>API</dt><dd><a href="/openapi.json">OpenAPI 3.1 document</a></dd></dl>
<p><a class="button" href="/verify">Verify a credential</a></p>`;
      return {
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: layout({ title: identity.name, body, demo: identity.demo, registryName: identity.name }),
      };
    }),
  );
  return router;
}
