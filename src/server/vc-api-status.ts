import { randomInt, randomUUID } from 'node:crypto';
import { UntpCreditsError } from '../errors.js';
import { issue } from '../issue.js';
import type { Queryable } from '../registry/db.js';
import { buildStatusListCredential, emptyBitstring, getBit, MIN_STATUS_LIST_SIZE } from '../status/bitstring.js';
import type { StatusListSource } from '../status/resolver.js';
import { identitySigner, type RegistryIdentity } from './identity.js';

/** The purposes the generic issuer's lists carry, one bit each. */
export const VC_API_STATUS_PURPOSES = ['revocation', 'suspension'] as const;
export type VcApiStatusPurpose = (typeof VC_API_STATUS_PURPOSES)[number];

/** How long a verifier may cache one of these lists (Bitstring Status List §2.2 `ttl`, milliseconds). */
export const VC_API_STATUS_TTL_MS = 300_000;

/** A status entry as the generic issuer hands it out: `statusListIndex` a base-10 string. */
export interface VcApiStatusEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: VcApiStatusPurpose;
  statusListIndex: string;
  statusListCredential: string;
}

/** The generic VC-API issuer's own Bitstring Status Lists (apart from the ledger's). */
export interface VcApiStatusLists {
  /** The signed list credentials by URL, for the verifier's resolver (no HTTP). */
  source: StatusListSource;
  /** Whether an entry names one of these lists. */
  owns(entry: Record<string, unknown>): Promise<boolean>;
  /** A fresh random index on a list of `purpose`, for credential `credentialId`. */
  allocate(credentialId: string, purpose: VcApiStatusPurpose): Promise<VcApiStatusEntry>;
  /**
   * Sets (`status` true) or clears a credential's bit and re-signs its list; undefined when this
   * issuer gave the credential no entry of that purpose. A revocation is never cleared
   * (STATUS_IRREVERSIBLE); purposes other than revocation and suspension: STATUS_PURPOSE_UNSUPPORTED.
   */
  update(request: {
    credentialId: string;
    statusPurpose: string;
    status: boolean;
  }): Promise<Record<string, unknown> | undefined>;
  /** The signed list credential (enveloped) with id `listId`, or undefined. */
  getList(listId: string): Promise<Record<string, unknown> | undefined>;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/**
 * The generic issuer's status lists over the server database (migration 008): each list
 * `<VC-API public URL>/status/<n>` holds one purpose, at least 131 072 bits, filled to half at most,
 * indexes picked at random and never handed out twice. Each change re-signs the list with the
 * generic issuer's key (optimistic: a concurrent change makes the update retry on the new bits).
 *
 * @example
 *   const lists = vcApiStatusLists(db, async () => vcApiIdentity, () => new Date());
 *   const entry = await lists.allocate('urn:uuid:…', 'revocation'); // { statusListIndex: '90211', … }
 */
export function vcApiStatusLists(
  db: Queryable,
  identity: () => Promise<RegistryIdentity>,
  clock: () => Date,
  size = MIN_STATUS_LIST_SIZE,
): VcApiStatusLists {
  const listUrlPrefix = async () => `${(await identity()).publicUrl}/status/`;
  const sign = async (url: string, purpose: VcApiStatusPurpose, bits: Uint8Array) =>
    issue(
      buildStatusListCredential({
        url,
        issuer: (await identity()).did,
        bits,
        validFrom: clock().toISOString(),
        statusPurpose: purpose,
        ttl: VC_API_STATUS_TTL_MS,
      }),
      { format: 'jose', signer: await identitySigner(await identity(), 'jose') },
    );

  const openList = async (purpose: VcApiStatusPurpose): Promise<void> => {
    const bits = emptyBitstring(size);
    const { rows } = await db.query<{ id: unknown }>(
      "INSERT INTO vc_api_status_lists (url, purpose, size, bits, credential) VALUES ($1, $2, $3, $4, '{}'::jsonb) RETURNING id",
      [`pending:${randomUUID()}`, purpose, size, Buffer.from(bits)],
    );
    const id = num(rows[0]?.id);
    const url = `${await listUrlPrefix()}${id}`;
    await db.query('UPDATE vc_api_status_lists SET url = $2, credential = $3::jsonb WHERE id = $1', [
      id,
      url,
      JSON.stringify(await sign(url, purpose, bits)),
    ]);
  };

  const pick = (purpose: VcApiStatusPurpose) =>
    db.query<{ id: unknown; url: string; size: unknown }>(
      `UPDATE vc_api_status_lists SET allocated = allocated + 1
         WHERE id = (SELECT id FROM vc_api_status_lists WHERE purpose = $1 AND url NOT LIKE 'pending:%' AND allocated * 2 < size ORDER BY id LIMIT 1)
           AND allocated * 2 < size
         RETURNING id, url, size`,
      [purpose],
    );

  return {
    source: {
      get: async (url) => {
        const { rows } = await db.query<{ credential: Record<string, unknown> }>(
          'SELECT credential FROM vc_api_status_lists WHERE url = $1',
          [url],
        );
        return rows[0]?.credential;
      },
    },
    async owns(entry) {
      const url = entry.statusListCredential;
      return typeof url === 'string' && url.startsWith(await listUrlPrefix());
    },
    async allocate(credentialId, purpose) {
      let list = (await pick(purpose)).rows[0];
      if (!list) {
        await openList(purpose);
        list = (await pick(purpose)).rows[0];
      }
      if (!list) throw new UntpCreditsError('STATUS_LIST_UNAVAILABLE', `could not open a ${purpose} status list`);
      for (;;) {
        const index = randomInt(num(list.size));
        const inserted = await db.query(
          'INSERT INTO vc_api_status_entries (list_id, idx, credential_id, purpose) VALUES ($1, $2, $3, $4) ON CONFLICT (list_id, idx) DO NOTHING RETURNING idx',
          [num(list.id), index, credentialId, purpose],
        );
        if (inserted.rows.length === 1)
          return {
            id: `${list.url}#${index}`,
            type: 'BitstringStatusListEntry',
            statusPurpose: purpose,
            statusListIndex: String(index),
            statusListCredential: list.url,
          };
      }
    },
    async update({ credentialId, statusPurpose, status }) {
      if (!(VC_API_STATUS_PURPOSES as readonly string[]).includes(statusPurpose))
        throw new UntpCreditsError(
          'STATUS_PURPOSE_UNSUPPORTED',
          `statusPurpose ${statusPurpose} is not one of ${VC_API_STATUS_PURPOSES.join(', ')}`,
        );
      const purpose = statusPurpose as VcApiStatusPurpose;
      const { rows } = await db.query<{ list_id: unknown; idx: unknown }>(
        'SELECT list_id, idx FROM vc_api_status_entries WHERE credential_id = $1 AND purpose = $2',
        [credentialId, purpose],
      );
      const entry = rows[0];
      if (!entry) return undefined;
      const index = num(entry.idx);
      for (let attempt = 0; attempt < 20; attempt++) {
        const list = (
          await db.query<{ url: string; bits: Uint8Array; version: unknown }>(
            'SELECT url, bits, version FROM vc_api_status_lists WHERE id = $1',
            [num(entry.list_id)],
          )
        ).rows[0];
        if (!list)
          throw new UntpCreditsError('STATUS_LIST_UNAVAILABLE', `status list ${String(entry.list_id)} is missing`);
        const bits = new Uint8Array(list.bits);
        const set = getBit(bits, index);
        if (set && !status && purpose === 'revocation')
          throw new UntpCreditsError(
            'STATUS_IRREVERSIBLE',
            `${credentialId} is revoked; a revocation is never cleared`,
          );
        const result = { credentialId, statusPurpose: purpose, status, statusListCredential: list.url };
        if (set === status) return result;
        const byte = index >> 3;
        const mask = 0x80 >> (index & 7);
        bits[byte] = status ? (bits[byte] ?? 0) | mask : (bits[byte] ?? 0) & ~mask;
        const credential = await sign(list.url, purpose, bits);
        const updated = await db.query(
          'UPDATE vc_api_status_lists SET bits = $2, credential = $3::jsonb, version = version + 1, updated_at = now() WHERE id = $1 AND version = $4 RETURNING id',
          [num(entry.list_id), Buffer.from(bits), JSON.stringify(credential), num(list.version)],
        );
        if (updated.rows.length === 1) return result;
      }
      throw new UntpCreditsError('CONFLICT', `status list of ${credentialId} kept changing; retry`);
    },
    async getList(listId) {
      if (!/^\d{1,9}$/.test(listId)) return undefined;
      const { rows } = await db.query<{ credential: Record<string, unknown> }>(
        "SELECT credential FROM vc_api_status_lists WHERE id = $1 AND url NOT LIKE 'pending:%'",
        [Number(listId)],
      );
      return rows[0]?.credential;
    },
  };
}
