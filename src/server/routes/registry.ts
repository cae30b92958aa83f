import type { ErrorCode } from '../../errors/catalogue.js';
import { credentialInclusion } from '../../registry/log/store.js';
import { Router, type Request, type Response } from 'express';
import { hasScope, requireAuth, requireScope, type Principal } from '../auth.js';
import { jsonBody, objectBody } from '../body.js';
import type { ServerContext } from '../context.js';
import type { LedgerCommand, LedgerPort } from '../ports.js';
import { LEDGER_COMMANDS } from '../ports.js';
import { HttpProblem } from '../problem.js';
import { handle, idempotentWrite, type Reply } from '../reply.js';
import { credentialPayload, renderStatementPage } from '../pages/statement.js';
import { bundleRetirement, databaseBundleSource } from '../../bundle/source.js';
import { identityDidDocument, identitySigner } from '../identity.js';
import type { Queryable } from '../../registry/db.js';
import { checkBody } from '../../app/check-body.js';
import { resolverUrl } from '../../app/resolver.js';
import { ISSUANCE_COLUMNS, issuanceRow, RETIREMENT_COLUMNS, retirementRow } from '../../app/export.js';
import { csvLine } from '../../lib/csv.js';
import { DISCLOSURE_RELEASE_SCHEMA } from '../../app/schemas.js';
import { compactJwsOf } from '../../bundle/build.js';
import { releaseDisclosure } from '../../disclosure/release.js';
import { checkWithheld, describeWithheld, withheldFields } from '../../disclosure/withheld.js';

/** The account a transfer or retirement debits: `from` (transfers) or `account` (retirements). */
export function debitedAccount(command: LedgerCommand, body: Record<string, unknown>): string | undefined {
  const value = command === 'transfer' ? body.from : command === 'retire' ? body.account : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Who may run each ledger command: issuance needs `issuer`; transfer and retirement need
 * `holder:<the debited account>` (or `admin`); every correction of the record needs `admin`.
 */
export const COMMAND_SCOPES: Record<
  LedgerCommand,
  { needed: string; allows: (p: Principal, body: Record<string, unknown>) => boolean }
> = {
  openAccount: { needed: 'admin', allows: (p) => hasScope(p, 'admin') },
  issue: { needed: 'issuer', allows: (p) => hasScope(p, 'issuer') },
  transfer: {
    needed: 'holder:<from> or admin',
    allows: (p, b) => hasScope(p, 'admin') || hasHolder(p, debitedAccount('transfer', b)),
  },
  retire: {
    needed: 'holder:<account> or admin',
    allows: (p, b) => hasScope(p, 'admin') || hasHolder(p, debitedAccount('retire', b)),
  },
  amend: { needed: 'admin', allows: (p) => hasScope(p, 'admin') },
  suspend: { needed: 'admin', allows: (p) => hasScope(p, 'admin') },
  unsuspend: { needed: 'admin', allows: (p) => hasScope(p, 'admin') },
  cancel: { needed: 'admin', allows: (p) => hasScope(p, 'admin') },
  invalidate: { needed: 'admin', allows: (p) => hasScope(p, 'admin') },
  correct: { needed: 'admin', allows: (p) => hasScope(p, 'admin') },
  allocate: { needed: 'issuer or admin', allows: (p) => hasScope(p, 'issuer') || hasScope(p, 'admin') },
};

function hasHolder(principal: Principal, account: string | undefined): boolean {
  return account !== undefined && hasScope(principal, `holder:${account}`);
}

const MAX_PAGE = 500;

function pageOf(req: Request): { cursor?: string; limit: number } {
  const limitText = req.query.limit;
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw new HttpProblem('REQUEST_INVALID', `limit must be an integer from 1 to ${MAX_PAGE}`, { path: 'limit' });
  const cursor = req.query.cursor;
  if (cursor !== undefined && typeof cursor !== 'string')
    throw new HttpProblem('REQUEST_INVALID', 'cursor must be a string', { path: 'cursor' });
  return cursor === undefined ? { limit } : { cursor, limit };
}

/**
 * A signed credential as published: the EnvelopedVerifiableCredential (JSON), or its compact JWS
 * (`application/vc+jwt`) for a client that asks for that (what the identity resolver's credential
 * links name).
 */
function credentialReply(req: Request, credential: { id: string }): Reply {
  const headers = { 'Access-Control-Allow-Origin': '*', Vary: 'Accept' };
  if (req.accepts(['application/json', 'application/vc+jwt']) === 'application/vc+jwt')
    return { status: 200, contentType: 'application/vc+jwt', body: compactJwsOf({ ...credential }), headers };
  return { status: 200, body: credential, headers };
}

/** The server's SQL handle as the ledger's `Queryable` (reads only: bundle building). */
function readerOf(db: ServerContext['db']): Queryable {
  return {
    query: async <T>(sql: string, params?: readonly unknown[]) => {
      const { rows } = await db.query<T>(sql, params);
      return { rows, rowCount: rows.length };
    },
    exec: async () => {
      throw new HttpProblem('INTERNAL_ERROR', 'bundle reads never write');
    },
  };
}

function ledgerOf(context: ServerContext): LedgerPort {
  if (!context.ledger)
    throw new HttpProblem('LEDGER_UNAVAILABLE', 'the registry ledger is not available on this server');
  return context.ledger;
}

function found<T>(value: T | undefined, code: ErrorCode, what: string): T {
  if (value === undefined) throw new HttpProblem(code, `no ${what}`);
  return value;
}

/** The stored disclosure releases of a retirement (compact JWS), oldest first; none without a ledger. */
export async function disclosureReleases(context: ServerContext, retirementId: string): Promise<string[]> {
  return (await context.ledger?.disclosureReleases(retirementId)) ?? [];
}

/**
 * A retirement record with its withheld fields: `disclosures` (the stored releases) and `withheld`
 * (each field's state at the server's clock, as `checkWithheld` reports it, with `describeWithheld`'s
 * line as `text`). Records without withheld fields or releases are returned as they are.
 */
export async function withDisclosures(
  context: ServerContext,
  record: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const credential = credentialPayload(record.credential);
  const releases = await disclosureReleases(context, String(record.retirementId));
  if (!credential || (releases.length === 0 && withheldFields(credential).length === 0)) return record;
  const { resolver } = await context.verifyOptions();
  if (!resolver) return { ...record, disclosures: releases };
  const check = await checkWithheld(credential, {
    releases,
    now: context.clock(),
    resolver,
    credentialJws: compactJwsOf(record.credential as Record<string, unknown>),
  });
  return {
    ...record,
    disclosures: releases,
    withheld: check.fields.map((field) => ({ ...field, text: describeWithheld(field) })),
  };
}

/**
 * The registry API: one write route per ledger command (201 with the emitted credential; 409 on a
 * conflict with the ledger's state) and public reads. The retirement record, asked for as HTML, is
 * the public retirement statement.
 */
export function registryRoutes(context: ServerContext): Router {
  const router = Router();
  const auth = requireAuth(context.db, context.adminKey, context.failedAuth);

  for (const [command, path] of Object.entries(LEDGER_COMMANDS) as [LedgerCommand, string][]) {
    const rule = COMMAND_SCOPES[command];
    router.post(
      path,
      auth,
      jsonBody(),
      requireScope((p, req) => rule.allows(p, objectBody(req)), rule.needed),
      idempotentWrite(context.db, context.idempotency, async (req) => {
        const body = objectBody(req);
        const key = req.get('idempotency-key');
        const result = await ledgerOf(context).run(command, body, {
          principal: req.principal as Principal,
          ...(key ? { idempotencyKey: key } : {}),
        });
        return { status: 201, body: result };
      }),
    );
  }

  router.get(
    '/registry/issuances/:id',
    handle(async (req) => ({
      status: 200,
      body: found(
        await ledgerOf(context).getIssuance(String(req.params.id)),
        'ISSUANCE_NOT_FOUND',
        `issuance ${String(req.params.id)}`,
      ),
    })),
  );

  // Public search (docs/integration.md): filters in the query string, newest first, cursor-paged;
  // format=csv / format=ndjson (or Accept: text/csv / application/x-ndjson) streams every page.
  const search =
    <R>(
      run: (
        params: Record<string, unknown>,
        page: { cursor?: string; limit: number },
      ) => Promise<{ items: R[]; next?: string }>,
      columns: readonly string[],
      row: (record: R) => Record<string, unknown>,
      name: string,
    ) =>
    async (req: Request, res: Response): Promise<void> => {
      const params = req.query as Record<string, unknown>;
      const accepted = req.accepts(['application/json', 'text/csv', 'application/x-ndjson']);
      const format =
        typeof params.format === 'string'
          ? params.format
          : accepted === 'text/csv'
            ? 'csv'
            : accepted === 'application/x-ndjson'
              ? 'ndjson'
              : 'json';
      if (format !== 'json' && format !== 'csv' && format !== 'ndjson')
        throw new HttpProblem('REQUEST_INVALID', 'format is json, csv or ndjson', { path: 'format' });
      const page = pageOf(req);
      const first = await run(params, { ...page, limit: format === 'json' ? page.limit : MAX_PAGE });
      if (format === 'json') {
        res.status(200).json(first);
        return;
      }
      res.status(200);
      res.setHeader('Vary', 'Accept');
      if (format === 'csv') {
        res.type('text/csv; charset=utf-8; header=present');
        res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
        res.write(csvLine(columns));
      } else res.type('application/x-ndjson');
      // Streamed page by page: the whole result set is never held in memory.
      let chunk = first;
      for (;;) {
        for (const record of chunk.items) {
          const values = row(record);
          res.write(format === 'csv' ? csvLine(columns.map((c) => values[c])) : `${JSON.stringify(values)}\n`);
        }
        if (chunk.next === undefined) break;
        chunk = await run(params, { cursor: chunk.next, limit: MAX_PAGE });
      }
      res.end();
    };
  router.get(
    '/registry/search/retirements',
    search(
      (params, page) => ledgerOf(context).searchRetirements(params, page),
      RETIREMENT_COLUMNS,
      retirementRow,
      'retirements',
    ),
  );
  router.get(
    '/registry/search/issuances',
    search(
      (params, page) => ledgerOf(context).searchIssuances(params, page),
      ISSUANCE_COLUMNS,
      issuanceRow,
      'issuances',
    ),
  );

  router.get(
    '/registry/retirements',
    handle(async (req) => ({ status: 200, body: await ledgerOf(context).listRetirements(pageOf(req)) })),
  );

  router.get(
    '/registry/retirements/:id',
    handle(async (req) => {
      const id = String(req.params.id);
      const record = await withDisclosures(
        context,
        found(await ledgerOf(context).getRetirement(id), 'RETIREMENT_NOT_FOUND', `retirement ${id}`),
      );
      if (req.accepts(['application/json', 'text/html']) === 'text/html') {
        const identity = await context.identity();
        const ledger = ledgerOf(context);
        const premiumOf = async (issuanceId: string) => {
          const issuance = await ledger.getIssuance(issuanceId);
          const subject = credentialPayload(issuance?.credential)?.credentialSubject as
            | { creditIssuance?: { benefitSharing?: { premiumPerCredit?: { amount: number; currency: string } } } }
            | undefined;
          return subject?.creditIssuance?.benefitSharing?.premiumPerCredit;
        };
        const url = `${identity.publicUrl}/registry/retirements/${encodeURIComponent(id)}`;
        return {
          status: 200,
          contentType: 'text/html; charset=utf-8',
          body: await renderStatementPage(record, {
            identity,
            url,
            resolverUrl: resolverUrl(identity.publicUrl, 'retirement', id),
            premiumOf,
          }),
          headers: { Vary: 'Accept' },
        };
      }
      return { status: 200, body: record, headers: { Vary: 'Accept' } };
    }),
  );

  // The signed credential alone, as published (what the statement's "verify" button checks).
  router.get(
    '/registry/retirements/:id/credential',
    handle(async (req) => {
      const record = found(
        await ledgerOf(context).getRetirement(String(req.params.id)),
        'RETIREMENT_NOT_FOUND',
        `retirement ${String(req.params.id)}`,
      );
      return credentialReply(req, record.credential);
    }),
  );

  // Release a withheld field (docs/privacy.md): the retiring account's holder or admin hands over the
  // disclosure it kept; the registry checks it against the commitment and the date, signs the release
  // and stores it (one per commitment; asking again answers the stored release).
  router.post(
    '/registry/retirements/:id/disclosures',
    auth,
    jsonBody(),
    handle(async (req) => {
      const id = String(req.params.id);
      const principal = req.principal as Principal;
      // Admin learns 404/503; anyone else who is not the holder of an existing retirement's account gets 403 first.
      const forbidden = () =>
        new HttpProblem('FORBIDDEN', 'this request needs the scope holder:<the retiring account> or admin', {
          details: { needed: 'holder:<account> or admin' },
        });
      const admin = hasScope(principal, 'admin');
      if (!admin && !principal.scopes.some((s) => s.startsWith('holder:'))) throw forbidden();
      const record = admin
        ? found(await ledgerOf(context).getRetirement(id), 'RETIREMENT_NOT_FOUND', `retirement ${id}`)
        : await context.ledger?.getRetirement(id);
      if (!record || (!admin && !hasHolder(principal, typeof record.account === 'string' ? record.account : undefined)))
        throw forbidden();
      const body = checkBody<{ disclosure: string; commitment?: string; early?: boolean }>(
        DISCLOSURE_RELEASE_SCHEMA,
        objectBody(req),
      );
      const credentialJws = compactJwsOf({ ...record.credential });
      const now = context.clock();
      const release = await releaseDisclosure(
        {
          credentialJws,
          disclosure: body.disclosure,
          now,
          ...(typeof body.commitment === 'string' ? { commitment: body.commitment } : {}),
          ...(body.early === true ? { early: true } : {}),
        },
        await context.signer('jose'),
      );
      const commitment =
        typeof body.commitment === 'string'
          ? body.commitment
          : '/credentialSubject/creditRetirement/withheldBeneficiary';
      const stored = await ledgerOf(context).storeDisclosureRelease({
        retirementId: id,
        commitment,
        release,
        releasedAt: now.toISOString(),
      });
      return {
        status: 201,
        body: {
          retirementId: id,
          commitment,
          release: stored.release,
          releasedAt: stored.releasedAt,
        },
      };
    }),
  );

  // The offline verification bundle (docs/bundles.md), built from the ledger and signed by the registry.
  router.get(
    '/registry/retirements/:id/bundle',
    handle(async (req) => {
      const id = String(req.params.id);
      // Each credit credential's log proof: logged now if this process sequences the log.
      await ledgerOf(context).logNow?.();
      const identity = await context.identity();
      const bundle = await bundleRetirement(
        { ...databaseBundleSource(readerOf(context.db)), log: (id) => credentialInclusion(readerOf(context.db), id) },
        id,
        await identitySigner(identity, 'jose'),
        [(await identityDidDocument(identity)) as unknown as Record<string, unknown>],
        { bundledAt: context.clock().toISOString(), disclosures: await disclosureReleases(context, id) },
      );
      return { status: 200, body: bundle, headers: { 'Access-Control-Allow-Origin': '*' } };
    }),
  );

  router.get(
    '/registry/issuances/:id/credential',
    handle(async (req) => {
      const record = found(
        await ledgerOf(context).getIssuance(String(req.params.id)),
        'ISSUANCE_NOT_FOUND',
        `issuance ${String(req.params.id)}`,
      );
      return credentialReply(req, record.credential);
    }),
  );

  // Credential ids are URLs under the registry: they resolve to the credential as published.
  router.get(
    '/registry/credentials/:id',
    handle(async (req) => {
      const identity = await context.identity();
      const id = `${identity.publicUrl}/registry/credentials/${encodeURIComponent(String(req.params.id))}`;
      const credential = found(await ledgerOf(context).getCredential(id), 'CREDENTIAL_NOT_FOUND', `credential ${id}`);
      return { status: 200, body: credential, headers: { 'Access-Control-Allow-Origin': '*' } };
    }),
  );

  router.get(
    '/registry/serials/:serial',
    handle(async (req) => ({
      status: 200,
      body: found(
        await ledgerOf(context).lookupSerial(String(req.params.serial)),
        'SERIAL_NOT_FOUND',
        `serial ${String(req.params.serial)}`,
      ),
    })),
  );

  router.get(
    '/registry/accounts/:id/holdings',
    handle(async (req) => ({
      status: 200,
      body: found(
        await ledgerOf(context).holdings(String(req.params.id)),
        'ACCOUNT_NOT_FOUND',
        `account ${String(req.params.id)}`,
      ),
    })),
  );

  router.get('/registry/events', async (req, res) => {
    const ledger = ledgerOf(context);
    const page = pageOf(req);
    if (
      req.accepts(['application/json', 'application/x-ndjson']) === 'application/x-ndjson' ||
      req.query.format === 'ndjson'
    ) {
      // The export streams every event from the cursor on, one JSON object per line.
      res.status(200).type('application/x-ndjson');
      let cursor = page.cursor;
      do {
        const chunk = await ledger.events({ ...(cursor ? { cursor } : {}), limit: MAX_PAGE });
        for (const event of chunk.items) res.write(`${JSON.stringify(event)}\n`);
        cursor = chunk.next;
      } while (cursor);
      res.end();
      return;
    }
    res.status(200).json(await ledger.events(page));
  });

  router.get(
    '/registry/invariants',
    handle(async () => {
      const report = await ledgerOf(context).invariants();
      return { status: 200, body: report };
    }),
  );

  return router;
}
