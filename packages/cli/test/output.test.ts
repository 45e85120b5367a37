import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonPieces, jsonReplacer, prepareJsonArray, toJsonValue, writeJsonLine } from '../src/output.js';

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

describe('jsonPieces / writeJsonLine (the --json line written in pieces, long arrays cut out, issue 13)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const primitive = fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null), fc.constant(undefined));
  // Long arrays at the tiny test sizes (long: 3, piece: 2): typed arrays and arrays of primitives.
  const withLongs = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, leaf, tie('long'), tie('array'), tie('object')),
    long: fc.oneof(
      fc.array(fc.double(), { minLength: 3, maxLength: 9 }).map((xs) => Float64Array.from(xs)),
      fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 3, maxLength: 9 }).map((xs) => Int8Array.from(xs)),
      fc.array(primitive, { minLength: 3, maxLength: 9 }),
    ),
    array: fc.array(tie('tree'), { maxLength: 4 }),
    object: fc.dictionary(fc.string({ maxLength: 4 }), tie('tree'), { maxKeys: 4 }),
  })).tree;

  it('the pieces join to exactly JSON.stringify(toJsonValue(value)), at any sizes', () => {
    fc.assert(
      fc.property(withLongs, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (v, long, piece) => {
        expect([...jsonPieces(v, { long, piece })].join('')).toBe(JSON.stringify(toJsonValue(v)) ?? '');
      }),
      { numRuns: 1000 },
    );
  });

  it('a prepared array gives the same text, also after its entries changed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(primitive, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 5 }), fc.option(fc.tuple(fc.nat(), fc.oneof(primitive, fc.constant({ a: 1 })))), async (xs, slice, change) => {
        const record = { solution: { vector: Float64Array.from(xs, (_, i) => i / 3), ids: xs } };
        await prepareJsonArray(xs, undefined, slice);
        if (change !== null) xs[change[0] % xs.length] = change[1] as never;
        expect([...jsonPieces(record, { long: 1, piece: 2 })].join('')).toBe(JSON.stringify(toJsonValue(record)));
      }),
      { numRuns: 300 },
    );
  });

  it('a string of the record that looks like a marker: the whole line is one piece, same text', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const marker = `\u0000emplace-long-${(0.5).toString(36).slice(2)}-0`;
    for (const record of [{ a: marker, v: new Float64Array(5) }, { v: new Float64Array(5), a: marker }, { [marker]: 1, v: [1, 2, 3, 4, 5] }]) {
      const pieces = [...jsonPieces(record, { long: 2 })];
      expect(pieces).toEqual([JSON.stringify(toJsonValue(record))]);
    }
  });

  it('writeJsonLine writes the line and a newline; a 200k-entry vector in pieces, prepared ids in one', async () => {
    const n = 200_000;
    const vector = Float64Array.from({ length: n }, (_, i) => Math.sin(i) / (i + 1));
    vector[7] = Number.NaN;
    const ids = Array.from({ length: n }, (_, i) => String(i));
    await prepareJsonArray(ids);
    const record = { instance: 'x', stats: { elapsedMs: 1.5 }, solution: { vector, lambda2: 0.25, ids } };
    const writes: string[] = [];
    writeJsonLine(record, (text) => writes.push(text));
    expect(writes.join('')).toBe(JSON.stringify(toJsonValue(record)) + '\n');
    expect(writes.length).toBeGreaterThan(10);
    expect(writes.filter((w) => w.includes('"199999"')).length).toBe(1);
  });
});
