/**
 * JSON Schema `pattern` is an unanchored search whose only result is match / no match. For that,
 * an alternative reachable from the pattern's start that begins with a repeated character class,
 * `[C]+R`, is equivalent to `[C]R`: any match of `[C]+R` contains one of `[C]R` that starts at its
 * last `[C]` character (R sees the same text from the same position; lookbehinds and `\b` look at
 * text, not at where the match began). The rewrite matters for backtracking: V8 runs `[C]+@…` from
 * every start position to the end of the run, quadratic in the length of each word (the
 * personal-data pattern of the credit schemas spent ~70% of schema validation there).
 */
export function searchEquivalentPattern(pattern: string): string {
  const alternatives = splitAlternatives(pattern);
  return alternatives ? alternatives.map(simplifyAlternative).join('|') : pattern;
}

function simplifyAlternative(alternative: string): string {
  const inner = unwrapNonCapturing(alternative);
  if (inner !== undefined) {
    const parts = splitAlternatives(inner);
    return parts ? `(?:${parts.map(simplifyAlternative).join('|')})` : alternative;
  }
  if (!alternative.startsWith('[')) return alternative;
  const end = classEnd(alternative, 0);
  if (end < 0 || alternative[end + 1] !== '+' || alternative[end + 2] === '?') return alternative;
  return alternative.slice(0, end + 1) + alternative.slice(end + 2);
}

/** Index of the `]` closing the class opened at `start`, or -1. */
function classEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return -1;
}

/** The top-level alternatives, or undefined when the pattern does not scan cleanly (left as it is). */
function splitAlternatives(source: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = classEnd(source, i);
      if (i < 0) return undefined;
    } else if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) return undefined;
    } else if (c === '|' && depth === 0) {
      parts.push(source.slice(from, i));
      from = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  parts.push(source.slice(from));
  return parts;
}

/** `(?:BODY)` spanning the whole alternative (no quantifier after it) → BODY; else undefined. */
function unwrapNonCapturing(alternative: string): string | undefined {
  if (!alternative.startsWith('(?:') || !alternative.endsWith(')')) return undefined;
  let depth = 0;
  for (let i = 0; i < alternative.length; i++) {
    const c = alternative[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = classEnd(alternative, i);
      if (i < 0) return undefined;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i === alternative.length - 1 ? alternative.slice(3, -1) : undefined;
  }
  return undefined;
}

/** An ajv RegExp engine for `pattern`: the search-equivalent source, compiled by V8. */
export const searchRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => new RegExp(searchEquivalentPattern(pattern), flags),
  { code: 'new RegExp' },
);
