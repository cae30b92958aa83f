/**
 * One pass over JSON text (already known to parse) that finds what JSON.parse hides: nesting depth
 * and duplicate member names. JSON.parse keeps the last of two equal names, other parsers the
 * first, so a signed document with duplicates can be read two ways; and a deep document can
 * overflow any recursive walker downstream.
 */
export interface JsonScan {
  depth: number;
  /** The first duplicate member name found, if any. */
  duplicate?: string;
}

export function scanJson(text: string, maxDepth = Number.POSITIVE_INFINITY): JsonScan {
  const stack: Array<{ keys: Set<string> | null; expectKey: boolean }> = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key)) return { depth, duplicate: key };
        top.keys.add(key);
        top.expectKey = false;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ keys: c === 0x7b ? new Set() : null, expectKey: c === 0x7b });
      if (stack.length > depth) depth = stack.length;
      if (depth > maxDepth) return { depth };
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return { depth };
}
