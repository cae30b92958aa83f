import { jwsPayload } from '../lib/digest.js';
import { VC_JWT_PREFIX } from '../lib/envelope.js';
import type { IssuanceRecord, RetirementRecord } from '../registry/records.js';

/**
 * Export rows of the public search (docs/integration.md): flat, one per record, each with the
 * credential id and digest so a row can be checked against the signed credential. A withheld
 * beneficiary is not in the credential, so not in the row.
 */

export const RETIREMENT_COLUMNS = [
  'retirementId',
  'retiredAt',
  'account',
  'quantity',
  'beneficiaryId',
  'beneficiaryName',
  'purpose',
  'claimStart',
  'claimEnd',
  'revoked',
  'invalidated',
  'replaces',
  'replacedBy',
  'recordUrl',
  'credentialId',
  'digestMultibase',
] as const;

export const ISSUANCE_COLUMNS = [
  'issuanceId',
  'issuedAt',
  'prefix',
  'start',
  'end',
  'quantity',
  'initialHolder',
  'revoked',
  'replaces',
  'replacedBy',
  'recordUrl',
  'credentialId',
  'digestMultibase',
] as const;

type Row = Record<string, string | number | boolean | null>;

function subjectOf(credential: { id: string }): Record<string, any> {
  try {
    return (jwsPayload(credential.id.slice(VC_JWT_PREFIX.length)).credentialSubject ?? {}) as Record<string, any>;
  } catch {
    return {};
  }
}

/** A retirement record as an export row. */
export function retirementRow(record: RetirementRecord): Row {
  const retirement = (subjectOf(record.credential).creditRetirement ?? {}) as Record<string, any>;
  const period = (retirement.claimBoundary?.claimPeriod ?? {}) as { startDate?: string; endDate?: string };
  return {
    retirementId: record.retirementId,
    retiredAt: record.retiredAt,
    account: record.account,
    quantity: record.quantity,
    beneficiaryId: typeof retirement.beneficiary?.id === 'string' ? retirement.beneficiary.id : null,
    beneficiaryName: typeof retirement.beneficiary?.name === 'string' ? retirement.beneficiary.name : null,
    purpose: typeof retirement.purpose === 'string' ? retirement.purpose : null,
    claimStart: period.startDate ?? null,
    claimEnd: period.endDate ?? null,
    revoked: record.revoked,
    invalidated: record.invalidated,
    replaces: record.replaces ?? null,
    replacedBy: record.replacedBy ?? null,
    recordUrl: record.recordUrl,
    credentialId: record.credentialId,
    digestMultibase: record.digestMultibase,
  };
}

/** An issuance record as an export row. */
export function issuanceRow(record: IssuanceRecord): Row {
  return {
    issuanceId: record.issuanceId,
    issuedAt: record.issuedAt,
    prefix: record.serialBlock.prefix,
    start: record.serialBlock.start,
    end: record.serialBlock.end,
    quantity: record.serialBlock.quantity,
    initialHolder: record.initialHolder,
    revoked: record.revoked,
    replaces: record.replaces ?? null,
    replacedBy: record.replacedBy ?? null,
    recordUrl: record.recordUrl,
    credentialId: record.credentialId,
    digestMultibase: record.digestMultibase,
  };
}
