import type { ErrorCode } from '../errors/catalogue.js';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UntpCreditsError, isUntpCreditsError } from '../errors.js';
import type { DidResolver } from '../keys/resolver.js';
import type { SignatureAlgorithm } from '../keys/types.js';
import type { PublishedStatusList } from '../status/resolver.js';
import type { VerificationReport } from './report.js';
import type { StatusListResolver } from './status.js';

/**
 * Verification options a worker can be given. Functions cannot cross threads, so DIDs and status
 * lists are given as data (documents, files, a status-list snapshot), or answered by the main
 * thread through `resolver` / `status` of {@link VerifyPoolOptions} (one message round trip each).
 */
export interface PoolVerifyOptions {
  /** DID documents known locally. */
  didDocuments?: readonly unknown[];
  /** DID document files and directories, read by each worker (as `LocalDidStore.addFiles` / `addDirectory`). */
  didDocumentFiles?: readonly string[];
  didDirectories?: readonly string[];
  /** Resolve did:web over HTTPS (the guarded fetcher) when no local document is held. */
  allowHttps?: boolean;
  /** Status lists by URL (as `createStatusResolver` takes them), checked inside the workers. */
  statusLists?: Readonly<Record<string, PublishedStatusList>>;
  requireStatus?: boolean;
  /** A fixed verification time (ISO date-time or epoch ms) instead of the system clock. */
  now?: string | number;
  algorithms?: readonly SignatureAlgorithm[];
  challenge?: string;
  domain?: string;
  /** validate()'s `strict`. */
  strict?: boolean;
  /** Disclosure releases of withheld fields (as verify's `disclosures`: compact JWS strings or JSON). */
  disclosures?: readonly unknown[];
  /** SD-JWT key-binding JWT maximum age in seconds (as verify's `keyBindingMaxAge`). */
  keyBindingMaxAge?: number;
}

export interface VerifyPoolOptions {
  /** Worker threads (default: os.availableParallelism()). */
  workers?: number;
  /** Verifications waiting for a worker beyond those in flight; `verify()` refuses more with POOL_QUEUE_FULL (default 1024). */
  maxQueue?: number;
  /** Verifications in flight per worker, so a worker never idles on the message round trip (default 4). */
  perWorker?: number;
  verify?: PoolVerifyOptions;
  /** A DID resolver on the main thread that workers ask (e.g. the server's); overrides the DID data above. */
  resolver?: DidResolver;
  /**
   * A status resolver on the main thread that workers ask (e.g. the registry's live lists); overrides
   * `verify.statusLists`. It is given the entry and the credential's `id`, `type` and `issuer` only.
   */
  status?: StatusListResolver;
  /** The worker script (default: the compiled `pool-worker.js` beside this module). */
  workerEntry?: string | URL;
}

interface Task {
  id: number;
  input: unknown;
  resolve: (report: VerificationReport) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  inflight: Map<number, Task>;
  dead: boolean;
}

/** Messages between the pool and its workers (see pool-worker.ts). */
export type ToWorker =
  | { t: 'verify'; id: number; input: unknown }
  | { t: 'reply'; rid: number; ok: true; value: unknown }
  | { t: 'reply'; rid: number; ok: false; code?: ErrorCode; message: string };
export type FromWorker =
  | { t: 'done'; id: number; report: VerificationReport }
  | { t: 'done'; id: number; json: string }
  | { t: 'failed'; id: number; message: string }
  | { t: 'resolve'; rid: number; did: string }
  | { t: 'status'; rid: number; entry: Record<string, unknown>; credential: Record<string, unknown> };

export interface WorkerInit {
  verify: PoolVerifyOptions;
  proxyResolver: boolean;
  proxyStatus: boolean;
}

/**
 * A pool of worker threads for batch verification. Results keep the input order; the queue is
 * bounded (`verify()` refuses with POOL_QUEUE_FULL, `verifyAll`/`verifyStream` wait for room);
 * `close()` finishes what was accepted, `terminate()` rejects it (POOL_CLOSED). A worker that dies
 * fails its in-flight verifications with POOL_WORKER_FAILED and is replaced. Reports come back as
 * JSON data (as a server would send them): the main thread parses a string, which costs half of
 * deserializing the object graph, and the main thread is what limits a pool on few cores.
 *
 * @example
 *   const pool = new VerifyPool({ workers: 2, verify: { didDocuments: [didDoc] } });
 *   const reports = await pool.verifyAll(credentials); // reports[i] is credentials[i]'s
 *   await pool.close();
 */
export class VerifyPool {
  readonly size: number;
  private readonly maxQueue: number;
  private readonly perWorker: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly roomWaiters: Array<() => void> = [];
  private nextId = 1;
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly entry: URL;
  private readonly init: WorkerInit;

  constructor(private readonly options: VerifyPoolOptions = {}) {
    const size = options.workers ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1)
      throw new UntpCreditsError('POOL_OPTIONS_INVALID', `workers must be a positive integer, not ${String(size)}`);
    this.size = size;
    this.maxQueue = Math.max(0, options.maxQueue ?? 1024);
    this.perWorker = Math.max(1, options.perWorker ?? 4);
    this.entry =
      options.workerEntry instanceof URL
        ? options.workerEntry
        : options.workerEntry !== undefined
          ? new URL(options.workerEntry, `file://${process.cwd()}/`)
          : new URL('./pool-worker.js', import.meta.url);
    this.init = {
      verify: options.verify ?? {},
      proxyResolver: options.resolver !== undefined,
      proxyStatus: options.status !== undefined,
    };
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Verifications accepted and not yet finished (queued and in flight). */
  get pending(): number {
    return this.queue.length + this.slots.reduce((n, s) => n + s.inflight.size, 0);
  }

  /** Verifies one input on a worker. Rejects with POOL_QUEUE_FULL when the queue is full, POOL_CLOSED after close. */
  verify(input: unknown): Promise<VerificationReport> {
    if (this.closing) return Promise.reject(new UntpCreditsError('POOL_CLOSED', 'the verification pool is closed'));
    if (!this.hasRoom())
      return Promise.reject(
        new UntpCreditsError('POOL_QUEUE_FULL', `the verification pool has ${this.pending} verifications pending`),
      );
    return this.submit(input);
  }

  /** Verifies every input; the reports are in input order. Waits for room instead of refusing. */
  async verifyAll(inputs: Iterable<unknown> | AsyncIterable<unknown>): Promise<VerificationReport[]> {
    const reports: VerificationReport[] = [];
    for await (const report of this.verifyStream(inputs)) reports.push(report);
    return reports;
  }

  /** Yields one report per input, in input order, with at most the pool's capacity in flight. */
  async *verifyStream(inputs: Iterable<unknown> | AsyncIterable<unknown>): AsyncGenerator<VerificationReport> {
    const window: Array<Promise<VerificationReport>> = [];
    const limit = Math.max(1, this.size * this.perWorker + this.maxQueue);
    try {
      for await (const input of inputs) {
        while (!this.hasRoom()) await new Promise<void>((wake) => this.roomWaiters.push(wake));
        if (this.closing) throw new UntpCreditsError('POOL_CLOSED', 'the verification pool is closed');
        const promise = this.submit(input);
        promise.catch(() => undefined); // awaited in order below; avoids an unhandled-rejection report meanwhile
        window.push(promise);
        if (window.length >= limit) yield await window.shift()!;
      }
      while (window.length > 0) yield await window.shift()!;
    } finally {
      // An abandoned stream still lets its accepted verifications finish; their results are dropped.
      window.length = 0;
    }
  }

  /** Stops accepting; resolves once everything accepted has finished and the workers have exited. */
  close(): Promise<void> {
    this.closing = true;
    this.closed ??= (async () => {
      while (this.pending > 0) await new Promise<void>((wake) => this.roomWaiters.push(wake));
      await Promise.all(this.slots.map((s) => s.worker.terminate()));
    })();
    this.wakeWaiters();
    return this.closed;
  }

  /** Stops now: queued and in-flight verifications are rejected with POOL_CLOSED. */
  async terminate(): Promise<void> {
    this.closing = true;
    const error = () => new UntpCreditsError('POOL_CLOSED', 'the verification pool was terminated');
    for (const task of this.queue.splice(0)) task.reject(error());
    for (const slot of this.slots) {
      for (const task of slot.inflight.values()) task.reject(error());
      slot.inflight.clear();
    }
    this.wakeWaiters();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    await this.closed;
  }

  private hasRoom(): boolean {
    return this.queue.length < this.maxQueue || this.slots.some((s) => s.inflight.size < this.perWorker);
  }

  private submit(input: unknown): Promise<VerificationReport> {
    return new Promise<VerificationReport>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let best: Slot | undefined;
      for (const slot of this.slots)
        if (slot.inflight.size < this.perWorker && (!best || slot.inflight.size < best.inflight.size)) best = slot;
      if (!best) return;
      const task = this.queue.shift()!;
      try {
        best.worker.postMessage({ t: 'verify', id: task.id, input: task.input } satisfies ToWorker);
        best.inflight.set(task.id, task);
        best.worker.ref(); // busy workers keep the process alive until their results are in
      } catch (error) {
        task.reject(
          new UntpCreditsError('INPUT_INVALID', `the input cannot be sent to a worker: ${(error as Error).message}`),
        );
      }
    }
  }

  private finished(slot: Slot, id: number): Task | undefined {
    const task = slot.inflight.get(id);
    slot.inflight.delete(id);
    this.dispatch();
    if (slot.inflight.size === 0) slot.worker.unref(); // an idle pool does not hold the process open
    this.wakeWaiters();
    return task;
  }

  private wakeWaiters(): void {
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry, { workerData: this.init });
    const slot: Slot = { worker, inflight: new Map(), dead: false };
    worker.on('message', (message: FromWorker) => {
      switch (message.t) {
        case 'done':
          this.finished(slot, message.id)?.resolve(
            'json' in message ? (JSON.parse(message.json) as VerificationReport) : message.report,
          );
          break;
        case 'failed':
          this.finished(slot, message.id)?.reject(new UntpCreditsError('INTERNAL_ERROR', message.message));
          break;
        case 'resolve':
          void this.answer(worker, message.rid, () => this.options.resolver!.resolve(message.did));
          break;
        case 'status':
          void this.answer(worker, message.rid, () => this.options.status!.check(message.entry, message.credential));
          break;
      }
    });
    const failed = (reason: string) => {
      if (slot.dead) return; // 'error' is followed by 'exit'
      slot.dead = true;
      const index = this.slots.indexOf(slot);
      for (const task of slot.inflight.values())
        task.reject(new UntpCreditsError('POOL_WORKER_FAILED', `a verification worker failed: ${reason}`));
      slot.inflight.clear();
      if (index >= 0 && !this.closing) {
        this.slots[index] = this.spawn();
        this.dispatch();
      }
      this.wakeWaiters();
    };
    worker.on('error', (error) => failed(error.message));
    worker.on('exit', (code) => {
      if (!this.closing) failed(`exited with code ${code}`);
    });
    worker.unref();
    return slot;
  }

  private async answer(worker: Worker, rid: number, fn: () => Promise<unknown>): Promise<void> {
    let reply: ToWorker;
    try {
      reply = { t: 'reply', rid, ok: true, value: await fn() };
    } catch (error) {
      reply = {
        t: 'reply',
        rid,
        ok: false,
        message: (error as Error)?.message ?? String(error),
        ...(isUntpCreditsError(error) ? { code: error.code } : {}),
      };
    }
    try {
      worker.postMessage(reply);
    } catch {
      // the worker is gone; its tasks were already failed
    }
  }
}
