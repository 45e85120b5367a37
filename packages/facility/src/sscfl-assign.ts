import { runSteps, type Steps } from '@emplace/core';
import type { Incumbent } from './branch-and-bound.js';
import { assignmentIncumbent } from './capacitated.js';
import { SingleSourceSiteSearch } from './sscfl-local-search.js';
import type { FacilityProblem } from './problem.js';

/**
 * Regret assignment of the clients to the open sites (the placement of `singleSourceAssign`
 * in capacitated.ts, same plan before improvement, in O(C^2 + R S) instead of O(C^2 S); R:
 * recomputations, a few per client): each client keeps its cheapest and second-cheapest open
 * site with room (b1, b2 and their costs), and only the clients whose b1 or b2 has just
 * become too full for them are rescanned. The tie rules are the same (b1 the first site of
 * least cost, v2 the second least value, the largest regret first, ties to the larger
 * demand, then the lower index). The plan is then improved by shift and swap moves over the
 * clients of cheaper sites (SingleSourceSiteSearch), not by the all-pairs swap pass of
 * `improveAssignment`: that pass is C^2/2 pairs per round and took 100-400 ms at
 * 100 x 1000, which an abort had to wait for (issue 13); the local optimum reached is of
 * the same kind (no shift or swap improves it).
 */
export function regretAssign(pr: FacilityProblem, open: Uint8Array, stop: () => boolean = never): Incumbent | null {
  return runSteps(regretAssignSteps(pr, open, stop));
}

const never = (): boolean => false;
/** Passes of shift and swap moves after the regret placement (each one O(C S) plus the swaps tried). */
const IMPROVE_ROUNDS = 50;

/**
 * `regretAssign` with a checkpoint every 64 placements and inside the improvement passes (a
 * cold first call took 100-300 ms at 100 x 1000). After `stop` the placement is completed
 * without the regret order's updates (completeAfterStop: the plan is the incumbent a stopped
 * caller returns) and the improvement skipped.
 */
export function* regretAssignSteps(pr: FacilityProblem, open: Uint8Array, stop: () => boolean = never): Steps<Incumbent | null> {
  const { nSites: S, nClients: C, d, cap } = pr;
  const room = new Float64Array(S);
  for (let i = 0; i < S; i++) room[i] = open[i] ? cap[i]! : 0;
  const assign = new Int32Array(C).fill(-1);
  const done = new Uint8Array(C);
  const b1 = new Int32Array(C);
  const b2 = new Int32Array(C);
  const v1 = new Float64Array(C);
  const v2 = new Float64Array(C);
  const watch = new WatchLists(S, C);
  const scan = twoCheapestRescan(pr, open, room, b1, b2, v1, v2);
  const relink = (j: number): void => {
    watch.unlink(2 * j);
    watch.unlink(2 * j + 1);
    watch.link(2 * j, b1[j]!);
    watch.link(2 * j + 1, b2[j]!);
  };
  const regret = (j: number): number => (v2[j] === Infinity ? Infinity : v2[j]! - v1[j]!);
  firstTwoSites(pr, open, room, b1, b2, v1, v2);
  yield;
  // Clients by regret (largest first; ties to the larger demand, then the lower index), with
  // stale entries (the client rescanned or placed since) skipped when they come up.
  const queue = new RegretQueue(C, d);
  for (let j = 0; j < C; j++) {
    if (b1[j]! < 0) return null;
    relink(j);
    queue.push(j, regret(j));
  }
  const changed = new Int32Array(C);
  for (let placed = 0; placed < C; placed++) {
    if ((placed & 63) === 63) {
      yield;
      // Stopped: the rest placed at once (the rescans and watch lists of the regret order took
      // 44-51 ms on CPU after an abort at 400 x 4000, issue 13's scale-4 sweep).
      if (stop()) return completeAfterStop(pr, open, assign, room, done, b1, queue, C - placed, scan);
    }
    let bestJ = queue.pop();
    while (done[bestJ] || queue.lastKey !== regret(bestJ)) bestJ = queue.pop();
    const site = b1[bestJ]!;
    done[bestJ] = 1;
    assign[bestJ] = site;
    room[site]! -= d[bestJ]!;
    watch.unlink(2 * bestJ);
    watch.unlink(2 * bestJ + 1);
    // Only the clients for which `site` was one of the two best, and which no longer fit there, change.
    let n = 0;
    for (let node = watch.head[site]!; node >= 0; node = watch.next[node]!) {
      const j = node >> 1;
      if (room[site]! < d[j]! - 1e-9) changed[n++] = j;
    }
    for (let t = 0; t < n; t++) {
      const j = changed[t]!;
      scan(j);
      if (b1[j]! < 0) return null;
      relink(j);
      queue.push(j, regret(j));
    }
  }
  if (!stop()) yield* new SingleSourceSiteSearch(pr).polishAssignmentSteps(open, assign, room, stop, false, IMPROVE_ROUNDS);
  return assignmentIncumbent(pr, open, assign);
}

/**
 * Client j's cheapest and second-cheapest open site with room for it, rescanned over every
 * site (the regret order's update for a client whose recorded choices filled up).
 */
function twoCheapestRescan(pr: FacilityProblem, open: Uint8Array, room: Float64Array, b1: Int32Array, b2: Int32Array, v1: Float64Array, v2: Float64Array): (j: number) => void {
  const { nSites: S, nClients: C, c, d } = pr;
  return (j: number): void => {
    let s1 = -1;
    let s2 = -1;
    let w1 = Infinity;
    let w2 = Infinity;
    for (let i = 0; i < S; i++) {
      if (!open[i] || room[i]! < d[j]! - 1e-9) continue;
      const v = c[i * C + j]!;
      if (v < w1) {
        w2 = w1;
        s2 = s1;
        w1 = v;
        s1 = i;
      } else if (v < w2) {
        w2 = v;
        s2 = i;
      }
    }
    b1[j] = s1;
    b2[j] = s2;
    v1[j] = w1;
    v2[j] = w2;
  };
}

/**
 * The unplaced clients of a stopped regret assignment, in the queue's order without its
 * updates: each at its recorded cheapest site when that still has room, else at the cheapest
 * open site with room (one scan), else none fits and there is no plan (null). The plan is
 * valid but may cost more than the full regret order's; no improvement pass follows.
 */
function completeAfterStop(
  pr: FacilityProblem,
  open: Uint8Array,
  assign: Int32Array,
  room: Float64Array,
  done: Uint8Array,
  b1: Int32Array,
  queue: RegretQueue,
  left: number,
  scan: (j: number) => void,
): Incumbent | null {
  const { d } = pr;
  while (left > 0) {
    const j = queue.pop();
    if (done[j]) continue;
    if (room[b1[j]!]! < d[j]! - 1e-9) {
      scan(j);
      if (b1[j]! < 0) return null;
    }
    const site = b1[j]!;
    done[j] = 1;
    assign[j] = site;
    room[site]! -= d[j]!;
    left--;
  }
  return assignmentIncumbent(pr, open, assign);
}

/**
 * The first scan, site by site (the costs are stored site-major: a client-major scan missed
 * the cache on every read), with the same comparisons in the same site order as the
 * per-client rescan: each client's cheapest and second-cheapest open site with room.
 */
function firstTwoSites(
  pr: FacilityProblem,
  open: Uint8Array,
  room: Float64Array,
  b1: Int32Array,
  b2: Int32Array,
  v1: Float64Array,
  v2: Float64Array,
): void {
  const { nSites: S, nClients: C, c, d } = pr;
  b1.fill(-1);
  b2.fill(-1);
  v1.fill(Infinity);
  v2.fill(Infinity);
  for (let i = 0; i < S; i++) {
    if (!open[i]) continue;
    const row = i * C;
    for (let j = 0; j < C; j++) {
      if (room[i]! < d[j]! - 1e-9) continue;
      const v = c[row + j]!;
      if (v < v1[j]!) {
        v2[j] = v1[j]!;
        b2[j] = b1[j]!;
        v1[j] = v;
        b1[j] = i;
      } else if (v < v2[j]!) {
        v2[j] = v;
        b2[j] = i;
      }
    }
  }
}

/**
 * Watch lists: the clients whose first or second choice is site i (node 2j + slot, slot 0
 * for the first, 1 for the second), doubly linked, so that a placement at i visits only
 * them (a scan of every client per placement was O(C^2)).
 */
class WatchLists {
  readonly head: Int32Array;
  readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly siteOf: Int32Array;

  constructor(sites: number, clients: number) {
    this.head = new Int32Array(sites).fill(-1);
    this.next = new Int32Array(2 * clients).fill(-1);
    this.prev = new Int32Array(2 * clients).fill(-1);
    this.siteOf = new Int32Array(2 * clients).fill(-1);
  }

  unlink(node: number): void {
    const i = this.siteOf[node]!;
    if (i < 0) return;
    const { next, prev, head } = this;
    if (prev[node]! >= 0) next[prev[node]!] = next[node]!;
    else head[i] = next[node]!;
    if (next[node]! >= 0) prev[next[node]!] = prev[node]!;
    this.siteOf[node] = -1;
  }

  link(node: number, i: number): void {
    if (i < 0) return;
    const { next, prev, head } = this;
    this.siteOf[node] = i;
    prev[node] = -1;
    next[node] = head[i]!;
    if (head[i]! >= 0) prev[head[i]!] = node;
    head[i] = node;
  }
}

/**
 * Max-heap of clients keyed by regret, ties to the larger demand, then the lower index (the
 * order of the linear scan it replaces, O(log C) instead of O(C) per placement). A client
 * is pushed again when its regret changes; the caller skips entries whose key is stale.
 */
class RegretQueue {
  private ids: Int32Array;
  private keys: Float64Array;
  private size = 0;
  /** Key of the entry `pop` returned last. */
  lastKey = 0;

  constructor(
    capacity: number,
    private readonly d: Float64Array,
  ) {
    this.ids = new Int32Array(Math.max(4, 2 * capacity));
    this.keys = new Float64Array(this.ids.length);
  }

  push(j: number, key: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(2 * this.size);
      const keys = new Float64Array(2 * this.size);
      ids.set(this.ids);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    let t = this.size++;
    while (t > 0) {
      const up = (t - 1) >> 1;
      if (!this.before(j, key, this.ids[up]!, this.keys[up]!)) break;
      this.ids[t] = this.ids[up]!;
      this.keys[t] = this.keys[up]!;
      t = up;
    }
    this.ids[t] = j;
    this.keys[t] = key;
  }

  /** Removes the first entry and returns its client (its key in `lastKey`); the queue must not be empty. */
  pop(): number {
    const { ids, keys } = this;
    const top = ids[0]!;
    this.lastKey = keys[0]!;
    const n = --this.size;
    const j = ids[n]!;
    const key = keys[n]!;
    let t = 0;
    for (;;) {
      let child = 2 * t + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(ids[child + 1]!, keys[child + 1]!, ids[child]!, keys[child]!)) child++;
      if (!this.before(ids[child]!, keys[child]!, j, key)) break;
      ids[t] = ids[child]!;
      keys[t] = keys[child]!;
      t = child;
    }
    ids[t] = j;
    keys[t] = key;
    return top;
  }

  private before(a: number, ka: number, b: number, kb: number): boolean {
    if (ka !== kb) return ka > kb;
    const { d } = this;
    if (d[a] !== d[b]) return d[a]! > d[b]!;
    return a < b;
  }
}
