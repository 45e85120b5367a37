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

/** `networkSimplex` as steps: a checkpoint (and a shouldStop test) every 64 pivots. */
export function* networkSimplexSteps(net: FlowNetwork, opts: NetworkSimplexOptions = {}): Steps<NetworkSimplexOutput> {
  const s = initArcs(net, opts);
  initTree(s);
  let status: NetworkSimplexOutput['status'] = 'optimal';
  const cycle: number[] = [];
  const { tail, head, cap, flow, state, parent, pred } = s;
  for (;;) {
    if ((s.pivots & 63) === 0) {
      if (opts.shouldStop?.()) {
        status = 'stopped';
        break;
      }
      yield;
    }
    const e = findEntering(s);
    if (e < 0) break;
    s.pivots++;
    const first = state[e] === 1 ? tail[e]! : head[e]!;
    const second = state[e] === 1 ? head[e]! : tail[e]!;
    const join = findJoin(s, first, second);
    findLeaving(s, e, first, second, join);
    const delta = s.delta;
    if (delta === Infinity) {
      status = 'unbounded';
      cycle.push(e);
      for (let w = first; w !== join; w = parent[w]!) cycle.push(pred[w]!);
      for (let w = second; w !== join; w = parent[w]!) cycle.push(pred[w]!);
      break;
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
  return collectOutput(s, net, opts, status, cycle);
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
  readonly maxCost: number;
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
  /** Result of `findLeaving`: the flow change, the child end of the leaving tree arc (-1: the entering arc itself) and its side. */
  delta: number;
  leaveNode: number;
  leaveFirstSide: boolean;
}

/** Copies the arcs with lower bounds shifted out (lo units forced from tail to head) and sizes the tree arrays. */
function initArcs(net: FlowNetwork, opts: NetworkSimplexOptions): SimplexState {
  const n = net.n;
  const m = net.m;
  const N = n + 1;
  const M = m + n;
  const tail = new Int32Array(M);
  const head = new Int32Array(M);
  const cap = new Float64Array(M);
  const cost = new Float64Array(M);
  const state = new Int8Array(M);
  const supply = Float64Array.from(net.supply);
  let maxCost = 0;
  for (let a = 0; a < m; a++) {
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
  return {
    n,
    m,
    root: n,
    M,
    tail,
    head,
    cap,
    cost,
    flow: new Float64Array(M),
    state,
    supply,
    maxCost,
    tol: opts.tolerance ?? 0,
    block: Math.max(1, opts.blockSize ?? Math.ceil(Math.sqrt(M))),
    parent: new Int32Array(N),
    pred: new Int32Array(N),
    up: new Uint8Array(N),
    depth: new Int32Array(N),
    thread: new Int32Array(N),
    revThread: new Int32Array(N),
    lastSucc: new Int32Array(N),
    pi: new Float64Array(N),
    order: new Int32Array(N),
    nextArc: 0,
    pivots: 0,
    delta: 0,
    leaveNode: -1,
    leaveFirstSide: false,
  };
}

/** The big-M start: every node hangs from the root by its artificial arc, carrying its supply. */
function initTree(s: SimplexState): void {
  const { n, m, root, tail, head, cap, cost, flow, state, supply, parent, pred, up, depth, thread, revThread, lastSucc, pi } = s;
  // Rerouting one unit from an artificial path (cost 2M) onto a real path (< n maxCost)
  // always pays off, so a feasible network ends with no artificial flow.
  const bigM = (n + 1) * Math.max(1, s.maxCost) + 1;
  parent[root] = -1;
  pred[root] = -1;
  depth[root] = 0;
  pi[root] = 0;
  let prevNode = root;
  for (let v = 0; v < n; v++) {
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
  thread[prevNode] = root;
  revThread[root] = prevNode;
  lastSucc[root] = prevNode;
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
  return best;
}

/** The apex of the cycle: the deepest common ancestor of the entering arc's ends. */
function findJoin(s: SimplexState, first: number, second: number): number {
  const { depth, parent } = s;
  let u = first;
  let v = second;
  while (u !== v) {
    if (depth[u]! > depth[v]!) u = parent[u]!;
    else if (depth[v]! > depth[u]!) v = parent[v]!;
    else {
      u = parent[u]!;
      v = parent[v]!;
    }
  }
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

/** Flow with the lower bounds added back, potentials and the artificial flow left (infeasible when above flowTolerance). */
function collectOutput(s: SimplexState, net: FlowNetwork, opts: NetworkSimplexOptions, status: NetworkSimplexOutput['status'], cycle: number[]): NetworkSimplexOutput {
  const { n, m, flow, tail, pi } = s;
  let artificialFlow = 0;
  const unrouted = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const a = m + v;
    const f = flow[a]!;
    artificialFlow += f;
    unrouted[v] = tail[a] === v ? f : -f;
  }
  const finalStatus = status === 'optimal' && artificialFlow > (opts.flowTolerance ?? 0) ? 'infeasible' : status;
  const out = new Float64Array(m);
  for (let a = 0; a < m; a++) out[a] = flow[a]! + net.lower[a]!;
  const potential = new Float64Array(n);
  for (let v = 0; v < n; v++) potential[v] = pi[v]!;
  return { status: finalStatus, flow: out, potential, pivots: s.pivots, artificialFlow, unrouted, unboundedCycle: cycle };
}
