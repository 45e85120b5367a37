import { ModelError, runSteps, type Graph, type Steps } from '@emplace/core';

export interface MaxFlowOptions {
  /**
   * Treat edge e as an arc edgeU[e] -> edgeV[e] of capacity edgeW[e] (default false: an
   * undirected edge carries up to edgeW[e] in either direction).
   */
  directed?: boolean | undefined;
  /** Per-edge capacity override (length m); defaults to the edge weights. */
  capacities?: ArrayLike<number>;
}

export interface MaxFlowResult {
  /** Value of a maximum s-t flow (= capacity of a minimum s-t cut). */
  value: number;
  /** Flow on each edge, positive in the direction edgeU[e] -> edgeV[e]. */
  flow: Float64Array;
  /** cut[v] = 1 when v is on the source side of a minimum cut (the nodes reachable from s in the residual graph). */
  cut: Uint8Array;
  /** Edges crossing the cut (source side to sink side); their capacities sum to `value`. */
  cutEdges: Int32Array;
  /** Capacity of the returned cut, recomputed from the capacities. */
  cutCapacity: number;
}

/**
 * Maximum s-t flow and a minimum s-t cut by Dinic's algorithm (BFS level graph +
 * blocking flows with current-arc pointers, iterative DFS): O(n^2 m), far less in practice.
 * Capacities must be finite and >= 0.
 */
export function maxFlow(g: Graph, s: number, t: number, opts: MaxFlowOptions = {}): MaxFlowResult {
  const state = dinicState(g, s, t, opts);
  while (!dinicAdvance(state, Infinity));
  return dinicResult(state);
}

/** Dinic's algorithm between calls: residual capacities, level graph, current arcs and the DFS path. */
export interface DinicState {
  readonly g: Graph;
  readonly s: number;
  readonly t: number;
  readonly directed: boolean;
  readonly capacity: ArrayLike<number>;
  /** Arc 2e goes edgeU -> edgeV, arc 2e+1 the other way; residual capacities. */
  readonly res: Float64Array;
  /** Residuals at or below eps count as saturated. */
  readonly eps: number;
  /** Arc leaving the node at each adjacency slot. */
  readonly adjArc: Int32Array;
  readonly level: Int32Array;
  readonly queue: Int32Array;
  readonly it: Int32Array;
  readonly pathArc: Int32Array;
  readonly pathNode: Int32Array;
  /** A blocking-flow phase is under way (its level graph is current). */
  inPhase: boolean;
  /** A level-graph BFS is under way (interrupted by the work budget): its queue bounds. */
  inBfs: boolean;
  bfsHead: number;
  bfsTail: number;
  /** Work (nodes + arcs scanned) of the last levelGraph call. */
  bfsWork: number;
  depth: number;
  value: number;
}

/** Validates the terminals and capacities and builds the residual network. */
export function dinicState(g: Graph, s: number, t: number, opts: MaxFlowOptions = {}): DinicState {
  return runSteps(dinicStateSteps(g, s, t, opts));
}

/** Edges (or adjacency entries) set up between two checkpoints of dinicStateSteps. */
const SETUP_CHUNK = 1 << 16;

/**
 * `dinicState` as steps: a checkpoint every SETUP_CHUNK edges of the capacity pass and
 * adjacency entries of the arc index (on a 600 x 600 grid the two were one 20-25 ms stretch
 * on CPU before the first phase, twice that on a loaded machine: issue 13, sweep --scale 2).
 */
export function* dinicStateSteps(g: Graph, s: number, t: number, opts: MaxFlowOptions = {}): Steps<DinicState> {
  const n = g.n;
  const m = g.m;
  for (const [name, v] of [['source', s], ['sink', t]] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new ModelError(name, `must be a node index in [0, ${n}), got ${String(v)}`);
  }
  if (s === t) throw new ModelError('sink', `must differ from the source (both are ${s})`);
  const capacity = opts.capacities ?? g.edgeW;
  if (capacity.length !== m) throw new ModelError('options.capacities', `must have ${m} entries, got ${capacity.length}`);
  const directed = opts.directed === true;
  const res = new Float64Array(2 * m);
  let minCap = Infinity;
  for (let e = 0; e < m; e++) {
    if ((e & (SETUP_CHUNK - 1)) === SETUP_CHUNK - 1) yield;
    const c = capacity[e]!;
    if (!(c >= 0) || !Number.isFinite(c)) throw new ModelError(`capacities[${e}]`, `must be finite and >= 0, got ${String(c)}`);
    res[2 * e] = c;
    res[2 * e + 1] = directed ? 0 : c;
    if (c > 0 && c < minCap) minCap = c;
  }
  // A residual counts as saturated below a tolerance scaled by the SMALLEST positive
  // capacity: scaling by the largest one (as before) made every arc of capacity < 1e-12 *
  // max look saturated, so one 1e15 edge hid all the small ones (flow 0 "optimal", truth 9).
  // Dinic's phase count stays <= n whatever the tolerance, so a tiny one cannot loop.
  const eps = minCap === Infinity ? 0 : 1e-9 * minCap;
  const adjArc = new Int32Array(2 * m);
  let done = 0;
  for (let u = 0; u < n; u++) {
    const end = g.offsets[u + 1]!;
    for (let k = g.offsets[u]!; k < end; k++) {
      const e = g.adjEdge[k]!;
      adjArc[k] = g.edgeU[e] === u ? 2 * e : 2 * e + 1;
    }
    if (end - done >= SETUP_CHUNK) {
      done = end;
      yield;
    }
  }
  return {
    g, s, t, directed, capacity, res, eps, adjArc,
    level: new Int32Array(n),
    queue: new Int32Array(n),
    it: new Int32Array(n),
    pathArc: new Int32Array(n),
    pathNode: new Int32Array(n + 1),
    inPhase: false,
    inBfs: false,
    bfsHead: 0,
    bfsTail: 0,
    bfsWork: 0,
    depth: 0,
    value: 0,
  };
}

/**
 * Level graph from s over unsaturated arcs, continued for about `budget` units of work
 * (a node dequeued + its arcs): 'more' when the budget ran out first (call again),
 * else whether t was reached. On a 1M-edge graph one BFS is tens of ms: it must be
 * interruptible for the solver to yield within its checkpoint interval.
 */
function levelGraph(st: DinicState, budget: number): 'more' | 'reached' | 'unreached' {
  const { g, s, t, res, eps, adjArc, level, queue } = st;
  if (!st.inBfs) {
    level.fill(-1);
    st.bfsHead = 0;
    st.bfsTail = 0;
    queue[st.bfsTail++] = s;
    level[s] = 0;
    st.inBfs = true;
  }
  let head = st.bfsHead;
  let tail = st.bfsTail;
  let work = 0;
  while (head < tail) {
    if (work >= budget) {
      st.bfsHead = head;
      st.bfsTail = tail;
      st.bfsWork = work;
      return 'more';
    }
    const u = queue[head++]!;
    const end = g.offsets[u + 1]!;
    work += 1 + end - g.offsets[u]!;
    for (let k = g.offsets[u]!; k < end; k++) {
      const v = g.adjNode[k]!;
      if (level[v] === -1 && res[adjArc[k]!]! > eps) {
        level[v] = level[u]! + 1;
        queue[tail++] = v;
      }
    }
  }
  st.inBfs = false;
  st.bfsWork = work;
  return level[t] !== -1 ? 'reached' : 'unreached';
}

/**
 * Runs Dinic for about `budget` DFS steps (a new phase starts with a BFS); true when no
 * augmenting path is left (the flow is maximum). Between calls the flow is a valid flow.
 */
export function dinicAdvance(st: DinicState, budget: number): boolean {
  const { g, t, res, eps, adjArc, level, it, pathArc, pathNode } = st;
  let steps = 0;
  while (steps < budget) {
    if (!st.inPhase) {
      const bfs = levelGraph(st, budget - steps);
      steps += st.bfsWork;
      if (bfs === 'more') return false;
      if (bfs === 'unreached') return true;
      for (let u = 0; u < g.n; u++) it[u] = g.offsets[u]!;
      st.depth = 0;
      pathNode[0] = st.s;
      st.inPhase = true;
      steps += g.n;
    }
    let depth = st.depth;
    for (; steps < budget; steps++) {
      const u = pathNode[depth]!;
      if (u === t) {
        let push = Infinity;
        for (let d = 0; d < depth; d++) push = Math.min(push, res[pathArc[d]!]!);
        let back = depth;
        for (let d = 0; d < depth; d++) {
          const a = pathArc[d]!;
          res[a]! -= push;
          res[a ^ 1]! += push;
          if (res[a]! <= eps && back === depth) back = d;
        }
        st.value += push;
        steps += depth;
        depth = back;
        continue;
      }
      let advanced = false;
      for (let end = g.offsets[u + 1]!; it[u]! < end; it[u]!++) {
        steps++; // adjacency scanned: the work of the phase
        const k = it[u]!;
        const v = g.adjNode[k]!;
        if (level[v] === level[u]! + 1 && res[adjArc[k]!]! > eps) {
          pathArc[depth] = adjArc[k]!;
          pathNode[++depth] = v;
          advanced = true;
          break;
        }
      }
      if (advanced) continue;
      if (depth === 0) {
        st.inPhase = false;
        break;
      }
      level[u] = -1; // dead end for this phase
      depth--;
      it[pathNode[depth]!]!++;
    }
    st.depth = depth;
  }
  return false;
}

/**
 * The flow and the cut of the residual network: the source side is what s still reaches.
 * After dinicAdvance returned true this is a minimum cut (cutCapacity = value); on an
 * interrupted run the cut is still a valid s-t cut when t is not reached, an upper bound.
 */
export function dinicResult(st: DinicState): MaxFlowResult {
  return runSteps(dinicResultSteps(st));
}

/** Arcs scanned (or edges read) between two checkpoints of dinicResultSteps. */
const RESULT_CHUNK = 1 << 16;

/**
 * `dinicResult` as steps: a checkpoint every RESULT_CHUNK arcs of the cut search and edges
 * of the flow copy (on a 600 x 600 grid the two were one 62 ms stretch after the last
 * phase, issue 13: sweep --scale 4).
 */
export function* dinicResultSteps(st: DinicState): Steps<MaxFlowResult> {
  const { g, s, res, eps, adjArc, queue, capacity, directed } = st;
  const n = g.n;
  const m = g.m;
  const cut = new Uint8Array(n);
  let head = 0;
  let tail = 0;
  queue[tail++] = s;
  cut[s] = 1;
  let scanned = 0;
  while (head < tail) {
    const u = queue[head++]!;
    for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
      const v = g.adjNode[k]!;
      if (!cut[v] && res[adjArc[k]!]! > eps) {
        cut[v] = 1;
        queue[tail++] = v;
      }
    }
    scanned += g.offsets[u + 1]! - g.offsets[u]!;
    if (scanned >= RESULT_CHUNK) {
      scanned = 0;
      yield;
    }
  }
  const flow = new Float64Array(m);
  const cutList: number[] = [];
  let cutCapacity = 0;
  for (let e = 0; e < m; e++) {
    if ((e & (RESULT_CHUNK - 1)) === RESULT_CHUNK - 1) yield;
    const c = capacity[e]!;
    flow[e] = c - res[2 * e]!;
    const cu = cut[g.edgeU[e]!]!;
    const cv = cut[g.edgeV[e]!]!;
    if (cu !== cv && (!directed || cu === 1)) {
      cutList.push(e);
      cutCapacity += c;
    }
  }
  return { value: st.value, flow, cut, cutEdges: Int32Array.from(cutList), cutCapacity };
}
