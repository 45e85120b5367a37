import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonReplacer, toJsonValue } from '../src/output.js';

/** Values a result may hold: numbers (non-finite too), typed arrays, Maps, Sets, bigints, nested objects and arrays. */
const leaf = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 5 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
  fc.array(fc.double(), { maxLength: 6 }).map((xs) => Float64Array.from(xs)),
  fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 6 }).map((xs) => Int32Array.from(xs)),
  fc.array(fc.bigInt({ min: -5n, max: 5n }), { maxLength: 3 }).map((xs) => BigInt64Array.from(xs)),
  fc.date({ noInvalidDate: true }),
);
const value = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('map'), tie('set')),
  array: fc.array(tie('tree'), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 4 }), tie('tree'), { maxKeys: 4 }),
  map: fc.array(fc.tuple(fc.string({ maxLength: 4 }), tie('tree')), { maxLength: 3 }).map((kv) => new Map(kv)),
  set: fc.array(tie('tree'), { maxLength: 3 }).map((xs) => new Set(xs)),
})).tree;

describe('toJsonValue', () => {
  it('stringifies exactly as JSON.stringify with jsonReplacer', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(JSON.stringify(toJsonValue(v))).toBe(JSON.stringify(v, jsonReplacer));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('toJsonValue of long typed arrays (the --json line of an aborted large solve, issue 13)', () => {
  it('a packed array: same text as the replacer path, parses back to the same numbers (-0 as 0, non-finite as null)', () => {
    const special = [-0, 0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 1e21, 1e-7, 123456789012345680000, 0.1, 1 / 3, 2 ** 53, -(2 ** 53) - 2, 42, -7, NaN, Infinity, -Infinity];
    const n = 200_000;
    const v = new Float64Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (s * 16807) % 2147483647;
      v[i] = i < special.length ? special[i]! : (s / 2147483647 - 0.5) * 10 ** ((i % 40) - 20);
    }
    const ids = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `n"${i}\\` : String(i)));
    const record = { instance: 'x', objective: -0, solution: { vector: v, ids, part: Int32Array.from(v, (_, i) => (i % 5) - 2), f32: Float32Array.from(special) } };
    const converted = toJsonValue(record) as { solution: { vector: unknown[] } };
    const text = JSON.stringify(converted);
    expect(text).toBe(JSON.stringify(record, jsonReplacer));
    expect(text).not.toContain('\n');
    const got = (JSON.parse(text) as { solution: { vector: (number | null)[] } }).solution.vector;
    expect(got.length).toBe(n);
    for (let i = 0; i < n; i++) {
      const x = v[i]!;
      // Finite numbers come back exactly (-0 as 0, as JSON.stringify writes it); non-finite ones as null.
      expect(got[i]).toBe(Number.isFinite(x) ? (Object.is(x, -0) ? 0 : x) : null);
    }
  });
});
