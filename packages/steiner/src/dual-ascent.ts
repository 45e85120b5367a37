import { runSteps, type Graph, type Steps } from '@emplace/core';
import { IndexedMinHeap } from '@emplace/graph';

/**
 * Wong's dual ascent for the bidirected cut relaxation (arc 2e = edgeU -> edgeV, arc
 * 2e+1 the reverse; a tree is an arborescence out of `root`). For a node set W holding a
 * terminal but not the root, every arborescence enters W, so raising the dual of W by
 * the smallest reduced cost on the arcs entering it keeps the duals feasible and raises
 * the lower bound by that much. W is the set of nodes that reach a terminal through
 * saturated (zero reduced cost) arcs; the terminal with the fewest entering arcs goes first.
 *
 * The result is a lower bound and reduced costs c~ >= 0 with
 * cost(T) >= lowerBound + c~(T) for every arborescence T, which the reduction test uses.
 */
export interface DualAscentResult {
  lowerBound: number;
  reducedCost: Float64Array;
  root: number;
  /** With `recordCuts`: the arcs entering each set W that was raised (valid cut rows for the same root). */
  cuts?: Int32Array[];
}

export function dualAscent(g: Graph, terminals: Int32Array, root: number, shouldStop: () => boolean = () => false, recordCuts = false): DualAscentResult {
  return runSteps(dualAscentSteps(g, terminals, root, shouldStop, recordCuts));
}

/** Dual ascent as steps: a checkpoint every few cut raises (see core's Steps). */
export function* dualAscentSteps(g: Graph, terminals: Int32Array, root: number, shouldStop: () => boolean = () => false, recordCuts = false): Steps<DualAscentResult> {
  const cuts: Int32Array[] | undefined = recordCuts ? [] : undefined;
  const state = new DualAscentState(g);
  let lowerBound = 0;
  const heap = new IndexedMinHeap(terminals.length);
  for (let i = 0; i < terminals.length; i++) if (terminals[i] !== root) heap.push(i, 0);
  let steps = 0;
  while (heap.size > 0) {
    // A raise can scan much of the graph (W grows): a checkpoint at each, a clock read every 8.
    yield;
    if ((++steps & 7) === 0 && shouldStop()) break;
    const ti = heap.pop();
    const size = state.saturatedComponent(terminals[ti]!, root);
    if (size < 0) continue; // the terminal is connected to the root: inactive
    const delta = state.enteringCut(size);
    const cutSize = state.cutArcs.length;
    if (cutSize === 0) break; // the terminal cannot reach the root: disconnected (checked by the caller)
    // Lazy choice of the smallest cut: if another terminal's last cut was smaller, defer.
    if (heap.size > 0 && cutSize > heap.keyOf(heap.peek()) + 0.5) {
      heap.push(ti, cutSize);
      continue;
    }
    lowerBound += delta;
    if (cuts && delta > 0) cuts.push(Int32Array.from(state.cutArcs));
    for (let i = 0; i < cutSize; i++) state.cr[state.cutArcs[i]!]! -= delta;
    heap.push(ti, cutSize);
  }
  const cr = state.cr;
  for (let a = 0; a < cr.length; a++) if (cr[a]! < state.eps) cr[a] = 0;
  return cuts ? { lowerBound, reducedCost: cr, root, cuts } : { lowerBound, reducedCost: cr, root };
}

/** Reduced costs and the scratch arrays of one dual ascent. */
class DualAscentState {
  readonly cr: Float64Array;
  readonly eps: number;
  /** inArc[k]: the arc from adjNode[k] into the node owning slot k. */
  private readonly inArc: Int32Array;
  private readonly inW: Int32Array;
  private stamp = 0;
  private readonly members: Int32Array;
  readonly cutArcs: number[] = [];

  constructor(private readonly g: Graph) {
    const m = g.m;
    this.cr = new Float64Array(2 * m);
    let scale = 0;
    for (let e = 0; e < m; e++) {
      this.cr[2 * e] = g.edgeW[e]!;
      this.cr[2 * e + 1] = g.edgeW[e]!;
      scale = Math.max(scale, g.edgeW[e]!);
    }
    this.eps = 1e-12 * Math.max(1, scale);
    this.inArc = new Int32Array(2 * m);
    for (let v = 0; v < g.n; v++) {
      for (let k = g.offsets[v]!, end = g.offsets[v + 1]!; k < end; k++) {
        const e = g.adjEdge[k]!;
        this.inArc[k] = g.edgeV[e] === v ? 2 * e : 2 * e + 1;
      }
    }
    this.inW = new Int32Array(g.n);
    this.members = new Int32Array(g.n);
  }

  /** W = the nodes reaching t through saturated arcs (reverse search): its size, or -1 when the root is among them. */
  saturatedComponent(t: number, root: number): number {
    const { g, inW, members, cr, inArc, eps } = this;
    const stamp = ++this.stamp;
    let size = 0;
    members[size++] = t;
    inW[t] = stamp;
    for (let h = 0; h < size; h++) {
      const w = members[h]!;
      for (let kk = g.offsets[w]!, end = g.offsets[w + 1]!; kk < end; kk++) {
        const x = g.adjNode[kk]!;
        if (inW[x] === stamp || cr[inArc[kk]!]! > eps) continue;
        if (x === root) return -1;
        inW[x] = stamp;
        members[size++] = x;
      }
    }
    return size;
  }

  /** The arcs entering W (into cutArcs) and their least reduced cost. */
  enteringCut(size: number): number {
    const { g, inW, members, cr, inArc } = this;
    const stamp = this.stamp;
    this.cutArcs.length = 0;
    let delta = Infinity;
    for (let h = 0; h < size; h++) {
      const w = members[h]!;
      for (let kk = g.offsets[w]!, end = g.offsets[w + 1]!; kk < end; kk++) {
        if (inW[g.adjNode[kk]!] === stamp) continue;
        const a = inArc[kk]!;
        this.cutArcs.push(a);
        if (cr[a]! < delta) delta = cr[a]!;
      }
    }
    return delta;
  }
}

/**
 * Reduced-cost distances: from the root along arcs (dRoot) and from each node to its
 * nearest terminal along arcs (dTerm), both on the reduced costs.
 */
export function reducedDistances(g: Graph, da: DualAscentResult, terminals: Int32Array): { dRoot: Float64Array; dTerm: Float64Array } {
  const n = g.n;
  const cr = da.reducedCost;
  const run = (sources: ArrayLike<number>, forward: boolean): Float64Array => {
    const dist = new Float64Array(n).fill(Infinity);
    const heap = new IndexedMinHeap(n);
    for (let i = 0; i < sources.length; i++) {
      dist[sources[i]!] = 0;
      heap.push(sources[i]!, 0);
    }
    while (heap.size > 0) {
      const u = heap.pop();
      const du = dist[u]!;
      for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
        const v = g.adjNode[k]!;
        const e = g.adjEdge[k]!;
        // forward: arc u -> v; backward: arc v -> u.
        const uIsU = g.edgeU[e] === u;
        const a = forward ? (uIsU ? 2 * e : 2 * e + 1) : uIsU ? 2 * e + 1 : 2 * e;
        const nd = du + cr[a]!;
        if (nd < dist[v]!) {
          dist[v] = nd;
          heap.push(v, nd);
        }
      }
    }
    return dist;
  };
  return { dRoot: run([da.root], true), dTerm: run(terminals, false) };
}

/**
 * Nodes and edges that no tree of cost <= upperBound can use:
 * node v is out when LB + dRoot(v) + dTerm(v) > UB; edge {u, v} when both of its arcs
 * satisfy LB + dRoot(tail) + c~(arc) + dTerm(head) > UB.
 */
export function dualAscentEliminations(
  g: Graph,
  da: DualAscentResult,
  terminals: Int32Array,
  isTerminal: Uint8Array,
  upperBound: number,
): { deadNodes: Uint8Array; deadEdges: Uint8Array; count: number } {
  const { dRoot, dTerm } = reducedDistances(g, da, terminals);
  const lb = da.lowerBound;
  const cr = da.reducedCost;
  const tol = 1e-9 * Math.max(1, Math.abs(upperBound));
  const limit = upperBound + tol;
  const deadNodes = new Uint8Array(g.n);
  const deadEdges = new Uint8Array(g.m);
  let count = 0;
  for (let v = 0; v < g.n; v++) {
    if (!isTerminal[v] && lb + dRoot[v]! + dTerm[v]! > limit) {
      deadNodes[v] = 1;
      count++;
    }
  }
  for (let e = 0; e < g.m; e++) {
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    if (deadNodes[u] || deadNodes[v]) {
      deadEdges[e] = 1;
      count++;
      continue;
    }
    const uv = lb + dRoot[u]! + cr[2 * e]! + dTerm[v]!;
    const vu = lb + dRoot[v]! + cr[2 * e + 1]! + dTerm[u]!;
    if (uv > limit && vu > limit) {
      deadEdges[e] = 1;
      count++;
    }
  }
  return { deadNodes, deadEdges, count };
}

/** The arcs with zero reduced cost, as an edge mask (either direction saturated). */
export function saturatedEdges(g: Graph, da: DualAscentResult): Uint8Array {
  const mask = new Uint8Array(g.m);
  for (let e = 0; e < g.m; e++) if (da.reducedCost[2 * e] === 0 || da.reducedCost[2 * e + 1] === 0) mask[e] = 1;
  return mask;
}
