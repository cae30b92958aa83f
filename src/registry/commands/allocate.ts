import { allocationInputOf, buildAllocationCredential, readAllocation } from '../../impact/build.js';
import { checkAllocation, insertAllocation } from '../../impact/ledger.js';
import {
  appendEvent,
  baseUrl,
  checkId,
  requireReservation,
  runCommand,
  storeCredential,
  type Ledger,
} from '../context.js';
import type { EventRecord, SignedCredential } from '../types.js';

export interface AllocateInput {
  key: string;
  /**
   * The unsigned PremiumAllocationCredential draft (`impact build`): its id, issuer, validFrom,
   * record URL and status entry are the ledger's to set, whatever the draft says.
   */
  draft: Record<string, unknown>;
}

export interface AllocateResult extends SignedCredential {
  event: EventRecord;
  reportId: string;
  currency: string;
  received: string;
  allocated: string;
  /** The retirements whose premium the report allocates, by registry id. */
  retirements: string[];
  recordUrl: string;
}

/**
 * Records a premium allocation report: the ledger rebuilds the credential from the draft with its
 * own id, issuer, time and status entry (a ledger list), checks that every retirement it reports is
 * one of this registry's, cited by the digest of its credential, then signs it and stores it with
 * its figures, in one transaction, as the event `allocated` (logged like every event). Codes:
 * ALLOCATION_INVALID, ALLOCATION_EXISTS, ALLOCATION_EXCEEDS_PREMIUM, RETIREMENT_NOT_FOUND,
 * DIGEST_MISMATCH, and the builder's (MISSING_FIELD, PERSONAL_DATA_REFUSED, …).
 *
 * @example
 *   const { credential, reportId } = await registry.allocate({ key: 'alloc-1', draft: buildAllocationCredential(input) });
 */
export async function allocate(ledger: Ledger, input: AllocateInput): Promise<AllocateResult> {
  const { key, ...body } = input;
  return runCommand(
    ledger,
    'allocate',
    key,
    body,
    async (tx, reserved) => {
      const status = requireReservation(reserved[0]);
      const report = allocationInputOf(input.draft);
      const reportId = checkId(report.reportId, '/credentialSubject/premiumAllocation/reportId', 'a report id');
      const recordUrl = `${baseUrl(ledger)}/allocations/${encodeURIComponent(reportId)}`;
      const credential = buildAllocationCredential({
        ...report,
        id: status.credentialId,
        issuer: ledger.options.issuer,
        validFrom: ledger.now().toISOString(),
        recordUrl,
        credentialStatus: {
          statusListCredential: status.statusListCredential,
          statusListIndex: status.statusListIndex,
        },
      });
      const summary = readAllocation(credential);
      const cited = await checkAllocation(tx, summary);
      const event = await appendEvent(tx, ledger, 'allocated', key, {
        reportId,
        retirementIds: cited.map((c) => c.retirementId),
      });
      const signed = await storeCredential(tx, ledger, {
        id: status.credentialId,
        kind: 'allocation',
        credential,
        status: { listId: status.listId, statusListIndex: status.statusListIndex },
        eventSeq: event.seq,
      });
      await insertAllocation(tx, summary, signed, cited);
      return {
        event,
        reportId,
        credentialId: status.credentialId,
        credential: signed.credential,
        digestMultibase: signed.digestMultibase,
        currency: summary.currency,
        received: summary.received,
        allocated: summary.allocated,
        retirements: cited.map((c) => c.retirementId),
        recordUrl,
      };
    },
    { credentials: 1 },
  );
}
