type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

const SCOPE_WORDS: Record<string, string> = {
  organisation: 'the organisation as a whole',
  'product-line': 'the product lines listed below',
  'listed-products': 'the products listed below',
};

/** The word for a UN/CEFACT unit code of a credit quantity (TNE → tonnes). */
export function unitWord(code: string): string {
  return code === 'TNE' ? 'tonnes' : code === 'KGM' ? 'kg' : code;
}

/**
 * The claim boundary of a `creditRetirement` in plain words, ending with what it is not (book and
 * claim, never physical content). The statement page and every verdict say it the same way.
 *
 * @example claimBoundaryInWords(credential.credentialSubject.creditRetirement)
 */
export function claimBoundaryInWords(retirement: Obj): string {
  const boundary = obj(retirement.claimBoundary);
  const beneficiary = obj(retirement.beneficiary);
  const period = obj(boundary.claimPeriod);
  const quantity = obj(boundary.coveredQuantity);
  const markets = list(boundary.market).map(String).join(', ');
  return (
    `${String(beneficiary.name ?? 'The beneficiary')} may claim “${String(boundary.allowedClaim ?? '')}” for ${SCOPE_WORDS[String(boundary.scope)] ?? String(boundary.scope ?? 'its claim')}, ` +
    `covering ${String(quantity.value ?? '?')} ${unitWord(String(quantity.unit ?? ''))} in ${markets || 'the markets named'}, from ${String(period.startDate ?? '?')} to ${String(period.endDate ?? '?')}. ` +
    'This is a claim about responsible production supported through credits (book and claim), not a claim that any physical product contains this material.'
  );
}
