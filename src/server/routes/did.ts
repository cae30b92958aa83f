import { Router } from 'express';
import { ArtefactRegistry } from '../../artefacts/registry.js';
import type { ServerContext } from '../context.js';
import { didDocumentPath } from '../identity.js';
import { handle } from '../reply.js';

/** Where our own artefacts are published (served here at the same paths). */
export const OWN_ARTEFACT_PREFIX = 'https://w3id.org/untp-credits/';

/**
 * did:web: the registry's DID document at /.well-known/did.json and at the path its DID names
 * (did:web:host:a:b → /a/b/did.json), every key listed (rotation); the generic VC-API issuer's
 * (did:web:host:vc-api) at /vc-api/did.json.
 */
export function didRoutes(context: ServerContext): Router {
  const router = Router();
  router.get(
    /\/did\.json$/,
    handle(async (req) => {
      const identity = await context.identity();
      const vcApi = await context.vcApi();
      const generic = req.path === didDocumentPath(vcApi.did);
      if (!generic && req.path !== '/.well-known/did.json' && req.path !== didDocumentPath(identity.did)) {
        return {
          status: 404,
          body: {
            type: 'urn:untp-credits:problem:NOT_FOUND',
            title: 'Not Found',
            status: 404,
            code: 'NOT_FOUND',
            detail: `no DID document at ${req.path}`,
          },
          contentType: 'application/problem+json',
        };
      }
      return {
        status: 200,
        body: generic ? await context.vcApiDidDocument() : await context.didDocument(),
        contentType: 'application/did+json',
        headers: { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' },
      };
    }),
  );
  return router;
}

/**
 * Our JSON-LD context, scheme and schemas at their published paths (https://w3id.org/untp-credits/…
 * → /untp-credits/…), from the bundled copies verifiers also use offline.
 */
export function artefactRoutes(registry: ArtefactRegistry = ArtefactRegistry.bundled()): Router {
  const router = Router();
  const byPath = new Map<string, string>();
  for (const url of registry.urls()) {
    if (url.startsWith(OWN_ARTEFACT_PREFIX)) byPath.set(new URL(url).pathname, url);
  }
  router.get(
    /^\/untp-credits\//,
    handle(async (req) => {
      const url = byPath.get(req.path);
      if (!url)
        return {
          status: 404,
          body: {
            type: 'urn:untp-credits:problem:ARTEFACT_UNKNOWN',
            title: 'Not Found',
            status: 404,
            code: 'ARTEFACT_UNKNOWN',
            detail: `no artefact at ${req.path}`,
          },
          contentType: 'application/problem+json',
        };
      const kind = registry.kindOf(url);
      // The bundled file byte for byte: its published sha256 (and any digest naming it) holds.
      return {
        status: 200,
        body: registry.text(url) ?? registry.get(url),
        contentType: kind === 'schema' ? 'application/schema+json' : 'application/ld+json',
        headers: { 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' },
      };
    }),
  );
  return router;
}

/** The published paths of our artefacts (for the OpenAPI document and tests). */
export function ownArtefactPaths(registry: ArtefactRegistry = ArtefactRegistry.bundled()): string[] {
  return registry
    .urls()
    .filter((url) => url.startsWith(OWN_ARTEFACT_PREFIX))
    .map((url) => new URL(url).pathname);
}
