import type { ErrorCode } from '../../errors/catalogue.js';
import express, { Router, type Request } from 'express';
import type { VerificationReport } from '../../verify/report.js';
import { credentialVerdict } from '../../verify/verdict.js';
import { jsonBody, jsonDepth, MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../body.js';
import type { ServerContext } from '../context.js';
import { esc, layout } from '../pages/html.js';
import { verdictHtml } from '../pages/verdict.js';
import { renderVerifierPage, STATEMENT_SCRIPT, VERIFIER_SCRIPT } from '../pages/verifier.js';
import { HttpProblem } from '../problem.js';
import { handle } from '../reply.js';
import { verifyHere } from './vc-api.js';

/** A report for input that could not even be read as a credential (so it goes through the same renderer). */
function unreadable(code: ErrorCode, message: string): VerificationReport {
  return {
    verified: false,
    kind: 'credential',
    format: null,
    issuer: null,
    credential: null,
    steps: [{ name: 'decode', ok: false, code, message }],
    warnings: [],
  };
}

/**
 * What the verifier page's text holds: JSON (a credential, an enveloped credential, a presentation,
 * or a registry record `{ …, credential }`, whose credential is verified), or a compact JWS.
 */
export function readVerifierInput(text: string): { input: unknown } | { report: VerificationReport } {
  const t = text.trim();
  if (!/^[[{"]/.test(t)) return { input: t };
  if (jsonDepth(t, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return { report: unreadable('JSON_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused`) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch (error) {
    return { report: unreadable('JSON_MALFORMED', `the input is not JSON: ${(error as Error).message}`) };
  }
  const record = parsed as { credential?: unknown; '@context'?: unknown } | null;
  if (record && typeof record === 'object' && record.credential !== undefined && record['@context'] === undefined)
    return { input: record.credential };
  return { input: parsed };
}

/** The text a POST /verify carries: `input` of a JSON body (the page's script) or of a plain form post. */
function inputOf(req: Request): string {
  const input = (req.body as { input?: unknown } | undefined)?.input;
  if (typeof input !== 'string')
    throw new HttpProblem('REQUEST_INVALID', 'input (the credential as text) is required', { path: '/input' });
  return input;
}

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
