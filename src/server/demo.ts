import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../artefacts/package-root.js';
import type { Principal } from './auth.js';
import { compactJwsOf } from '../bundle/build.js';
import { buildAllocationCredential } from '../impact/build.js';
import { allocationsForRetirement } from '../impact/ledger.js';
import type { AllocationInput } from '../impact/types.js';
import type { Database } from '../registry/db.js';
import { validate } from '../validate/validate.js';
import type { RegistryIdentity } from './identity.js';
import type { LedgerCommand, LedgerPort } from './ports.js';

const DEMO_PRINCIPAL: Principal = { keyId: 'demo-seed', scopes: ['*'] };

/** The example request body `examples/api/<name>.json`. */
export function apiExample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'api', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/**
 * Demo mode, before the port opens: validates the committed examples (issuance, retirement, premium
 * allocation), so the first use of the validators and contexts the seeding needs happens while the
 * port is closed. Compiled at run time those schemas blocked the event loop for seconds after the
 * port opened; with the validators generated at build time this costs about 0.1 s of CPU.
 */
export async function warmDemoSchemas(): Promise<void> {
  for (const file of ['cobalt/issuance.json', 'cobalt/retirement.json', 'impact/allocation.json'])
    await validate(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', file), 'utf8')));
}

/**
 * Demo mode on an empty ledger: runs the examples/api bodies (two accounts, an issuance, a transfer,
 * a retirement) so the statement page and the verifier have something to show. Idempotent: every
 * command carries a fixed key, so a restart seeds nothing twice. Returns the retirement's id.
 */
export async function seedDemo(ledger: LedgerPort): Promise<string | undefined> {
  const existing = await ledger.listRetirements({ limit: 1 });
  if (existing.items.length > 0) return String(existing.items[0]?.retirementId);
  const steps: Array<[LedgerCommand, string]> = [
    ['openAccount', 'account-coop'],
    ['openAccount', 'account-buyer'],
    ['issue', 'issuance'],
    ['transfer', 'transfer'],
    ['retire', 'retirement'],
  ];
  let retirementId: string | undefined;
  for (const [command, name] of steps) {
    const result = await ledger.run(command, apiExample(name), {
      principal: DEMO_PRINCIPAL,
      idempotencyKey: `demo-seed-${name}`,
    });
    if ('retirementId' in result) retirementId = String(result.retirementId);
  }
  return retirementId;
}

/**
 * Demo mode: the end of the story — the committee's premium allocation report for the seeded
 * retirement (examples/impact/allocation-input.json, citing the demo's retirement by digest),
 * submitted to the ledger's allocation command, which signs and records it, so "Where the premium
 * went" has something to show. Once only (a fixed idempotency key, and the report id is recorded once).
 */
export async function seedDemoAllocation(
  db: Database,
  identity: RegistryIdentity,
  ledger: LedgerPort,
  retirementId: string,
): Promise<void> {
  if ((await allocationsForRetirement(db, retirementId)).length > 0) return;
  const retirement = await ledger.getRetirement(retirementId);
  if (!retirement) return;
  const jws = compactJwsOf({ ...retirement.credential });
  const input = JSON.parse(
    readFileSync(join(PACKAGE_ROOT, 'examples', 'impact', 'allocation-input.json'), 'utf8'),
  ) as AllocationInput;
  const reportId = `${input.reportId}-DEMO`;
  const received = input.premiumReceived?.[0];
  // The draft as `impact build` makes it; id, issuer, time and status are the ledger's to set.
  const draft = buildAllocationCredential({
    ...input,
    id: `${identity.publicUrl}/registry/credentials/draft`,
    issuer: { id: identity.did, name: identity.name },
    validFrom: new Date().toISOString(),
    recordUrl: `${identity.publicUrl}/registry/allocations/${reportId}`,
    reportId,
    premiumReceived: received
      ? [{ ...received, retirementId, retirement: { id: String(retirement.credentialId), jws } }]
      : [],
  });
  await ledger.run('allocate', draft, { principal: DEMO_PRINCIPAL, idempotencyKey: 'demo-seed-allocation' });
}
