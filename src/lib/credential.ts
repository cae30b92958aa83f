/** The issuer id of a credential (`issuer` string or `issuer.id`), or null. */
export function issuerIdOf(credential: Record<string, unknown>): string | null {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (issuer !== null && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string')
    return (issuer as { id: string }).id;
  return null;
}

/** The holder id of a presentation (`holder` string or `holder.id`), or null. */
export function holderIdOf(presentation: Record<string, unknown>): string | null {
  return issuerIdOf({ issuer: presentation.holder });
}

/** The credit credential types: only the registry's ledger signs them (issuance, retirement, premium allocation). */
export const CREDIT_CREDENTIAL_TYPES = [
  'CreditIssuanceCredential',
  'CreditRetirementCredential',
  'PremiumAllocationCredential',
] as const;

/** The namespace of this project's contexts, schemas and scheme. */
export const CREDITS_NAMESPACE = 'https://w3id.org/untp-credits/';

/** The credentialSubject members that carry credit terms. */
const CREDIT_SUBJECT_TERMS = ['creditIssuance', 'creditRetirement', 'premiumAllocation'] as const;

const typesOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Whether a credential is typed as a credit credential (CREDIT_CREDENTIAL_TYPES). */
export function isCreditCredential(credential: Record<string, unknown>): boolean {
  return typesOf(credential.type).some((t) => (CREDIT_CREDENTIAL_TYPES as readonly unknown[]).includes(t));
}

/**
 * Where a credential uses this project's vocabulary: the JSON pointer of the first untp-credits
 * context, credit type or credit term of its subject, or undefined. The generic VC-API issuer
 * refuses such a credential: credit credentials are made by the ledger only.
 */
export function creditVocabularyIn(credential: Record<string, unknown>): string | undefined {
  const contexts = typesOf(credential['@context']);
  for (const [i, context] of contexts.entries())
    if (typeof context === 'string' && context.startsWith(CREDITS_NAMESPACE))
      return Array.isArray(credential['@context']) ? `/@context/${i}` : '/@context';
  const types = typesOf(credential.type);
  for (const [i, type] of types.entries())
    if ((CREDIT_CREDENTIAL_TYPES as readonly unknown[]).includes(type))
      return Array.isArray(credential.type) ? `/type/${i}` : '/type';
  const subjects = typesOf(credential.credentialSubject);
  for (const [i, subject] of subjects.entries()) {
    if (subject === null || typeof subject !== 'object') continue;
    for (const term of CREDIT_SUBJECT_TERMS)
      if (term in subject)
        return `/credentialSubject${Array.isArray(credential.credentialSubject) ? `/${i}` : ''}/${term}`;
  }
  return undefined;
}
