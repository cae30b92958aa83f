import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../artefacts/registry.js';
import type { Principal } from './auth.js';
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
    if (command === 'retire') retirementId = String(result.retirementId);
  }
  return retirementId;
}
