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
