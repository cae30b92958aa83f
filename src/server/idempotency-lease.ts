import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../errors.js';
import type { Queryable } from '../registry/db.js';

/**
 * Who runs which idempotent write, across processes and crashes. The process that records a new
 * `Idempotency-Key` owns its row under a lease it renews while the request runs; a row still "in
 * progress" whose lease ran out was left by a process that died (SIGKILL, power loss), and a retry
 * with the same key takes it over and runs the write again — safe, because the ledger applies each
 * command once under the same key. Without a lease such a key would answer 409 for ever.
 */
export class IdempotencyLeases {
  /** This process's id, stored as the owner of the rows it runs. */
  readonly owner = randomUUID();
  readonly leaseMs: number;
  readonly #db: Queryable;
  readonly #held = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(db: Queryable, leaseMs = 15_000) {
    if (!Number.isSafeInteger(leaseMs) || leaseMs < 100)
      throw new InvalidInputError(
        'OPTION_INVALID',
        `idempotencyLeaseMs must be an integer of at least 100, got ${leaseMs}`,
        '/idempotencyLeaseMs',
      );
    this.#db = db;
    this.leaseMs = leaseMs;
  }

  /** Records a new key as in progress here; false when the key is already recorded. */
  async claim(principal: string, key: string, requestHash: string): Promise<boolean> {
    const { rows } = await this.#db.query(
      `INSERT INTO server_idempotency (principal, key, request_hash, owner, lease_until) VALUES ($1, $2, $3, $4, now() + $5::double precision * interval '1 millisecond')
       ON CONFLICT DO NOTHING RETURNING key`,
      [principal, key, requestHash, this.owner, this.leaseMs],
    );
    if (rows.length > 0) this.#hold(principal, key);
    return rows.length > 0;
  }

  /**
   * Takes over an in-progress row of the same request whose lease has run out; false when its owner
   * still holds it (or it finished meanwhile). Rows from before leases existed expire one lease
   * after they were created.
   */
  async takeOver(principal: string, key: string, requestHash: string): Promise<boolean> {
    const { rows } = await this.#db.query(
      `UPDATE server_idempotency SET owner = $4, lease_until = now() + $5::double precision * interval '1 millisecond'
       WHERE principal = $1 AND key = $2 AND request_hash = $3 AND status IS NULL
         AND COALESCE(lease_until, created_at + $5::double precision * interval '1 millisecond') < now()
       RETURNING key`,
      [principal, key, requestHash, this.owner, this.leaseMs],
    );
    if (rows.length > 0) this.#hold(principal, key);
    return rows.length > 0;
  }

  /** Seconds until an in-progress row's lease runs out (at least 1). */
  async secondsLeft(principal: string, key: string): Promise<number> {
    const { rows } = await this.#db.query<{ ms: unknown }>(
      `SELECT extract(epoch from (COALESCE(lease_until, created_at + $3::double precision * interval '1 millisecond') - now())) * 1000 AS ms
       FROM server_idempotency WHERE principal = $1 AND key = $2`,
      [principal, key, this.leaseMs],
    );
    return Math.max(1, Math.ceil(Number(rows[0]?.ms ?? this.leaseMs) / 1000));
  }

  /** The request finished (its answer stored or its row removed): stop renewing it. */
  release(principal: string, key: string): void {
    this.#held.delete(`${principal}\n${key}`);
    if (this.#held.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #hold(principal: string, key: string): void {
    this.#held.add(`${principal}\n${key}`);
    // One statement renews every row this process runs, a third of a lease before it would lapse.
    this.#timer ??= setInterval(
      () => {
        void this.#db
          .query(
            `UPDATE server_idempotency SET lease_until = now() + $2::double precision * interval '1 millisecond' WHERE owner = $1 AND status IS NULL`,
            [this.owner, this.leaseMs],
          )
          .catch(() => undefined); // a missed renewal only shortens the lease; the ledger still applies once
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    ).unref();
  }
}
