import type { Queryable } from './database/types.js';

/** A stored disclosure release of a retirement's withheld field (docs/privacy.md). */
export interface StoredDisclosureRelease {
  retirementId: string;
  /** JSON pointer of the withheld field the release opens. */
  commitment: string;
  /** The release, a compact JWS signed by the registry. */
  release: string;
  releasedAt: string;
}

function iso(value: unknown): string {
  return new Date(value instanceof Date ? value.getTime() : String(value)).toISOString();
}

/**
 * Stores a release, once per retirement and commitment: the table is append-only, so a second
 * release of the same field keeps the first, which is returned.
 */
export async function storeDisclosureRelease(
  db: Queryable,
  release: StoredDisclosureRelease,
): Promise<StoredDisclosureRelease> {
  await db.query(
    'INSERT INTO disclosure_releases (retirement_id, commitment, release, released_at) VALUES ($1, $2, $3, $4) ON CONFLICT (retirement_id, commitment) DO NOTHING',
    [release.retirementId, release.commitment, release.release, release.releasedAt],
  );
  const { rows } = await db.query<{ release: string; released_at: unknown }>(
    'SELECT release, released_at FROM disclosure_releases WHERE retirement_id = $1 AND commitment = $2',
    [release.retirementId, release.commitment],
  );
  const stored = rows[0];
  const beneficiary = releasedBeneficiary(stored?.release ?? release.release, release.commitment);
  if (beneficiary)
    await db.query(
      'INSERT INTO released_beneficiaries (retirement_id, beneficiary_id, beneficiary_name) VALUES ($1, $2, $3) ON CONFLICT (retirement_id) DO NOTHING',
      [release.retirementId, beneficiary.id, beneficiary.name],
    );
  return stored ? { ...release, release: stored.release, releasedAt: iso(stored.released_at) } : release;
}

const BENEFICIARY_POINTER = '/credentialSubject/creditRetirement/withheldBeneficiary';

/**
 * The beneficiary a stored release opens (its disclosure is [salt, "beneficiary", value]), so the
 * public search finds it from then on; undefined for other fields or a value without id and name.
 */
function releasedBeneficiary(release: string, commitment: string): { id: string; name: string } | undefined {
  if (commitment !== BENEFICIARY_POINTER) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(release.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      disclosure?: unknown;
    };
    const opened = JSON.parse(Buffer.from(String(payload.disclosure), 'base64url').toString('utf8')) as unknown;
    const value = Array.isArray(opened) ? (opened[2] as { id?: unknown; name?: unknown } | undefined) : undefined;
    return typeof value?.id === 'string' && typeof value.name === 'string'
      ? { id: value.id, name: value.name }
      : undefined;
  } catch {
    return undefined;
  }
}

/** A retirement's stored releases (compact JWS), oldest first. */
export async function disclosureReleases(db: Queryable, retirementId: string): Promise<string[]> {
  const { rows } = await db.query<{ release: string }>(
    'SELECT release FROM disclosure_releases WHERE retirement_id = $1 ORDER BY released_at, commitment',
    [retirementId],
  );
  return rows.map((row) => row.release);
}
