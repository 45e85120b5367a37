import { createGraph, type Graph } from '@emplace/core';
import { maxFlow } from '@emplace/graph';
import { LinearModel, solveLp } from '@emplace/lp';
import { mstOfEdges, pruneLeaves } from './tree.js';

export interface CutMipResult {
  /** Best tree found (reduced-graph edges), or undefined when the MIP gave none better than the start. */
  edges?: number[];
  cost?: number;
  /** Proven lower bound on the optimum of this (reduced) graph. */
  lowerBound: number;
  /** True when `lowerBound` equals the cost of the best tree (the start's or `edges`). */
  proven: boolean;
  lpRounds: number;
  cuts: number;
  mipRounds: number;
}

/**
 * Exact Steiner tree by the bidirected cut formulation, solved with @emplace/lp (HiGHS):
 *
 *   min sum_e c_e (x_uv + x_vu)  s.t.  x(delta^-(W)) >= 1 for every W with a terminal and
 *   without the root,  x(delta^-(t)) = 1 for terminals t != root, in-degree <= 1,
 *   x(delta^-(v)) <= x(delta^+(v)) for Steiner nodes, x_uv + x_vu <= 1.
 *
 * The exponentially many cut rows are generated: the LP relaxation is re-solved with the
 * cuts separated by max-flow from the root to every terminal (with nested cuts), until no
 * cut is violated; then, unless the LP bound already closes the gap to the start tree,
 * the model turns binary and integer solutions that do not connect the root to every
 * terminal are cut off until one does (it is then optimal).
 */
export async function cutMip(
  g: Graph,
  terminals: Int32Array,
  isTerminal: Uint8Array,
  start: { edges: number[]; cost: number },
  opts: {
    deadline: number;
    signal?: AbortSignal | undefined;
    integral: boolean;
    maxLpRounds?: number | undefined;
    initialCuts?: readonly Int32Array[] | undefined;
    /** The caller's checkpoint (run.tick()): separation yields to the event loop through it between terminals. */
    tick?: (() => Promise<boolean>) | undefined;
  },
): Promise<CutMipResult> {
  const n = g.n;
  const m = g.m;
  const root = terminals[0]!;
  const remaining = (): number => Math.max(0, opts.deadline - performance.now());
  const lpModel = new LinearModel('min');
  for (let e = 0; e < m; e++) {
    lpModel.addVariable({ lb: 0, ub: 1, obj: g.edgeW[e]! }); // arc 2e: U -> V
    lpModel.addVariable({ lb: 0, ub: 1, obj: g.edgeW[e]! }); // arc 2e+1: V -> U
  }
  const outArc = (u: number, k: number): number => {
    const e = g.adjEdge[k]!;
    return g.edgeU[e] === u ? 2 * e : 2 * e + 1;
  };
  for (let v = 0; v < n; v++) {
    const ins: number[] = [];
    const outs: number[] = [];
    for (let k = g.offsets[v]!, end = g.offsets[v + 1]!; k < end; k++) {
      const a = outArc(v, k);
      outs.push(a);
      ins.push(a ^ 1);
    }
    if (v === root) {
      for (const a of ins) lpModel.setBounds(a, 0, 0);
      continue;
    }
    if (ins.length === 0) continue;
    if (isTerminal[v]) lpModel.addEq(ins, ins.map(() => 1), 1);
    else {
      lpModel.addLe(ins, ins.map(() => 1), 1);
      lpModel.addConstraint(outs.concat(ins), outs.map(() => 1).concat(ins.map(() => -1)), 0, Infinity);
      // Flow balance per arc where cheap: an arc leaves v only if one enters it.
      if (ins.length <= 12) for (const a of outs) lpModel.addConstraint([a, ...ins], [-1, ...ins.map(() => 1)], 0, Infinity);
    }
  }
  for (let e = 0; e < m; e++) lpModel.addLe([2 * e, 2 * e + 1], [1, 1], 1);

  // Arc digraph for separation: edge a of `arcs` is arc a.
  const au = new Int32Array(2 * m);
  const av = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    au[2 * e] = g.edgeU[e]!;
    av[2 * e] = g.edgeV[e]!;
    au[2 * e + 1] = g.edgeV[e]!;
    av[2 * e + 1] = g.edgeU[e]!;
  }
  const arcs = createGraph({ n, edges: { u: au, v: av, w: new Float64Array(2 * m).fill(1) } });

  let cuts = 0;
  const cutRows: { row: number; arcs: Int32Array; idle: number; active: boolean }[] = [];
  const addCut = (arcList: ArrayLike<number>): void => {
    const row = lpModel.addGe(arcList, Array.from({ length: arcList.length }, () => 1), 1);
    cutRows.push({ row, arcs: Int32Array.from(arcList), idle: 0, active: true });
    cuts++;
  };
  /**
   * Separates violated cuts for x; returns how many were added. For each terminal with a
   * root flow below 1, the "back cut" (the arcs entering the set of nodes that can still
   * reach the terminal in the residual graph: a small set, a sparse row) is added, and
   * the root-side cut when it differs; then, with the cut arcs saturated, the next cut
   * behind it (nested cuts, `nest` times).
   */
  const inW = new Uint8Array(n);
  const stackW = new Int32Array(n);
  const separate = async (x: Float64Array, nestLimit = 2): Promise<number> => {
    let added = 0;
    const cap = new Float64Array(2 * m);
    for (let t = 0; t < terminals.length; t++) {
      const term = terminals[t]!;
      if (term === root) continue;
      // One max-flow per terminal: a checkpoint between them (an abort is seen within one flow).
      if (opts.tick && (await opts.tick())) break;
      for (let a = 0; a < 2 * m; a++) cap[a] = Math.max(0, x[a]!);
      for (let nest = 0; nest < nestLimit; nest++) {
        const f = maxFlow(arcs, root, term, { directed: true, capacities: cap });
        if (f.value >= 1 - 1e-6) break;
        // Back cut: nodes that reach the terminal through residual arcs.
        inW.fill(0);
        let top = 0;
        inW[term] = 1;
        stackW[top++] = term;
        while (top > 0) {
          const y = stackW[--top]!;
          for (let k = arcs.offsets[y]!, end = arcs.offsets[y + 1]!; k < end; k++) {
            const a = arcs.adjEdge[k]!;
            const z = arcs.adjNode[k]!;
            if (inW[z]) continue;
            // Residual z -> y exists if arc a = z -> y has spare capacity, or a = y -> z carries flow.
            const spare = arcs.edgeV[a] === y ? cap[a]! - f.flow[a]! : f.flow[a]!;
            if (spare > 1e-9) {
              inW[z] = 1;
              stackW[top++] = z;
            }
          }
        }
        const back: number[] = [];
        for (let a = 0; a < 2 * m; a++) if (!inW[arcs.edgeU[a]!] && inW[arcs.edgeV[a]!]) back.push(a);
        addCut(back);
        added++;
        if (back.length !== f.cutEdges.length) {
          addCut(f.cutEdges);
          added++;
        }
        for (const a of back) cap[a] = 1;
        for (const a of f.cutEdges) cap[a] = 1;
      }
    }
    return added;
  };

  // Cuts from dual ascent (same root): the first LP is at least the dual-ascent bound.
  if (opts.initialCuts) for (const c of opts.initialCuts) if (c.length > 0) addCut(c);

  const treeArcs = (edges: readonly number[]): Float64Array => {
    const x = new Float64Array(2 * m);
    const adj = new Map<number, number[]>();
    for (const e of edges) for (const v of [g.edgeU[e]!, g.edgeV[e]!]) {
      let l = adj.get(v);
      if (!l) adj.set(v, (l = []));
      l.push(e);
    }
    const seen = new Set<number>([root]);
    const stack = [root];
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (const e of adj.get(u) ?? []) {
        const v = g.edgeU[e] === u ? g.edgeV[e]! : g.edgeU[e]!;
        if (seen.has(v)) continue;
        seen.add(v);
        x[g.edgeU[e] === u ? 2 * e : 2 * e + 1] = 1;
        stack.push(v);
      }
    }
    return x;
  };

  let lowerBound = 0;
  let lpRounds = 0;
  let mipRounds = 0;
  let best = start;
  let improved: { edges: number[]; cost: number } | undefined;
  const integerTol = 1e-6;
  const costTol = 1e-9 * Math.max(1, Math.abs(start.cost));
  const closes = (lb: number): boolean => (opts.integral ? Math.ceil(lb - 1e-6) >= best.cost - 1e-9 : lb >= best.cost - costTol);
  const toTree = (x: Float64Array): { edges: number[]; cost: number } => {
    const chosen: number[] = [];
    for (let e = 0; e < m; e++) if (x[2 * e]! > 0.5 || x[2 * e + 1]! > 0.5) chosen.push(e);
    const edges = pruneLeaves(g, mstOfEdges(g, chosen), isTerminal);
    let cost = 0;
    for (const e of edges) cost += g.edgeW[e]!;
    return { edges, cost };
  };

  // Phase 1: LP relaxation with cut generation.
  for (;;) {
    if (remaining() <= 0 || opts.signal?.aborted) break;
    if (opts.maxLpRounds !== undefined && lpRounds >= opts.maxLpRounds) break;
    const sol = await solveLp(lpModel, { timeLimitMs: remaining(), signal: opts.signal });
    lpRounds++;
    if (sol.status !== 'optimal') break;
    // Cuts slack for several rounds are switched off (a free row, dropped by presolve), to keep the LP small.
    for (const c of cutRows) {
      if (!c.active) continue;
      let act = 0;
      for (const a of c.arcs) act += sol.solution.x[a]!;
      c.idle = act > 1 + 1e-6 ? c.idle + 1 : 0;
      if (c.idle >= 3) {
        c.active = false;
        lpModel.setConstraintBounds(c.row, -Infinity, Infinity);
      }
    }
    const added = await separate(sol.solution.x);
    if (added > 0) continue;
    lowerBound = Math.max(lowerBound, sol.objective!);
    let integral = true;
    for (let a = 0; a < 2 * m; a++) if (sol.solution.x[a]! > integerTol && sol.solution.x[a]! < 1 - integerTol) {
      integral = false;
      break;
    }
    if (integral) {
      const tree = toTree(sol.solution.x);
      if (tree.cost < best.cost - costTol) best = improved = tree;
      if (tree.cost <= sol.objective! + costTol) return { ...result(), proven: true, lowerBound: best.cost };
    }
    break;
  }
  if (closes(lowerBound)) return { ...result(), proven: true };

  // Phase 2: branch and bound (HiGHS) with integer cut generation; every cut back on.
  for (const c of cutRows) if (!c.active) {
    c.active = true;
    lpModel.setConstraintBounds(c.row, 1, Infinity);
  }
  for (let c = 0; c < 2 * m; c++) lpModel.setType(c, 'binary');
  for (;;) {
    if (remaining() <= 0 || opts.signal?.aborted) break;
    const sol = await solveLp(lpModel, { timeLimitMs: remaining(), signal: opts.signal, warmStart: treeArcs(best.edges) });
    mipRounds++;
    if (sol.bound !== undefined) lowerBound = Math.max(lowerBound, Math.min(sol.bound, sol.status === 'optimal' ? sol.objective! : sol.bound));
    if (sol.status !== 'optimal' && sol.status !== 'feasible') break;
    // Which terminals does the integer solution connect to the root?
    const reach = new Uint8Array(n);
    reach[root] = 1;
    const stack = [root];
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
        const a = outArc(u, k);
        const v = g.adjNode[k]!;
        if (!reach[v] && sol.solution.x[a]! > 0.5) {
          reach[v] = 1;
          stack.push(v);
        }
      }
    }
    let connected = true;
    for (const t of terminals) if (!reach[t]) connected = false;
    if (connected) {
      const tree = toTree(sol.solution.x);
      if (tree.cost < best.cost - costTol) best = improved = tree;
      if (sol.status === 'optimal') return { ...result(), proven: true, lowerBound: best.cost };
      break; // time limit inside HiGHS
    }
    // Cut off: the unreached side has a terminal and no entering arc chosen.
    const cut: number[] = [];
    for (let v = 0; v < n; v++) {
      if (reach[v]) continue;
      for (let k = g.offsets[v]!, end = g.offsets[v + 1]!; k < end; k++) if (reach[g.adjNode[k]!]) cut.push(outArc(v, k) ^ 1);
    }
    if (cut.length === 0) break; // terminals disconnected in this graph
    addCut(cut);
    await separate(sol.solution.x); // more cuts from the same point, per terminal component
  }
  return { ...result(), proven: closes(lowerBound) };

  function result(): CutMipResult {
    const r: CutMipResult = { lowerBound, proven: false, lpRounds, cuts, mipRounds };
    if (improved) {
      r.edges = improved.edges;
      r.cost = improved.cost;
    }
    return r;
  }
}
