import { runSteps, type Steps } from '@emplace/core';
import type { FlowNetwork } from './network.js';

export interface NetworkSimplexOptions {
  /** Polled every few pivots; returning true stops the run with status 'stopped'. */
  shouldStop?: () => boolean;
  /** Arcs scanned per block of the block-search pivot rule; default ceil(sqrt(arcs)). */
  blockSize?: number;
  /**
   * Reduced-cost tolerance: an arc enters only if it improves by more than this. 0 for
   * integral data (every quantity is then an exact integer in a double); otherwise a
   * small multiple of the largest cost.
   */
  tolerance?: number;
  /**
   * Artificial flow at or below this counts as routed (supplies of float data may sum to
   * a rounding residue instead of 0). Default 0.
   */
  flowTolerance?: number;
  /**
   * When the run is stopped with artificial flow left (no feasible flow yet), skip assembling
   * `flow` and `potential` (both come back empty): the caller has no use for them, and the
   * O(arcs) pass would delay its answer to an abort. Default false.
   */
  skipInfeasibleStop?: boolean;
}

export interface NetworkSimplexOutput {
  /**
   * `optimal`: flow is optimal; `infeasible`: supplies cannot be routed (artificial flow
   * remains); `unbounded`: a negative-cost cycle of uncapacitated arcs; `stopped`: the
   * caller's shouldStop fired (flow is feasible only if `artificialFlow` is 0).
   */
  status: 'optimal' | 'infeasible' | 'unbounded' | 'stopped';
  /** Flow on each arc, lower bounds included. */
  flow: Float64Array;
  /**
   * Node potentials (dual prices) pi with reduced cost cost[a] + pi[tail] - pi[head] >= 0
   * on arcs at their lower bound, <= 0 at their capacity, = 0 strictly between.
   */
  potential: Float64Array;
  pivots: number;
  /** Flow left on the artificial arcs (0 when the flow is feasible). */
  artificialFlow: number;
  /** Per node: flow left on its artificial arc (> 0: unrouted supply, < 0: unmet demand). */
  unrouted: Float64Array;
  /** For `unbounded`: the arcs of a negative-cost cycle of uncapacitated arcs. */
  unboundedCycle: number[];
}

/**
 * Primal network simplex with a big-M artificial start (every node linked to an extra
 * root by an artificial arc of cost M, M larger than any simple path cost, so artificial
 * flow survives only when the supplies cannot be routed), strongly feasible spanning
 * trees with Cunningham's leaving-arc rule (no cycling on degenerate pivots) and the
 * block-search pivot rule. The tree is stored as parent / predecessor arc / depth and a
 * preorder thread with the last node of each subtree, so a pivot costs the size of the
 * subtree that moves, not the size of the network.
 */
export function networkSimplex(net: FlowNetwork, opts: NetworkSimplexOptions = {}): NetworkSimplexOutput {
  return runSteps(networkSimplexSteps(net, opts));
}

/** Arcs or nodes set up, or copied out, per step (a checkpoint after each). */
const CHUNK = 1 << 14;
/**
 * Pivot work between checkpoints, in arcs priced plus tree nodes walked or moved: a pivot on
 * a large network can move a subtree of thousands of nodes, so a pivot count alone does not
 * bound the time between checkpoints.
 */
const PIVOT_WORK = 1 << 16;

/**
 * `networkSimplex` as steps: checkpoints (a shouldStop test, then a yield) every CHUNK arcs or
 * nodes of the setup and of the output, and every PIVOT_WORK units of pivoting. Where the
 * checkpoints fall does not change the pivots, so the result is the same as the sync run's.
 */
export function* networkSimplexSteps(net: FlowNetwork, opts: NetworkSimplexOptions = {}): Steps<NetworkSimplexOutput> {
  const s = yield* allocState(net, opts);
  if (opts.shouldStop?.()) return stoppedInSetup();
  for (let from = 0; from < net.m; from += CHUNK) {
    copyArcs(s, net, from, Math.min(net.m, from + CHUNK));
    if (opts.shouldStop?.()) return stoppedInSetup();
    yield;
  }
  const bigM = (s.n + 1) * Math.max(1, s.maxCost) + 1;
  initRoot(s);
  for (let from = 0; from < s.n; from += CHUNK) {
    hangFromRoot(s, bigM, from, Math.min(s.n, from + CHUNK));
    if (opts.shouldStop?.()) return stoppedInSetup();
    yield;
  }
  closeThread(s);
  const { status, cycle } = yield* pivotSteps(s, opts);
  return yield* collectOutput(s, net, opts, status, cycle);
}

/** Pivots until optimal, unbounded or stopped. */
function* pivotSteps(s: SimplexState, opts: NetworkSimplexOptions): Generator<void, { status: NetworkSimplexOutput['status']; cycle: number[] }, void> {
  const cycle: number[] = [];
  const { tail, head, cap, flow, state, parent, pred } = s;
  for (;;) {
    if (s.work >= PIVOT_WORK) {
      s.work = 0;
      if (opts.shouldStop?.()) return { status: 'stopped', cycle };
      yield;
    }
    const e = findEntering(s);
    if (e < 0) return { status: 'optimal', cycle };
    s.pivots++;
    const first = state[e] === 1 ? tail[e]! : head[e]!;
    const second = state[e] === 1 ? head[e]! : tail[e]!;
    const join = findJoin(s, first, second);
    findLeaving(s, e, first, second, join);
    const delta = s.delta;
    if (delta === Infinity) {
      cycle.push(e);
      for (let w = first; w !== join; w = parent[w]!) cycle.push(pred[w]!);
      for (let w = second; w !== join; w = parent[w]!) cycle.push(pred[w]!);
      return { status: 'unbounded', cycle };
    }
    if (delta > 0) augment(s, e, first, second, join, delta);
    if (s.leaveNode < 0) {
      // The entering arc blocks itself: it just moves to its other bound.
      flow[e] = state[e] === 1 ? cap[e]! : 0;
      state[e] = state[e] === 1 ? -1 : 1;
      continue;
    }
    exchangeArcs(s, e, first, second);
  }
}

/** The answer of a run stopped before its start tree was complete: no flow, every supply unrouted. */
function stoppedInSetup(): NetworkSimplexOutput {
  return { status: 'stopped', flow: new Float64Array(0), potential: new Float64Array(0), pivots: 0, artificialFlow: Infinity, unrouted: new Float64Array(0), unboundedCycle: [] };
}

/**
 * Everything a run works on, allocated once: arcs 0..m-1 are the network's (lower bounds
 * shifted out), m..m+n-1 the artificial arcs to the extra root n. The hot loop reads and
 * writes these arrays only; the scalars carry state between pivots and the pivot's result.
 */
interface SimplexState {
  readonly n: number;
  readonly m: number;
  readonly root: number;
  /** Arcs in all (real + artificial). */
  readonly M: number;
  readonly tail: Int32Array;
  readonly head: Int32Array;
  readonly cap: Float64Array;
  readonly cost: Float64Array;
  readonly flow: Float64Array;
  /** 1: at lower bound, -1: at capacity, 0: in the tree. */
  readonly state: Int8Array;
  readonly supply: Float64Array;
  /** Largest |cost| of the arcs copied so far. */
  maxCost: number;
  readonly tol: number;
  readonly block: number;
  readonly parent: Int32Array;
  readonly pred: Int32Array;
  /** 1: pred arc goes node -> parent. */
  readonly up: Uint8Array;
  readonly depth: Int32Array;
  readonly thread: Int32Array;
  readonly revThread: Int32Array;
  readonly lastSucc: Int32Array;
  readonly pi: Float64Array;
  /** Scratch: the new preorder of the subtree that moves. */
  readonly order: Int32Array;
  nextArc: number;
  pivots: number;
  /** Pivot work since the last checkpoint (see PIVOT_WORK). */
  work: number;
  /** Result of `findLeaving`: the flow change, the child end of the leaving tree arc (-1: the entering arc itself) and its side. */
  delta: number;
  leaveNode: number;
  leaveFirstSide: boolean;
}

/**
 * Sizes every array of a run (filled by copyArcs and hangFromRoot), a checkpoint after each:
 * zeroing tens of megabytes is itself a stretch worth splitting on a large network.
 */
function* allocState(net: FlowNetwork, opts: NetworkSimplexOptions): Steps<SimplexState> {
  const n = net.n;
  const m = net.m;
  const N = n + 1;
  const M = m + n;
  const tail = new Int32Array(M);
  const head = new Int32Array(M);
  yield;
  const cap = new Float64Array(M);
  yield;
  const cost = new Float64Array(M);
  yield;
  const flow = new Float64Array(M);
  const state = new Int8Array(M);
  yield;
  const supply = Float64Array.from(net.supply);
  const parent = new Int32Array(N);
  const pred = new Int32Array(N);
  const up = new Uint8Array(N);
  const depth = new Int32Array(N);
  yield;
  const thread = new Int32Array(N);
  const revThread = new Int32Array(N);
  const lastSucc = new Int32Array(N);
  const pi = new Float64Array(N);
  const order = new Int32Array(N);
  yield;
  return {
    n,
    m,
    root: n,
    M,
    tail,
    head,
    cap,
    cost,
    flow,
    state,
    supply,
    maxCost: 0,
    tol: opts.tolerance ?? 0,
    block: Math.max(1, opts.blockSize ?? Math.ceil(Math.sqrt(M))),
    parent,
    pred,
    up,
    depth,
    thread,
    revThread,
    lastSucc,
    pi,
    order,
    nextArc: 0,
    pivots: 0,
    work: 0,
    delta: 0,
    leaveNode: -1,
    leaveFirstSide: false,
  };
}

/** Copies arcs [from, to) with lower bounds shifted out (lo units forced from tail to head). */
function copyArcs(s: SimplexState, net: FlowNetwork, from: number, to: number): void {
  const { tail, head, cap, cost, state, supply } = s;
  let maxCost = s.maxCost;
  for (let a = from; a < to; a++) {
    const t = net.tail[a]!, h = net.head[a]!, lo = net.lower[a]!;
    tail[a] = t;
    head[a] = h;
    cap[a] = net.capacity[a]! - lo;
    cost[a] = net.cost[a]!;
    state[a] = 1;
    supply[t]! -= lo;
    supply[h]! += lo;
    maxCost = Math.max(maxCost, Math.abs(cost[a]!));
  }
  s.maxCost = maxCost;
}

/*
 * The big-M start: every node hangs from the root by its artificial arc, carrying its supply.
 * Rerouting one unit from an artificial path (cost 2M) onto a real path (< n maxCost) always
 * pays off, so a feasible network ends with no artificial flow.
 */

function initRoot(s: SimplexState): void {
  const { root, parent, pred, depth, pi } = s;
  parent[root] = -1;
  pred[root] = -1;
  depth[root] = 0;
  pi[root] = 0;
}

/** Hangs nodes [from, to) from the root, threaded in index order after node from - 1 (the root for 0). */
function hangFromRoot(s: SimplexState, bigM: number, from: number, to: number): void {
  const { m, root, tail, head, cap, cost, flow, state, supply, parent, pred, up, depth, thread, revThread, lastSucc, pi } = s;
  let prevNode = from === 0 ? root : from - 1;
  for (let v = from; v < to; v++) {
    const a = m + v;
    cost[a] = bigM;
    cap[a] = Infinity;
    state[a] = 0;
    parent[v] = root;
    pred[v] = a;
    depth[v] = 1;
    if (supply[v]! >= 0) {
      tail[a] = v;
      head[a] = root;
      flow[a] = supply[v]!;
      up[v] = 1;
      pi[v] = -bigM;
    } else {
      tail[a] = root;
      head[a] = v;
      flow[a] = -supply[v]!;
      up[v] = 0;
      pi[v] = bigM;
    }
    thread[prevNode] = v;
    revThread[v] = prevNode;
    lastSucc[v] = v;
    prevNode = v;
  }
}

/** Closes the preorder thread back to the root once every node hangs from it. */
function closeThread(s: SimplexState): void {
  const last = s.n === 0 ? s.root : s.n - 1;
  s.thread[last] = s.root;
  s.revThread[s.root] = last;
  s.lastSucc[s.root] = last;
}

/** Block search: the most violating arc of the first block that has one; -1 when optimal. */
function findEntering(s: SimplexState): number {
  const { M, state, cost, pi, tail, head, block } = s;
  let best = -1;
  let bestViol = -s.tol;
  let scanned = 0;
  let inBlock = 0;
  let a = s.nextArc;
  while (scanned < M) {
    const st = state[a]!;
    if (st !== 0) {
      const viol = st * (cost[a]! + pi[tail[a]!]! - pi[head[a]!]!);
      if (viol < bestViol) {
        bestViol = viol;
        best = a;
      }
    }
    scanned++;
    if (++a === M) a = 0;
    if (++inBlock === block) {
      if (best >= 0) break;
      inBlock = 0;
    }
  }
  s.nextArc = a;
  s.work += scanned;
  return best;
}

/** The apex of the cycle: the deepest common ancestor of the entering arc's ends. */
function findJoin(s: SimplexState, first: number, second: number): number {
  const { depth, parent } = s;
  let u = first;
  let v = second;
  let steps = 0;
  while (u !== v) {
    steps++;
    if (depth[u]! > depth[v]!) u = parent[u]!;
    else if (depth[v]! > depth[u]!) v = parent[v]!;
    else {
      u = parent[u]!;
      v = parent[v]!;
    }
  }
  // The cycle is walked a few more times (leaving arc, augment): count it twice.
  s.work += 2 * steps;
  return u;
}

/**
 * Flow goes join -> (down) first -> entering arc -> second -> (up) join. Cunningham's
 * rule: among blocking arcs, the last one met from the apex in that direction. Sets
 * s.delta (Infinity: unbounded), s.leaveNode and s.leaveFirstSide.
 */
function findLeaving(s: SimplexState, e: number, first: number, second: number, join: number): void {
  const { parent, pred, up, flow, cap } = s;
  let delta = Infinity;
  let leaveNode = -1;
  let leaveFirstSide = false;
  for (let w = first; w !== join; w = parent[w]!) {
    const a = pred[w]!;
    const res = up[w] ? flow[a]! : cap[a]! - flow[a]!;
    if (res < delta) {
      delta = res;
      leaveNode = w;
      leaveFirstSide = true;
    }
  }
  if (cap[e]! <= delta) {
    delta = cap[e]!;
    leaveNode = -1;
  }
  for (let w = second; w !== join; w = parent[w]!) {
    const a = pred[w]!;
    const res = up[w] ? cap[a]! - flow[a]! : flow[a]!;
    if (res <= delta) {
      delta = res;
      leaveNode = w;
      leaveFirstSide = false;
    }
  }
  s.delta = delta;
  s.leaveNode = leaveNode;
  s.leaveFirstSide = leaveFirstSide;
}

/** Pushes delta around the cycle of the entering arc. */
function augment(s: SimplexState, e: number, first: number, second: number, join: number, delta: number): void {
  const { flow, state, parent, pred, up } = s;
  flow[e]! += state[e] === 1 ? delta : -delta;
  for (let w = first; w !== join; w = parent[w]!) flow[pred[w]!]! += up[w] ? -delta : delta;
  for (let w = second; w !== join; w = parent[w]!) flow[pred[w]!]! += up[w] ? delta : -delta;
}

/** The leaving arc leaves the tree at its bound, the entering arc joins it, and the moved subtree is re-threaded. */
function exchangeArcs(s: SimplexState, e: number, first: number, second: number): void {
  const { flow, cap, state, pred, up } = s;
  const leaveNode = s.leaveNode;
  const leaveFirstSide = s.leaveFirstSide;
  // The leaving arc hit a bound: snap it there exactly (no float residue).
  const leaving = pred[leaveNode]!;
  const decreased = leaveFirstSide ? up[leaveNode] === 1 : up[leaveNode] === 0;
  if (decreased) {
    flow[leaving] = 0;
    state[leaving] = 1;
  } else {
    flow[leaving] = cap[leaving]!;
    state[leaving] = -1;
  }
  state[e] = 0;
  const uOut = leaveNode;
  const uIn = leaveFirstSide ? first : second;
  const vIn = leaveFirstSide ? second : first;
  unlinkSubtree(s, uOut);
  const cnt = collectMovedPreorder(s, uIn, uOut);
  s.work += cnt;
  reverseStem(s, e, uIn, uOut, vIn);
  spliceMoved(s, cnt, uIn, uOut, vIn);
  updateMoved(s, cnt);
}

/** (a) Unlinks the subtree of uOut from the thread. */
function unlinkSubtree(s: SimplexState, uOut: number): void {
  const { thread, revThread, lastSucc, parent } = s;
  const last = lastSucc[uOut]!;
  const before = revThread[uOut]!;
  const after = thread[last]!;
  thread[before] = after;
  revThread[after] = before;
  for (let w = parent[uOut]!; w !== -1 && lastSucc[w] === last; w = parent[w]!) lastSucc[w] = before;
}

/**
 * (b) The moved subtree's new preorder, rooted at uIn, into s.order: the subtree of uIn, then
 * each stem node up to uOut with its old subtree minus the block of the stem node below it.
 * Returns its length.
 */
function collectMovedPreorder(s: SimplexState, uIn: number, uOut: number): number {
  const { order, thread, revThread, lastSucc, parent } = s;
  let cnt = 0;
  let below = -1;
  for (let st = uIn; ; st = parent[st]!) {
    if (below < 0) {
      for (let w = st; ; w = thread[w]!) {
        order[cnt++] = w;
        if (w === lastSucc[st]) break;
      }
    } else {
      const stop = revThread[below]!;
      for (let w = st; ; w = thread[w]!) {
        order[cnt++] = w;
        if (w === stop) break;
      }
      if (lastSucc[below] !== lastSucc[st]) {
        const end = lastSucc[st]!;
        for (let w = thread[lastSucc[below]!]!; ; w = thread[w]!) {
          order[cnt++] = w;
          if (w === end) break;
        }
      }
    }
    if (st === uOut) break;
    below = st;
  }
  return cnt;
}

/** (c) Reverses the stem: uIn hangs from vIn by the entering arc. */
function reverseStem(s: SimplexState, e: number, uIn: number, uOut: number, vIn: number): void {
  const { parent, pred, up, tail } = s;
  let newParent = vIn;
  let newPred = e;
  for (let w = uIn; ; ) {
    const oldParent = parent[w]!;
    const oldPred = pred[w]!;
    parent[w] = newParent;
    pred[w] = newPred;
    up[w] = tail[newPred] === w ? 1 : 0;
    if (w === uOut) break;
    newParent = w;
    newPred = oldPred;
    w = oldParent;
  }
}

/** (d) Splices the new preorder in right after vIn and fixes the subtree ends. */
function spliceMoved(s: SimplexState, cnt: number, uIn: number, uOut: number, vIn: number): void {
  const { order, thread, revThread, lastSucc, parent } = s;
  const newLast = order[cnt - 1]!;
  const afterIn = thread[vIn]!;
  let prev = vIn;
  for (let k = 0; k < cnt; k++) {
    const w = order[k]!;
    thread[prev] = w;
    revThread[w] = prev;
    prev = w;
  }
  thread[newLast] = afterIn;
  revThread[afterIn] = newLast;
  // Every stem node's new subtree runs to the end of the moved block (new parents lead
  // from uOut back to uIn).
  for (let w = uOut; ; w = parent[w]!) {
    lastSucc[w] = newLast;
    if (w === uIn) break;
  }
  // vIn and its ancestors whose subtree ended at vIn now end at the moved block.
  for (let w = vIn; w !== -1 && lastSucc[w] === vIn; w = parent[w]!) lastSucc[w] = newLast;
}

/** (e) Depths and potentials of the moved subtree, parents first. */
function updateMoved(s: SimplexState, cnt: number): void {
  const { order, parent, depth, pred, up, pi, cost } = s;
  for (let k = 0; k < cnt; k++) {
    const w = order[k]!;
    const p = parent[w]!;
    depth[w] = depth[p]! + 1;
    const a = pred[w]!;
    pi[w] = up[w] ? pi[p]! - cost[a]! : pi[p]! + cost[a]!;
  }
}

/**
 * Flow with the lower bounds added back, potentials and the artificial flow left (infeasible
 * when above flowTolerance), in steps of CHUNK arcs / nodes.
 */
function* collectOutput(s: SimplexState, net: FlowNetwork, opts: NetworkSimplexOptions, status: NetworkSimplexOutput['status'], cycle: number[]): Steps<NetworkSimplexOutput> {
  const { n, m, flow, tail, pi } = s;
  let artificialFlow = 0;
  const unrouted = new Float64Array(n);
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    for (let v = from; v < to; v++) {
      const a = m + v;
      const f = flow[a]!;
      artificialFlow += f;
      unrouted[v] = tail[a] === v ? f : -f;
    }
    yield;
  }
  const flowTolerance = opts.flowTolerance ?? 0;
  const finalStatus = status === 'optimal' && artificialFlow > flowTolerance ? 'infeasible' : status;
  const base = { status: finalStatus, pivots: s.pivots, artificialFlow, unrouted, unboundedCycle: cycle };
  if (status === 'stopped' && artificialFlow > flowTolerance && opts.skipInfeasibleStop === true) return { ...base, flow: new Float64Array(0), potential: new Float64Array(0) };
  const out = new Float64Array(m);
  for (let from = 0; from < m; from += CHUNK) {
    const to = Math.min(m, from + CHUNK);
    for (let a = from; a < to; a++) out[a] = flow[a]! + net.lower[a]!;
    yield;
  }
  const potential = pi.slice(0, n);
  return { ...base, flow: out, potential };
}
