import type { ErrorCode } from '../errors/catalogue.js';
import type { DidResolver } from '../keys/resolver.js';
import type { SignatureAlgorithm } from '../keys/types.js';
import { isUntpCreditsError } from '../errors.js';
import type { Issue } from '../validate/report.js';
import { COMMITMENT_METHOD, type FieldCommitment } from './commitment.js';
import { fieldNameOf, verifyDisclosureRelease } from './release.js';
import { appendPointer } from '../lib/json-pointer.js';

/** A withheld field found in a credential. */
export interface WithheldField {
  /** Pointer of the commitment, e.g. /credentialSubject/creditRetirement/withheldBeneficiary. */
  commitment: string;
  /** The field it stands for, e.g. beneficiary. */
  field: string;
  disclosureDate: string;
}

/** The state of each withheld field at `now`, with any released value. */
export interface WithheldState extends WithheldField {
  state: 'withheld' | 'disclosed' | 'overdue';
  value?: unknown;
}

/**
 * Every commitment (`withheld<Field>` members carrying a commitmentMethod) in a credential.
 *
 * @example
 *   withheldFields(retirement); // [{ commitment: '/credentialSubject/creditRetirement/withheldBeneficiary', field: 'beneficiary', disclosureDate: '2027-03-31' }]
 */
export function withheldFields(credential: unknown): WithheldField[] {
  const found: WithheldField[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${path}/${i}`));
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const child = appendPointer(path, key);
        const c = value as Partial<FieldCommitment> | null;
        if (
          /^withheld[A-Z]/.test(key) &&
          c !== null &&
          typeof c === 'object' &&
          c.commitmentMethod === COMMITMENT_METHOD
        ) {
          found.push({ commitment: child, field: fieldNameOf(child), disclosureDate: String(c.disclosureDate) });
        } else walk(value, child);
      }
    }
  };
  walk(credential, '');
  return found;
}

export interface WithheldCheck {
  ok: boolean;
  code?: ErrorCode;
  message?: string;
  warnings: Issue[];
  fields: WithheldState[];
}

/**
 * The `disclosure` step of verification: each release must verify against this credential (a bad
 * release fails the step with its code); each withheld field is then reported as disclosed, withheld
 * until its date (warning FIELD_WITHHELD), or past its date without a release (warning DISCLOSURE_OVERDUE).
 *
 * @example
 *   const check = await checkWithheld(credential, { releases: [release], now: new Date(), resolver });
 *   check.fields[0]?.state; // 'disclosed'
 */
export async function checkWithheld(
  credential: Record<string, unknown>,
  options: {
    releases: readonly unknown[];
    now: Date;
    resolver: DidResolver;
    credentialJws?: string;
    algorithms?: readonly SignatureAlgorithm[];
  },
): Promise<WithheldCheck> {
  const fields: WithheldState[] = withheldFields(credential).map((f) => ({ ...f, state: 'withheld' }));
  const warnings: Issue[] = [];
  for (const [i, release] of options.releases.entries()) {
    try {
      const opened = await verifyDisclosureRelease(release, {
        credential,
        resolver: options.resolver,
        ...(options.credentialJws ? { credentialJws: options.credentialJws } : {}),
        ...(options.algorithms ? { algorithms: options.algorithms } : {}),
      });
      const field = fields.find((f) => f.commitment === opened.commitment);
      if (field) Object.assign(field, { state: 'disclosed', value: opened.value });
    } catch (error) {
      const code = isUntpCreditsError(error) ? error.code : 'INTERNAL_ERROR';
      return { ok: false, code, message: `disclosure release ${i}: ${(error as Error).message}`, warnings, fields };
    }
  }
  const today = options.now.toISOString().slice(0, 10);
  for (const field of fields) {
    if (field.state === 'disclosed') continue;
    if (today >= field.disclosureDate) {
      field.state = 'overdue';
      warnings.push({
        code: 'DISCLOSURE_OVERDUE',
        path: field.commitment,
        message: `the ${field.field} was to be disclosed from ${field.disclosureDate}; no release was given`,
      });
    } else {
      warnings.push({
        code: 'FIELD_WITHHELD',
        path: field.commitment,
        message: `${field.field} withheld until ${field.disclosureDate}`,
      });
    }
  }
  const summary = fields
    .map((f) =>
      f.state === 'disclosed'
        ? `${f.field} disclosed`
        : f.state === 'overdue'
          ? `${f.field} due since ${f.disclosureDate}, not released`
          : `${f.field} withheld until ${f.disclosureDate}`,
    )
    .join('; ');
  const code = fields.some((f) => f.state === 'overdue')
    ? 'DISCLOSURE_OVERDUE'
    : fields.some((f) => f.state === 'withheld')
      ? 'FIELD_WITHHELD'
      : fields.length > 0
        ? 'FIELD_DISCLOSED'
        : undefined;
  return { ok: true, ...(code ? { code } : {}), message: summary || 'no withheld fields', warnings, fields };
}

/**
 * A one-line text for statement pages, APIs and bundles: "withheld until D" before the date,
 * the disclosed value's name after a verified release.
 *
 * @example
 *   describeWithheld(state); // 'Beneficiary withheld until 2027-03-31'
 */
export function describeWithheld(state: WithheldState): string {
  const label = state.field.charAt(0).toUpperCase() + state.field.slice(1);
  if (state.state === 'disclosed') {
    const v = state.value as { name?: unknown } | null;
    return `${label}: ${typeof v?.name === 'string' ? v.name : JSON.stringify(state.value)} (disclosed after ${state.disclosureDate})`;
  }
  if (state.state === 'overdue') return `${label} due for disclosure since ${state.disclosureDate}, not yet released`;
  return `${label} withheld until ${state.disclosureDate}`;
}
