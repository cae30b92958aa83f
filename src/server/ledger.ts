import { randomUUID } from 'node:crypto';
import { jwsPayload } from '../lib/digest.js';
import { sumQuantities } from '../credits/serial-block.js';
import { UntpCreditsError } from '../errors.js';
import type { Database } from '../registry/db.js';
import { creditBuilders } from '../registry/credit-builders.js';
import { Registry } from '../registry/registry.js';
import { joseSecurer } from '../registry/signing.js';
import type { BlockSelector } from '../registry/blocks.js';
import type { RangeSelector, SecureCredential } from '../registry/types.js';
import { envelopeContext, VC_JWT_PREFIX } from '../lib/envelope.js';
import type { Principal } from './auth.js';
import type { RegistryIdentity } from './identity.js';
import { ensureLogKey, identityLogKey, identitySigner, loadIdentity } from './identity.js';
import type { LedgerCommand, LedgerPort, Page, StatusListsPort } from './ports.js';
import { HttpProblem } from './problem.js';
import type { LogInclusion } from '../registry/log/store.js';
import type { Tile } from '../log/index.js';
import { DEMO_NOTICE } from './routes/vc-api.js';

type Obj = Record<string, unknown>;

/** Where the ledger's records live under the public URL: /registry/issuances/…, /registry/status/…, … */
export function ledgerBaseUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/registry`;
}

function envelope(jws: string): Obj {
  return {
    '@context': envelopeContext(jwsPayload(jws)),
    type: 'EnvelopedVerifiableCredential',
    id: `${VC_JWT_PREFIX}${jws}`,
  };
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function iso(value: unknown): string {
  return new Date(value as string).toISOString();
}

function str(body: Obj, name: string, required = true): string | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new HttpProblem('REQUEST_INVALID', `${name} must be a non-empty string`, { path: `/${name}` });
  return value;
}

function optionalCount(body: Obj, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new HttpProblem('REQUEST_INVALID', `${name} must be a positive integer`, { path: `/${name}` });
  return value;
}

/** The HTTP body minus the members the route reads itself: what the credential builder gets. */
function detailsOf(body: Obj, taken: readonly string[]): Obj {
  if (body.details !== undefined) {
    if (body.details === null || typeof body.details !== 'object' || Array.isArray(body.details))
      throw new HttpProblem('REQUEST_INVALID', 'details must be an object', { path: '/details' });
    return body.details as Obj;
  }
  return Object.fromEntries(Object.entries(body).filter(([k]) => !taken.includes(k)));
}

function rangeOf(value: unknown, path: string): RangeSelector {
  const r = value as Partial<RangeSelector> | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    typeof r.prefix !== 'string' ||
    typeof r.start !== 'number' ||
    typeof r.end !== 'number'
  ) {
    throw new HttpProblem('REQUEST_INVALID', 'a serial range is { prefix, start, end }', { path });
  }
  return { prefix: r.prefix, start: r.start, end: r.end };
}

/** Units selected by a body: `ranges` / `serialBlock`, or `quantity` (optionally within `issuanceId(s)`). */
function selection(body: Obj): { quantity?: number; ranges?: RangeSelector[]; issuanceIds?: string[] } {
  const out: { quantity?: number; ranges?: RangeSelector[]; issuanceIds?: string[] } = {};
  const quantity = optionalCount(body, 'quantity');
  if (quantity !== undefined) out.quantity = quantity;
  if (body.serialBlock !== undefined) out.ranges = [rangeOf(body.serialBlock, '/serialBlock')];
  if (body.ranges !== undefined) {
    if (!Array.isArray(body.ranges))
      throw new HttpProblem('REQUEST_INVALID', 'ranges must be a list of { prefix, start, end }', { path: '/ranges' });
    out.ranges = body.ranges.map((r, i) => rangeOf(r, `/ranges/${i}`));
  }
  const ids = body.issuanceIds ?? (body.issuanceId === undefined ? undefined : [body.issuanceId]);
  if (ids !== undefined) {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
      throw new HttpProblem('REQUEST_INVALID', 'issuanceIds must be a list of strings', { path: '/issuanceIds' });
    out.issuanceIds = ids as string[];
  }
  return out;
}

const SELECTION_KEYS = ['quantity', 'serialBlock', 'ranges', 'issuanceId', 'issuanceIds'] as const;

/**
 * Serves the registry API from the ledger (src/registry): maps each HTTP body onto its command and
 * reads the records for the public routes.
 */
export class LedgerAdapter implements LedgerPort {
  /** `beforeCommand` runs outside the command's transaction (PGlite has one connection: nothing may query from inside). */
  constructor(
    readonly registry: Registry,
    private readonly baseUrl: string,
    private readonly beforeCommand: () => Promise<void> = async () => undefined,
  ) {}

  private get db(): Database {
    return this.registry.db;
  }

  /**
   * Retirement blocks listed as [{ issuanceId, quantity } | { serialBlock }], checked for shape and
   * passed on as they are: the ledger picks the serials inside its transaction. (Picking them here,
   * from a read outside it, made concurrent retirements from one account all ask for the same
   * lowest serials, and all but one were refused.)
   */
  private blocksOf(blocks: unknown): BlockSelector[] {
    if (!Array.isArray(blocks) || blocks.length === 0)
      throw new HttpProblem('REQUEST_INVALID', 'blocks must be a non-empty list', { path: '/blocks' });
    return blocks.map((raw: unknown, i): BlockSelector => {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new HttpProblem('REQUEST_INVALID', 'each block is { issuanceId, quantity } or { serialBlock }', {
          path: `/blocks/${i}`,
        });
      const block = raw as Obj;
      if (block.serialBlock !== undefined)
        return { serialBlock: rangeOf(block.serialBlock, `/blocks/${i}/serialBlock`) };
      if (block.quantity === undefined)
        throw new HttpProblem('REQUEST_INVALID', 'a block needs quantity or serialBlock', { path: `/blocks/${i}` });
      if (typeof block.issuanceId !== 'string' || block.issuanceId === '')
        throw new HttpProblem('REQUEST_INVALID', 'issuanceId must be a non-empty string', {
          path: `/blocks/${i}/issuanceId`,
        });
      if (typeof block.quantity !== 'number' || !Number.isSafeInteger(block.quantity) || block.quantity < 1)
        throw new HttpProblem('REQUEST_INVALID', 'quantity must be a positive integer', {
          path: `/blocks/${i}/quantity`,
        });
      return { issuanceId: block.issuanceId, quantity: block.quantity };
    });
  }

  async run(
    command: LedgerCommand,
    body: Obj,
    context: { principal: Principal; idempotencyKey?: string },
  ): Promise<Obj> {
    // The ledger wants a key for every command; scoped by API key so two clients never share one.
    const key = context.idempotencyKey
      ? `${context.principal.keyId}:${context.idempotencyKey}`
      : `auto:${randomUUID()}`;
    await this.beforeCommand();
    const r = this.registry;
    switch (command) {
      case 'openAccount':
        return {
          ...(await r.openAccount({
            key,
            accountId: str(body, 'accountId') as string,
            holder: body.holder as { id: string; name: string },
          })),
        };
      case 'issue': {
        const issuanceId = str(body, 'issuanceId') as string;
        const quantity = optionalCount(body, 'quantity');
        const start = body.start === undefined ? 1 : (body.start as number);
        const end =
          body.end !== undefined ? (body.end as number) : quantity !== undefined ? start + quantity - 1 : undefined;
        if (end === undefined)
          throw new HttpProblem('REQUEST_INVALID', 'give quantity (or start and end)', { path: '/quantity' });
        if (quantity !== undefined && body.end !== undefined && end - start + 1 !== quantity)
          throw new HttpProblem('REQUEST_INVALID', 'quantity does not match start..end', { path: '/quantity' });
        const result = await r.issue({
          key,
          issuanceId,
          prefix: str(body, 'prefix', false) ?? issuanceId,
          start,
          end,
          holder: str(body, 'holder') as string,
          details: detailsOf(body, ['issuanceId', 'quantity', 'prefix', 'start', 'end', 'holder']),
        });
        return { ...result, recordUrl: `${this.baseUrl}/issuances/${encodeURIComponent(result.issuanceId)}` };
      }
      case 'transfer':
        return {
          ...(await r.transfer({
            key,
            from: str(body, 'from') as string,
            to: str(body, 'to') as string,
            ...selection(body),
          })),
        };
      case 'retire': {
        const account = str(body, 'account') as string;
        const taken = ['account', 'retirementId', 'blocks', ...SELECTION_KEYS];
        const select = body.blocks !== undefined ? { blocks: this.blocksOf(body.blocks) } : selection(body);
        const result = await r.retire({
          key,
          account,
          ...(body.retirementId !== undefined ? { retirementId: str(body, 'retirementId') as string } : {}),
          ...select,
          details: detailsOf(body, taken),
        });
        return { ...result, recordUrl: `${this.baseUrl}/retirements/${encodeURIComponent(result.retirementId)}` };
      }
      case 'amend':
        return {
          ...(await r.amendRetirement({
            key,
            retirementId: str(body, 'retirementId') as string,
            ...(body.newRetirementId !== undefined ? { newRetirementId: str(body, 'newRetirementId') as string } : {}),
            reason: body.reason as string,
            details: detailsOf(body, ['retirementId', 'newRetirementId', 'reason']),
          })),
        };
      case 'suspend':
      case 'unsuspend': {
        const input = {
          key,
          account: str(body, 'account') as string,
          reason: body.reason as string,
          ...selection(body),
        };
        return { ...(command === 'suspend' ? await r.suspend(input) : await r.unsuspend(input)) };
      }
      case 'cancel': {
        const { issuanceIds: _ids, ...rest } = selection(body);
        return {
          ...(await r.cancel({
            key,
            issuanceId: str(body, 'issuanceId') as string,
            reason: body.reason as string,
            ...rest,
          })),
        };
      }
      case 'invalidate':
        return {
          ...(await r.invalidateRetirement({
            key,
            retirementId: str(body, 'retirementId') as string,
            reason: body.reason as string,
          })),
        };
      case 'correct':
        return {
          ...(await r.correct({
            key,
            issuanceId: str(body, 'issuanceId') as string,
            ...(body.newIssuanceId !== undefined ? { newIssuanceId: str(body, 'newIssuanceId') as string } : {}),
            reason: body.reason as string,
            details: detailsOf(body, ['issuanceId', 'newIssuanceId', 'reason']),
          })),
        };
      default:
        throw new HttpProblem('NOT_FOUND', `no command ${String(command)}`);
    }
  }

  async getIssuance(issuanceId: string): Promise<Obj | undefined> {
    const { rows } = await this.db.query<Obj>(
      `SELECT i.id, i.prefix, i.serial_start, i.serial_end, i.initial_holder, i.credential_id, i.replaces, c.jws, c.digest, c.revoked_event, e.at,
              (SELECT x.id FROM issuances x WHERE x.replaces = i.id) AS replaced_by
         FROM issuances i JOIN credentials c ON c.id = i.credential_id JOIN events e ON e.seq = i.created_event WHERE i.id = $1`,
      [issuanceId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const start = num(row.serial_start);
    const end = num(row.serial_end);
    return {
      issuanceId: row.id,
      recordUrl: `${this.baseUrl}/issuances/${encodeURIComponent(String(row.id))}`,
      issuedAt: iso(row.at),
      serialBlock: { prefix: row.prefix, start, end, quantity: end - start + 1 },
      initialHolder: row.initial_holder,
      credentialId: row.credential_id,
      digestMultibase: row.digest,
      revoked: row.revoked_event !== null,
      ...(row.replaces ? { replaces: row.replaces } : {}),
      ...(row.replaced_by ? { replacedBy: row.replaced_by } : {}),
      credential: envelope(String(row.jws)),
      ...(await this.logOf(String(row.credential_id))),
    };
  }

  /** `log: { index, treeSize, proof, checkpoint }` once the sequencer has logged the record's event. */
  private async logOf(credentialId: string): Promise<{ log?: LogInclusion }> {
    const log = await this.registry.logInclusion(credentialId);
    return log ? { log } : {};
  }

  /** The latest signed checkpoint (note text); undefined before the first. */
  async logCheckpoint(): Promise<string | undefined> {
    return (await this.registry.logCheckpoint())?.note;
  }

  /** A tile of the log as of its latest checkpoint. */
  logTile(tile: Tile): Promise<Uint8Array | undefined> {
    return this.registry.logTile(tile);
  }

  /** Why this process's sequencer stopped signing, if it did. */
  logRefusal(): UntpCreditsError | undefined {
    return this.registry.logStatus().refused;
  }

  async getRetirement(retirementId: string): Promise<Obj | undefined> {
    const { rows } = await this.db.query<Obj>(
      `SELECT r.id, r.account_id, r.quantity, r.credential_id, r.original_id, r.replaces, r.invalidated_event, c.jws, c.digest, c.revoked_event, e.at,
              (SELECT x.id FROM retirements x WHERE x.replaces = r.id) AS replaced_by
         FROM retirements r JOIN credentials c ON c.id = r.credential_id JOIN events e ON e.seq = r.created_event WHERE r.id = $1`,
      [retirementId],
    );
    const row = rows[0];
    return row ? { ...this.retirementRecord(row), ...(await this.logOf(String(row.credential_id))) } : undefined;
  }

  private retirementRecord(row: Obj): Obj {
    return {
      retirementId: row.id,
      recordUrl: `${this.baseUrl}/retirements/${encodeURIComponent(String(row.id))}`,
      retiredAt: iso(row.at),
      account: row.account_id,
      quantity: num(row.quantity),
      credentialId: row.credential_id,
      digestMultibase: row.digest,
      revoked: row.revoked_event !== null,
      invalidated: row.invalidated_event !== null,
      ...(row.replaces ? { replaces: row.replaces } : {}),
      ...(row.replaced_by ? { replacedBy: row.replaced_by } : {}),
      credential: envelope(String(row.jws)),
    };
  }

  async listRetirements(page: { cursor?: string; limit: number }): Promise<Page<Obj>> {
    const before = page.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(page.cursor);
    if (!Number.isSafeInteger(before))
      throw new HttpProblem('REQUEST_INVALID', 'cursor is not one this server gave', { path: 'cursor' });
    const { rows } = await this.db.query<Obj>(
      `SELECT r.id, r.account_id, r.quantity, r.credential_id, r.original_id, r.replaces, r.invalidated_event, r.created_event, c.jws, c.digest, c.revoked_event, e.at,
              (SELECT x.id FROM retirements x WHERE x.replaces = r.id) AS replaced_by
         FROM retirements r JOIN credentials c ON c.id = r.credential_id JOIN events e ON e.seq = r.created_event
        WHERE r.created_event < $1 ORDER BY r.created_event DESC LIMIT $2`,
      [before, page.limit + 1],
    );
    const items = rows.slice(0, page.limit).map((row) => this.retirementRecord(row));
    const last = rows[page.limit - 1];
    return rows.length > page.limit && last ? { items, next: String(num(last.created_event)) } : { items };
  }

  async lookupSerial(serial: string): Promise<Obj | undefined> {
    // "<prefix>-<n>" or "<prefix>:<n>": the prefix itself may contain dashes.
    const match = /^(.+)[-:](\d{1,16})$/.exec(serial);
    if (!match)
      throw new HttpProblem('REQUEST_INVALID', 'a serial is <prefix>-<number>, e.g. RCC-CD-LU-2026Q1-57', {
        path: 'serial',
      });
    const found = await this.registry.lookupSerial(match[1] as string, Number(match[2]));
    return found ? { ...found } : undefined;
  }

  async holdings(accountId: string): Promise<Obj | undefined> {
    const { rows } = await this.db.query<{ id: string; holder_id: string; holder_name: string }>(
      'SELECT id, holder_id, holder_name FROM accounts WHERE id = $1',
      [accountId],
    );
    const account = rows[0];
    if (!account) return undefined;
    const blocks = await this.registry.holdings(accountId);
    // Summed exactly; the registry's issued-total ceiling keeps each sum within 2^53 − 1.
    const totals: Record<string, number> = {};
    for (const state of new Set(blocks.map((b) => b.state)))
      totals[state] = sumQuantities(blocks.filter((b) => b.state === state));
    return { accountId, holder: { id: account.holder_id, name: account.holder_name }, totals, blocks };
  }

  async events(page: { cursor?: string; limit: number }): Promise<Page<Obj>> {
    const after = page.cursor === undefined ? 0 : Number(page.cursor);
    if (!Number.isSafeInteger(after) || after < 0)
      throw new HttpProblem('REQUEST_INVALID', 'cursor is not one this server gave', { path: 'cursor' });
    const events = await this.registry.events(after, page.limit + 1);
    const items = events.slice(0, page.limit);
    const last = items[items.length - 1];
    return events.length > page.limit && last
      ? { items: items as unknown as Obj[], next: String(last.seq) }
      : { items: items as unknown as Obj[] };
  }

  async invariants(): Promise<Obj> {
    return { ...(await this.registry.checkInvariants()) };
  }

  async getCredential(credentialId: string): Promise<Obj | undefined> {
    const { rows } = await this.db.query<{ jws: string }>('SELECT jws FROM credentials WHERE id = $1', [credentialId]);
    return rows[0] ? envelope(rows[0].jws) : undefined;
  }
}

/**
 * Status lists from the ledger's store. Credit credentials are revoked by ledger commands
 * (cancellations, invalidations, amendments), so POST /credentials/status refuses to flip their bits
 * directly (409 STATUS_MANAGED_BY_LEDGER): a bit set by hand would disagree with the ledger.
 */
export function ledgerStatusLists(registry: Registry, baseUrl: string): StatusListsPort {
  return {
    getList: async (listId) =>
      /^\d{1,9}$/.test(listId)
        ? ((await registry.statusListCredential(`${baseUrl}/status/${listId}`)) as unknown as Obj | undefined)
        : undefined,
    update: async ({ credentialId }) => {
      const { rows } = await registry.db.query<{ kind: string }>('SELECT kind FROM credentials WHERE id = $1', [
        credentialId,
      ]);
      if (!rows[0])
        throw new UntpCreditsError(
          'CREDENTIAL_NOT_FOUND',
          `this registry issued no credential ${credentialId} with a status entry`,
        );
      throw new UntpCreditsError(
        'STATUS_MANAGED_BY_LEDGER',
        `${credentialId} is a credit ${rows[0].kind} credential: revoke it through the ledger (POST /registry/cancellations, /registry/invalidations or /registry/retirement-amendments), which keeps the record and the status list in step`,
      );
    },
    resolver: registry.statusResolver(),
  };
}

/**
 * Opens the ledger over `db` signing as the registry identity (the current key, re-read so a
 * rotation by another process takes effect), with record URLs under `<publicUrl>/registry`.
 * Demo credentials carry the demo notice in `description`. `clock` (the server's injectable clock)
 * stamps events, `retiredAt` and `validFrom`; default the system clock.
 */
export async function openLedger(
  db: Database,
  identity: RegistryIdentity,
  options: { clock?: () => Date; maxIssuanceQuantity?: number; log?: boolean } = {},
): Promise<{ registry: Registry; ledger: LedgerAdapter; statusLists: StatusListsPort }> {
  const baseUrl = ledgerBaseUrl(identity.publicUrl);
  // A serving process runs the log's sequencer (one at a time across processes); short-lived
  // CLI verbs only write their entries to the outbox.
  let log = {};
  if (options.log) {
    const { signer } = identityLogKey(await ensureLogKey(db, identity));
    log = { log: { origin: signer.name, signer } };
  }
  // The signing step runs inside the command's transaction, so it must not query: the current
  // identity (a key rotated by another process) is re-read before each command instead.
  let current = identity;
  const refresh = async () => {
    current = (await loadIdentity(db)) ?? current;
  };
  const secure: SecureCredential = async (credential) => {
    const marked = current.demo ? { ...credential, description: DEMO_NOTICE } : credential;
    return joseSecurer(await identitySigner(current, 'jose'))(marked);
  };
  const registry = await Registry.open({
    db,
    baseUrl,
    issuer: { id: identity.did, name: identity.name },
    secure,
    builders: creditBuilders,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.maxIssuanceQuantity !== undefined ? { maxIssuanceQuantity: options.maxIssuanceQuantity } : {}),
    ...log,
  });
  return {
    registry,
    ledger: new LedgerAdapter(registry, baseUrl, refresh),
    statusLists: ledgerStatusLists(registry, baseUrl),
  };
}
