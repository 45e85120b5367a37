import { createGraph, type Graph } from '@emplace/core';
import { maxFlow } from '@emplace/graph';
import { LinearModel } from '@emplace/lp';
import { solveLpOffMainThread } from './lp-offload.js';
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
export interface CutMipOptions {
  deadline: number;
  signal?: AbortSignal | undefined;
  integral: boolean;
  maxLpRounds?: number | undefined;
  initialCuts?: readonly Int32Array[] | undefined;
  /** The caller's checkpoint (run.tick()): separation yields to the event loop through it between terminals. */
  tick?: (() => Promise<boolean>) | undefined;
  /**
   * A primal heuristic guided by each LP solution (arc values, 2e: U -> V, 2e+1: V -> U):
   * a tree of this graph, or undefined. A better tree than the best so far is kept, and a
   * lower bound that meets it ends the search.
   */
  guide?: ((x: Float64Array) => Promise<{ edges: number[]; cost: number } | undefined>) | undefined;
}

export async function cutMip(g: Graph, terminals: Int32Array, isTerminal: Uint8Array, start: { edges: number[]; cost: number }, opts: CutMipOptions): Promise<CutMipResult> {
  const search = new CutMip(g, terminals, isTerminal, start, opts);
  // The model is built in steps (tens of ms on 10k+ edges): the caller's checkpoint between them.
  for (const _ of search.buildSteps()) if (opts.tick && (await opts.tick())) return search.result(false);
  // Cuts from dual ascent (same root): the first LP is at least the dual-ascent bound.
  if (opts.initialCuts) for (const c of opts.initialCuts) if (c.length > 0) search.addCut(c);
  if (await search.lpPhase()) return search.result(true, search.best.cost);
  if (search.closes(search.lowerBound)) return search.result(true);
  if (await search.mipPhase()) return search.result(true, search.best.cost);
  return search.result(search.closes(search.lowerBound));
}

interface CutRow {
  row: number;
  arcs: Int32Array;
  idle: number;
  active: boolean;
}

/** The state of one cut-MIP solve: the model, its cut rows, the arc digraph for separation and the best tree. */
class CutMip {
  readonly lpModel = new LinearModel('min');
  /** Arc digraph for separation: edge a of `arcs` is arc a (2e: U -> V, 2e+1: V -> U). */
  private readonly arcs: Graph;
  private readonly cutRows: CutRow[] = [];
  private readonly root: number;
  private readonly inW: Uint8Array;
  private readonly stackW: Int32Array;
  private readonly costTol: number;
  cuts = 0;
  lowerBound = 0;
  lpRounds = 0;
  mipRounds = 0;
  best: { edges: number[]; cost: number };
  private improved: { edges: number[]; cost: number } | undefined;

  constructor(
    private readonly g: Graph,
    private readonly terminals: Int32Array,
    private readonly isTerminal: Uint8Array,
    start: { edges: number[]; cost: number },
    private readonly opts: CutMipOptions,
  ) {
    this.root = terminals[0]!;
    this.best = start;
    this.costTol = 1e-9 * Math.max(1, Math.abs(start.cost));
    this.inW = new Uint8Array(g.n);
    this.stackW = new Int32Array(g.n);
    this.arcs = arcDigraph(g);
  }

  private remaining(): number {
    return Math.max(0, this.opts.deadline - performance.now());
  }

  private outArc(u: number, k: number): number {
    const e = this.g.adjEdge[k]!;
    return this.g.edgeU[e] === u ? 2 * e : 2 * e + 1;
  }

  /** Two arcs per edge; in-degree rows (1 at terminals, <= 1 elsewhere), Steiner-node flow balance, one direction per edge. */
  *buildSteps(): Generator<void, void, void> {
    const { g, lpModel, root, isTerminal } = this;
    const m = g.m;
    for (let e = 0; e < m; e++) {
      if ((e & 2047) === 2047) yield;
      lpModel.addVariable({ lb: 0, ub: 1, obj: g.edgeW[e]! }); // arc 2e: U -> V
      lpModel.addVariable({ lb: 0, ub: 1, obj: g.edgeW[e]! }); // arc 2e+1: V -> U
    }
    for (let v = 0; v < g.n; v++) {
      if ((v & 63) === 63) yield;
      const ins: number[] = [];
      const outs: number[] = [];
      for (let k = g.offsets[v]!, end = g.offsets[v + 1]!; k < end; k++) {
        const a = this.outArc(v, k);
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
    for (let e = 0; e < m; e++) {
      if ((e & 2047) === 2047) yield;
      lpModel.addLe([2 * e, 2 * e + 1], [1, 1], 1);
    }
  }

  addCut(arcList: ArrayLike<number>): void {
    const row = this.lpModel.addGe(arcList, Array.from({ length: arcList.length }, () => 1), 1);
    this.cutRows.push({ row, arcs: Int32Array.from(arcList), idle: 0, active: true });
    this.cuts++;
  }

  /**
   * Separates violated cuts for x; returns how many were added. For each terminal with a
   * root flow below 1, the "back cut" (the arcs entering the set of nodes that can still
   * reach the terminal in the residual graph: a small set, a sparse row) is added, and
   * the root-side cut when it differs; then, with the cut arcs saturated, the next cut
   * behind it (nested cuts, `nestLimit` times).
   */
  private async separate(x: Float64Array, nestLimit = 2): Promise<number> {
    const { arcs, root, opts } = this;
    const m2 = 2 * this.g.m;
    let added = 0;
    const cap = new Float64Array(m2);
    for (let t = 0; t < this.terminals.length; t++) {
      const term = this.terminals[t]!;
      if (term === root) continue;
      // One max-flow per terminal: a checkpoint between them (an abort is seen within one flow).
      if (opts.tick && (await opts.tick())) break;
      for (let a = 0; a < m2; a++) cap[a] = Math.max(0, x[a]!);
      for (let nest = 0; nest < nestLimit; nest++) {
        const f = maxFlow(arcs, root, term, { directed: true, capacities: cap });
        if (f.value >= 1 - 1e-6) break;
        const back = this.backCut(term, cap, f.flow);
        this.addCut(back);
        added++;
        if (back.length !== f.cutEdges.length) {
          this.addCut(f.cutEdges);
          added++;
        }
        for (const a of back) cap[a] = 1;
        for (const a of f.cutEdges) cap[a] = 1;
      }
    }
    return added;
  }

  /** The arcs entering the nodes that reach `term` through residual arcs of the flow. */
  private backCut(term: number, cap: Float64Array, flow: Float64Array): number[] {
    const { arcs, inW, stackW } = this;
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
        const spare = arcs.edgeV[a] === y ? cap[a]! - flow[a]! : flow[a]!;
        if (spare > 1e-9) {
          inW[z] = 1;
          stackW[top++] = z;
        }
      }
    }
    const back: number[] = [];
    for (let a = 0; a < 2 * this.g.m; a++) if (!inW[arcs.edgeU[a]!] && inW[arcs.edgeV[a]!]) back.push(a);
    return back;
  }

  /** The arcs of `edges` oriented away from the root (the MIP's warm start). */
  private treeArcs(edges: readonly number[]): Float64Array {
    const { g, root } = this;
    const x = new Float64Array(2 * g.m);
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
  }

  /** True when `lb` proves the best tree optimal (rounded up when costs are integers). */
  closes(lb: number): boolean {
    return this.opts.integral ? Math.ceil(lb - 1e-6) >= this.best.cost - 1e-9 : lb >= this.best.cost - this.costTol;
  }

  /** The tree of the chosen arcs: their MST, pruned of non-terminal leaves. */
  private toTree(x: Float64Array): { edges: number[]; cost: number } {
    const { g } = this;
    const chosen: number[] = [];
    for (let e = 0; e < g.m; e++) if (x[2 * e]! > 0.5 || x[2 * e + 1]! > 0.5) chosen.push(e);
    const edges = pruneLeaves(g, mstOfEdges(g, chosen), this.isTerminal);
    let cost = 0;
    for (const e of edges) cost += g.edgeW[e]!;
    return { edges, cost };
  }

  private keep(tree: { edges: number[]; cost: number }): void {
    if (tree.cost < this.best.cost - this.costTol) this.best = this.improved = tree;
  }

  /**
   * Phase 1: the LP relaxation with cut generation. Cuts slack for several rounds are switched
   * off (a free row, dropped by presolve) to keep the LP small. True when an integral LP
   * optimum proves its tree optimal.
   */
  async lpPhase(): Promise<boolean> {
    const { opts, lpModel } = this;
    const m2 = 2 * this.g.m;
    for (;;) {
      if (this.remaining() <= 0 || opts.signal?.aborted) return false;
      if (opts.maxLpRounds !== undefined && this.lpRounds >= opts.maxLpRounds) return false;
      const sol = await solveLpOffMainThread(lpModel, { timeLimitMs: this.remaining(), signal: opts.signal });
      this.lpRounds++;
      if (sol.status !== 'optimal') return false;
      const x = sol.solution.x;
      // Every round's LP is a relaxation (a subset of the cuts): its value is a lower bound.
      this.lowerBound = Math.max(this.lowerBound, sol.objective);
      if (opts.guide) {
        const tree = await opts.guide(x);
        if (tree) this.keep(tree);
        if (this.closes(this.lowerBound)) return false;
      }
      this.retireIdleCuts(x);
      if ((await this.separate(x)) > 0) continue;
      for (let a = 0; a < m2; a++) if (x[a]! > INTEGER_TOL && x[a]! < 1 - INTEGER_TOL) return false;
      const tree = this.toTree(x);
      this.keep(tree);
      return tree.cost <= sol.objective + this.costTol;
    }
  }

  private retireIdleCuts(x: Float64Array): void {
    for (const c of this.cutRows) {
      if (!c.active) continue;
      let act = 0;
      for (const a of c.arcs) act += x[a]!;
      c.idle = act > 1 + 1e-6 ? c.idle + 1 : 0;
      if (c.idle >= 3) {
        c.active = false;
        this.lpModel.setConstraintBounds(c.row, -Infinity, Infinity);
      }
    }
  }

  /**
   * Phase 2: branch and bound (HiGHS) with every cut back on; integer solutions that leave a
   * terminal unreached from the root are cut off until one connects them all. True when a
   * connected integer solution is proven optimal.
   */
  async mipPhase(): Promise<boolean> {
    const { opts, lpModel } = this;
    for (const c of this.cutRows) if (!c.active) {
      c.active = true;
      lpModel.setConstraintBounds(c.row, 1, Infinity);
    }
    for (let c = 0; c < 2 * this.g.m; c++) lpModel.setType(c, 'binary');
    for (;;) {
      if (this.remaining() <= 0 || opts.signal?.aborted) return false;
      const sol = await solveLpOffMainThread(lpModel, { timeLimitMs: this.remaining(), signal: opts.signal, warmStart: this.treeArcs(this.best.edges) });
      this.mipRounds++;
      if (sol.bound !== undefined) this.lowerBound = Math.max(this.lowerBound, Math.min(sol.bound, sol.status === 'optimal' ? sol.objective : sol.bound));
      if (sol.status !== 'optimal' && sol.status !== 'feasible') return false;
      const reach = this.reachFromRoot(sol.solution.x);
      if (this.terminals.every((t) => reach[t])) {
        this.keep(this.toTree(sol.solution.x));
        return sol.status === 'optimal'; // feasible: the time limit inside HiGHS
      }
      // Cut off: the unreached side has a terminal and no entering arc chosen.
      const cut = this.enteringArcs(reach);
      if (cut.length === 0) return false; // terminals disconnected in this graph
      this.addCut(cut);
      await this.separate(sol.solution.x); // more cuts from the same point, per terminal component
    }
  }

  /** Nodes the chosen arcs of x reach from the root. */
  private reachFromRoot(x: Float64Array): Uint8Array {
    const { g, root } = this;
    const reach = new Uint8Array(g.n);
    reach[root] = 1;
    const stack = [root];
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
        const v = g.adjNode[k]!;
        if (!reach[v] && x[this.outArc(u, k)]! > 0.5) {
          reach[v] = 1;
          stack.push(v);
        }
      }
    }
    return reach;
  }

  /** The arcs from reached into unreached nodes. */
  private enteringArcs(reach: Uint8Array): number[] {
    const { g } = this;
    const cut: number[] = [];
    for (let v = 0; v < g.n; v++) {
      if (reach[v]) continue;
      for (let k = g.offsets[v]!, end = g.offsets[v + 1]!; k < end; k++) if (reach[g.adjNode[k]!]) cut.push(this.outArc(v, k) ^ 1);
    }
    return cut;
  }

  result(proven: boolean, lowerBound = this.lowerBound): CutMipResult {
    const r: CutMipResult = { lowerBound, proven, lpRounds: this.lpRounds, cuts: this.cuts, mipRounds: this.mipRounds };
    if (this.improved) {
      r.edges = this.improved.edges;
      r.cost = this.improved.cost;
    }
    return r;
  }
}

const INTEGER_TOL = 1e-6;

/** Both arcs of every edge as a directed graph (arc 2e: U -> V, 2e+1: V -> U), for max-flow separation. */
function arcDigraph(g: Graph): Graph {
  const m = g.m;
  const au = new Int32Array(2 * m);
  const av = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    au[2 * e] = g.edgeU[e]!;
    av[2 * e] = g.edgeV[e]!;
    au[2 * e + 1] = g.edgeV[e]!;
    av[2 * e + 1] = g.edgeU[e]!;
  }
  return createGraph({ n: g.n, edges: { u: au, v: av, w: new Float64Array(2 * m).fill(1) } });
}
