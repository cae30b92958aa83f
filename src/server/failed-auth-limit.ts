import { InvalidInputError } from '../errors.js';

/** How many failed authentications one client may make per window; `false` turns the limit off. */
export interface FailedAuthLimitOptions {
  /** Failures allowed per client within `windowMs` (default 20). */
  maxFailures?: number;
  /** Default 60 000 (one minute). */
  windowMs?: number;
  /** Clients remembered at most; the least recently failing are forgotten first (default 10 000). */
  maxClients?: number;
}

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Counts failed authentications per client address in a fixed window, in a bounded map (memory
 * stays flat under a spray of addresses). A client over the limit is refused before its key is
 * looked up, until its window ends — a success does not reset the count, so a caller holding one
 * valid key cannot interleave it to keep guessing others.
 */
export class FailedAuthLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly maxClients: number;
  readonly #clients = new Map<string, Window>();
  readonly #now: () => number;

  constructor(options: FailedAuthLimitOptions = {}, now: () => number = Date.now) {
    this.maxFailures = positiveInteger(options.maxFailures ?? 20, 'maxFailures');
    this.windowMs = positiveInteger(options.windowMs ?? 60_000, 'windowMs');
    this.maxClients = positiveInteger(options.maxClients ?? 10_000, 'maxClients');
    this.#now = now;
  }

  /** Seconds until `client` may try again, or 0 when it may try now. */
  retryAfterSeconds(client: string): number {
    const window = this.#current(client);
    if (!window || window.failures < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - this.#now()) / 1000));
  }

  recordFailure(client: string): void {
    const window = this.#current(client) ?? { startedAt: this.#now(), failures: 0 };
    window.failures++;
    // Re-inserting keeps the map in least-recently-failed order, so eviction drops the oldest.
    this.#clients.delete(client);
    this.#clients.set(client, window);
    if (this.#clients.size > this.maxClients) this.#clients.delete(this.#clients.keys().next().value as string);
  }

  /** Clients currently remembered (for tests and metrics). */
  get size(): number {
    return this.#clients.size;
  }

  #current(client: string): Window | undefined {
    const window = this.#clients.get(client);
    if (window && this.#now() - window.startedAt >= this.windowMs) {
      this.#clients.delete(client);
      return undefined;
    }
    return window;
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new InvalidInputError(
      'OPTION_INVALID',
      `failedAuthLimit.${name} must be a positive integer, got ${value}`,
      `/failedAuthLimit/${name}`,
    );
  return value;
}
