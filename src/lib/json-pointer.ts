/** RFC 6901 JSON pointers: the one implementation of the toolkit (build, parse, resolve). */
export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => '/' + escapeSegment(s)).join('');
}

export function appendPointer(base: string, ...segments: Array<string | number>): string {
  return base + pointer(...segments);
}

/** The unescaped segments of a pointer (`''` is the whole document: no segment), or null when it is not a pointer. */
export function parsePointer(text: string): string[] | null {
  if (text === '') return [];
  if (!text.startsWith('/')) return null;
  return text.slice(1).split('/').map(unescapeSegment);
}

/** The value a pointer names, following own members only (an inherited `constructor` is not there); undefined when absent. */
export function valueAt(document: unknown, text: string): unknown {
  const segments = parsePointer(text);
  if (segments === null) return undefined;
  let node = document;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, segment))
      return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
