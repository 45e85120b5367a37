import type { Steps } from '@emplace/core';
import { LinearModel } from '@emplace/lp';
import type { CompiledSchedule } from './schedule-compile.js';

/**
 * The scheduling model as a MIP over units: x[t][u] binary (allowed pairs only),
 * one site per unit, capacity per site and dimension, anti-affinity as "at most one
 * member per domain value", and the quadratic network term linearised with transport
 * variables z[e][s][t] >= 0 per traffic edge e = (u, v): sum_t z[e][s][t] = x[s][u] and
 * sum_s z[e][s][t] = x[t][v], cost w_e * net[s][t] (exact when x is binary). The
 * linearisation has S^2 variables per edge: only small instances fit, `mipSize` says how
 * big it would be before anything is built.
 */
export interface ScheduleMip {
  lp: LinearModel;
  /** Column of x[t][u], -1 when the pair is not allowed. */
  xCol: Int32Array;
}

export function mipSize(c: CompiledSchedule): { variables: number; rows: number; assignmentVariables: number } {
  let x = 0;
  for (let k = 0; k < c.allowed.length; k++) x += c.allowed[k]!;
  const edges = c.net ? countEdges(c) : 0;
  return { variables: x + edges * c.S * c.S, rows: c.U + c.S * c.D + edges * 2 * c.S, assignmentVariables: x };
}

function countEdges(c: CompiledSchedule): number {
  let e = 0;
  for (let u = 0; u < c.U; u++) for (let k = c.adjStart[u]!; k < c.adjStart[u + 1]!; k++) if (c.adj[k]! > u) e++;
  return e;
}

/**
 * The scheduling MIP, as steps: a checkpoint between its row families; undefined when
 * `stop` says so at one. `network: false` leaves the network term out (the fallback when
 * its linearisation is too big).
 */
export function* buildScheduleMipSteps(c: CompiledSchedule, opts: { network?: boolean }, stop: () => boolean): Steps<ScheduleMip | undefined> {
  const lp = new LinearModel('min');
  // Every block yields per site / unit / group (a 2000 x 50 model took 150-300 ms in one stretch).
  const xCol = new Int32Array(c.S * c.U).fill(-1);
  yield* addAssignmentColumns(lp, c, xCol, stop);
  if ((yield, stop())) return undefined;
  yield* addCapacityRows(lp, c, xCol, stop);
  if ((yield, stop())) return undefined;
  yield* addAntiAffinityRows(lp, c, xCol, stop);
  if ((yield, stop())) return undefined;
  if (c.net && opts.network !== false) yield* addNetworkTransport(lp, c, xCol, c.net, stop);
  if (stop()) return undefined;
  return { lp, xCol };
}

/** x[t][u] for the allowed pairs, priced at the unit's cost there, and one site per unit. */
function* addAssignmentColumns(lp: LinearModel, c: CompiledSchedule, xCol: Int32Array, stop: () => boolean): Steps<void> {
  const { S, U } = c;
  for (let t = 0; t < S; t++) {
    for (let u = 0; u < U; u++) {
      if (c.allowed[t * U + u]) xCol[t * U + u] = lp.addVariable({ type: 'binary', obj: c.unitCost[t * U + u]! });
    }
    if ((yield, stop())) return;
  }
  for (let u = 0; u < U; u++) {
    const idx: number[] = [];
    for (let t = 0; t < S; t++) if (xCol[t * U + u]! >= 0) idx.push(xCol[t * U + u]!);
    lp.addEq(idx, idx.map(() => 1), 1, `assign[${u}]`);
    if ((u & 255) === 255 && (yield, stop())) return;
  }
}

function* addCapacityRows(lp: LinearModel, c: CompiledSchedule, xCol: Int32Array, stop: () => boolean): Steps<void> {
  const { S, U, D } = c;
  for (let t = 0; t < S; t++) {
    for (let d = 0; d < D; d++) {
      const cap = c.capacity[t * D + d]!;
      if (cap === Infinity) continue;
      const idx: number[] = [];
      const co: number[] = [];
      for (let u = 0; u < U; u++) {
        const col = xCol[t * U + u]!;
        const w = c.demand[t * c.demandSiteStride + u * D + d]!;
        if (col >= 0 && w > 0) {
          idx.push(col);
          co.push(w);
        }
      }
      if (idx.length > 0) lp.addLe(idx, co, cap, `capacity[${t}][${d}]`);
    }
    if ((yield, stop())) return;
  }
}

/** At most one unit of each anti-affinity group per domain value. */
function* addAntiAffinityRows(lp: LinearModel, c: CompiledSchedule, xCol: Int32Array, stop: () => boolean): Steps<void> {
  const { S, U } = c;
  const G = c.groupDomain.length;
  for (let g = 0; g < G; g++) {
    const dom = c.domains[c.groupDomain[g]!]!;
    for (let v = 0; v < dom.count; v++) {
      const idx: number[] = [];
      for (let k = c.groupStart[g]!; k < c.groupStart[g + 1]!; k++) {
        const u = c.groupUnits[k]!;
        for (let t = 0; t < S; t++) if (dom.of[t] === v && xCol[t * U + u]! >= 0) idx.push(xCol[t * U + u]!);
      }
      if (idx.length > 1) lp.addLe(idx, idx.map(() => 1), 1, `antiAffinity[${g}][${v}]`);
    }
    if ((yield, stop())) return;
  }
}

/** The network term linearised: transport variables z[s][t] per traffic edge (u, v) with marginals x[.][u] and x[.][v]. */
function* addNetworkTransport(lp: LinearModel, c: CompiledSchedule, xCol: Int32Array, net: Float64Array, stop: () => boolean): Steps<void> {
  const { S, U } = c;
  for (let u = 0; u < U; u++) {
    for (let k = c.adjStart[u]!; k < c.adjStart[u + 1]!; k++) {
      const v = c.adj[k]!;
      if (v <= u) continue;
      const w = c.adjWeight[k]!;
      // z[s][t]: u on s, v on t; the entry's direction says which side pays net[a][b].
      const m = c.adjDir[k] ? c.netT! : net;
      const z0 = lp.addVariables(S * S, { lb: 0, ub: 1 });
      for (let s = 0; s < S; s++) for (let t = 0; t < S; t++) if (s !== t) lp.setObjective(z0 + s * S + t, w * m[s * S + t]!);
      // Row s: sum_t z[s][t] = x[s][u]; column t: sum_s z[s][t] = x[t][v].
      for (let s = 0; s < S; s++) addMarginalRow(lp, S, (t) => z0 + s * S + t, xCol[s * U + u]!);
      for (let t = 0; t < S; t++) addMarginalRow(lp, S, (s) => z0 + s * S + t, xCol[t * U + v]!);
    }
    if ((yield, stop())) return;
  }
}

/** sum over `count` transport columns - x = 0 (x left out when the pair is not allowed, forcing the sum to 0). */
function addMarginalRow(lp: LinearModel, count: number, column: (k: number) => number, x: number): void {
  const idx: number[] = [];
  const co: number[] = [];
  for (let k = 0; k < count; k++) {
    idx.push(column(k));
    co.push(1);
  }
  if (x >= 0) {
    idx.push(x);
    co.push(-1);
  }
  lp.addEq(idx, co, 0);
}

/** Warm start vector for the MIP from a unit -> site plan. */
export function mipWarmStart(c: CompiledSchedule, mip: ScheduleMip, site: Int32Array, network = true): Float64Array {
  const x = new Float64Array(mip.lp.numVariables);
  for (let u = 0; u < c.U; u++) {
    const col = mip.xCol[site[u]! * c.U + u]!;
    if (col >= 0) x[col] = 1;
  }
  if (c.net && network) {
    let z0 = 0;
    for (let k = 0; k < mip.xCol.length; k++) if (mip.xCol[k]! >= 0) z0++;
    const S = c.S;
    for (let u = 0; u < c.U; u++) {
      for (let k = c.adjStart[u]!; k < c.adjStart[u + 1]!; k++) {
        const v = c.adj[k]!;
        if (v <= u) continue;
        x[z0 + site[u]! * S + site[v]!] = 1;
        z0 += S * S;
      }
    }
  }
  return x;
}

/** Unit -> site plan from a MIP solution. */
export function mipPlan(c: CompiledSchedule, mip: ScheduleMip, x: Float64Array): Int32Array {
  const site = new Int32Array(c.U).fill(-1);
  for (let t = 0; t < c.S; t++) {
    for (let u = 0; u < c.U; u++) {
      const col = mip.xCol[t * c.U + u]!;
      if (col >= 0 && x[col]! > 0.5) site[u] = t;
    }
  }
  return site;
}
