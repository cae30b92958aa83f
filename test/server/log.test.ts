import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ed25519NoteVerifier,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  readEntriesFromTiles,
  verifyInclusion,
  type TileReader,
} from '../../src/log/index.js';
import { runCobaltStory, startLedgerServer, type TestServer } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startLedgerServer({}, { log: true });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('transparency log over HTTP', () => {
  it('a retirement record carries its log proof within seconds; it verifies against the served checkpoint, vkey and tiles', async () => {
    await runCobaltStory(server);
    const started = Date.now();
    let record: Record<string, any> = {};
    while (Date.now() - started < 10_000) {
      record = (await (await server.get('/registry/retirements/RET-2026-0007')).json()) as Record<string, any>;
      if (record.log) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(record.log, 'log proof within 10 s').toBeDefined();
    console.log(`log: record proof after ${Date.now() - started} ms`);
    const checkpointResponse = await server.get('/registry/log/checkpoint');
    expect(checkpointResponse.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(checkpointResponse.headers.get('cache-control')).toMatch(/max-age=[0-5]\b/);
    const vkey = (await (await server.get('/registry/log/vkey')).text()).trim();
    const origin = 'registry.example.test/registry/log';
    expect(parseVerifierKey(vkey).name).toBe(origin);
    const opened = openCheckpoint(record.log.checkpoint, origin, [ed25519NoteVerifier(vkey)]);
    expect(opened.checkpoint.size).toBe(record.log.treeSize);
    // The entry, read from the served tiles (authenticated against the checkpoint's root).
    const reader: TileReader = {
      read: async (path) => {
        const response = await server.get(`/registry/log/${path}`);
        return response.status === 200 ? new Uint8Array(await response.arrayBuffer()) : undefined;
      },
    };
    const [entry] = await readEntriesFromTiles(reader, opened.checkpoint, record.log.index, record.log.index + 1);
    expect(JSON.parse(Buffer.from(entry!).toString('utf8'))).toMatchObject({
      type: 'retired',
      retirementId: 'RET-2026-0007',
      credentialId: record.credentialId,
      credentialDigest: record.digestMultibase,
    });
    const proof = (record.log.proof as string[]).map((h) => new Uint8Array(Buffer.from(h, 'base64')));
    expect(
      verifyInclusion(leafHash(entry!), record.log.index, record.log.treeSize, proof, opened.checkpoint.rootHash),
    ).toBe(true);
    const partial = await server.get('/registry/log/tile/entries/000.p/1');
    expect(partial.status).toBe(200);
    expect((await server.get('/registry/log/tile/entries/000')).status).toBe(404);
    // The log key is in the DID document, but in no verification relationship.
    const did = (await (await server.get('/.well-known/did.json')).json()) as Record<string, any>;
    const method = (did.verificationMethod as Record<string, any>[]).find((m) => String(m.id).includes('#log-'));
    expect(method).toBeDefined();
    for (const relation of ['assertionMethod', 'authentication', 'capabilityInvocation', 'capabilityDelegation'])
      expect(JSON.stringify(did[relation] ?? [])).not.toContain(method!.id);
  }, 120_000);
});
