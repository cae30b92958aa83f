import type { ErrorCode } from '../errors/catalogue.js';
import { isObject } from '../credits/check.js';

/**
 * Double-claim detection over many retirement statements: the same serials of one issuance
 * retired by two different, valid retirements. Pure, O(n log n) in the number of ranges: one sort
 * by (issuance, start) and one sweep that keeps the range reaching furthest so far.
 */

/** One retirement as the sweep sees it. */
export interface RetirementStatement {
  /** The retirement credential's id. */
  credentialId: string;
  /** Verified (signature, schema, arithmetic) and not revoked as far as the verifier knows. */
  valid: boolean;
  /** Revoked per its status list (an amended retirement's old credential is). */
  revoked?: boolean;
  /** The retirement credential this one amends (`creditRetirement.replaces.id`). */
  replaces?: string;
  ranges: RetiredRange[];
  /** Where it was seen (files, bundles), for the report. */
  sources?: string[];
}

/** A block retired: serials `start..end` of issuance credential `issuance` in namespace `prefix`. */
export interface RetiredRange {
  issuance: string;
  prefix: string;
  start: number;
  end: number;
}

export interface DoubleClaim {
  code: 'DOUBLE_CLAIM';
  /** The two retirement credential ids, in sweep order. */
  credentials: [string, string];
  issuance: string;
  prefix: string;
  /** The serials both claim. */
  overlap: { start: number; end: number };
  message: string;
}

export interface SweepResult {
  doubleClaims: DoubleClaim[];
  /** Distinct statements after de-duplication by credential id. */
  statements: number;
  /** Statements that took part (valid, not superseded by an amendment in the set). */
  participants: number;
  /** Ranges swept. */
  ranges: number;
  /** Retirements left out: invalid, revoked or superseded, with why. */
  excluded: Array<{ credentialId: string; reason: 'invalid' | 'revoked' | 'superseded'; by?: string }>;
  warnings: Array<{ code: ErrorCode; message: string }>;
  /** Key comparisons made (sort + sweep): what the complexity test counts. */
  comparisons: number;
}

/**
 * Finds every serial range claimed by two different valid retirements of the same issuance. The
 * same credential seen several times (in several bundles) counts once; a retirement replaced by an
 * amendment in the set (the amendment's `replaces`) is left out, and so is a revoked one. Every
 * range that overlaps any other is reported at least once, paired with the earlier range that
 * reaches furthest; `comparisons` counts key comparisons (sort plus sweep).
 *
 * @example
 *   const { doubleClaims } = detectDoubleClaims([a, b]);
 *   doubleClaims[0]; // { code: 'DOUBLE_CLAIM', credentials: [a.credentialId, b.credentialId], overlap: { start: 41, end: 50 }, … }
 */
export function detectDoubleClaims(statements: Iterable<RetirementStatement>): SweepResult {
  const byId = new Map<string, RetirementStatement>();
  for (const s of statements) {
    const known = byId.get(s.credentialId);
    // Seen twice: one credential, one claim. Keep the sources, and the worse verdict.
    if (known)
      byId.set(s.credentialId, {
        ...known,
        valid: known.valid && s.valid,
        revoked: Boolean(known.revoked || s.revoked),
        sources: [...(known.sources ?? []), ...(s.sources ?? [])],
      });
    else byId.set(s.credentialId, s);
  }
  const excluded: SweepResult['excluded'] = [];
  const warnings: SweepResult['warnings'] = [];
  const supersededBy = new Map<string, string>();
  for (const s of byId.values()) if (s.valid && !s.revoked && s.replaces) supersededBy.set(s.replaces, s.credentialId);
  // Issuance namespaces interned as small integers: the sort compares numbers, not long URLs.
  const keys = new Map<string, number>();
  const ranges: Array<RetiredRange & { credentialId: string; key: number }> = [];
  let participants = 0;
  for (const s of byId.values()) {
    if (!s.valid && !s.revoked) {
      excluded.push({ credentialId: s.credentialId, reason: 'invalid' });
      continue;
    }
    if (s.revoked) {
      excluded.push({
        credentialId: s.credentialId,
        reason: 'revoked',
        ...(supersededBy.has(s.credentialId) ? { by: supersededBy.get(s.credentialId) as string } : {}),
      });
      continue;
    }
    const by = supersededBy.get(s.credentialId);
    if (by !== undefined) {
      excluded.push({ credentialId: s.credentialId, reason: 'superseded', by });
      warnings.push({
        code: 'SUPERSEDED_NOT_REVOKED',
        message: `${s.credentialId} is amended by ${by} but not shown revoked (no status snapshot for it)`,
      });
      continue;
    }
    participants++;
    for (const r of s.ranges) {
      const name = `${r.issuance}\u0000${r.prefix}`;
      let key = keys.get(name);
      if (key === undefined) keys.set(name, (key = keys.size));
      ranges.push({
        issuance: r.issuance,
        prefix: r.prefix,
        start: r.start,
        end: r.end,
        credentialId: s.credentialId,
        key,
      });
    }
  }

  let comparisons = 0;
  ranges.sort((a, b) => {
    comparisons++;
    return a.key - b.key || a.start - b.start;
  });
  const doubleClaims: DoubleClaim[] = [];
  let reach: (typeof ranges)[number] | undefined;
  for (const r of ranges) {
    comparisons++;
    if (reach === undefined || reach.key !== r.key || r.start > reach.end) {
      reach = r;
      continue;
    }
    if (reach.credentialId !== r.credentialId) {
      const overlap = { start: r.start, end: Math.min(r.end, reach.end) };
      doubleClaims.push({
        code: 'DOUBLE_CLAIM',
        credentials: [reach.credentialId, r.credentialId],
        issuance: r.issuance,
        prefix: r.prefix,
        overlap,
        message: `serials ${r.prefix} ${overlap.start}–${overlap.end} of ${r.issuance} are retired by both ${reach.credentialId} and ${r.credentialId}`,
      });
    }
    if (r.end > reach.end) reach = r;
  }
  return { doubleClaims, statements: byId.size, participants, ranges: ranges.length, excluded, warnings, comparisons };
}

/**
 * The statement of a retirement credential (its payload): its id, `replaces`, and each retired
 * block keyed by the issuance credential it cites. `valid`/`revoked` come from verification.
 *
 * @example
 *   retirementStatement(jwsPayload(jws), { valid: report.verified, revoked: false, source: 'a.bundle.json' });
 */
export function retirementStatement(
  credential: Record<string, unknown>,
  verdict: { valid: boolean; revoked?: boolean; source?: string },
): RetirementStatement {
  const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : {};
  const ext = isObject(subject.creditRetirement) ? subject.creditRetirement : {};
  const units = Array.isArray(ext.retiredUnits) ? ext.retiredUnits.filter(isObject) : [];
  const ranges: RetiredRange[] = [];
  for (const unit of units) {
    const block = isObject(unit.serialBlock) ? unit.serialBlock : {};
    const issuance =
      isObject(unit.issuanceCredential) && typeof unit.issuanceCredential.id === 'string'
        ? unit.issuanceCredential.id
        : String(unit.issuanceId ?? '');
    if (typeof block.prefix === 'string' && Number.isSafeInteger(block.start) && Number.isSafeInteger(block.end)) {
      ranges.push({ issuance, prefix: block.prefix, start: block.start as number, end: block.end as number });
    }
  }
  const replaces = isObject(ext.replaces) && typeof ext.replaces.id === 'string' ? ext.replaces.id : undefined;
  return {
    credentialId: String(credential.id ?? ''),
    valid: verdict.valid,
    ...(verdict.revoked !== undefined ? { revoked: verdict.revoked } : {}),
    ...(replaces ? { replaces } : {}),
    ranges,
    ...(verdict.source ? { sources: [verdict.source] } : {}),
  };
}
