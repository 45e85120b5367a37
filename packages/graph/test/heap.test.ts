import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IndexedMinHeap } from '@emplace/graph';

describe('IndexedMinHeap', () => {
  it('pops in key order with decrease-key', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 80 }), (ops) => {
        const h = new IndexedMinHeap(31);
        const best = new Map<number, number>();
        for (const [item, key] of ops) {
          h.push(item, key);
          best.set(item, Math.min(best.get(item) ?? Infinity, key));
        }
        const out: number[] = [];
        while (h.size > 0) {
          const i = h.pop();
          out.push(best.get(i)!);
        }
        expect(out.length).toBe(best.size);
        for (let k = 1; k < out.length; k++) expect(out[k]!).toBeGreaterThanOrEqual(out[k - 1]!);
      }),
    );
  });
});
