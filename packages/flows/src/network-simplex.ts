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
  const n = net.n;
  const m = net.m;
  const root = n;
  const N = n + 1;
  const M = m + n;
  const tail = new Int32Array(M);
  const head = new Int32Array(M);
  const cap = new Float64Array(M);
  const cost = new Float64Array(M);
  const flow = new Float64Array(M);
  // 1: at lower bound, -1: at capacity, 0: in the tree.
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
    // Lower bounds are shifted out: lo units are forced from t to h.
    supply[t]! -= lo;
    supply[h]! += lo;
    maxCost = Math.max(maxCost, Math.abs(cost[a]!));
  }
  // Rerouting one unit from an artificial path (cost 2M) onto a real path (< n maxCost)
  // always pays off, so a feasible network ends with no artificial flow.
  const bigM = (n + 1) * Math.max(1, maxCost) + 1;
  const tol = opts.tolerance ?? 0;

  const parent = new Int32Array(N);
  const pred = new Int32Array(N);
  const up = new Uint8Array(N); // 1: pred arc goes node -> parent
  const depth = new Int32Array(N);
  const thread = new Int32Array(N);
  const revThread = new Int32Array(N);
  const lastSucc = new Int32Array(N);
  const pi = new Float64Array(N);
  const order = new Int32Array(N);

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

  const block = Math.max(1, opts.blockSize ?? Math.ceil(Math.sqrt(M)));
  let nextArc = 0;
  let pivots = 0;
  let status: NetworkSimplexOutput['status'] = 'optimal';
  const cycle: number[] = [];

  /** Block search: the most violating arc of the first block that has one; -1 when optimal. */
  const findEntering = (): number => {
    let best = -1;
    let bestViol = -tol;
    let scanned = 0;
    let inBlock = 0;
    let a = nextArc;
    while (scanned < M) {
      const s = state[a]!;
      if (s !== 0) {
        const viol = s * (cost[a]! + pi[tail[a]!]! - pi[head[a]!]!);
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
    nextArc = a;
    return best;
  };

  for (;;) {
    if ((pivots & 63) === 0 && opts.shouldStop?.()) {
      status = 'stopped';
      break;
    }
    const e = findEntering();
    if (e < 0) break;
    pivots++;
    const first = state[e] === 1 ? tail[e]! : head[e]!;
    const second = state[e] === 1 ? head[e]! : tail[e]!;
    // The apex of the cycle: the deepest common ancestor of the entering arc's ends.
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
    const join = u;
    // Flow goes join -> (down) first -> entering arc -> second -> (up) join. Cunningham's
    // rule: among blocking arcs, the last one met from the apex in that direction.
    let delta = Infinity;
    let leaveNode = -1; // child end of the leaving tree arc; -1: the entering arc itself
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
    if (delta === Infinity) {
      status = 'unbounded';
      cycle.push(e);
      for (let w = first; w !== join; w = parent[w]!) cycle.push(pred[w]!);
      for (let w = second; w !== join; w = parent[w]!) cycle.push(pred[w]!);
      break;
    }
    if (delta > 0) {
      flow[e]! += state[e] === 1 ? delta : -delta;
      for (let w = first; w !== join; w = parent[w]!) flow[pred[w]!]! += up[w] ? -delta : delta;
      for (let w = second; w !== join; w = parent[w]!) flow[pred[w]!]! += up[w] ? delta : -delta;
    }
    if (leaveNode < 0) {
      // The entering arc blocks itself: it just moves to its other bound.
      flow[e] = state[e] === 1 ? cap[e]! : 0;
      state[e] = state[e] === 1 ? -1 : 1;
      continue;
    }
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

    // (a) Unlink the subtree of uOut from the thread.
    const last = lastSucc[uOut]!;
    const before = revThread[uOut]!;
    const after = thread[last]!;
    thread[before] = after;
    revThread[after] = before;
    for (let w = parent[uOut]!; w !== -1 && lastSucc[w] === last; w = parent[w]!) lastSucc[w] = before;

    // (b) Its new preorder, rooted at uIn: the subtree of uIn, then each stem node up to
    // uOut with its old subtree minus the block of the stem node below it.
    let cnt = 0;
    let below = -1;
    for (let s = uIn; ; s = parent[s]!) {
      if (below < 0) {
        for (let w = s; ; w = thread[w]!) {
          order[cnt++] = w;
          if (w === lastSucc[s]) break;
        }
      } else {
        const stop = revThread[below]!;
        for (let w = s; ; w = thread[w]!) {
          order[cnt++] = w;
          if (w === stop) break;
        }
        if (lastSucc[below] !== lastSucc[s]) {
          const end = lastSucc[s]!;
          for (let w = thread[lastSucc[below]!]!; ; w = thread[w]!) {
            order[cnt++] = w;
            if (w === end) break;
          }
        }
      }
      if (s === uOut) break;
      below = s;
    }

    // (c) Reverse the stem: uIn hangs from vIn by the entering arc.
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

    // (d) Splice the new preorder in right after vIn.
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

    // (e) Depths and potentials of the moved subtree, parents first.
    for (let k = 0; k < cnt; k++) {
      const w = order[k]!;
      const p = parent[w]!;
      depth[w] = depth[p]! + 1;
      const a = pred[w]!;
      pi[w] = up[w] ? pi[p]! - cost[a]! : pi[p]! + cost[a]!;
    }
  }

  let artificialFlow = 0;
  const unrouted = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const a = m + v;
    const f = flow[a]!;
    artificialFlow += f;
    unrouted[v] = tail[a] === v ? f : -f;
  }
  if (status === 'optimal' && artificialFlow > (opts.flowTolerance ?? 0)) status = 'infeasible';
  const out = new Float64Array(m);
  for (let a = 0; a < m; a++) out[a] = flow[a]! + net.lower[a]!;
  const potential = new Float64Array(n);
  for (let v = 0; v < n; v++) potential[v] = pi[v]!;
  return { status, flow: out, potential, pivots, artificialFlow, unrouted, unboundedCycle: cycle };
}
