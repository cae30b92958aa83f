import { claimBoundaryInWords } from '../credits/claim-words.js';
import { describeWithheld, type WithheldState } from '../disclosure/withheld.js';
import type { Issue } from '../validate/report.js';
import type { VerificationReport } from './report.js';

/**
 * The one verdict renderer's pure half: a verification report (of a credential, a presentation, or
 * — through `bundleVerdict` — an offline bundle) becomes a view of lines and sections that the CLI
 * prints (`verdictLines`) and the pages turn into HTML. The rules live here so that every surface
 * says the same thing:
 * - a check that passed without checking everything (a step with a code, e.g. STATUS_UNAVAILABLE,
 *   UNTRUSTED_KEY) is a warning, never a ✔, and the headline says "with warnings";
 * - what the credential says (issuer, credits, beneficiary, claim) is `attested` only under a
 *   verified verdict; otherwise it is unverified content, which every surface sets apart.
 */

/** How a line is marked: checked and fine, worth a look (not fully checked), or failed. */
export type VerdictMark = 'ok' | 'warn' | 'fail';
/** The one set of symbols for marks, on every surface. */
export const MARK_SYMBOLS: Readonly<Record<VerdictMark, string>> = { ok: '✔', warn: '⚠', fail: '✘' };

export type VerdictOutcome = 'verified' | 'warnings' | 'failed';

/** One check (a step of verification), or one piece of evidence (a key, an anchor). */
export interface VerdictLine {
  mark: VerdictMark;
  name: string;
  code?: string;
  message?: string;
  /** Further lines under this one (e.g. the validation errors of a failed validation step). */
  sub?: string[];
}

/** One fact read from the credential. `serial` values must never break inside a number. */
export interface DetailField {
  label: string;
  value: string;
  kind?: 'id' | 'serial' | 'text';
  /** Plain words after the value. */
  note?: string;
  /** Shown in the terminal too (the pages show every field). */
  brief?: boolean;
}

export interface DetailSection {
  /** A stable name (HTML id and test hook): `credential`, `credits`, `claim-boundary`. */
  id: string;
  title: string;
  fields: DetailField[];
  /** Running text (the claim boundary in words). */
  prose?: string;
}

export interface VerdictView {
  outcome: VerdictOutcome;
  /** "Verified", "Verified, with warnings", "Not verified". */
  title: string;
  /** Why not verified, or which checks warn: `signature: SIGNATURE_INVALID`. */
  reason?: string;
  /** What was verified: `credential jose`, `presentation jose`, `bundle`. */
  what: string;
  checks: VerdictLine[];
  /** Said when checks stopped early (steps after a failed one are not run). */
  notRun?: string;
  /** Evidence beside the checks: keys and where they came from, anchors. */
  evidence: VerdictLine[];
  warnings: VerdictLine[];
  /** True only under a verified verdict: otherwise `sections` are unverified content. */
  attested: boolean;
  sections: DetailSection[];
  inner: Array<{ label: string; view: VerdictView }>;
}

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function text(...parts: unknown[]): string {
  return parts
    .filter((p) => p !== undefined && p !== null && p !== '')
    .map(String)
    .join(' ');
}

/** A step as a line: failed ✘, passed with something to say (a code) ⚠, passed ✔. */
export function checkLine(step: { name: string; ok: boolean; code?: string; message?: string }): VerdictLine {
  return {
    mark: !step.ok ? 'fail' : step.code ? 'warn' : 'ok',
    name: step.name,
    ...(step.code ? { code: step.code } : {}),
    ...(step.message ? { message: step.message } : {}),
  };
}

/**
 * The headline and warnings of a view from its checks and the report's warnings. Warnings a warning
 * check already says (same code) are not repeated.
 */
export function verdictOf(
  verified: boolean,
  checks: VerdictLine[],
  warnings: readonly Issue[],
  /** Steps whose failure stops verification (later steps are not run). */
  stopping: ReadonlySet<string>,
): Pick<VerdictView, 'outcome' | 'title' | 'reason' | 'warnings' | 'attested' | 'notRun'> {
  const failed = checks.find((c) => c.mark === 'fail');
  const warned = checks.filter((c) => c.mark === 'warn');
  const said = new Set(warned.map((c) => c.code));
  const warningLines = warnings
    .filter((w) => !said.has(w.code))
    .map((w): VerdictLine => ({ mark: 'warn', name: w.path || '/', code: w.code, message: w.message }));
  const lastRun = checks[checks.length - 1];
  const notRun =
    failed && lastRun === failed && stopping.has(failed.name) ? `Checks after ${failed.name} were not run.` : undefined;
  if (!verified || failed)
    return {
      outcome: 'failed',
      title: 'Not verified',
      reason: failed ? `${failed.name}: ${failed.code ?? 'failed'}` : 'not every check passed',
      warnings: warningLines,
      attested: false,
      ...(notRun ? { notRun } : {}),
    };
  if (warned.length > 0)
    return {
      outcome: 'warnings',
      title: 'Verified, with warnings',
      reason: warned.map((c) => `${c.name}: ${c.code}`).join(', '),
      warnings: warningLines,
      attested: true,
    };
  return { outcome: 'verified', title: 'Verified', warnings: warningLines, attested: true };
}

function serialOf(block: Obj): string {
  return `${String(block.prefix ?? '')} ${String(block.start ?? '?')}–${String(block.end ?? '?')}`.trim();
}

/** What a credit credential says: issuance or retirement, serials, site, beneficiary, claim boundary. */
export function creditSections(credential: Obj, withheldStates: readonly WithheldState[] = []): DetailSection[] {
  const subject = obj(credential.credentialSubject);
  const sections: DetailSection[] = [];
  const issuance = obj(subject.creditIssuance);
  if (issuance.serialBlock !== undefined) {
    const block = obj(issuance.serialBlock);
    const unit = obj(issuance.creditUnit);
    const site = obj(issuance.productionSite);
    const standard = obj(issuance.standard);
    sections.push({
      id: 'credits',
      title: 'Credits issued',
      fields: [
        { label: 'Issuance', value: String(issuance.issuanceId ?? ''), kind: 'id', brief: true },
        { label: 'Serials', value: serialOf(block), kind: 'serial', note: `${String(block.quantity ?? '?')} credits` },
        {
          label: 'Commodity',
          value: text(obj(unit.commodity).name ?? obj(unit.commodity).code),
          note: `${text(unit.quantityPerCredit, unit.unit)} per credit`,
        },
        { label: 'Production site', value: text(site.name), note: text(site.countrySubdivision) },
        { label: 'Standard', value: text(standard.name, standard.version) },
      ],
    });
  }
  const retirement = obj(subject.creditRetirement);
  if (retirement.retiredUnits !== undefined || retirement.retirementId !== undefined) {
    const fields: DetailField[] = [
      { label: 'Retirement', value: String(retirement.retirementId ?? ''), kind: 'id', brief: true },
      { label: 'Credits retired', value: String(retirement.totalQuantity ?? '?') },
    ];
    for (const unit of list(retirement.retiredUnits).map(obj))
      fields.push({
        label: 'Serials',
        value: serialOf(obj(unit.serialBlock)),
        kind: 'serial',
        note: text(obj(obj(unit.creditUnit).commodity).name, '·', obj(unit.productionSite).name),
      });
    const withheld = withheldStates.find((w) => w.field === 'beneficiary');
    const beneficiary = obj(retirement.beneficiary);
    if (withheld && withheld.state !== 'disclosed')
      fields.push({ label: 'Beneficiary', value: describeWithheld(withheld) });
    else {
      const shown = withheld?.state === 'disclosed' ? obj(withheld.value) : beneficiary;
      if (Object.keys(shown).length > 0)
        fields.push({
          label: 'Beneficiary',
          value: text(shown.name),
          note: shown.jurisdiction !== undefined ? `(${String(shown.jurisdiction)})` : '',
        });
    }
    sections.push({ id: 'credits', title: 'Credits retired', fields });
    if (obj(retirement.claimBoundary).allowedClaim !== undefined) {
      const shown = withheld?.state === 'disclosed' ? { ...retirement, beneficiary: obj(withheld.value) } : retirement;
      sections.push({ id: 'claim-boundary', title: 'Claim boundary', fields: [], prose: claimBoundaryInWords(shown) });
    }
  }
  return sections;
}

// Verification stops at the first failure of these (report.ts); later steps are not run.
const STOPPING_STEPS: ReadonlySet<string> = new Set([
  'decode',
  'header',
  'proof',
  'key',
  'signature',
  'disclosures',
  'keyBinding',
]);

/**
 * The view of a credential's or presentation's verification report.
 *
 * @example
 *   const view = credentialVerdict(await verify(jws, { resolver }));
 *   view.outcome; // 'failed'
 *   view.attested; // false: view.sections are unverified content
 */
export function credentialVerdict(report: VerificationReport, parentAttested = true): VerdictView {
  const checks = report.steps.map((step): VerdictLine => {
    const line = checkLine(step);
    const errors = step.validation && !step.validation.valid ? step.validation.errors : [];
    return errors.length > 0
      ? { ...line, sub: errors.map((e) => `error ${e.code} ${e.path || '/'}  ${e.message}`) }
      : line;
  });
  const verdict = verdictOf(report.verified, checks, report.warnings, STOPPING_STEPS);
  const attested = verdict.attested && parentAttested;
  const credential = report.credential ?? {};
  const issuer = obj(credential.issuer);
  const who = report.kind === 'presentation' ? 'Holder' : 'Issuer';
  const head: DetailField[] = [];
  if (report.issuer !== null)
    head.push({
      label: who,
      value: report.issuer,
      kind: 'id',
      brief: true,
      ...(typeof issuer.name === 'string' ? { note: `(${issuer.name})` } : {}),
    });
  const name = credential.name ?? credential.id;
  if (name !== undefined)
    head.push({ label: 'Credential', value: String(name), kind: credential.name !== undefined ? 'text' : 'id' });
  return {
    ...verdict,
    attested,
    what: `${report.kind} ${report.format ?? '(unknown format)'}`,
    checks,
    evidence: [],
    sections: [
      ...(head.length > 0
        ? [{ id: 'credential', title: report.kind === 'presentation' ? 'Presentation' : 'Credential', fields: head }]
        : []),
      ...creditSections(credential, report.withheld),
    ],
    inner: (report.credentials ?? []).map((inner, i) => ({
      label: `verifiableCredential[${i}]`,
      view: credentialVerdict(inner, attested),
    })),
  };
}

function lineText(line: VerdictLine): string {
  return `${MARK_SYMBOLS[line.mark]} ${line.name}${line.code ? ` ${line.code}` : ''}${line.message ? `  ${line.message}` : ''}`;
}

/**
 * The view as plain-text lines for a terminal: the headline, the checks on one line, then one line
 * per check that failed or warns, evidence, warnings, and the brief facts — under a failed verdict
 * marked as unverified content. Inner credentials are indented under their presentation.
 *
 * @example
 *   ✘ retirement.json  NOT verified (signature: SIGNATURE_INVALID)  credential jose
 *       checks ✔ decode ✔ header ✔ key ✘ signature  (checks after signature were not run)
 *       ✘ signature SIGNATURE_INVALID  the signature does not match the key
 *       unverified content (no check vouches for it): issuer did:web:registry.example
 */
export function verdictLines(label: string, view: VerdictView, indent = ''): string[] {
  const status =
    view.outcome === 'failed'
      ? `NOT verified (${view.reason ?? 'failed'})`
      : view.outcome === 'warnings'
        ? `verified, with warnings (${view.reason ?? ''})`
        : 'verified';
  const markOf: VerdictMark = view.outcome === 'failed' ? 'fail' : view.outcome === 'warnings' ? 'warn' : 'ok';
  const pad = `${indent}    `;
  const lines = [`${indent}${MARK_SYMBOLS[markOf]} ${label}  ${status}  ${view.what}`];
  lines.push(
    `${pad}checks ${view.checks.map((c) => `${MARK_SYMBOLS[c.mark]} ${c.name}`).join(' ')}${view.notRun ? `  (${view.notRun.replace(/^C/, 'c').replace(/\.$/, '')})` : ''}`,
  );
  for (const check of view.checks.filter((c) => c.mark !== 'ok')) {
    lines.push(`${pad}${lineText(check)}`);
    for (const sub of check.sub ?? []) lines.push(`${pad}    ${sub}`);
  }
  for (const line of view.evidence) lines.push(`${pad}${lineText(line)}`);
  for (const w of view.warnings)
    lines.push(`${pad}${MARK_SYMBOLS.warn} warning ${w.code ?? ''} ${w.name}  ${w.message ?? ''}`);
  const brief = view.sections.flatMap((s) => s.fields.filter((f) => f.brief));
  if (brief.length > 0) {
    const facts = brief.map((f) => `${f.label.toLowerCase()} ${f.value}`).join('  ');
    lines.push(view.attested ? `${pad}${facts}` : `${pad}unverified content (no check vouches for it): ${facts}`);
  }
  for (const inner of view.inner) lines.push(...verdictLines(inner.label, inner.view, pad));
  return lines;
}
