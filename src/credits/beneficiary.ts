import { beneficiaryOf } from './build.js';
import type { RetirementInput, WithheldCommitment } from './types.js';
import { commitField, type FieldDisclosure } from '../disclosure/commitment.js';

/** Where a retirement credential carries its withheld beneficiary. */
export const WITHHELD_BENEFICIARY_POINTER = '/credentialSubject/creditRetirement/withheldBeneficiary';

/**
 * Commits to a retirement's beneficiary, exactly as the retirement would state it in clear, to be
 * disclosed from `disclosureDate`. Put `commitment` in the retirement input as `withheldBeneficiary`
 * (instead of `beneficiary`) and keep `disclosure.disclosure` until the release.
 *
 * @example
 *   const { commitment, disclosure } = commitBeneficiary(beneficiary, '2027-03-31');
 *   await registry.retire({ …, details: { ...details, beneficiary: undefined, withheldBeneficiary: commitment } });
 */
export function commitBeneficiary(
  beneficiary: NonNullable<RetirementInput['beneficiary']>,
  disclosureDate: string,
  salt?: string,
): { commitment: WithheldCommitment; disclosure: FieldDisclosure } {
  return commitField('beneficiary', beneficiaryOf(beneficiary), { disclosureDate, ...(salt ? { salt } : {}) }) as {
    commitment: WithheldCommitment;
    disclosure: FieldDisclosure;
  };
}
