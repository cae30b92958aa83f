// The worker side of VerifyPool (pool.ts): builds the verify options once, then verifies each
// message it is sent. DID resolution and status checks go to the main thread when it holds them.
import { parentPort, workerData } from 'node:worker_threads';
import { UntpCreditsError } from '../errors.js';
import { createDidResolver, LocalDidStore, type DidResolver } from '../keys/resolver.js';
import type { DidDocument } from '../keys/types.js';
import { createStatusResolver } from '../status/resolver.js';
import type { VerifyOptions } from './options.js';
import type { FromWorker, ToWorker, WorkerInit } from './pool.js';
import type { StatusCheck, StatusListResolver } from './status.js';
import { verify } from './verify.js';

const port = parentPort;
if (!port) throw new Error('pool-worker.js runs as a worker thread of VerifyPool');
const init = workerData as WorkerInit;

const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextRid = 1;
function ask(
  message:
    | { t: 'resolve'; did: string }
    | { t: 'status'; entry: Record<string, unknown>; credential: Record<string, unknown> },
): Promise<unknown> {
  const rid = nextRid++;
  return new Promise((resolve, reject) => {
    waiting.set(rid, { resolve, reject });
    port!.postMessage({ ...message, rid } as FromWorker);
  });
}

function options(): VerifyOptions {
  const o = init.verify;
  let resolver: DidResolver;
  if (init.proxyResolver) {
    resolver = { resolve: async (did) => (await ask({ t: 'resolve', did })) as DidDocument };
  } else {
    const store = new LocalDidStore();
    for (const doc of o.didDocuments ?? []) store.add(doc);
    store.addFiles(o.didDocumentFiles ?? []);
    for (const dir of o.didDirectories ?? []) store.addDirectory(dir);
    resolver = createDidResolver({ store, ...(o.allowHttps ? { https: true } : {}) });
  }
  let status: StatusListResolver | undefined;
  if (init.proxyStatus) {
    status = {
      check: async (entry, credential) =>
        (await ask({
          t: 'status',
          entry,
          credential: { id: credential.id, type: credential.type, issuer: credential.issuer },
        })) as StatusCheck,
    };
  } else if (o.statusLists) {
    status = createStatusResolver(new Map(Object.entries(o.statusLists)));
  }
  const clock =
    o.now !== undefined
      ? (
          (time) => () =>
            time
        )(new Date(o.now))
      : undefined;
  return {
    resolver,
    requireStatus: o.requireStatus ?? false,
    ...(status ? { status } : {}),
    ...(clock ? { clock } : {}),
    ...(o.algorithms ? { algorithms: o.algorithms } : {}),
    ...(o.challenge !== undefined ? { challenge: o.challenge } : {}),
    ...(o.domain !== undefined ? { domain: o.domain } : {}),
    ...(o.strict !== undefined ? { validateOptions: { strict: o.strict } } : {}),
    ...(o.disclosures !== undefined ? { disclosures: o.disclosures } : {}),
    ...(o.keyBindingMaxAge !== undefined ? { keyBindingMaxAge: o.keyBindingMaxAge } : {}),
  };
}

// A setup failure (an unreadable DID file) fails each verification rather than the thread, so the pool does not respawn in a loop.
let verifyOptions: VerifyOptions | undefined;
let setupError: string | undefined;
try {
  verifyOptions = options();
} catch (error) {
  setupError = `the verification worker could not start: ${(error as Error)?.message ?? String(error)}`;
}

port.on('message', (message: ToWorker) => {
  if (message.t === 'reply') {
    const waiter = waiting.get(message.rid);
    waiting.delete(message.rid);
    if (!waiter) return;
    if (message.ok) waiter.resolve(message.value);
    else
      waiter.reject(
        message.code !== undefined ? new UntpCreditsError(message.code, message.message) : new Error(message.message),
      );
    return;
  }
  if (!verifyOptions) {
    port.postMessage({ t: 'failed', id: message.id, message: setupError ?? 'no verify options' } satisfies FromWorker);
    return;
  }
  verify(message.input, verifyOptions).then(
    (report) => {
      let json: string | undefined;
      try {
        json = JSON.stringify(report);
      } catch {
        // not JSON data (e.g. a BigInt in a Data Integrity input): the object itself, structured-cloned
      }
      port.postMessage(
        (json !== undefined
          ? { t: 'done', id: message.id, json }
          : { t: 'done', id: message.id, report }) satisfies FromWorker,
      );
    },
    (error: unknown) =>
      port.postMessage({
        t: 'failed',
        id: message.id,
        message: (error as Error)?.message ?? String(error),
      } satisfies FromWorker),
  );
});
