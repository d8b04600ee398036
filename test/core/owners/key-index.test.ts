import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { KeyIndex } from '../../../core/owners/key-index';

describe('KeyIndex', () => {
  it('behaves like a Map of first values, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.nat({ max: 2 ** 31 - 1 })), { maxLength: 3000 }), (entries) => {
        const index = new KeyIndex();
        const map = new Map<string, number>();
        for (const [key, value] of entries) {
          expect(index.setIfAbsent(key, value)).toBe(map.get(key));
          if (!map.has(key)) map.set(key, value);
        }
        expect(index.size).toBe(map.size);
        for (const [key, value] of map) expect(index.get(key)).toBe(value);
        expect(index.get('\u0000absent\u0000')).toBe(map.get('\u0000absent\u0000'));
      }),
      { numRuns: 40 },
    );
  });

  it('keeps 200,000 distinct e-mail keys apart', () => {
    const index = new KeyIndex();
    for (let i = 0; i < 200_000; i++) expect(index.setIfAbsent(`user${i}@example.com`, i)).toBeUndefined();
    expect(index.get('user123456@example.com')).toBe(123456);
  });
});
