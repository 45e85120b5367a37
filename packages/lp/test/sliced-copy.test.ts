import { describe, expect, it } from 'vitest';
import { LinearModel } from '../src/index.js';
import { copyForWorker } from '../src/backends/highs-offload.js';

describe('HiGHS request copy (issue 13: no stall posting a large model to the HiGHS worker)', () => {
  it('copies every array into its own transferable buffer, equal to the caller\'s, and leaves the caller\'s intact', async () => {
    const lm = new LinearModel('min');
    const n = 40_000; // 2 x 40k nonzeros: several 128 kB slices per array
    const x = lm.addVariables(n, { type: 'binary', obj: 1 });
    const idx = Int32Array.from({ length: n }, (_, j) => x + j);
    lm.addGe(idx, Float64Array.from({ length: n }, (_, j) => 1 + (j % 7)), 10);
    lm.addLe(idx, Float64Array.from({ length: n }, (_, j) => 1 + (j % 5)), 1000);
    const m = lm.compile();
    const copied = await copyForWorker(m);
    expect(copied).toBeDefined();
    const { model, transfer } = copied!;
    const arrays = ['colLower', 'colUpper', 'colCost', 'colType', 'rowLower', 'rowUpper', 'rowStart', 'rowIndex', 'rowValue'] as const;
    expect(transfer).toHaveLength(arrays.length);
    for (const k of arrays) {
      expect(model[k]).toEqual(m[k]);
      expect(model[k].buffer).not.toBe(m[k].buffer);
      expect(transfer).toContain(model[k].buffer);
    }
    expect(model.colNames).toEqual([]);
    structuredClone(model, { transfer });
    expect(m.rowValue.length).toBe(2 * n);
  });

  it('gives up at the first turn of the event loop where it is told to stop (an abort during the copy)', async () => {
    const lm = new LinearModel('min');
    const n = 2_000_000; // 16 MB per Float64 array: several 4 ms slices on any machine
    lm.addVariables(n, { ub: 1, obj: 1 });
    const m = lm.compile();
    let asked = 0;
    const copied = await copyForWorker(m, () => ++asked >= 1);
    expect(copied).toBeUndefined();
    expect(asked).toBe(1);
  });
});
