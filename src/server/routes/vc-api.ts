import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { issue } from '../../issue.js';
import { creditVocabularyIn, issuerIdOf } from '../../lib/credential.js';
import { VC_API_STATUS_PURPOSES, type VcApiStatusPurpose } from '../vc-api-status.js';
import { VC_JWT_PREFIX } from '../../lib/envelope.js';
import { isPresentation, verify } from '../../verify/verify.js';
import type { VerificationReport } from '../../verify/report.js';
import { hasScope, requireAuth, requireScope } from '../auth.js';
import { jsonBody, MAX_JSON_DEPTH, objectBody, valueDepth } from '../body.js';
import type { ServerContext } from '../context.js';
import { VC_API_PATH } from '../vc-api-identity.js';
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

/** A status entry asked for without a list: `{ type: 'BitstringStatusListEntry', statusPurpose? }`. */
function statusRequest(value: unknown, path: string): VcApiStatusPurpose {
  const entry = value as { type?: unknown; statusPurpose?: unknown } | null;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    throw new HttpProblem('REQUEST_INVALID', 'a requested status entry is an object', { path });
  if (entry.type !== undefined && entry.type !== 'BitstringStatusListEntry')
    throw new HttpProblem('STATUS_PURPOSE_UNSUPPORTED', 'only BitstringStatusListEntry status entries are made', {
      path: `${path}/type`,
    });
  const purpose = entry.statusPurpose ?? 'revocation';
  if (!(VC_API_STATUS_PURPOSES as readonly unknown[]).includes(purpose))
    throw new HttpProblem(
      'STATUS_PURPOSE_UNSUPPORTED',
      `statusPurpose must be one of ${VC_API_STATUS_PURPOSES.join(', ')}`,
      { path: `${path}/statusPurpose` },
    );
  return purpose as VcApiStatusPurpose;
}

/**
 * The status purposes a request asks for: `options.credentialStatus` (an entry or a list of them),
 * or typed entries in the credential that name no list yet. Entries that name a list are kept as given.
 */
function requestedStatus(options: Record<string, unknown>, credential: Record<string, unknown>): VcApiStatusPurpose[] {
  const listed = (value: unknown) => (Array.isArray(value) ? value : [value]);
  if (options.credentialStatus !== undefined && credential.credentialStatus === undefined)
    return [
      ...new Set(
        listed(options.credentialStatus).map((e, i) =>
          statusRequest(
            e,
            Array.isArray(options.credentialStatus) ? `/options/credentialStatus/${i}` : '/options/credentialStatus',
          ),
        ),
      ),
    ];
  if (credential.credentialStatus === undefined) return [];
  const entries = listed(credential.credentialStatus);
  if (entries.every((e) => (e as { statusListCredential?: unknown } | null)?.statusListCredential !== undefined))
    return [];
  return [
    ...new Set(
      entries.map((e, i) =>
        statusRequest(
          e,
          Array.isArray(credential.credentialStatus)
            ? `/credential/credentialStatus/${i}`
            : '/credential/credentialStatus',
        ),
      ),
    ),
  ];
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
      const credential: Record<string, unknown> = structuredClone(raw as Record<string, unknown>);
      // Credit credentials are the ledger's alone (POST /registry/…): the generic issuer refuses
      // this project's contexts and credit terms, and never signs as the registry DID.
      const creditTerm = creditVocabularyIn(credential);
      if (creditTerm !== undefined)
        throw new HttpProblem(
          'CREDIT_CREDENTIAL_REFUSED',
          'credit credentials (untp-credits contexts, credit types and terms) are issued by the ledger only: use the registry API (POST /registry/issuances, /registry/retirements, /registry/allocations)',
          { path: `/credential${creditTerm}` },
        );
      const registry = await context.identity();
      const issuerId = issuerIdOf(credential);
      if (issuerId === registry.did)
        throw new HttpProblem(
          'ISSUER_RESERVED',
          `${registry.did} is the registry's DID: only ledger commands sign as it; leave issuer out and the VC-API issuer (${(await context.vcApi()).did}) signs`,
          { path: '/credential/issuer' },
        );
      const identity = await context.vcApi();
      // The service decides the issuer (VC-API): fill it in when absent; a different one is refused by issue().
      if (credential.issuer === undefined) credential.issuer = { id: identity.did, name: identity.name };
      if (identity.demo)
        credential.description =
          typeof credential.description === 'string' ? `${DEMO_NOTICE} ${credential.description}` : DEMO_NOTICE;
      const purposes = requestedStatus(options, credential);
      if (purposes.length > 0) {
        // Status entries are kept per credential id: one is made when the credential has none.
        if (credential.id === undefined) credential.id = `urn:uuid:${randomUUID()}`;
        if (typeof credential.id !== 'string')
          throw new HttpProblem('REQUEST_INVALID', 'credential.id must be a string', { path: '/credential/id' });
        const entries = [];
        for (const purpose of purposes) entries.push(await context.vcApiStatus.allocate(credential.id, purpose));
        credential.credentialStatus = entries.length === 1 ? entries[0] : entries;
      }
      const signer = await context.vcApiSigner(format === 'jose' ? 'jose' : 'data-integrity');
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
        const request = { credentialId: body.credentialId, statusPurpose: e.statusPurpose, status: e.status };
        // The VC-API issuer's own lists first; a credit credential is the ledger's (which refuses
        // to flip its bits: STATUS_MANAGED_BY_LEDGER).
        const done = (await context.vcApiStatus.update(request)) ?? (await context.statusLists?.update(request));
        if (!done)
          throw new HttpProblem(
            'CREDENTIAL_NOT_FOUND',
            `this server gave ${body.credentialId} no ${e.statusPurpose} status entry`,
            { path: `/credentialStatus/${i}` },
          );
        results.push(done);
      }
      return { status: 200, body: { credentialId: body.credentialId, credentialStatus: results } };
    }),
  );

  // The VC-API issuer's own lists (the URL inside the credentials it issues).
  router.get(
    `${VC_API_PATH}/status/:id`,
    handle(async (req) => {
      const list = await context.vcApiStatus.getList(String(req.params.id));
      if (!list) throw new HttpProblem('STATUS_LIST_NOT_FOUND', `no status list ${String(req.params.id)}`);
      return statusListReply(req, list);
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
      return statusListReply(req, list);
    }),
  );

  return router;
}

/** A status list credential as JSON (enveloped), or as the compact JWT for a verifier that asks for it. */
function statusListReply(req: Request, list: Record<string, unknown>): Reply {
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
}
