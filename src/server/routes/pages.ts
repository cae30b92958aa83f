import express, { Router, type Request } from 'express';
import { credentialVerdict } from '../../verify/verdict.js';
import { jsonBody, MAX_BODY_BYTES } from '../body.js';
import type { ServerContext } from '../context.js';
import { esc, layout } from '../pages/html.js';
import { verdictHtml } from '../pages/verdict.js';
import { renderVerifierPage, STATEMENT_SCRIPT, VERIFIER_SCRIPT } from '../pages/verifier.js';
import { readVerifierInput } from '../pages/verifier-input.js';
import { HttpProblem } from '../problem.js';
import { handle } from '../reply.js';
import { offlineVerifierFile } from '../offline/files.js';
import { verifyHere } from './vc-api.js';

/** The text a POST /verify carries: `input` of a JSON body (the page's script) or of a plain form post. */
function inputOf(req: Request): string {
  const input = (req.body as { input?: unknown } | undefined)?.input;
  if (typeof input !== 'string')
    throw new HttpProblem('REQUEST_INVALID', 'input (the credential as text) is required', { path: '/input' });
  return input;
}

/**
 * The offline verifier's pages fetch only their own files (the service worker caches them). ajv compiles the bundled schemas
 * with `new Function` in the browser, hence 'unsafe-eval' on these pages only: the code evaluated
 * is generated from the schemas the folder ships, never from the input verified.
 */
const OFFLINE_VERIFIER_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-eval'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

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
  // The verdict, rendered on the server by the one verdict renderer: an HTML fragment for the page's
  // script (JSON body), or the whole page for a plain form post (no script).
  const formBody = express.urlencoded({ extended: false, limit: MAX_BODY_BYTES, parameterLimit: 4 });
  const verdictOfText = async (text: string): Promise<string> => {
    const read = readVerifierInput(text);
    const report = 'report' in read ? read.report : await verifyHere(context, read.input);
    return verdictHtml(credentialVerdict(report));
  };
  router.post(
    '/verify',
    (req, res, next) =>
      req.is('application/x-www-form-urlencoded') ? formBody(req, res, next) : jsonBody()(req, res, next),
    handle(async (req) => {
      const text = inputOf(req);
      const resultHtml =
        text.trim() === ''
          ? '<p class="muted">Nothing to verify: choose a file or paste a credential.</p>'
          : await verdictOfText(text);
      return {
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: req.is('application/x-www-form-urlencoded')
          ? renderVerifierPage(await context.identity(), undefined, { input: text, resultHtml })
          : resultHtml,
        headers: { 'Cache-Control': 'no-store' },
      };
    }),
  );
  // The offline verifier (src/server/offline): the static folder `npm run build` writes, as it is.
  router.get(
    ['/offline', '/offline/:file'],
    handle(async (req) => {
      // Relative links (app.js, sw.js) need the folder's trailing slash.
      if (req.params.file === undefined && !req.originalUrl.split('?')[0]!.endsWith('/'))
        return { status: 301, contentType: 'text/plain', body: '', headers: { Location: '/offline/' } };
      const found = offlineVerifierFile(typeof req.params.file === 'string' ? req.params.file : 'index.html');
      if (!found) throw new HttpProblem('NOT_FOUND', 'no such file of the offline verifier');
      return {
        status: 200,
        contentType: found.contentType,
        body: found.body,
        headers: { 'Cache-Control': 'no-cache', 'Content-Security-Policy': OFFLINE_VERIFIER_CSP },
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
