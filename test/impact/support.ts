import { exampleKey } from '../../examples/build.js';
import { REGISTRY_DID } from '../../examples/cases.js';
import { cobaltAllocation } from '../../examples/impact/cases.js';
import { buildAllocationCredential } from '../../src/impact/build.js';
import { recordAllocation } from '../../src/impact/ledger.js';
import { issue } from '../../src/issue.js';
import type { Database } from '../../src/registry/db.js';
import { identitySigner } from '../../src/server/identity.js';
import { runCobaltStory, startLedgerServer, type TestServer } from '../server/helpers.js';

/** The ledger's own retirement credential JWS (what an allocation must cite by digest). */
export async function retirementJwsOf(server: TestServer, retirementId: string): Promise<string> {
  const { rows } = await server.db.query<{ jws: string }>(
    'SELECT c.jws FROM retirements r JOIN credentials c ON c.id = r.credential_id WHERE r.id = $1',
    [retirementId],
  );
  return rows[0]!.jws;
}

/** The signed allocation report for the ledger's RET-2026-0007 (amounts of examples/impact). */
export async function signedAllocation(server: TestServer, change: (input: any) => void = () => {}): Promise<string> {
  const input = cobaltAllocation(await retirementJwsOf(server, 'RET-2026-0007')) as any;
  input.premiumReceived[0].retirement.id = (
    await server.db.query<{ credential_id: string }>("SELECT credential_id FROM retirements WHERE id = 'RET-2026-0007'")
  ).rows[0]!.credential_id;
  // Signed by the server's own registry identity, so its verifier can check it.
  const identity = await server.context.identity();
  input.issuer = { id: identity.did, name: identity.name };
  input.validFrom = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  change(input);
  return JSON.stringify(
    await issue(buildAllocationCredential(input), { format: 'jose', signer: await identitySigner(identity, 'jose') }),
  );
}

/** A demo ledger server with the cobalt story (issue 120, transfer, retire 25) and, optionally, the allocation report. */
export async function seededServer(withAllocation = true): Promise<TestServer> {
  const server = await startLedgerServer({ demo: true });
  await runCobaltStory(server);
  if (withAllocation) await recordAllocation(server.db as unknown as Database, await signedAllocation(server));
  return server;
}

/** The fictional example registry key (examples/keys/), whose DID is not a test server's. */
export async function exampleSigner() {
  return (await exampleKey(REGISTRY_DID)).signer;
}
