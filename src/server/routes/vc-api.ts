import { Router, type Request } from 'express';
import { issue } from '../../issue.js';
import { VC_JWT_PREFIX } from '../../lib/envelope.js';
import { isPresentation, verify } from '../../verify/verify.js';
import type { VerificationReport } from '../../verify/report.js';
import { hasScope, requireAuth, requireScope } from '../auth.js';
import { jsonBody, MAX_JSON_DEPTH, objectBody, valueDepth } from '../body.js';
import type { ServerContext } from '../context.js';
import { HttpProblem } from '../problem.js';
import { handle, idempotentWrite, type Reply } from '../reply.js';

/** The demo notice every credential made in demo mode carries. */
export const DEMO_NOTICE = 'DEMO: issued by a demo registry on localhost for trying the software; it attests nothing.';

const ISSUE_FORMATS = ['jose', 'eddsa-rdfc-2022', 'ecdsa-rdfc-2019'] as const;

function optionsOf(body: Record<string, unknown>): Record<string, unknown> {
  const options = body.options;
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options))
    throw new HttpProblem('REQUEST_INVALID', 'options must be an object', { path: '/options' });
  return options as Record<string, unknown>;
}

/**
 * A verification outcome is a report body: 200 when verified, 400 otherwise (VC-API). A decoded
 * credential nested deeper than the request limit (it came inside a JWS, past the body check) is
 * not echoed back: the report says INPUT_TOO_DEEP instead.
 */
export function verificationReply(report: VerificationReport): Reply {
  if (valueDepth(report, MAX_JSON_DEPTH + 8) > MAX_JSON_DEPTH + 8) {
    const { credential: _dropped, credentials: _inner, ...rest } = report;
    const refused: VerificationReport = {
      ...rest,
      verified: false,
      credential: null,
      steps: [
        ...report.steps
          .filter((s) => s.name !== 'validation')
          .map((s) => ({
            name: s.name,
            ok: s.ok,
            ...(s.code ? { code: s.code } : {}),
            ...(s.message ? { message: s.message } : {}),
          })),
        {
          name: 'validation',
          ok: false,
          code: 'INPUT_TOO_DEEP',
          message: `the decoded credential is nested deeper than ${MAX_JSON_DEPTH} levels`,
        },
      ],
      warnings: [],
    };
    return { status: 400, body: refused };
  }
  return { status: report.verified ? 200 : 400, body: report };
}

/** Verifies with this registry's own DID document and status lists (no network). */
export async function verifyHere(
  context: ServerContext,
  input: unknown,
  extra: { challenge?: string; domain?: string; disclosures?: readonly unknown[] } = {},
): Promise<VerificationReport> {
  return verify(input, { ...(await context.verifyOptions()), ...extra });
}

/**
 * W3C VC-API (VCALM): issue, verify credentials and presentations, update status, serve status lists.
 * Unknown options are ignored, as VC-API asks.
 */
export function vcApiRoutes(context: ServerContext): Router {
  const router = Router();
  const auth = requireAuth(context.db, context.adminKey, context.failedAuth);

  router.post(
    '/credentials/issue',
    auth,
    jsonBody(),
    requireScope((p) => hasScope(p, 'issuer'), 'issuer'),
    idempotentWrite(context.db, context.idempotency, async (req: Request) => {
      const body = objectBody(req);
      const options = optionsOf(body);
      const raw = body.credential;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new HttpProblem('REQUEST_INVALID', 'credential must be a JSON object', { path: '/credential' });
      const format = options.format ?? 'jose';
      if (!ISSUE_FORMATS.includes(format as never))
        throw new HttpProblem('FORMAT_UNSUPPORTED', `options.format must be one of ${ISSUE_FORMATS.join(', ')}`, {
          path: '/options/format',
        });
      const identity = await context.identity();
      const credential: Record<string, unknown> = structuredClone(raw as Record<string, unknown>);
      // The service decides the issuer (VC-API): fill it in when absent; a different one is refused by issue().
      if (credential.issuer === undefined) credential.issuer = { id: identity.did, name: identity.name };
      if (identity.demo)
        credential.description =
          typeof credential.description === 'string' ? `${DEMO_NOTICE} ${credential.description}` : DEMO_NOTICE;
      if (options.credentialStatus !== undefined && credential.credentialStatus === undefined) {
        if (!context.statusLists?.allocate)
          throw new HttpProblem('STATUS_LISTS_UNAVAILABLE', 'this server cannot allocate credential status entries');
        const purpose =
          (options.credentialStatus as { statusPurpose?: unknown } | null)?.statusPurpose === 'suspension'
            ? 'suspension'
            : 'revocation';
        if (typeof credential.id !== 'string')
          throw new HttpProblem('REQUEST_INVALID', 'a credential that gets a status entry needs an id', {
            path: '/credential/id',
          });
        credential.credentialStatus = await context.statusLists.allocate(credential.id, purpose);
      }
      const signer = await context.signer(format === 'jose' ? 'jose' : 'data-integrity');
      const verifiableCredential = await issue(credential, {
        format: format as (typeof ISSUE_FORMATS)[number],
        signer,
        clock: context.clock,
      });
      return { status: 201, body: { verifiableCredential } };
    }),
  );

  router.post(
    '/credentials/verify',
    jsonBody(),
    handle(async (req) => {
      const body = objectBody(req);
      const options = optionsOf(body);
      if (body.verifiableCredential === undefined)
        throw new HttpProblem('REQUEST_INVALID', 'verifiableCredential is required', { path: '/verifiableCredential' });
      // options.disclosures: signed disclosure releases of the credential's withheld fields (docs/privacy.md).
      const disclosures = options.disclosures;
      if (disclosures !== undefined && (!Array.isArray(disclosures) || disclosures.length > 64))
        throw new HttpProblem(
          'REQUEST_INVALID',
          'options.disclosures must be a list of at most 64 disclosure releases',
          { path: '/options/disclosures' },
        );
      return verificationReply(
        await verifyHere(context, body.verifiableCredential, disclosures ? { disclosures } : {}),
      );
    }),
  );

  router.post(
    '/presentations/verify',
    jsonBody(),
    handle(async (req) => {
      const body = objectBody(req);
      const options = optionsOf(body);
      if (body.verifiablePresentation === undefined)
        throw new HttpProblem('REQUEST_INVALID', 'verifiablePresentation is required', {
          path: '/verifiablePresentation',
        });
      const binding: { challenge?: string; domain?: string } = {};
      for (const name of ['challenge', 'domain'] as const) {
        const value = options[name];
        if (value === undefined) continue;
        if (typeof value !== 'string')
          throw new HttpProblem('REQUEST_INVALID', `options.${name} must be a string`, { path: `/options/${name}` });
        binding[name] = value;
      }
      // A credential posted here would verify without any challenge step: refuse it, so a verifier
      // that meant to check a holder's binding never gets a 200 for a replayable credential.
      if (!isPresentation(body.verifiablePresentation))
        throw new HttpProblem(
          'NOT_A_PRESENTATION',
          'verifiablePresentation is not a presentation (a credential goes to POST /credentials/verify)',
          { path: '/verifiablePresentation' },
        );
      return verificationReply(await verifyHere(context, body.verifiablePresentation, binding));
    }),
  );

  router.post(
    '/credentials/status',
    auth,
    jsonBody(),
    requireScope((p) => hasScope(p, 'issuer') || hasScope(p, 'admin'), 'issuer or admin'),
    idempotentWrite(context.db, context.idempotency, async (req) => {
      const body = objectBody(req);
      if (typeof body.credentialId !== 'string')
        throw new HttpProblem('REQUEST_INVALID', 'credentialId is required', { path: '/credentialId' });
      const entries = Array.isArray(body.credentialStatus) ? body.credentialStatus : [];
      if (entries.length === 0)
        throw new HttpProblem(
          'REQUEST_INVALID',
          'credentialStatus must list at least one { type, statusPurpose, status }',
          { path: '/credentialStatus' },
        );
      if (!context.statusLists)
        throw new HttpProblem('STATUS_LISTS_UNAVAILABLE', 'status lists are not available on this server yet');
      const results: Record<string, unknown>[] = [];
      for (const [i, entry] of entries.entries()) {
        const e = entry as { statusPurpose?: unknown; status?: unknown } | null;
        if (typeof e?.statusPurpose !== 'string' || typeof e.status !== 'boolean') {
          throw new HttpProblem(
            'REQUEST_INVALID',
            'each credentialStatus entry needs statusPurpose (string) and status (boolean)',
            { path: `/credentialStatus/${i}` },
          );
        }
        results.push(
          await context.statusLists.update({
            credentialId: body.credentialId,
            statusPurpose: e.statusPurpose,
            status: e.status,
          }),
        );
      }
      return { status: 200, body: { credentialId: body.credentialId, credentialStatus: results } };
    }),
  );

  // /registry/status/:id is where the ledger publishes its lists (the URL inside signed credentials).
  router.get(
    ['/status-lists/:id', '/registry/status/:id'],
    handle(async (req) => {
      if (!context.statusLists)
        throw new HttpProblem('STATUS_LISTS_UNAVAILABLE', 'status lists are not available on this server yet');
      const list = await context.statusLists.getList(String(req.params.id));
      if (!list) throw new HttpProblem('STATUS_LIST_NOT_FOUND', `no status list ${String(req.params.id)}`);
      const headers = { 'Cache-Control': 'public, max-age=60' };
      // A verifier asking for the JWT gets the compact form of the enveloped credential.
      if (
        req.accepts(['application/json', 'application/vc+jwt']) === 'application/vc+jwt' &&
        typeof list.id === 'string' &&
        list.id.startsWith(VC_JWT_PREFIX)
      ) {
        return { status: 200, body: list.id.slice(VC_JWT_PREFIX.length), contentType: 'application/vc+jwt', headers };
      }
      return { status: 200, body: list, headers };
    }),
  );

  return router;
}
