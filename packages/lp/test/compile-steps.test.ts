import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, runSteps } from '@emplace/core';
import { LinearModel, solveLp, type CompiledModel } from '@emplace/lp';

/**
 * Issue 13: the model is compiled a slice at a time (CompileJob), so that solveLp never holds
 * the caller's thread for the whole copy. The stepped copy must be exactly the model, and
 * an edit between two steps must not leak into it.
 */

interface Spec {
  sense: 'min' | 'max';
  offset: number;
  cols: { lb: number; ub: number; obj: number; type: 0 | 1 | 2; name?: string }[];
  rows: { idx: number[]; coefs: number[]; lb: number; ub: number; name?: string }[];
}

/** A random model from a seed: sizes up to a few slices (16384 entries per slice, 8192 names). */
function randomSpec(seed: number, nCols: number, nRows: number, named: number): Spec {
  const r = new Rng(seed);
  const cols: Spec['cols'] = [];
  for (let j = 0; j < nCols; j++) {
    const type = r.int(4) === 0 ? (r.int(2) === 0 ? 1 : 2) : 0;
    const lb = type === 2 ? 0 : r.int(3) === 0 ? -Infinity : -r.int(5);
    const ub = type === 2 ? 1 : r.int(3) === 0 ? Infinity : r.int(7);
    const col: Spec['cols'][number] = { lb, ub, obj: r.int(19) - 9, type: type as 0 | 1 | 2 };
    // Named columns at random places: the name array is sparse, as in real builders.
    if (named > 0 && r.int(named) === 0) col.name = `c${j}`;
    cols.push(col);
  }
  const rows: Spec['rows'] = [];
  for (let i = 0; i < nRows && nCols > 0; i++) {
    const len = 1 + r.int(12);
    const idx: number[] = [];
    const coefs: number[] = [];
    // Repeated columns and zero coefficients: merged and dropped by the model.
    for (let k = 0; k < len; k++) {
      idx.push(r.int(nCols));
      coefs.push(r.int(11) - 5);
    }
    const lb = r.int(2) === 0 ? -Infinity : -r.int(10);
    const ub = r.int(2) === 0 ? Infinity : r.int(10);
    const row: Spec['rows'][number] = { idx, coefs, lb, ub };
    if (named > 0 && r.int(named) === 0) row.name = `r${i}`;
    rows.push(row);
  }
  return { sense: r.int(2) === 0 ? 'min' : 'max', offset: r.int(7) - 3, cols, rows };
}

const TYPES = ['continuous', 'integer', 'binary'] as const;

function build(spec: Spec): LinearModel {
  const m = new LinearModel(spec.sense);
  for (const c of spec.cols) m.addVariable({ lb: c.lb, ub: c.ub, obj: c.obj, type: TYPES[c.type], ...(c.name !== undefined ? { name: c.name } : {}) });
  for (const row of spec.rows) m.addConstraint(row.idx, row.coefs, row.lb, row.ub, row.name);
  m.setObjectiveOffset(spec.offset);
  return m;
}

/** The compiled model written directly from the spec (an independent CSR: duplicates summed, zeros dropped, first-seen order). */
function expected(spec: Spec): CompiledModel {
  const rowStart = [0];
  const rowIndex: number[] = [];
  const rowValue: number[] = [];
  const colNames: (string | undefined)[] = [];
  const rowNames: (string | undefined)[] = [];
  spec.cols.forEach((c, j) => {
    if (c.name !== undefined) colNames[j] = c.name;
  });
  spec.rows.forEach((row, i) => {
    const order: number[] = [];
    const sum = new Map<number, number>();
    row.idx.forEach((j, k) => {
      if (!sum.has(j)) order.push(j);
      sum.set(j, (sum.get(j) ?? 0) + row.coefs[k]!);
    });
    for (const j of order) {
      if (sum.get(j) === 0) continue;
      rowIndex.push(j);
      rowValue.push(sum.get(j)!);
    }
    rowStart.push(rowIndex.length);
    if (row.name !== undefined) rowNames[i] = row.name;
  });
  return {
    sense: spec.sense,
    numCols: spec.cols.length,
    numRows: spec.rows.length,
    colLower: Float64Array.from(spec.cols, (c) => c.lb),
    colUpper: Float64Array.from(spec.cols, (c) => c.ub),
    colCost: Float64Array.from(spec.cols, (c) => c.obj),
    colType: Uint8Array.from(spec.cols, (c) => c.type),
    rowLower: Float64Array.from(spec.rows, (r) => r.lb),
    rowUpper: Float64Array.from(spec.rows, (r) => r.ub),
    rowStart: Int32Array.from(rowStart),
    rowIndex: Int32Array.from(rowIndex),
    rowValue: Float64Array.from(rowValue),
    offset: spec.offset,
    isMip: spec.cols.some((c) => c.type !== 0),
    colNames,
    rowNames,
  };
}

const KEYS = ['sense', 'numCols', 'numRows', 'offset', 'isMip', 'colLower', 'colUpper', 'colCost', 'colType', 'rowLower', 'rowUpper', 'rowStart', 'rowIndex', 'rowValue', 'colNames', 'rowNames'] as const;

/**
 * The first difference between two compiled models ('' when identical): same keys, same
 * array types, elements equal under Object.is, and holes in the name arrays in the same
 * places (toStrictEqual says the same, but takes seconds on 40k-entry typed arrays).
 */
function difference(a: CompiledModel, b: CompiledModel): string {
  if (Object.keys(a).sort().join() !== Object.keys(b).sort().join()) return `keys ${Object.keys(a).sort().join()} vs ${Object.keys(b).sort().join()}`;
  for (const k of KEYS) {
    const x = a[k];
    const y = b[k];
    if (typeof x !== 'object') {
      if (!Object.is(x, y)) return `${k}: ${String(x)} vs ${String(y)}`;
      continue;
    }
    const ys = y as ArrayLike<unknown>;
    if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return `${k}: array types differ`;
    if (x.length !== ys.length) return `${k}: length ${x.length} vs ${ys.length}`;
    for (let i = 0; i < x.length; i++) {
      if (!Object.is(x[i], ys[i]) || i in x !== i in (ys as object)) return `${k}[${i}]: ${String(x[i])} vs ${String(ys[i])}`;
    }
  }
  return '';
}

const specArb = fc
  .record({
    seed: fc.nat(),
    // Up to ~2.5 slices of columns and several of nonzeros; often tiny.
    nCols: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 20_000 })),
    nRows: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3_000 })),
    named: fc.constantFrom(0, 1, 3, 5000),
  })
  .map(({ seed, nCols, nRows, named }) => randomSpec(seed, nCols, nRows, named));

describe('stepped compile (issue 13)', () => {
  it('compile(), compileSteps() and a job stepped by hand give exactly the model (property)', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const want = expected(spec);
        const lm = build(spec);
        expect(difference(lm.compile(), want)).toBe('');
        expect(difference(runSteps(lm.compileSteps()), want)).toBe('');
        const job = lm.compileJob();
        let steps = 0;
        while (!job.step()) steps++;
        expect(difference(job.model, want)).toBe('');
        // Several slices once an array is longer than one.
        if (spec.cols.length > 16_384) expect(steps).toBeGreaterThan(2);
      }),
      { numRuns: 30 },
    );
  });

  it('an edit between two steps does not reach the copy: the model is finished as it was first', () => {
    const spec = randomSpec(7, 40_000, 3_000, 3);
    const before = build(spec).compile();
    expect(difference(before, expected(spec))).toBe('');
    // The comparison itself sees a changed coefficient and a filled hole.
    const changed = before.rowValue.slice();
    changed[5] = changed[5]! + 1;
    expect(difference({ ...before, rowValue: changed }, before)).toMatch(/^rowValue\[5\]/);
    const filled = before.colNames.slice();
    filled[filled.findIndex((n) => n === undefined)] = undefined;
    expect(difference({ ...before, colNames: filled }, before)).toMatch(/^colNames/);
    const lm = build(spec);
    const steps = lm.compileSteps();
    steps.next();
    steps.next();
    // In-place edits and appends while the copy is half made.
    lm.setBounds(0, -1, 1);
    lm.setObjective(39_999, 123);
    lm.setConstraintBounds(0, -5, 5);
    lm.addVariable({ obj: 7, name: 'late' });
    lm.addLe([0, 40_000], [1, 1], 3, 'late');
    let r = steps.next();
    while (!r.done) r = steps.next();
    expect(difference(r.value, expected(spec))).toBe('');
    expect(lm.compile().numCols).toBe(40_001);
  });

  it('a sparse name array past one name slice keeps its holes', () => {
    const lm = new LinearModel();
    lm.addVariables(20_000);
    lm.addVariable({ name: 'far' });
    const m = lm.compile();
    expect(m.colNames.length).toBe(20_001);
    expect(m.colNames[20_000]).toBe('far');
    expect(0 in m.colNames).toBe(false);
  });

  it('a cancelled job no longer holds the model: later edits and compiles work', () => {
    const lm = build(randomSpec(3, 30_000, 100, 0));
    const job = lm.compileJob();
    job.step();
    job.cancel();
    lm.setObjective(0, 5);
    expect(lm.compile().colCost[0]).toBe(5);
    expect(() => job.step()).toThrow();
  });

  it('reserve() allocates once and changes nothing in the model', () => {
    const spec = randomSpec(11, 5_000, 2_000, 0);
    const lm = new LinearModel(spec.sense);
    lm.reserve({ variables: 5_000, constraints: 2_000, nonzeros: 30_000 });
    for (const c of spec.cols) lm.addVariable({ lb: c.lb, ub: c.ub, obj: c.obj, type: TYPES[c.type] });
    for (const row of spec.rows) lm.addConstraint(row.idx, row.coefs, row.lb, row.ub);
    lm.setObjectiveOffset(spec.offset);
    expect(difference(lm.compile(), expected(spec))).toBe('');
    expect(() => lm.reserve({ variables: -1 })).toThrow(/reserve.variables/);
    expect(() => lm.reserve({ nonzeros: 1.5 })).toThrow(/reserve.nonzeros/);
  });

  it('solveLp solves the model as it was when called: an edit before it resolves does not reach it', async () => {
    const lm = new LinearModel('min');
    const x = lm.addVariables(2, { ub: 10, obj: 1 });
    lm.addVariables(60_000, { ub: 1 }); // several slices to copy
    lm.addGe([x, x + 1], [1, 1], 3);
    const pending = solveLp(lm, { backend: 'glpk' });
    lm.setObjective(x, 100);
    lm.setBounds(x + 1, 0, 0);
    const res = await pending;
    expect(res.status).toBe('optimal');
    expect(res.objective).toBeCloseTo(3, 9);
    const after = await solveLp(lm, { backend: 'glpk' });
    expect(after.objective).toBeCloseTo(300, 9);
  });

  it('solveLp aborted after its first yield (while compiling a large model) resolves with no-solution / aborted', async () => {
    // 3M nonzeros (~50 MB to copy): many 4 ms slices on any machine.
    const lm = new LinearModel('min');
    const n = 1_000_000;
    const first = lm.addVariables(n, { ub: 1, obj: 1 });
    lm.reserve({ constraints: n / 2, nonzeros: 3 * n });
    const idx = new Int32Array(6);
    const one = new Float64Array(6).fill(1);
    for (let i = 0; i < n / 2; i++) {
      for (let k = 0; k < 6; k++) idx[k] = first + ((i * 6 + k * 7919) % n);
      lm.addGe(idx, one, 1);
    }
    const ctl = new AbortController();
    const pending = solveLp(lm, { signal: ctl.signal });
    // Queued before solveLp's first turn of the event loop: seen at that turn.
    setImmediate(() => ctl.abort());
    const res = await pending;
    expect(res.stoppedBy).toBe('aborted');
    expect(['no-solution', 'feasible']).toContain(res.status);
    // Stopped before any backend ran (a copy of ~70 MB takes far more than one 4 ms slice).
    expect(res.stats.ranIn).toBeUndefined();
    // The model is usable afterwards (the cancelled copy does not hold it).
    lm.setObjective(0, 2);
    expect(lm.compile().colCost[0]).toBe(2);
  });
});
