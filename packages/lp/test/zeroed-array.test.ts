import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError, Rng, runSteps } from '@emplace/core';
import { LinearModel, solveLp, type CompiledModel } from '@emplace/lp';
import { FRESH_MAPPING_BYTES, LAZY_MIN_BYTES, zeroedArray, type NumericArray, type NumericArrayConstructor } from '../src/zeroed-array.js';

/**
 * Issue 13 (robust:mip stalled ~100 ms in LinearModel.reserve): large buffers come from
 * zeroedArray (a fresh mapping, zeroed page by page as it is written) and reserve is a step
 * per buffer. Neither may change a single value of the model.
 */

const ARRAY_KEYS = ['colLower', 'colUpper', 'colCost', 'colType', 'rowLower', 'rowUpper', 'rowStart', 'rowIndex', 'rowValue'] as const;

/** '' when the two compiled models are identical (every entry compared with Object.is), else the first difference. */
function difference(a: CompiledModel, b: CompiledModel): string {
  for (const k of ['sense', 'numCols', 'numRows', 'offset', 'isMip'] as const) if (!Object.is(a[k], b[k])) return `${k}: ${String(a[k])} vs ${String(b[k])}`;
  for (const k of ARRAY_KEYS) {
    const x = a[k];
    const y = b[k];
    if (x.constructor !== y.constructor || x.length !== y.length) return `${k}: ${x.constructor.name}(${x.length}) vs ${y.constructor.name}(${y.length})`;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return `${k}[${i}]: ${x[i]} vs ${y[i]}`;
  }
  return '';
}

/** A model with `n` columns and n/2 rows of 1-6 terms (duplicates and zeros included), built after `prepare`. */
function build(seed: number, n: number, prepare: (lm: LinearModel) => void): LinearModel {
  const r = new Rng(seed);
  const lm = new LinearModel(r.int(2) === 0 ? 'min' : 'max');
  prepare(lm);
  for (let j = 0; j < n; j++) lm.addVariable({ lb: -r.int(3), ub: r.int(3) === 0 ? Infinity : 1 + r.int(4), obj: r.int(9) - 4, type: r.int(5) === 0 ? 'integer' : 'continuous' });
  for (let i = 0; i < n / 2; i++) {
    const len = 1 + r.int(6);
    const idx: number[] = [];
    const coefs: number[] = [];
    for (let k = 0; k < len; k++) {
      idx.push(r.int(n));
      coefs.push((r.int(9) - 4) / 4);
    }
    lm.addConstraint(idx, coefs, -r.int(5), r.int(2) === 0 ? Infinity : r.int(8));
  }
  return lm;
}

describe('zeroedArray', () => {
  it('is a zero-filled array of the requested type and length in every size band', () => {
    const bands = [100, LAZY_MIN_BYTES / 8 - 1, LAZY_MIN_BYTES / 8, 3 * (LAZY_MIN_BYTES / 8) + 5, FRESH_MAPPING_BYTES / 8 + 1];
    const check = <T extends NumericArray>(make: NumericArrayConstructor<T>, n: number): void => {
      const a = zeroedArray(make, n);
      expect(a).toBeInstanceOf(make);
      expect(a.length).toBe(n);
      expect(a.byteOffset).toBe(0);
      for (let i = 0; i < n; i += 997) expect(a[i]).toBe(0);
      expect(a[n - 1]).toBe(0);
      a[n - 1] = 7;
      expect(a[n - 1]).toBe(7);
    };
    for (const n of bands) {
      check(Float64Array, n);
      check(Int32Array, n);
      check(Uint8Array, n);
    }
  });

  it('gives arrays from LAZY_MIN_BYTES to FRESH_MAPPING_BYTES a buffer of FRESH_MAPPING_BYTES (a fresh mapping), others their own size', () => {
    expect(zeroedArray(Int32Array, LAZY_MIN_BYTES / 4 - 1).buffer.byteLength).toBe(LAZY_MIN_BYTES - 4);
    expect(zeroedArray(Int32Array, LAZY_MIN_BYTES / 4).buffer.byteLength).toBe(FRESH_MAPPING_BYTES);
    expect(zeroedArray(Uint8Array, FRESH_MAPPING_BYTES - 1).buffer.byteLength).toBe(FRESH_MAPPING_BYTES);
    expect(zeroedArray(Float64Array, FRESH_MAPPING_BYTES / 8).buffer.byteLength).toBe(FRESH_MAPPING_BYTES);
  });
});

describe('LinearModel.reserveSteps', () => {
  it('allocates one buffer per step and checks the sizes before allocating anything', () => {
    const lm = new LinearModel();
    const steps = lm.reserveSteps({ variables: 300_000, constraints: 100_000, nonzeros: 400_000 });
    let count = 0;
    while (!steps.next().done) count++;
    // Nine buffers, a step after each; the column scratch arrays end the last step.
    expect(count).toBe(9);
    expect(() => runSteps(lm.reserveSteps({ variables: 10, constraints: -2 }))).toThrow(ModelError);
    expect(() => runSteps(lm.reserveSteps({ nonzeros: 0.5 }))).toThrow(/reserve.nonzeros/);
    // Sizes already held: nothing to allocate, no step.
    count = 0;
    for (const _ of lm.reserveSteps({ variables: 1000 })) count++;
    expect(count).toBe(0);
  });

  it('a model built after a stepped reserve of buffers above LAZY_MIN_BYTES is bit-identical to one built without it', () => {
    // Room for 1.2M nonzeros: 4.8 MB of indices and 9.6 MB of values, zeroedArray's fresh mappings.
    const n = 200_000;
    expect(4 * 6 * n).toBeGreaterThanOrEqual(LAZY_MIN_BYTES);
    const plain = build(5, n, () => {});
    const reserved = build(5, n, (lm) => runSteps(lm.reserveSteps({ variables: n, constraints: n / 2, nonzeros: 6 * n })));
    expect(difference(reserved.compile(), plain.compile())).toBe('');
    // And after a compile copied a slice at a time (CompileJob's buffers are zeroedArray's too).
    const job = reserved.compileJob();
    while (!job.step());
    expect(difference(job.model, plain.compile())).toBe('');
  });

  it('property: reserve hints of any size (below, at or above the final size) change no value, and the solve is the same', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1 << 30 }), fc.integer({ min: 2, max: 40 }), fc.double({ min: 0, max: 3, noNaN: true }), async (seed, n, factor) => {
        const plain = build(seed, n, () => {});
        const hinted = build(seed, n, (lm) => lm.reserve({ variables: Math.floor(n * factor), constraints: Math.floor((n / 2) * factor), nonzeros: Math.floor(6 * n * factor) }));
        expect(difference(hinted.compile(), plain.compile())).toBe('');
        const [a, b] = [await solveLp(plain, { backend: 'glpk' }), await solveLp(hinted, { backend: 'glpk' })];
        expect(b.status).toBe(a.status);
        expect(Array.from(b.solution?.x ?? [])).toEqual(Array.from(a.solution?.x ?? []));
      }),
      { numRuns: 25, seed: 1313 },
    );
  });
});
