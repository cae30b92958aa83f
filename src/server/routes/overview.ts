import { Router, type Request } from 'express';
import { allocationJws, allocationsForRetirement, readOverview } from '../../impact/ledger.js';
import type { ServerContext } from '../context.js';
import { renderOverviewPage, renderRetirementPremiumPage, siteSlug } from '../pages/overview.js';
import { HttpProblem } from '../problem.js';
import { handle } from '../reply.js';

const wantsHtml = (req: Request): boolean => req.accepts(['application/json', 'text/html']) === 'text/html';

/**
 * Public overview pages (HTML, or JSON with Accept: application/json): GET /overview (the whole
 * registry), /overview/sites/:id (a production site, by the last segment of its id or the full id),
 * /overview/retirements/:id (where one retirement's premium went) and the signed allocation
 * reports at /overview/allocations/:reportId/credential.
 */
export function overviewRoutes(context: ServerContext): Router {
  const router = Router();
  // The overview reads the ledger's tables; a server without the ledger has none.
  const ledger = (): void => {
    if (!context.ledger)
      throw new HttpProblem('LEDGER_UNAVAILABLE', 'the registry ledger is not available on this server');
  };
  const page = (body: string) => ({
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body,
    headers: { Vary: 'Accept' },
  });

  router.get(
    '/overview',
    handle(async (req) => {
      ledger();
      const overview = await readOverview(context.db);
      return wantsHtml(req)
        ? page(renderOverviewPage(overview, await context.identity()))
        : { status: 200, body: overview, headers: { Vary: 'Accept' } };
    }),
  );
  router.get(
    '/overview/sites/:id',
    handle(async (req) => {
      ledger();
      const id = String(req.params.id);
      const all = await readOverview(context.db);
      const site = all.sites.find((s) => s.id === id) ?? all.sites.find((s) => siteSlug(s.id) === id);
      if (site === undefined) throw new HttpProblem('SITE_NOT_FOUND', `no production site ${id}`);
      const overview = await readOverview(context.db, site.id);
      return wantsHtml(req)
        ? page(renderOverviewPage(overview, await context.identity()))
        : { status: 200, body: overview, headers: { Vary: 'Accept' } };
    }),
  );
  router.get(
    '/overview/retirements/:id',
    handle(async (req) => {
      ledger();
      const id = String(req.params.id);
      const allocations = await allocationsForRetirement(context.db, id);
      return wantsHtml(req)
        ? page(renderRetirementPremiumPage(id, allocations, await context.identity()))
        : { status: 200, body: { retirementId: id, allocations }, headers: { Vary: 'Accept' } };
    }),
  );
  router.get(
    '/overview/allocations/:reportId/credential',
    handle(async (req) => {
      ledger();
      const jws = await allocationJws(context.db, String(req.params.reportId));
      if (jws === undefined)
        throw new HttpProblem('ALLOCATION_NOT_FOUND', `no allocation report ${String(req.params.reportId)}`);
      return {
        status: 200,
        body: {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: 'EnvelopedVerifiableCredential',
          id: `data:application/vc+jwt,${jws}`,
        },
      };
    }),
  );
  // The record URL the ledger writes into each allocation credential (credentialSubject.id).
  router.get(
    '/registry/allocations/:id',
    handle(async (req) => {
      ledger();
      const { rows } = await context.db.query<{ id: string; credential_id: string; digest: string; jws: string }>(
        'SELECT id, credential_id, digest, jws FROM impact_allocations WHERE id = $1',
        [String(req.params.id)],
      );
      const row = rows[0];
      if (row === undefined)
        throw new HttpProblem('ALLOCATION_NOT_FOUND', `no allocation report ${String(req.params.id)}`);
      return {
        status: 200,
        body: {
          reportId: row.id,
          credentialId: row.credential_id,
          digestMultibase: row.digest,
          credential: {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: 'EnvelopedVerifiableCredential',
            id: `data:application/vc+jwt,${row.jws}`,
          },
        },
      };
    }),
  );
  return router;
}

/** The overview routes' OpenAPI path items (merged into the server's document). */
export function overviewOpenApiPaths(): Record<string, Record<string, unknown>> {
  const html = {
    description: 'HTML (or JSON with Accept: application/json)',
    content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } } },
  };
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  const param = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  const get = (operationId: string, summary: string, parameters: unknown[], extra: Record<string, unknown> = {}) => ({
    get: {
      operationId,
      tags: ['pages'],
      summary,
      parameters,
      responses: { 200: html, ...extra, 503: problem('No ledger on this server') },
    },
  });
  return {
    '/overview': get(
      'overview',
      'Registry overview: credits issued, held and retired over time; premium received and allocated by impact area (inline SVG charts)',
      [],
    ),
    '/overview/sites/{id}': get(
      'siteOverview',
      'The overview of one production site (by the last segment of its id)',
      [param('id')],
      { 404: problem('No such site') },
    ),
    '/overview/retirements/{id}': get(
      'retirementPremium',
      'Where the premium of one retirement went (the allocation reports citing it)',
      [param('id')],
    ),
    '/overview/allocations/{reportId}/credential': {
      get: {
        operationId: 'allocationCredential',
        tags: ['pages'],
        summary: 'A signed PremiumAllocationCredential (enveloped)',
        parameters: [param('reportId')],
        responses: {
          200: {
            description: 'EnvelopedVerifiableCredential',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          404: problem('No such report'),
          503: problem('No ledger on this server'),
        },
      },
    },
  };
}
