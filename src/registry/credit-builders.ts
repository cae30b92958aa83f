import { buildIssuanceCredential, buildRetirementCredential } from '../credits/build.js';
import type { IssuanceInput, RetirementInput } from '../credits/types.js';
import type { CredentialBuilders } from './types.js';

/**
 * The default builders: the credit credential builders (UNTP DCC-based issuance and retirement
 * credentials), fed with the caller's `details` plus the facts only the ledger knows (ids,
 * serial block, holder, status entry, cited issuance JWS and digest).
 * A correction's reissue and an amended retirement carry `replaces` (id + digest of the old one).
 *
 * @example
 *   const registry = await Registry.open({ db, baseUrl, issuer, secure: joseSecurer(signer), builders: creditBuilders });
 */
export const creditBuilders: CredentialBuilders = {
  issuance: (facts) =>
    buildIssuanceCredential({
      ...(facts.details as Partial<IssuanceInput>),
      id: facts.id,
      issuer: facts.issuer,
      validFrom: facts.validFrom,
      recordUrl: facts.recordUrl,
      credentialStatus: facts.credentialStatus,
      issuanceId: facts.issuanceId,
      serialBlock: facts.serialBlock,
      initialHolder: facts.initialHolder,
      ...(facts.replaces ? { replaces: facts.replaces } : {}),
    } as IssuanceInput),
  retirement: (facts) =>
    buildRetirementCredential({
      ...(facts.details as Partial<RetirementInput>),
      id: facts.id,
      issuer: facts.issuer,
      validFrom: facts.validFrom,
      recordUrl: facts.recordUrl,
      credentialStatus: facts.credentialStatus,
      retirementId: facts.retirementId,
      retiredAt: facts.retiredAt,
      retiredUnits: facts.retiredUnits.map((unit) => ({
        issuance: { jws: unit.issuance.jws, digestMultibase: unit.issuance.digestMultibase },
        serialBlock: unit.serialBlock,
      })),
      retiringAccount: facts.retiringAccount,
      ...(facts.replaces ? { replaces: facts.replaces } : {}),
    } as RetirementInput),
};
