import { Router, type Request } from 'express';
import { chooseTarget, linksetOf, resolveIdentifier, resolverDescription } from '../../app/resolver.js';
import type { ServerContext } from '../context.js';
import { HttpProblem } from '../problem.js';
import { handle } from '../reply.js';

/** The languages a request prefers: `?lang=` first, then Accept-Language in its order. */
function languagesOf(req: Request): string[] {
  const lang = typeof req.query.lang === 'string' ? [req.query.lang] : [];
  return [...lang, ...req.acceptsLanguages().filter((l) => l !== '*')];
}

/**
 * The UNTP Identity Resolver (docs/integration.md): `GET /id/<kind>/<id>` answers the RFC 9264
 * linkset for `?linkType=all`, `?linkType=linkset` or `Accept: application/linkset+json`, and
 * otherwise redirects (307) to the requested link type's current target, or to the default (the
 * statement page for a browser, the credential for `Accept: application/vc+jwt`).
 * `/.well-known/resolver` describes it.
 */
export function resolverRoutes(context: ServerContext): Router {
  const router = Router();
  router.get(
    '/.well-known/resolver',
    handle(async () => {
      const identity = await context.identity();
      return {
        status: 200,
        body: resolverDescription(identity.publicUrl, identity.name),
        headers: { 'Cache-Control': 'public, max-age=300' },
      };
    }),
  );
  router.get(
    '/id/:kind/:id',
    handle(async (req) => {
      const ledger = context.ledger;
      if (!ledger) throw new HttpProblem('NOT_FOUND', 'this server runs no registry ledger');
      const identity = await context.identity();
      const linkType = typeof req.query.linkType === 'string' ? req.query.linkType : undefined;
      const resolution = await resolveIdentifier(
        ledger,
        identity.publicUrl,
        String(req.params.kind),
        String(req.params.id),
      );
      const vary = { Vary: 'Accept, Accept-Language' };
      if (!resolution)
        throw new HttpProblem('NOT_FOUND', `this registry has no ${String(req.params.kind)} ${String(req.params.id)}`);
      const accepted = req.accepts(['text/html', 'application/vc+jwt', 'application/linkset+json', 'application/json']);
      if (
        linkType === 'all' ||
        linkType === 'linkset' ||
        (linkType === undefined && accepted === 'application/linkset+json')
      )
        return {
          status: 200,
          contentType: 'application/linkset+json',
          body: linksetOf(resolution),
          headers: { ...vary, Link: `<${resolution.anchor}>; rel="self"` },
        };
      const target = chooseTarget(resolution, {
        ...(linkType !== undefined ? { linkType } : {}),
        wantsCredential: accepted === 'application/vc+jwt',
        languages: languagesOf(req),
      });
      return {
        status: 307,
        body: '',
        headers: {
          ...vary,
          Location: target,
          Link: `<${resolution.anchor}?linkType=all>; rel="linkset"; type="application/linkset+json"`,
        },
      };
    }),
  );
  return router;
}
