import express, { type NextFunction, type Request, type Response } from 'express';
import { createServerContext, type ServerContext, type ServerContextOptions } from './context.js';
import { openApiDocument } from './openapi.js';
import { UntpCreditsError } from '../errors.js';
import { renderProblemPage } from './pages/problem.js';
import { HttpProblem, problemOf, sendProblem } from './problem.js';
import { artefactRoutes, didRoutes } from './routes/did.js';
import { pageRoutes } from './routes/pages.js';
import { overviewRoutes } from './routes/overview.js';
import { registryRoutes } from './routes/registry.js';
import { logRoutes } from './routes/log.js';
import { resolverRoutes } from './routes/resolver.js';
import { vcApiRoutes } from './routes/vc-api.js';

/**
 * The Express application: VC-API, registry API, did:web, artefacts, status lists, pages, OpenAPI.
 * I/O edge only: every decision is made by the core (issue, verify, the ledger).
 *
 * @example
 *   const app = createApp(createServerContext({ db, identity }));
 *   http.createServer(app).listen(8080, '127.0.0.1'); // or startServer(), which also creates the identity
 */
export function createApp(context: ServerContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    next();
  });

  // Public reads and verification may be called from any origin (a passport platform's page);
  // writes are not, so a browser never sends an API key cross-origin.
  const PUBLIC_POSTS = new Set(['/credentials/verify', '/presentations/verify']);
  app.use((req, res, next) => {
    const isPublic = req.method === 'GET' || req.method === 'HEAD' || PUBLIC_POSTS.has(req.path);
    if (isPublic) res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      if (PUBLIC_POSTS.has(req.path)) {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  });

  app.get('/healthz', async (_req, res) => {
    await context.db.query('SELECT 1');
    res.json({ ok: true });
  });
  app.get('/openapi.json', async (_req, res) => {
    res.json(openApiDocument((await context.identity()).publicUrl));
  });
  app.use(vcApiRoutes(context));
  app.use(logRoutes(context));
  app.use(registryRoutes(context));
  app.use(resolverRoutes(context));
  app.use(didRoutes(context));
  app.use(artefactRoutes());
  app.use(pageRoutes(context));
  app.use(overviewRoutes(context));

  app.use((req: Request) => {
    throw new HttpProblem('NOT_FOUND', `no route ${req.method} ${req.path}`);
  });
  // A browser (Accept prefers text/html) gets the problem as a page; programs get problem+json.
  const answerProblem = async (req: Request, res: Response, error: unknown): Promise<void> => {
    res.setHeader('Vary', 'Accept');
    if (req.accepts(['application/json', 'application/problem+json', 'text/html']) !== 'text/html')
      return sendProblem(res, error);
    const problem = problemOf(error);
    let site = { name: 'untp-credits registry', demo: false };
    try {
      site = await context.identity();
    } catch {
      // The identity is unavailable (the database is down): the page still answers, unbranded.
    }
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="untp-credits"');
    res.status(problem.status).type('text/html; charset=utf-8').send(renderProblemPage(problem, site));
  };
  // Anything thrown becomes problem+json (or its page); errors from Express/body-reading keep their 4xx meaning.
  app.use(async (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status =
      (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
    if (!(error instanceof HttpProblem) && typeof status === 'number' && status >= 400 && status < 500) {
      await answerProblem(
        req,
        res,
        new HttpProblem(status === 413 ? 'BODY_TOO_LARGE' : 'REQUEST_INVALID', (error as Error).message),
      );
      return;
    }
    // A database refusal that reached here (the ledger maps most) is still a conflict, not a crash.
    const sqlState = (error as { code?: unknown })?.code;
    if (
      !(error instanceof HttpProblem) &&
      (sqlState === '23505' || sqlState === '23P01' || sqlState === '40001' || sqlState === '40P01')
    ) {
      await answerProblem(
        req,
        res,
        new HttpProblem('CONFLICT', `the registry refused the change: ${(error as Error).message}`),
      );
      return;
    }
    if (sqlState === 'BODY_TOO_LARGE') res.setHeader('Connection', 'close');
    // Only the server's own failures are logged; the client gets no stack. A declared refusal
    // (a service this server does not run, a closing registry) is one line, once per code.
    const problemStatus = problemOf(error).status;
    if (problemStatus >= 500) logServerFailure(error, problemStatus);
    await answerProblem(req, res, error);
  });
  return app;
}

const loggedRefusals = new Set<string>();

function logServerFailure(error: unknown, status: number): void {
  if (status === 503 && error instanceof UntpCreditsError) {
    if (loggedRefusals.has(error.code)) return;
    loggedRefusals.add(error.code);
    process.stderr.write(`untp-credits server: ${error.code}: ${error.message} (logged once)\n`);
    return;
  }
  process.stderr.write(`untp-credits server: ${(error as Error)?.stack ?? String(error)}\n`);
}

export { createServerContext, type ServerContext, type ServerContextOptions };
