import type { ErrorCode } from '../errors/catalogue.js';
import type { Issue } from '../validate/report.js';
import { isCreditCredential } from '../lib/credential.js';

/** The outcome of checking one `credentialStatus` entry. */
export interface StatusCheck {
  /**
   * `unavailable`: the status list could not be obtained (offline, unknown list). `invalid`: the
   * entry or its list is refused (`code` says why, e.g. STATUS_LIST_NOT_LEDGER); the step fails.
   */
  status: 'valid' | 'revoked' | 'suspended' | 'unavailable' | 'invalid';
  message?: string;
  code?: ErrorCode;
}

/**
 * Looks up credential status (e.g. a BitstringStatusListEntry) — the registry plugs its own in.
 * It may throw; a throw counts as `unavailable`.
 *
 * @example
 *   const status: StatusListResolver = { check: async (entry) => registry.statusOf(entry) };
 *   await verify(input, { status });
 */
export interface StatusListResolver {
  check(entry: Record<string, unknown>, credential: Record<string, unknown>): Promise<StatusCheck>;
}

export interface StatusStepResult {
  ok: boolean;
  code?: ErrorCode;
  message?: string;
  warnings: Issue[];
}

/**
 * The status step: no `credentialStatus` passes; revoked/suspended fail (CREDENTIAL_REVOKED /
 * CREDENTIAL_SUSPENDED); an entry the resolver refuses fails with its code (a credit credential
 * whose entry is not on a list of its issuer's ledger: STATUS_LIST_NOT_LEDGER); a list that cannot be reached gives the warning STATUS_UNAVAILABLE, and
 * fails only under `requireStatus`.
 */
export async function checkStatus(
  credential: Record<string, unknown>,
  resolver: StatusListResolver | undefined,
  requireStatus: boolean,
): Promise<StatusStepResult> {
  const raw = credential.credentialStatus;
  if (raw === undefined) return { ok: true, message: 'no credentialStatus', warnings: [] };
  const entries = Array.isArray(raw) ? raw : [raw];
  const warnings: Issue[] = [];
  for (const [index, entry] of entries.entries()) {
    const path = Array.isArray(raw) ? `/credentialStatus/${index}` : '/credentialStatus';
    let result: StatusCheck;
    if (entry === null || typeof entry !== 'object') {
      result = { status: 'unavailable', message: 'the credentialStatus entry is not an object' };
    } else if (
      isCreditCredential(credential) &&
      typeof (entry as { statusListIndex?: unknown }).statusListIndex !== 'number'
    ) {
      // The ledger's lists index credit credentials with integers (as the UNTP schema types them);
      // a base-10 string index is the generic VC-API issuer's, never the ledger's.
      result = {
        status: 'invalid',
        code: 'STATUS_LIST_NOT_LEDGER',
        message: `a credit credential's statusListIndex is an integer on a ledger list; ${JSON.stringify((entry as { statusListIndex?: unknown }).statusListIndex)} is not`,
      };
    } else if (!resolver) {
      result = {
        status: 'unavailable',
        message: 'no status list resolver is configured; the status list cannot be reached offline',
      };
    } else {
      try {
        result = await resolver.check(entry as Record<string, unknown>, credential);
      } catch (error) {
        result = { status: 'unavailable', message: (error as Error)?.message ?? String(error) };
      }
    }
    const purpose = String((entry as { statusPurpose?: unknown } | null)?.statusPurpose ?? 'status');
    if (result.status === 'invalid')
      return {
        ok: false,
        code: result.code ?? 'STATUS_ENTRY_INVALID',
        message: `${path}: ${result.message ?? 'the status entry is refused'}`,
        warnings,
      };
    if (result.status === 'revoked')
      return {
        ok: false,
        code: 'CREDENTIAL_REVOKED',
        message: result.message ?? `the credential is revoked (${purpose})`,
        warnings,
      };
    if (result.status === 'suspended')
      return {
        ok: false,
        code: 'CREDENTIAL_SUSPENDED',
        message: result.message ?? `the credential is suspended (${purpose})`,
        warnings,
      };
    if (result.status === 'unavailable') {
      const list = (entry as { statusListCredential?: unknown } | null)?.statusListCredential;
      const message = `status (${purpose}) not checked${typeof list === 'string' ? ` against ${list}` : ''}: ${result.message ?? 'unavailable'}`;
      if (requireStatus) return { ok: false, code: 'STATUS_UNAVAILABLE', message, warnings };
      warnings.push({ code: 'STATUS_UNAVAILABLE', path, message });
    }
  }
  return warnings.length > 0
    ? { ok: true, code: 'STATUS_UNAVAILABLE', message: warnings.map((w) => w.message).join('; '), warnings }
    : { ok: true, warnings };
}
