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
