import { describe, expect, it } from 'vitest';
import { appendPointer, parsePointer, pointer, valueAt } from '../../src/lib/json-pointer.js';

describe('JSON pointers (RFC 6901)', () => {
  it('escapes ~ and / when building, and reads them back', () => {
    const built = pointer('a/b', 'm~n', 0);
    expect(built).toBe('/a~1b/m~0n/0');
    expect(parsePointer(built)).toEqual(['a/b', 'm~n', '0']);
    expect(appendPointer('/x', '~1')).toBe('/x/~01');
    expect(parsePointer('/x/~01')).toEqual(['x', '~1']);
  });

  it("'' is the whole document; text not starting with / is not a pointer", () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('a/b')).toBeNull();
    const doc = { a: 1 };
    expect(valueAt(doc, '')).toBe(doc);
    expect(valueAt(doc, 'a')).toBeUndefined();
  });

  it('resolves own members and array items only', () => {
    const doc = { 'a/b': [{ c: 'x' }], e: null };
    expect(valueAt(doc, '/a~1b/0/c')).toBe('x');
    expect(valueAt(doc, '/a~1b/1')).toBeUndefined();
    expect(valueAt(doc, '/e/f')).toBeUndefined();
    expect(valueAt(doc, '/constructor')).toBeUndefined();
    expect(valueAt(doc, '/a~1b/0/toString')).toBeUndefined();
  });
});
