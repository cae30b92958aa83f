import type { ErrorCode } from '../errors/catalogue.js';
import { compactJwsOf } from '../bundle/build.js';
import type { BundleReport } from '../bundle/verify.js';
import { isObject } from '../credits/check.js';
import type { VerificationReport } from '../verify/report.js';
import { latestStatusLists, revokedBy, statementFromReport, statementsFromBundles } from './collect.js';
import { detectDoubleClaims, type RetirementStatement, type SweepResult } from './double-claim.js';
import {
  crossCheckPassports,
  type CrossCheckOptions,
  type CrossCheckReport,
  type KnownRetirement,
  type PassportInput,
} from './dpp-cross-check.js';

/** A finding about one input of a batch (a double claim names both inputs). */
export interface ClaimFinding {
  code: ErrorCode;
  ok: boolean;
  message: string;
  /** Retirement credential ids involved (DOUBLE_CLAIM: both). */
  credentials?: string[];
}

/** What the batch checks found across all inputs. */
export interface BatchClaimsReport {
  ok: boolean;
  sweep: SweepResult;
  passports: CrossCheckReport;
  /** Findings per input (source), for the per-file report. */
  bySource: Map<string, ClaimFinding[]>;
}

/**
 * Collects the verified inputs of one `verify` run — bundles, retirement credentials, passports —
 * and runs the checks that need all of them: the double-claim sweep over every retirement and the
 * DPP cross-check of every passport against the retirements given. Pure apart from what it is fed.
 *
 * @example
 *   const batch = new ClaimsBatch();
 *   batch.addBundle('a.bundle.json', await verifyBundle(a));
 *   batch.addCredential('dpp.json', dppInput, await verify(dppInput));
 *   const { ok, bySource } = batch.finish({ market: 'DE' });
 */
export class ClaimsBatch {
  private readonly bundles: Array<{ source: string; report: BundleReport }> = [];
  private readonly statements: Array<{
    statement: RetirementStatement;
    credential: Record<string, unknown>;
    issuer: string | null;
  }> = [];
  private readonly retirements: KnownRetirement[] = [];
  private readonly passports: PassportInput[] = [];
  private readonly sourcesOf = new Map<string, Set<string>>();

  private note(credentialId: string, source: string): void {
    const set = this.sourcesOf.get(credentialId) ?? new Set<string>();
    set.add(source);
    this.sourcesOf.set(credentialId, set);
  }

  addBundle(source: string, report: BundleReport): void {
    this.bundles.push({ source, report });
    if (report.retirement && report.retirementJws) {
      this.retirements.push({ jws: report.retirementJws, credential: report.retirement, valid: report.verified });
      this.note(String(report.retirement.id), source);
    }
  }

  addCredential(source: string, input: unknown, report: VerificationReport): void {
    const credential = report.credential;
    if (!credential || report.kind !== 'credential') return;
    const types = Array.isArray(credential.type) ? credential.type : [credential.type];
    if (types.includes('CreditRetirementCredential')) {
      const statement = statementFromReport(source, report);
      if (statement) this.statements.push({ statement, credential, issuer: report.issuer });
      this.note(String(credential.id), source);
      let jws: string | undefined;
      try {
        jws = compactJwsOf(input as string | Record<string, unknown>);
      } catch {
        jws = undefined; // Data Integrity: no JWS bytes to match a digest against
      }
      if (jws) this.retirements.push({ jws, credential, valid: report.verified });
    } else if (types.includes('DigitalProductPassport') && isObject(credential.credentialSubject)) {
      this.passports.push({ source, credential, verified: report.verified });
    }
  }

  /** True when there is anything for the batch checks to look at. */
  get size(): number {
    return this.bundles.length + this.statements.length + this.passports.length;
  }

  finish(options: CrossCheckOptions = {}): BatchClaimsReport {
    // Plain retirement credentials are checked against the newest status snapshots the bundles carry.
    const lists = latestStatusLists(this.bundles.map((b) => b.report));
    const plain = this.statements.map(({ statement, credential, issuer }) =>
      statement.revoked || !revokedBy(credential, issuer, lists)
        ? statement
        : { ...statement, valid: false, revoked: true },
    );
    const sweep = detectDoubleClaims([...statementsFromBundles(this.bundles), ...plain]);
    const passports = crossCheckPassports(this.passports, this.retirements, options);
    const bySource = new Map<string, ClaimFinding[]>();
    const add = (source: string, finding: ClaimFinding) =>
      bySource.set(source, [...(bySource.get(source) ?? []), finding]);
    for (const claim of sweep.doubleClaims) {
      for (const id of claim.credentials) {
        for (const source of this.sourcesOf.get(id) ?? [])
          add(source, { code: claim.code, ok: false, message: claim.message, credentials: [...claim.credentials] });
      }
    }
    for (const warning of sweep.warnings) {
      const id = /^(\S+)/.exec(warning.message)?.[1] ?? '';
      for (const source of this.sourcesOf.get(id) ?? [])
        add(source, { code: warning.code, ok: true, message: warning.message });
    }
    for (const finding of passports.findings) {
      const sources =
        finding.passport !== undefined
          ? this.passports
              .filter((p) => (typeof p.credential.id === 'string' ? p.credential.id : p.source) === finding.passport)
              .map((p) => p.source)
          : this.passports
              .filter((p) =>
                passports.totals
                  .find((t) => t.retirement === finding.retirement)
                  ?.passports.includes(String(p.credential.id ?? p.source)),
              )
              .map((p) => p.source);
      for (const source of sources)
        add(source, {
          code: finding.code,
          ok: finding.ok,
          message: finding.message,
          ...(finding.retirement ? { credentials: [finding.retirement] } : {}),
        });
    }
    return { ok: sweep.doubleClaims.length === 0 && passports.ok, sweep, passports, bySource };
  }
}
