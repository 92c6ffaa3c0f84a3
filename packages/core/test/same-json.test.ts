import { describe, expect, it } from 'vitest';
import { sameJson } from '../src/resource/same-json.js';

describe('sameJson (the envelope read-back check)', () => {
  it('equal JSON values are the same, whatever the key order', () => {
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameJson(null, null)).toBe(true);
    expect(sameJson([], [])).toBe(true);
  });

  it('a changed value, order, key or type anywhere is not the same', () => {
    const base = { a: 1, b: [1, { c: 'x' }] };
    for (const other of [
      { a: 2, b: [1, { c: 'x' }] },
      { a: 1, b: [{ c: 'x' }, 1] },
      { a: 1, b: [1, { c: 'y' }] },
      { a: 1, b: [1, { c: 'x', d: 1 }] },
      { a: 1 },
      { a: '1', b: [1, { c: 'x' }] },
      { a: 1, b: { 0: 1, 1: { c: 'x' } } },
    ]) {
      expect(sameJson(base, other)).toBe(false);
      expect(sameJson(other, base)).toBe(false);
    }
    expect(sameJson({ a: undefined }, { b: undefined })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson(0, -0)).toBe(false);
  });
});
