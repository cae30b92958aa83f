import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { InvalidInputError } from '../errors.js';
import type { Queryable } from '../registry/db.js';
import type { FailedAuthLimiter } from './failed-auth-limit.js';
import { HttpProblem } from './problem.js';

/**
 * Scopes an API key may carry: `issuer` (issue credentials and credits), `admin` (registry
 * administration: status, suspensions, cancellations, corrections…), `holder:<accountId>` (transfer
 * and retire from that one account). `*` (the bootstrap admin key only) holds every scope.
 */
export type Scope = 'issuer' | 'admin' | `holder:${string}` | '*';

export function isScope(value: string): value is Scope {
  return value === 'issuer' || value === 'admin' || value === '*' || /^holder:[^\s]+$/.test(value);
}

/** Who made a request. */
export interface Principal {
  /** The key's id (never the key). */
  keyId: string;
  scopes: Scope[];
}

/** Whether `principal` holds `scope` (`*` holds all). */
export function hasScope(principal: Principal | undefined, scope: Scope): boolean {
  return principal !== undefined && (principal.scopes.includes('*') || principal.scopes.includes(scope));
}

/** SHA-256 of the key: keys are 256 random bits, so a fast hash is enough (no password stretching needed). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface CreatedApiKey {
  id: string;
  /** Shown once; only its hash is stored. */
  key: string;
  scopes: Scope[];
}

/**
 * Creates an API key; the key itself is returned once and only its hash stored.
 *
 * @example
 *   const { key } = await createApiKey(db, ['holder:acct-buyer-1'], 'Buyer 1');
 */
export async function createApiKey(db: Queryable, scopes: string[], label?: string): Promise<CreatedApiKey> {
  if (scopes.length === 0)
    throw new InvalidInputError('SCOPE_INVALID', 'give at least one scope (issuer, admin, holder:<accountId>)');
  for (const scope of scopes) {
    if (!isScope(scope) || scope === '*')
      throw new InvalidInputError('SCOPE_INVALID', `${scope} is not a scope (issuer, admin, holder:<accountId>)`);
  }
  const id = `key_${randomBytes(6).toString('hex')}`;
  const key = `uck_${randomBytes(32).toString('base64url')}`;
  await db.query('INSERT INTO server_api_keys (id, hash, scopes, label) VALUES ($1, $2, $3, $4)', [
    id,
    hashApiKey(key),
    JSON.stringify(scopes),
    label ?? null,
  ]);
  return { id, key, scopes: scopes as Scope[] };
}

/** Revokes a key by id; false when there is no such key. */
export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query(
    'UPDATE server_api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
    [id],
  );
  return rows.length > 0;
}

export async function listApiKeys(
  db: Queryable,
): Promise<Array<{ id: string; scopes: Scope[]; label: string | null; createdAt: string; revoked: boolean }>> {
  const { rows } = await db.query<{
    id: string;
    scopes: Scope[] | string;
    label: string | null;
    created_at: Date | string;
    revoked_at: unknown;
  }>('SELECT id, scopes, label, created_at, revoked_at FROM server_api_keys ORDER BY created_at');
  return rows.map((r) => ({
    id: r.id,
    scopes: typeof r.scopes === 'string' ? JSON.parse(r.scopes) : r.scopes,
    label: r.label,
    createdAt: new Date(r.created_at).toISOString(),
    revoked: r.revoked_at !== null,
  }));
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hashApiKey(a), 'hex');
  const y = Buffer.from(hashApiKey(b), 'hex');
  return timingSafeEqual(x, y);
}

/** Finds who a bearer key belongs to (the bootstrap admin key first). */
export async function authenticate(
  db: Queryable,
  key: string,
  adminKey: string | undefined,
): Promise<Principal | undefined> {
  if (adminKey && sameSecret(key, adminKey)) return { keyId: 'bootstrap-admin', scopes: ['*'] };
  const { rows } = await db.query<{ id: string; scopes: Scope[] | string }>(
    'SELECT id, scopes FROM server_api_keys WHERE hash = $1 AND revoked_at IS NULL',
    [hashApiKey(key)],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { keyId: row.id, scopes: typeof row.scopes === 'string' ? (JSON.parse(row.scopes) as Scope[]) : row.scopes };
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/**
 * Reads `Authorization: Bearer <key>`; 401 UNAUTHENTICATED when absent or unknown. With a limiter,
 * a client address over its failed attempts gets 429 TOO_MANY_FAILED_ATTEMPTS (with Retry-After)
 * before any key is looked up; a missing header is not counted (nothing was guessed).
 */
export function requireAuth(db: Queryable, adminKey: string | undefined, limiter?: FailedAuthLimiter) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    if (header === undefined)
      throw new HttpProblem('UNAUTHENTICATED', 'this write needs Authorization: Bearer <API key>');
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = limiter?.retryAfterSeconds(client) ?? 0;
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new HttpProblem(
        'TOO_MANY_FAILED_ATTEMPTS',
        `too many failed authentications from this client; retry in ${wait} s`,
        { details: { retryAfterSeconds: wait } },
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? await authenticate(db, match[1] as string, adminKey) : undefined;
    if (!principal) {
      limiter?.recordFailure(client);
      throw new HttpProblem(
        'UNAUTHENTICATED',
        match ? 'the API key is not known or has been revoked' : 'this write needs Authorization: Bearer <API key>',
      );
    }
    req.principal = principal;
    next();
  };
}

/**
 * Authorizes by a rule over the principal and the request (body parsed); 403 FORBIDDEN names what
 * was needed.
 */
export function requireScope(rule: (principal: Principal, req: Request) => boolean, needed: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.principal || !rule(req.principal, req))
      throw new HttpProblem('FORBIDDEN', `this request needs the scope ${needed}`, { details: { needed } });
    next();
  };
}
