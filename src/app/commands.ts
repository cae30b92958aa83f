import type { OpenAccountResult } from '../registry/commands/account.js';
import type { AllocateResult } from '../registry/commands/allocate.js';
import type { BlockSelector } from '../registry/blocks.js';
import type { Registry } from '../registry/registry.js';
import type {
  AmendResult,
  CancelResult,
  CorrectResult,
  InvalidateResult,
  IssueResult,
  RangeSelector,
  RetireResult,
  SuspendResult,
  TransferResult,
} from '../registry/types.js';
import { UntpCreditsError } from '../errors.js';
import { checkBody } from './check-body.js';
import { COMMAND_SCHEMAS, type LedgerCommand } from './schemas.js';

type Obj = Record<string, unknown>;

/** What each command answers (the registry API's 201 body, the CLI's `--json`). */
export type CommandResults = {
  openAccount: OpenAccountResult;
  issue: IssueResult & { recordUrl: string };
  transfer: TransferResult;
  retire: RetireResult & { recordUrl: string };
  amend: AmendResult;
  suspend: SuspendResult;
  unsuspend: SuspendResult;
  cancel: CancelResult;
  invalidate: InvalidateResult;
  correct: CorrectResult;
  allocate: AllocateResult;
};

type Range = { prefix: string; start: number; end: number };
type Selection = {
  quantity?: number;
  issuanceId?: string;
  issuanceIds?: string[];
  serialBlock?: Range;
  ranges?: Range[];
};
type Bodies = {
  openAccount: { accountId: string; holder?: { id: string; name: string } };
  issue: {
    issuanceId: string;
    holder: string;
    prefix?: string;
    quantity?: number;
    start?: number;
    end?: number;
    details?: Obj;
  };
  transfer: Selection & { from: string; to: string };
  retire: Selection & {
    account: string;
    retirementId?: string;
    blocks?: Array<{ serialBlock: Range } | { issuanceId: string; quantity: number }>;
    details?: Obj;
  };
  amend: { retirementId: string; newRetirementId?: string; reason?: string; details?: Obj };
  suspend: Selection & { account: string; reason?: string };
  unsuspend: Selection & { account: string; reason?: string };
  cancel: Pick<Selection, 'quantity' | 'serialBlock' | 'ranges'> & { issuanceId: string; reason?: string };
  invalidate: { retirementId: string; reason?: string };
  correct: { issuanceId: string; newIssuanceId?: string; reason?: string; details?: Obj };
  allocate: Obj;
};

/** The body minus the members the command reads itself: the credential's content (or `details`). */
function detailsOf(body: Obj & { details?: Obj }, taken: readonly string[]): Obj {
  if (body.details !== undefined) return body.details;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !taken.includes(k)));
}

const range = (r: Range): RangeSelector => ({ prefix: r.prefix, start: r.start, end: r.end });

/** Units selected by a body: `ranges` / `serialBlock`, or `quantity` (optionally within `issuanceId(s)`). */
function selection(body: Selection): { quantity?: number; ranges?: RangeSelector[]; issuanceIds?: string[] } {
  const out: { quantity?: number; ranges?: RangeSelector[]; issuanceIds?: string[] } = {};
  if (body.quantity !== undefined) out.quantity = body.quantity;
  if (body.serialBlock !== undefined) out.ranges = [range(body.serialBlock)];
  if (body.ranges !== undefined) out.ranges = body.ranges.map(range);
  const ids = body.issuanceIds ?? (body.issuanceId === undefined ? undefined : [body.issuanceId]);
  if (ids !== undefined) out.issuanceIds = ids;
  return out;
}

const SELECTION_KEYS = ['quantity', 'serialBlock', 'ranges', 'issuanceId', 'issuanceIds'] as const;

/**
 * Retirement blocks, passed on as they are: the ledger picks the serials inside its transaction.
 * (Picking them here, from a read outside it, made concurrent retirements from one account all ask
 * for the same lowest serials, and all but one were refused.)
 */
function blocksOf(blocks: NonNullable<Bodies['retire']['blocks']>): BlockSelector[] {
  return blocks.map((block) =>
    'serialBlock' in block
      ? { serialBlock: range(block.serialBlock) }
      : { issuanceId: block.issuanceId, quantity: block.quantity },
  );
}

/** Where a record is published: `<baseUrl>/<kind>/<id>`. */
function recordUrl(registry: Registry, kind: 'issuances' | 'retirements', id: string): string {
  return `${registry.options.baseUrl.replace(/\/+$/, '')}/${kind}/${encodeURIComponent(id)}`;
}

type Handlers = { [C in LedgerCommand]: (r: Registry, body: Bodies[C], key: string) => Promise<CommandResults[C]> };

const HANDLERS: Handlers = {
  openAccount: (r, body, key) =>
    r.openAccount({ key, accountId: body.accountId, holder: body.holder as { id: string; name: string } }),
  issue: async (r, body, key) => {
    const start = body.start ?? 1;
    const end = body.end ?? (body.quantity !== undefined ? start + body.quantity - 1 : undefined);
    if (end === undefined)
      throw new UntpCreditsError('REQUEST_INVALID', 'give quantity (or start and end)', { path: '/quantity' });
    if (body.quantity !== undefined && body.end !== undefined && end - start + 1 !== body.quantity)
      throw new UntpCreditsError('REQUEST_INVALID', 'quantity does not match start..end', { path: '/quantity' });
    const result = await r.issue({
      key,
      issuanceId: body.issuanceId,
      prefix: body.prefix ?? body.issuanceId,
      start,
      end,
      holder: body.holder,
      details: detailsOf(body, ['issuanceId', 'quantity', 'prefix', 'start', 'end', 'holder']),
    });
    return { ...result, recordUrl: recordUrl(r, 'issuances', result.issuanceId) };
  },
  transfer: (r, body, key) => r.transfer({ key, from: body.from, to: body.to, ...selection(body) }),
  retire: async (r, body, key) => {
    const result = await r.retire({
      key,
      account: body.account,
      ...(body.retirementId !== undefined ? { retirementId: body.retirementId } : {}),
      ...(body.blocks !== undefined ? { blocks: blocksOf(body.blocks) } : selection(body)),
      details: detailsOf(body, ['account', 'retirementId', 'blocks', ...SELECTION_KEYS]),
    });
    return { ...result, recordUrl: recordUrl(r, 'retirements', result.retirementId) };
  },
  amend: (r, body, key) =>
    r.amendRetirement({
      key,
      retirementId: body.retirementId,
      ...(body.newRetirementId !== undefined ? { newRetirementId: body.newRetirementId } : {}),
      reason: body.reason as string,
      details: detailsOf(body, ['retirementId', 'newRetirementId', 'reason']),
    }),
  suspend: (r, body, key) =>
    r.suspend({ key, account: body.account, reason: body.reason as string, ...selection(body) }),
  unsuspend: (r, body, key) =>
    r.unsuspend({ key, account: body.account, reason: body.reason as string, ...selection(body) }),
  cancel: (r, body, key) => {
    const { issuanceIds: _ids, ...rest } = selection(body);
    return r.cancel({ key, issuanceId: body.issuanceId, reason: body.reason as string, ...rest });
  },
  invalidate: (r, body, key) =>
    r.invalidateRetirement({ key, retirementId: body.retirementId, reason: body.reason as string }),
  correct: (r, body, key) =>
    r.correct({
      key,
      issuanceId: body.issuanceId,
      ...(body.newIssuanceId !== undefined ? { newIssuanceId: body.newIssuanceId } : {}),
      reason: body.reason as string,
      details: detailsOf(body, ['issuanceId', 'newIssuanceId', 'reason']),
    }),
  allocate: (r, body, key) => r.allocate({ key, draft: body }),
};

/**
 * Runs one ledger command from its request body: checks the body against the command's schema
 * (REQUEST_INVALID naming the field), maps it onto the ledger's input and runs it under `key`
 * (the ledger's idempotency key). The one entry the HTTP routes and the CLI share.
 *
 * @example
 *   const done = await executeCommand(registry, 'transfer', { from: 'ACC-CD-0001', to: 'ACC-DE-0042', quantity: 40 }, 'tr-1');
 */
export async function executeCommand<C extends LedgerCommand>(
  registry: Registry,
  command: C,
  body: unknown,
  key: string,
): Promise<CommandResults[C]> {
  const handler = Object.hasOwn(HANDLERS, command) ? (HANDLERS[command] as Handlers[C]) : undefined;
  if (!handler) throw new UntpCreditsError('NOT_FOUND', `no command ${String(command)}`);
  return handler(registry, checkBody<Bodies[C]>(COMMAND_SCHEMAS[command], body), key);
}
