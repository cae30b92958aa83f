import { exampleKey } from '../../examples/build.js';
import { REGISTRY_DID } from '../../examples/cases.js';
import { cobaltAllocation } from '../../examples/impact/cases.js';
import { buildAllocationCredential } from '../../src/impact/build.js';
import { ADMIN_KEY, runCobaltStory, startLedgerServer, type TestServer } from '../server/helpers.js';

/** The ledger's own retirement credential JWS (what an allocation must cite by digest). */
export async function retirementJwsOf(server: TestServer, retirementId: string): Promise<string> {
  const { rows } = await server.db.query<{ jws: string }>(
    'SELECT c.jws FROM retirements r JOIN credentials c ON c.id = r.credential_id WHERE r.id = $1',
    [retirementId],
  );
  return rows[0]!.jws;
}

/** The unsigned allocation draft (as `impact build` makes it) for the ledger's RET-2026-0007 (amounts of examples/impact). */
export async function allocationDraft(
  server: TestServer,
  change: (input: any) => void = () => {},
): Promise<Record<string, unknown>> {
  const input = cobaltAllocation(await retirementJwsOf(server, 'RET-2026-0007')) as any;
  input.premiumReceived[0].retirement.id = (
    await server.db.query<{ credential_id: string }>("SELECT credential_id FROM retirements WHERE id = 'RET-2026-0007'")
  ).rows[0]!.credential_id;
  change(input);
  return buildAllocationCredential(input);
}

/** POST /registry/allocations with a draft (admin key unless given), optionally under an idempotency key. */
export function postAllocation(
  server: TestServer,
  draft: Record<string, unknown>,
  options: { key?: string; idempotencyKey?: string } = {},
): Promise<Response> {
  return server.post('/registry/allocations', draft, {
    key: options.key ?? ADMIN_KEY,
    ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}),
  });
}

/** A demo ledger server with the cobalt story (issue 120, transfer, retire 25) and, optionally, the allocation report. */
export async function seededServer(withAllocation = true): Promise<TestServer> {
  const server = await startLedgerServer({ demo: true });
  await runCobaltStory(server);
  if (withAllocation) {
    const response = await postAllocation(server, await allocationDraft(server));
    if (response.status !== 201) throw new Error(`allocation: ${response.status} ${await response.text()}`);
  }
  return server;
}

/** The fictional example registry key (examples/keys/), whose DID is not a test server's. */
export async function exampleSigner() {
  return (await exampleKey(REGISTRY_DID)).signer;
}
