import { runSteps, type Steps } from '@emplace/core';
import { LinearModel } from '@emplace/lp';
import type { CompiledSpread, CompiledSurvivability, ReplicaCriterion, ReplicaModel } from './model.js';
import { residualCapacity } from './check.js';

/**
 * Replica placement as a MIP (the `exact` method's model), over the workloads in `active`:
 *  - x[w][c] integer in [0, hi] per eligible cluster (duplicated: a binary u[w][c], x = N u);
 *  - p[w] binary "placed" when not every workload can be placed (batch with priorities),
 *    else fixed to 1: sum_c x = N p (duplicated: sum_c u >= p, u <= p), x >= lo p;
 *  - capacity per cluster and dimension (rows only where the eligible demand could exceed it);
 *  - used[w][c] binary where clusters are counted (objective, aggregated): x <= hi used;
 *  - spread: y[g] binary per group, S_g >= y_g, S_g <= N y_g, minGroups p <= sum y <= maxGroups,
 *    maxSkew via mx >= S_g, mn <= S_g + N (1 - y_g), mx - mn <= maxSkew;
 *  - survivability: S_g <= N - minAvailable per failure domain (duplicated: the complement
 *    holds >= minAvailable p); N-1 re-hosting: integer r[g][c] on the eligible clusters outside
 *    g with sum_c r >= S_g, r + x <= maxReplicas and r * request + (all placed load) <= free;
 *  - moves: d[w][c] >= current - x, sum_c d - forcedRemovals <= maxMoves (relaxed when unplaced);
 *  - imbalance: e[w][c] >= |x - t p|.
 * The criteria are linear expressions over these columns; `setStageObjective` switches the
 * objective between stages (priority levels, aggregated, lexicographic criteria).
 */
export interface ReplicaMip {
  lp: LinearModel;
  active: Int32Array;
  /** W x C: column of x (or u for duplicated), -1 when absent. */
  xCol: Int32Array;
  /** Multiplier turning the column into a replica count (N for duplicated, else 1). */
  mult: Int32Array;
  /** W: column of p, -1 when the workload is fixed placed (or not in the MIP). */
  pCol: Int32Array;
  usedCol: Int32Array;
  moveCol: Int32Array;
  devCol: Int32Array;
  /** Columns to fill in a warm start: spread y / skew, rehost r (recomputed by `warmStart`). */
  groupVars: { w: number; groupOf: Int32Array; y: Int32Array; mx: number; mn: number }[];
  rehostVars: { w: number; groupOf: Int32Array; g: number; r: Int32Array }[];
  criteria: Record<ReplicaCriterion, LinearExpr>;
  aggregated: LinearExpr;
  /** (w * 65536 + g) of the re-hosting blocks already in the model. */
  rehostAdded: Set<number>;
}

export interface LinearExpr {
  idx: number[];
  co: number[];
  offset: number;
}

export interface BuildOptions {
  /** Give each active workload a "placed" binary (batch where not everything fits). */
  placedVars: boolean;
  /** Constraint fields left out (infeasibility diagnosis), e.g. `workloads[0].spread[1]`. */
  drop?: ReadonlySet<string>;
  /** Leave the re-hosting blocks out; the caller adds those a plan breaks (`addRehostBlock`). */
  lazyRehost?: boolean;
}

const BIG = 2 ** 31 - 1;

export function buildReplicaMip(m: ReplicaModel, active: Int32Array, opts: BuildOptions): ReplicaMip {
  return runSteps(buildReplicaMipSteps(m, active, opts));
}

/**
 * The build as steps, one per workload and per spread / survivability block: on 10,000 pairs
 * it takes 150-400 ms, which `exact` must not spend in one synchronous stretch (issue 13:
 * an abort or the time limit is seen only between steps).
 */
export function* buildReplicaMipSteps(m: ReplicaModel, active: Int32Array, opts: BuildOptions): Steps<ReplicaMip> {
  const { nClients: W, nSites: C } = m.placement;
  const emptyExpr = (): LinearExpr => ({ idx: [], co: [], offset: 0 });
  const mip: ReplicaMip = {
    lp: new LinearModel('min'),
    active,
    xCol: new Int32Array(W * C).fill(-1),
    mult: new Int32Array(W).fill(1),
    pCol: new Int32Array(W).fill(-1),
    usedCol: new Int32Array(W * C).fill(-1),
    moveCol: new Int32Array(W * C).fill(-1),
    devCol: new Int32Array(W * C).fill(-1),
    groupVars: [],
    rehostVars: [],
    criteria: { cost: emptyExpr(), latency: emptyExpr(), imbalance: emptyExpr(), clusters: emptyExpr(), moves: emptyExpr() },
    aggregated: emptyExpr(),
    rehostAdded: new Set(),
  };
  const b: MipBuild = {
    m,
    mip,
    opts,
    drop: opts.drop ?? new Set<string>(),
    needUsed: m.weights.clusters > 0 || (m.lexicographic?.includes('clusters') ?? false),
    needDev: m.weights.imbalance > 0 || (m.lexicographic?.includes('imbalance') ?? false),
    pendingRehost: [],
  };
  // Column order matters (it fixes the MIP the backends see): per workload, then the shared rows.
  for (const w of active) {
    const p = opts.placedVars ? mip.lp.addVariable({ type: 'binary', name: `p[${w}]` }) : -1;
    mip.pCol[w] = p;
    if (m.mode[w] === 2) mip.mult[w] = m.placement.replicas[w]!;
    const row = addPlacementColumns(b, w, p);
    if (m.placement.replicas[w]! === 0) continue;
    addReplicaCount(b, w, p, row);
    if (b.needDev && m.hasTarget[w] && m.mode[w] !== 2) addImbalance(b, w, p);
    if (m.current) addMoves(b, m.current, w, p);
    yield;
  }
  yield* addCapacityRows(b);
  for (const s of m.spreads) {
    addSpread(b, s);
    yield;
  }
  for (const sv of m.survivability) {
    addSurvivability(b, sv);
    yield;
  }
  for (const [w, g] of b.pendingRehost) addRehostBlock(m, mip, w, g);
  return mip;
}

/** The MIP being built and what its blocks need to know, shared by the steps below. */
interface MipBuild {
  readonly m: ReplicaModel;
  readonly mip: ReplicaMip;
  readonly opts: BuildOptions;
  readonly drop: ReadonlySet<string>;
  /** Clusters are counted (objective): every non-duplicated x gets a used binary. */
  readonly needUsed: boolean;
  /** Imbalance is an objective: workloads with weights get deviation columns. */
  readonly needDev: boolean;
  /** (w, g) re-hosting blocks to add once every other row is in. */
  readonly pendingRehost: [number, number][];
}

/** x (or u) per eligible cluster with its minimum, cost / latency terms and the used binaries; returns the replica-count row. */
function addPlacementColumns(b: MipBuild, w: number, p: number): { idx: number[]; co: number[] } {
  const { m, mip } = b;
  const { lp, criteria: crit } = mip;
  const C = m.placement.nSites;
  const N = m.placement.replicas[w]!;
  const f = `workloads[${w}]`;
  const dup = m.mode[w] === 2;
  const rowIdx: number[] = [];
  const rowCo: number[] = [];
  for (let c = 0; c < C; c++) {
    const k = w * C + c;
    if (!m.eligible[k] || m.hi[k]! <= 0 || N === 0) continue;
    const lo = m.lo[k]!;
    const col = dup
      ? lp.addVariable({ type: 'binary', lb: p < 0 && lo > 0 ? 1 : 0, name: `u[${w}][${c}]` })
      : lp.addVariable({ type: 'integer', lb: p < 0 ? lo : 0, ub: m.hi[k]!, name: `x[${w}][${c}]` });
    mip.xCol[k] = col;
    rowIdx.push(col);
    rowCo.push(1);
    if (p >= 0 && lo > 0) lp.addConstraint(dup ? [col, p] : [col, p], dup ? [1, -1] : [1, -lo], 0, Infinity, `${f}.minReplicas[${c}]`);
    if (dup && p >= 0) lp.addConstraint([col, p], [1, -1], -Infinity, 0);
    const mc = mip.mult[w]!;
    crit.cost.idx.push(col);
    crit.cost.co.push(mc * m.unitCost[k]!);
    if (m.unitLatency[c]! !== 0) {
      crit.latency.idx.push(col);
      crit.latency.co.push(mc * m.unitLatency[c]!);
    }
    if (dup) {
      mip.usedCol[k] = col;
    } else if (b.needUsed || m.mode[w] === 1) {
      const u = lp.addVariable({ type: 'binary', name: `used[${w}][${c}]` });
      mip.usedCol[k] = u;
      lp.addConstraint([col, u], [1, -m.hi[k]!], -Infinity, 0);
    }
    if (mip.usedCol[k]! >= 0) {
      if (b.needUsed) {
        crit.clusters.idx.push(mip.usedCol[k]!);
        crit.clusters.co.push(1);
      }
      if (m.mode[w] === 1) {
        mip.aggregated.idx.push(mip.usedCol[k]!);
        mip.aggregated.co.push(1);
      }
    }
  }
  return { idx: rowIdx, co: rowCo };
}

/** sum_c x = N p (duplicated: sum_c u >= p); p fixed: = N (>= 1). */
function addReplicaCount(b: MipBuild, w: number, p: number, row: { idx: number[]; co: number[] }): void {
  const { lp } = b.mip;
  const N = b.m.placement.replicas[w]!;
  const f = `workloads[${w}]`;
  if (b.m.mode[w] === 2) {
    if (p >= 0) lp.addConstraint([...row.idx, p], [...row.co, -1], 0, Infinity, `${f}.replicas`);
    else lp.addConstraint(row.idx, row.co, 1, Infinity, `${f}.replicas`);
  } else if (p >= 0) lp.addConstraint([...row.idx, p], [...row.co, -N], 0, 0, `${f}.replicas`);
  else lp.addConstraint(row.idx, row.co, N, N, `${f}.replicas`);
}

/** Imbalance against weight targets: e[w][c] >= |x - t p|. */
function addImbalance(b: MipBuild, w: number, p: number): void {
  const { m, mip } = b;
  const { lp } = mip;
  for (let c = 0; c < m.placement.nSites; c++) {
    const k = w * m.placement.nSites + c;
    const t = m.target[k]!;
    const col = mip.xCol[k]!;
    if (col < 0 && t === 0) continue;
    const e = lp.addVariable({ lb: 0, name: `dev[${w}][${c}]` });
    mip.devCol[k] = e;
    mip.criteria.imbalance.idx.push(e);
    mip.criteria.imbalance.co.push(1);
    // e >= x - t p and e >= t p - x (p fixed: t p = t).
    const idx = [e];
    const coA = [1];
    const coB = [1];
    if (col >= 0) {
      idx.push(col);
      coA.push(-1);
      coB.push(1);
    }
    if (p >= 0) {
      idx.push(p);
      coA.push(t);
      coB.push(-t);
      lp.addConstraint(idx, coA, 0, Infinity);
      lp.addConstraint(idx, coB, 0, Infinity);
    } else {
      lp.addConstraint(idx, coA, -t, Infinity);
      lp.addConstraint(idx, coB, t, Infinity);
    }
  }
}

/** Moves from the current assignment: d[w][c] >= current - x, their criteria terms and the maxMoves row. */
function addMoves(b: MipBuild, current: Int32Array, w: number, p: number): void {
  const { m, mip } = b;
  const { lp, criteria: crit } = mip;
  const f = `workloads[${w}]`;
  const N = m.placement.replicas[w]!;
  const mi: number[] = [];
  const mco: number[] = [];
  let constant = 0;
  for (let c = 0; c < m.placement.nSites; c++) {
    const k = w * m.placement.nSites + c;
    const cur = current[k]!;
    if (cur === 0) continue;
    const col = mip.xCol[k]!;
    if (col < 0) {
      constant += cur;
      continue;
    }
    const d = lp.addVariable({ lb: 0, ub: cur, name: `move[${w}][${c}]` });
    mip.moveCol[k] = d;
    lp.addConstraint([d, col], [1, mip.mult[w]!], cur, Infinity);
    mi.push(d);
    mco.push(1);
  }
  const forced = m.forcedRemovals[w]!;
  for (let i = 0; i < mi.length; i++) {
    crit.moves.idx.push(mi[i]!);
    crit.moves.co.push(1);
    if (m.moveCost[w]! > 0) {
      crit.cost.idx.push(mi[i]!);
      crit.cost.co.push(m.moveCost[w]!);
    }
  }
  crit.moves.offset += constant - forced;
  crit.cost.offset += m.moveCost[w]! * (constant - forced);
  if (m.maxMoves[w]! >= 0 && !b.drop.has(`${f}.maxMoves`)) {
    const cap = m.maxMoves[w]! + forced - constant;
    if (p >= 0) {
      // Unplaced workloads are not held to maxMoves (their replicas go away regardless).
      const big = Math.max(0, constant + mi.length * N);
      lp.addConstraint([...mi, p], [...mco, big], -Infinity, cap + big, `${f}.maxMoves`);
    } else lp.addConstraint(mi, mco, -Infinity, cap, `${f}.maxMoves`);
  }
}

/** Capacity rows (only where the eligible load could exceed the free capacity), a step per cluster. */
function* addCapacityRows(b: MipBuild): Steps<void> {
  const { m, mip } = b;
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  for (let c = 0; c < C; c++) {
    for (let d = 0; d < D; d++) {
      const free = m.placement.capacity[c * D + d]!;
      if (free === Infinity) continue;
      const idx: number[] = [];
      const co: number[] = [];
      let maxLoad = 0;
      for (const w of mip.active) {
        const col = mip.xCol[w * C + c]!;
        const r = m.placement.demand[w * D + d]!;
        if (col < 0 || r === 0) continue;
        idx.push(col);
        co.push(r * mip.mult[w]!);
        maxLoad += r * mip.mult[w]! * (m.mode[w] === 2 ? 1 : m.hi[w * C + c]!);
      }
      if (idx.length > 0 && maxLoad > free + 1e-9) mip.lp.addLe(idx, co, free, `clusters[${c}].free.${m.placement.dimensions[d]}`);
    }
    yield;
  }
}

/** Spread: y[g] per group with S_g between y_g and N y_g, min/max groups and the skew pair mx / mn. */
function addSpread(b: MipBuild, s: CompiledSpread): void {
  const { m, mip } = b;
  const { lp } = mip;
  const C = m.placement.nSites;
  const w = s.workload;
  if (!mip.active.includes(w) || b.drop.has(s.field) || m.placement.replicas[w]! === 0) return;
  const N = m.placement.replicas[w]!;
  const p = mip.pCol[w]!;
  const G = s.groups.length;
  if (s.minGroups === 0 && s.maxGroups === Infinity && s.maxSkew === Infinity) return;
  const y = new Int32Array(G).fill(-1);
  const top = m.mode[w] === 2 ? N * C : N;
  const mx = s.maxSkew < Infinity ? lp.addVariable({ lb: 0, ub: top, name: `${s.field}.max` }) : -1;
  const mn = s.maxSkew < Infinity ? lp.addVariable({ lb: 0, ub: top, name: `${s.field}.min` }) : -1;
  const yIdx: number[] = [];
  for (let g = 0; g < G; g++) {
    const idx: number[] = [];
    const co: number[] = [];
    for (let c = 0; c < C; c++) {
      const col = mip.xCol[w * C + c]!;
      if (s.groupOf[c] === g && col >= 0) {
        idx.push(col);
        co.push(mip.mult[w]!);
      }
    }
    if (idx.length === 0) continue;
    const yg = lp.addVariable({ type: 'binary', name: `${s.field}.used[${g}]` });
    y[g] = yg;
    yIdx.push(yg);
    const bigS = m.mode[w] === 2 ? N * idx.length : N;
    lp.addConstraint([...idx, yg], [...co, -1], 0, Infinity);
    lp.addConstraint([...idx, yg], [...co, -bigS], -Infinity, 0);
    if (mx >= 0) {
      lp.addConstraint([mx, ...idx], [1, ...co.map((v) => -v)], 0, Infinity);
      // mn <= S_g + BigS (1 - y_g)
      lp.addConstraint([mn, ...idx, yg], [1, ...co.map((v) => -v), bigS], -Infinity, bigS);
    }
  }
  if (s.minGroups > 0) {
    if (p >= 0) lp.addConstraint([...yIdx, p], [...yIdx.map(() => 1), -s.minGroups], 0, Infinity, `${s.field}.minGroups`);
    else lp.addConstraint(yIdx, yIdx.map(() => 1), s.minGroups, Infinity, `${s.field}.minGroups`);
  }
  if (s.maxGroups < Infinity) lp.addConstraint(yIdx, yIdx.map(() => 1), -Infinity, s.maxGroups, `${s.field}.maxGroups`);
  if (mx >= 0) lp.addConstraint([mx, mn], [1, -1], -Infinity, s.maxSkew, `${s.field}.maxSkew`);
  mip.groupVars.push({ w, groupOf: s.groupOf, y, mx, mn });
}

/** Survivability rows per failure domain; N-1 re-hosting blocks are queued (or left to the caller when lazy). */
function addSurvivability(b: MipBuild, sv: CompiledSurvivability): void {
  const { m, mip } = b;
  const { lp } = mip;
  const C = m.placement.nSites;
  const w = sv.workload;
  if (!mip.active.includes(w) || m.placement.replicas[w]! === 0) return;
  const N = m.placement.replicas[w]!;
  const p = mip.pCol[w]!;
  const dup = m.mode[w] === 2;
  const mult = mip.mult[w]!;
  for (let g = 0; g < sv.groups.length; g++) {
    const inIdx: number[] = [];
    const inCo: number[] = [];
    const outIdx: number[] = [];
    const outCo: number[] = [];
    for (let c = 0; c < C; c++) {
      const col = mip.xCol[w * C + c]!;
      if (col < 0) continue;
      if (sv.groupOf[c] === g) {
        inIdx.push(col);
        inCo.push(mult);
      } else {
        outIdx.push(col);
        outCo.push(mult);
      }
    }
    if (inIdx.length === 0) continue;
    if (sv.minAvailable > 0 && !b.drop.has(sv.field)) {
      if (dup) {
        // Replicas outside g >= minAvailable p.
        if (p >= 0) lp.addConstraint([...outIdx, p], [...outCo, -sv.minAvailable], 0, Infinity, `${sv.field}[${g}]`);
        else lp.addConstraint(outIdx, outCo, sv.minAvailable, Infinity, `${sv.field}[${g}]`);
      } else lp.addConstraint(inIdx, inCo, -Infinity, N - sv.minAvailable, `${sv.field}[${g}]`);
    }
    if (!sv.rehost || b.drop.has(`${sv.field}.rehost`) || b.drop.has(sv.field)) continue;
    // N-1 re-hosting blocks are big (one integer per surviving cluster): added lazily
    // by the caller (`addRehostBlock`) when a plan breaks them, unless asked up front.
    if (!b.opts.lazyRehost) b.pendingRehost.push([w, g]);
  }
}

/**
 * The re-hosting block of workload w and failure domain g: integer r[c] on the eligible
 * clusters outside g, sum_c r >= S_g, r + x <= maxReplicas, r * request + placed load <= free.
 */
export function addRehostBlock(m: ReplicaModel, mip: ReplicaMip, w: number, g: number): void {
  const key = w * 65536 + g;
  if (mip.rehostAdded.has(key)) return;
  mip.rehostAdded.add(key);
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const { lp, xCol, mult, active } = mip;
  const sv = m.survivabilityOf[w]!;
  const N = m.placement.replicas[w]!;
  const dup = m.mode[w] === 2;
  const inIdx: number[] = [];
  const inCo: number[] = [];
  for (let c = 0; c < C; c++) {
    const col = xCol[w * C + c]!;
    if (col >= 0 && sv.groupOf[c] === g) {
      inIdx.push(col);
      inCo.push(mult[w]!);
    }
  }
  const r = new Int32Array(C).fill(-1);
  const rIdx: number[] = [];
  for (let c = 0; c < C; c++) {
    if (sv.groupOf[c] === g || !m.eligible[w * C + c]) continue;
    let ub = m.maxRep[w * C + c]!;
    for (let d = 0; d < D; d++) {
      const req = m.placement.demand[w * D + d]!;
      if (req > 0) ub = Math.min(ub, Math.floor(m.placement.capacity[c * D + d]! / req + 1e-9));
    }
    if (ub <= 0) continue;
    const rc = lp.addVariable({ type: 'integer', lb: 0, ub: Math.min(ub, dup ? N * C : N), name: `rehost[${w}][${g}][${c}]` });
    r[c] = rc;
    rIdx.push(rc);
    const xc = xCol[w * C + c]!;
    if (m.maxRep[w * C + c]! < BIG && xc >= 0) lp.addConstraint([rc, xc], [1, mult[w]!], -Infinity, m.maxRep[w * C + c]!);
    for (let d = 0; d < D; d++) {
      const free = m.placement.capacity[c * D + d]!;
      const req = m.placement.demand[w * D + d]!;
      if (free === Infinity || req === 0) continue;
      const idx = [rc];
      const co = [req];
      for (const w2 of active) {
        const col = xCol[w2 * C + c]!;
        const q = m.placement.demand[w2 * D + d]!;
        if (col >= 0 && q > 0) {
          idx.push(col);
          co.push(q * mult[w2]!);
        }
      }
      lp.addLe(idx, co, free, `${sv.field}.rehost[${g}].free[${c}]`);
    }
  }
  lp.addConstraint([...rIdx, ...inIdx], [...rIdx.map(() => 1), ...inCo.map((v) => -v)], 0, Infinity, `${sv.field}.rehost[${g}]`);
  mip.rehostVars.push({ w, groupOf: sv.groupOf, g, r });
}

/** Replaces the objective by sum_k coef_k * expr_k (previous objective cleared). */
export function setStageObjective(mip: ReplicaMip, terms: { expr: LinearExpr; coef: number }[]): void {
  const lp = mip.lp;
  const n = lp.numVariables;
  for (let j = 0; j < n; j++) if (lp.getObjective(j) !== 0) lp.setObjective(j, 0);
  let offset = 0;
  for (const { expr, coef } of terms) {
    if (coef === 0) continue;
    for (let i = 0; i < expr.idx.length; i++) lp.setObjective(expr.idx[i]!, lp.getObjective(expr.idx[i]!) + coef * expr.co[i]!);
    offset += coef * expr.offset;
  }
  lp.setObjectiveOffset(offset);
}

/** Adds the row sum_k coef_k * expr_k <= rhs (a lexicographic stage fixed at its value). */
export function addExprLe(mip: ReplicaMip, terms: { expr: LinearExpr; coef: number }[], rhs: number, name: string): void {
  const acc = new Map<number, number>();
  let offset = 0;
  for (const { expr, coef } of terms) {
    if (coef === 0) continue;
    for (let i = 0; i < expr.idx.length; i++) acc.set(expr.idx[i]!, (acc.get(expr.idx[i]!) ?? 0) + coef * expr.co[i]!);
    offset += coef * expr.offset;
  }
  const idx = [...acc.keys()];
  if (idx.length === 0) return;
  mip.lp.addConstraint(idx, idx.map((j) => acc.get(j)!), -Infinity, rhs - offset, name);
}

export function exprValue(terms: { expr: LinearExpr; coef: number }[], x: ArrayLike<number>): number {
  let s = 0;
  for (const { expr, coef } of terms) {
    if (coef === 0) continue;
    let v = expr.offset;
    for (let i = 0; i < expr.idx.length; i++) v += expr.co[i]! * x[expr.idx[i]!]!;
    s += coef * v;
  }
  return s;
}

/** Replica counts (W x C) from a MIP solution. */
export function mipCounts(m: ReplicaModel, mip: ReplicaMip, x: ArrayLike<number>): Int32Array {
  const counts = new Int32Array(m.placement.nClients * m.placement.nSites);
  for (let k = 0; k < counts.length; k++) {
    const col = mip.xCol[k]!;
    if (col >= 0) counts[k] = Math.round(x[col]!) * mip.mult[Math.floor(k / m.placement.nSites)]!;
  }
  return counts;
}

/** A full starting vector from replica counts (placed workloads = rows with replicas). */
export function mipWarmStart(m: ReplicaModel, mip: ReplicaMip, counts: Int32Array): Float64Array {
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const v = new Float64Array(mip.lp.numVariables);
  const residual = residualCapacity(m, counts);
  for (const w of mip.active) {
    let total = 0;
    for (let c = 0; c < C; c++) total += counts[w * C + c]!;
    const placed = total > 0 ? 1 : 0;
    if (mip.pCol[w]! >= 0) v[mip.pCol[w]!] = placed;
    for (let c = 0; c < C; c++) {
      const k = w * C + c;
      const n = counts[k]!;
      if (mip.xCol[k]! >= 0) v[mip.xCol[k]!] = n / mip.mult[w]!;
      if (mip.usedCol[k]! >= 0 && n > 0) v[mip.usedCol[k]!] = 1;
      if (mip.moveCol[k]! >= 0) v[mip.moveCol[k]!] = Math.max(0, m.current![k]! - n);
      if (mip.devCol[k]! >= 0) v[mip.devCol[k]!] = Math.abs(n - m.target[k]! * placed);
    }
  }
  for (const gv of mip.groupVars) {
    const per = new Map<number, number>();
    for (let c = 0; c < C; c++) if (gv.groupOf[c]! >= 0) per.set(gv.groupOf[c]!, (per.get(gv.groupOf[c]!) ?? 0) + counts[gv.w * C + c]!);
    let mx = 0;
    let mn = Infinity;
    for (let g = 0; g < gv.y.length; g++) {
      const s = per.get(g) ?? 0;
      if (gv.y[g]! >= 0 && s > 0) v[gv.y[g]!] = 1;
      if (s > 0) {
        mx = Math.max(mx, s);
        mn = Math.min(mn, s);
      }
    }
    if (gv.mx >= 0) {
      v[gv.mx] = mx;
      v[gv.mn] = mn === Infinity ? 0 : mn;
    }
  }
  for (const rv of mip.rehostVars) {
    let need = 0;
    for (let c = 0; c < C; c++) if (rv.groupOf[c] === rv.g) need += counts[rv.w * C + c]!;
    for (let c = 0; c < C && need > 0; c++) {
      if (rv.r[c]! < 0) continue;
      let a = m.maxRep[rv.w * C + c]! - counts[rv.w * C + c]!;
      for (let d = 0; d < D; d++) {
        const req = m.placement.demand[rv.w * D + d]!;
        if (req > 0) a = Math.min(a, Math.floor(residual[c * D + d]! / req + 1e-9));
      }
      const take = Math.max(0, Math.min(a, need));
      v[rv.r[c]!] = take;
      need -= take;
    }
  }
  return v;
}
