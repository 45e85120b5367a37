import type { FacilityProblem } from './problem.js';
import { insertionSortDescending } from './nearly-sorted.js';
import { RatioKnapsack } from './sscfl-knapsack.js';

/**
 * The fixings of one node of the single-source search: sites (-1 free, 0 closed, 1 open),
 * clients fixed to a site (-1 free) and banned pairs (S x C, 1 = client j may not use site i).
 */
export interface SingleSourceFixing {
  siteFix: Int8Array;
  assign: Int32Array;
  banned: Uint8Array;
}

/** Items beyond this many DFS nodes make a site's knapsack fall back to its LP bound (still a valid bound). */
const KNAPSACK_NODE_BUDGET = 2000;
/**
 * A knapsack whose search runs out of its node budget is solved by dynamic programming over
 * the capacity when every demand is an integer and items x capacity units stay within this:
 * exact where the search fell back to the weaker LP bound (at 50 x 100, ratio 3-5, some
 * evaluations on the way to the dual optimum). Not first: at the dual optimum the search
 * took 0.17-0.26 ms per evaluation of 50 knapsacks and the programming 0.4-1.7 ms.
 */
const DP_CELLS = 120_000;

/**
 * Lagrangian relaxation of the single-source CFL assignment constraints sum_i x_ij = 1
 * with free multipliers v_j (Barcelo-Casanovas, Pirkul, Klincewicz-Luss):
 *
 *   L(v) = sum_j v_j + min_y sum_i rho_i(v) y_i,   rho_i = f_i - max { sum_j (v_j - c_ij) x_ij : sum_j d_j x_ij <= C_i, x binary },
 *
 * one 0-1 knapsack per site, solved exactly by the RatioKnapsack kernel (reduction, then
 * depth-first search with the Martello-Toth bound) from the better of the greedy solution and
 * the site's previous exact solution (past a node budget dynamic programming or the LP bound
 * is used, which keeps L valid), and the
 * aggregate capacity constraint sum_i C_i y_i >= D kept in its LP form. Clients fixed to a
 * site leave the relaxation and use that site's capacity; banned pairs are not items.
 * Because the knapsacks are integral, this bound is stronger than the split-demand one.
 */
export class SingleSourceRelaxation {
  readonly pr: FacilityProblem;
  readonly S: number;
  readonly C: number;
  /** Subgradient of the last evaluation: g_j = 1 - sum_i y_i x_ij (0 for fixed clients). */
  readonly g: Float64Array;
  readonly rho: Float64Array;
  /** Site selection of the last evaluation, in [0, 1] (one site may be fractional through the cover constraint). */
  readonly y: Float64Array;
  /** Clients in site i's knapsack solution: chosen[i * C + k] for k < nChosen[i]. */
  readonly chosen: Int32Array;
  readonly nChosen: Int32Array;
  /** Sites whose rho of the last evaluation is their LP bound (a lazy evaluation left them unselected): their chosen list is the greedy one. */
  readonly lpOnly: Uint8Array;
  /** Capacity left at each site after its fixed clients (last evaluation). */
  readonly residual: Float64Array;
  /** What each site can serve at the node (see usable): the cover's capacities. */
  readonly effCap: Float64Array;
  /** Sites that must open at the node (fixed open, pre-opened, or holding a fixed client). */
  readonly forcedOpen: Uint8Array;
  /** The site taken fractionally by the cover constraint, -1 when y is integral. */
  fractionalSite = -1;
  /** Cost of the sites added by the cover constraint. */
  coverCost = 0;
  /** True when some knapsack of the last evaluation used its LP bound. */
  approx = false;
  private readonly fixedCost: Float64Array;
  /** lpOnly sites whose rho rests on the quick bound (see quickBound). */
  private readonly sumOnly: Uint8Array;
  /**
   * Per site, the critical ratio of its last sorted knapsack (its LP's price per unit of
   * capacity): between evaluations it moves little, and priced at it the LP's dual bound
   * sum_j (p_j - price d_j)+ + price C_i is nearly the Dantzig bound, in the quick scan.
   */
  private readonly lastPrice: Float64Array;
  /** The last cover's LP: its cost, its price per unit of capacity (0 when no cover was needed). */
  private coverLp = 0;
  private coverPrice = 0;
  /** The last selection's cover candidates (cand[0..candLen)), the capacity they had to cover (<= 0: none), and prepareSiteBounds' buffers. */
  private candLen = 0;
  private coverNeed = 0;
  private readonly coverAsc: Int32Array;
  private readonly coverTmp: Int32Array;
  private readonly openCover: Float64Array;
  private readonly closeCover: Float64Array;
  /** openCover / closeCover are the last evaluation's. */
  private boundsReady = false;
  /** The cover's knapsack (sites left closed), its site order (coverIds, last call's in coverLast), keys, marks and the last cover's sites. */
  private readonly coverKs: RatioKnapsack;
  private readonly coverIds: Int32Array;
  private readonly coverKey: Float64Array;
  private readonly coverLast: Int32Array;
  private coverLastLen = 0;
  private readonly coverStamp: Int32Array;
  private coverStampNow = 2;
  private readonly coverPrev: Uint8Array;
  /** Knapsack profit of each site in the last evaluation (what rho_i subtracts), and the part from zero-demand clients. */
  private readonly lastProfit: Float64Array;
  private readonly zeroProfit: Float64Array;
  private readonly items: Int32Array;
  /** The knapsack kernel (items in ratio order, exact search), shared by the sites' knapsacks and pair fixing. */
  private readonly ks: RatioKnapsack;
  /** A second kernel for fixPairs' exact knapsacks with one client left out, and the profit of its greedy start (loadWithout). */
  private readonly withoutKs: RatioKnapsack;
  private withoutGreedy = 0;
  /** Per client, what forcing it out of the selected sites that serve it adds to L at least (clientOutPenalties). */
  private readonly outPen: Float64Array;
  /**
   * Per site, its last exact knapsack solution (clients with demand, warm[i * C + k] for k < warmLen[i]):
   * re-priced, the next search's start. Between evaluations the multipliers move a little and
   * the optimum often stays, so the search starts at it and only has to prove it.
   */
  private readonly warm: Int32Array;
  private readonly warmLen: Int32Array;
  private readonly x: Uint8Array;
  private readonly cand: Int32Array;
  private readonly ratio: Float64Array;
  private readonly position: Int32Array;
  /** The item order of the last loadSiteItems (sortItems' buffer). */
  private siteIds: Int32Array = new Int32Array(0);
  /** Per site, its items in the ratio order of its last sort (order[i * C + k], k < orderLen[i]): where the next sort starts. */
  private readonly order: Int32Array;
  private readonly orderLen: Int32Array;
  /** Marks of sortItems (stamp[j] = stampNow: an item; stampNow + 1: placed) and its buffer. */
  private readonly stamp: Int32Array;
  /** Each item's place in the last sortItems' order (valid for the clients stamped by that call). */
  private readonly itemAt: Int32Array;
  private stampNow = 0;
  private readonly sortBuf: Int32Array;
  private readonly sortKey: Float64Array;
  /** Knapsack profit v_j - c_ij of each current item (by client), written by the scans. */
  private readonly pj: Float64Array;
  /** Every demand is an integer: knapsacks can be solved over integral capacities. */
  private readonly integralDemand: boolean;
  /** Dynamic-programming buffers (grown on demand): best profit per capacity, and the take decisions per item x capacity. */
  private dpBest = new Float64Array(0);
  private dpTake = new Uint8Array(0);

  /**
   * Per site, its items' clients (c_ij < v_j for the multipliers of the last updateLists): bit
   * j & 31 of itemBits[i * words + (j >> 5)]. The scans read them in client order, lowest bit
   * first, and visit only the 20-30 of 100 clients that are items, where lists rebuilt past a
   * threshold scanned some 58 per site at 50 x 100 and their rebuilds took a seventh of a proof.
   */
  private readonly itemBits: Int32Array;
  private readonly words: number;
  /**
   * Per client j, the sites by c_ij increasing (bySite[j * S + t]), those costs (byCost), and
   * how many of them have their bit set (colPos[j]: those with c_ij below the last v_j):
   * updateLists moves each client's mark up or down its column by the pairs that changed.
   */
  private readonly bySite: Int32Array;
  private readonly byCost: Float64Array;
  private readonly colPos: Int32Array;

  /** Nodes of one knapsack's search before dynamic programming (or the LP bound) takes over (a test sets 0 to exercise those paths). */
  private readonly knapsackNodes: number;

  constructor(pr: FacilityProblem, knapsackNodes = KNAPSACK_NODE_BUDGET) {
    this.pr = pr;
    this.knapsackNodes = knapsackNodes;
    const S = pr.nSites;
    const C = pr.nClients;
    this.S = S;
    this.C = C;
    this.g = new Float64Array(C);
    this.rho = new Float64Array(S);
    this.y = new Float64Array(S);
    this.chosen = new Int32Array(S * C);
    this.nChosen = new Int32Array(S);
    this.residual = new Float64Array(S);
    this.effCap = new Float64Array(S);
    this.forcedOpen = new Uint8Array(S);
    this.lpOnly = new Uint8Array(S);
    this.sumOnly = new Uint8Array(S);
    this.lastPrice = new Float64Array(S);
    this.fixedCost = new Float64Array(S);
    this.coverKs = new RatioKnapsack(S);
    this.coverIds = new Int32Array(S);
    this.coverAsc = new Int32Array(S);
    this.coverTmp = new Int32Array(S);
    this.openCover = new Float64Array(S);
    this.closeCover = new Float64Array(S);
    this.coverKey = new Float64Array(S);
    this.coverLast = new Int32Array(S);
    this.coverStamp = new Int32Array(S);
    this.coverPrev = new Uint8Array(S);
    this.lastProfit = new Float64Array(S);
    this.zeroProfit = new Float64Array(S);
    this.items = new Int32Array(C);
    this.ks = new RatioKnapsack(C);
    this.withoutKs = new RatioKnapsack(C);
    this.outPen = new Float64Array(C);
    this.warm = new Int32Array(S * C);
    this.warmLen = new Int32Array(S);
    this.x = new Uint8Array(Math.max(S, C));
    this.cand = new Int32Array(S);
    this.ratio = new Float64Array(Math.max(S, C));
    this.position = new Int32Array(C).fill(-1);
    this.order = new Int32Array(S * C);
    this.orderLen = new Int32Array(S);
    this.stamp = new Int32Array(C);
    this.itemAt = new Int32Array(C);
    this.sortBuf = new Int32Array(C);
    this.sortKey = new Float64Array(C);
    this.pj = new Float64Array(C);
    this.words = (C + 31) >> 5;
    this.itemBits = new Int32Array(S * this.words);
    this.colPos = new Int32Array(C);
    this.bySite = new Int32Array(S * C);
    this.byCost = new Float64Array(S * C);
    this.sortColumns();
    let integral = true;
    for (let j = 0; j < C && integral; j++) integral = Number.isInteger(pr.d[j]!);
    this.integralDemand = integral;
  }

  /**
   * L(v) at the node (Infinity when its fixings admit no solution); fills g, rho, y and the
   * knapsack solutions. `lazy`: a site whose Dantzig (LP) bound already makes rho_i positive
   * keeps that bound (a lower bound on its rho) and skips its knapsack search, unless the site
   * selection takes it; then it is solved exactly and the selection made again. L and g are
   * the exact ones (raising the rho of unselected sites leaves the selection optimal, and g
   * reads only selected sites); the rho of the other sites are lower bounds (valid for the
   * reduced-cost tests, only weaker). At 30 x 90 and 50 x 100 most sites are unselected and
   * their searches were about a third of an evaluation.
   *
   * `lazy = 'sum'` first tries a cheaper bound on those sites (quickBound: one scan, no sort)
   * and keeps it when it leaves the site out of every cheaper selection; a site so settled
   * that the selection takes all the same gets its LP level, then its exact knapsack. Same L
   * and subgradient; the rho of unselected sites are weaker, so the fixing tests want `true`.
   * In a 50 x 100 ratio-3 proof it settled 26 of the 38 lazy sites per evaluation.
   */
  evaluate(v: Float64Array, node: SingleSourceFixing, lazy: boolean | 'sum' = false): number {
    const { S, C, pr, residual, fixedCost, forcedOpen, rho } = this;
    const { d, c } = pr;
    this.updateLists(v);
    this.boundsReady = false;
    residual.set(pr.cap);
    fixedCost.fill(0);
    forcedOpen.fill(0);
    this.approx = false;
    let L = 0;
    for (let j = 0; j < C; j++) {
      const a = node.assign[j]!;
      if (a >= 0) {
        residual[a]! -= d[j]!;
        fixedCost[a]! += c[a * C + j]!;
        forcedOpen[a] = 1;
      } else L += v[j]!;
    }
    const eps = 1e-9 * Math.max(1, pr.totalDemand);
    for (let i = 0; i < S; i++) {
      const closed = node.siteFix[i] === 0 || pr.forbidden[i] === 1;
      if (closed) {
        if (forcedOpen[i]) return Infinity;
        rho[i] = Infinity;
        this.nChosen[i] = 0;
        this.lpOnly[i] = 0;
        this.sumOnly[i] = 0;
        continue;
      }
      if (residual[i]! < -eps) return Infinity;
      this.usable(i, node);
      if (node.siteFix[i] === 1 || pr.mustOpen[i]) forcedOpen[i] = 1;
      // y still holds the last selection: a site it took is likely taken again, and solved at once.
      const skip = lazy !== false && !forcedOpen[i] && this.y[i] === 0;
      const profit = skip && lazy === 'sum' ? this.quickBound(i, v, node) : this.knapsack(i, v, node, skip);
      this.lastProfit[i] = profit;
      rho[i] = pr.f[i]! + fixedCost[i]! - profit;
    }
    const sel = this.selectExact(v, node);
    if (sel === Infinity) return Infinity;
    L += sel;
    const g = this.g;
    for (let j = 0; j < C; j++) g[j] = node.assign[j]! >= 0 ? 0 : 1;
    for (let i = 0; i < S; i++) {
      const yi = this.y[i]!;
      if (yi === 0) continue;
      const base = i * C;
      for (let k = 0; k < this.nChosen[i]!; k++) g[this.chosen[base + k]!]! -= yi;
    }
    return L;
  }

  /**
   * effCap[i]: site i's capacity, or less when its fixed load and the free clients it may still
   * take (not banned, fitting its residual) weigh less: what it can serve in any plan of the
   * node, so the cover sum effCap_i y_i >= D stays valid, and deep nodes ban many pairs.
   */
  private usable(i: number, node: SingleSourceFixing): void {
    const { C, pr } = this;
    const { d, c } = pr;
    const room = this.residual[i]!;
    const row = i * C;
    const fits = room + 1e-9 * Math.max(1, room);
    let allowed = 0;
    for (let j = 0; j < C && allowed < room; j++) {
      if (node.assign[j]! < 0 && !node.banned[row + j] && c[row + j] !== Infinity && d[j]! <= fits) allowed += d[j]!;
    }
    this.effCap[i] = allowed < room ? pr.cap[i]! - room + allowed : pr.cap[i]!;
  }

  /** Sets the item bits for multipliers v: each client's sites that crossed v_j since the last call flip (see itemBits). */
  private updateLists(v: Float64Array): void {
    const { S, C, words, itemBits, bySite, byCost, colPos } = this;
    for (let j = 0; j < C; j++) {
      const vj = v[j]!;
      const col = j * S;
      const word = j >> 5;
      const bit = 1 << (j & 31);
      let p = colPos[j]!;
      for (; p < S && byCost[col + p]! < vj; p++) itemBits[bySite[col + p]! * words + word]! |= bit;
      while (p > 0 && !(byCost[col + p - 1]! < vj)) {
        p--;
        itemBits[bySite[col + p]! * words + word]! &= ~bit;
      }
      colPos[j] = p;
    }
  }

  /** bySite / byCost: each client's sites by cost increasing (forbidden pairs, at Infinity, last). */
  private sortColumns(): void {
    const { S, C, pr, bySite, byCost } = this;
    const { c } = pr;
    const ids = new Int32Array(S);
    for (let j = 0; j < C; j++) {
      for (let i = 0; i < S; i++) ids[i] = i;
      ids.sort((a, b) => c[a * C + j]! - c[b * C + j]! || a - b);
      for (let t = 0; t < S; t++) {
        bySite[j * S + t] = ids[t]!;
        byCost[j * S + t] = c[ids[t]! * C + j]!;
      }
    }
  }

  /** select(), with every selected site whose rho is only a bound solved further (quick bound to LP level, LP level to exact) and the selection made again, until none is left. */
  private selectExact(v: Float64Array, node: SingleSourceFixing): number {
    const { S, pr, rho, y, lpOnly } = this;
    for (;;) {
      const sel = this.select();
      if (sel === Infinity) return Infinity;
      let solved = false;
      for (let i = 0; i < S; i++) {
        if (!lpOnly[i] || !(y[i]! > 0)) continue;
        const profit = this.knapsack(i, v, node, this.sumOnly[i] === 1);
        this.lastProfit[i] = profit;
        rho[i] = pr.f[i]! + this.fixedCost[i]! - profit;
        solved = true;
      }
      if (!solved) return sel;
    }
  }

  /** y minimising sum rho_i y_i with the forced sites open and the 0-1 cover constraint; returns the sum. */
  private select(): number {
    const { S, pr, rho, y, forcedOpen, cand } = this;
    y.fill(0);
    this.fractionalSite = -1;
    this.coverCost = 0;
    let sum = 0;
    let capOpen = 0;
    let nCand = 0;
    for (let i = 0; i < S; i++) {
      if (rho[i] === Infinity) continue;
      if (forcedOpen[i] || rho[i]! < 0) {
        y[i] = 1;
        sum += rho[i]!;
        capOpen += this.effCap[i]!;
      } else if (this.effCap[i]! > 0) cand[nCand++] = i;
    }
    const need = pr.totalDemand - capOpen;
    this.candLen = nCand;
    this.coverNeed = need;
    this.coverLp = 0;
    this.coverPrice = 0;
    if (need <= 1e-9 * Math.max(1, pr.totalDemand)) return sum;
    const cover = this.cover(nCand, need);
    if (cover === Infinity) return Infinity;
    this.coverCost = cover;
    return sum + cover;
  }

  /**
   * Min sum rho_i y_i with sum C_i y_i >= need over cand[0..n) (all rho >= 0), solved as its
   * complement: the sites left closed are a 0-1 knapsack (profit rho_i, weight C_i, room the
   * candidates' capacity less `need`), given to the RatioKnapsack kernel (Martello-Toth
   * reduction, then depth-first search) from the better of its greedy solution and the last
   * cover. The depth-first search over the cover that it replaces took some 330 nodes per
   * call, each with a linear LP bound, at 50 x 100 ratio 3 (about a tenth of the CPU). Past
   * the node budget the LP bound is used (valid; its critical site is then fractional).
   */
  private cover(n: number, need: number): number {
    const { pr, rho, y, coverKs: ks, coverPrev } = this;
    const ids = this.coverOrder(n);
    let total = 0;
    let all = 0;
    for (let t = 0; t < n; t++) {
      total += this.effCap[ids[t]!]!;
      all += rho[ids[t]!]!;
    }
    if (total < need * (1 - 1e-12)) {
      this.coverPrice = Infinity;
      return Infinity;
    }
    const room = total - need + 1e-9 * Math.max(1, pr.totalDemand);
    const greedy = ks.load(ids, n, rho, this.effCap, room);
    this.coverLp = all - ks.dantzig(0, room);
    {
      let left = room;
      let t = 0;
      for (; t < n && this.effCap[ids[t]!]! <= left; t++) left -= this.effCap[ids[t]!]!;
      this.coverPrice = t < n ? this.coverRatio(ids[t]!) : 0;
    }
    const start = Math.max(greedy, this.coverWarm(n, ids, room, greedy));
    ks.nodes = 0;
    ks.search(room, start, KNAPSACK_NODE_BUDGET);
    const take = ks.take;
    // The sites not taken into the knapsack open.
    coverPrev.fill(0);
    if (ks.nodes <= KNAPSACK_NODE_BUDGET) {
      let cost = 0;
      for (let t = 0; t < n; t++) {
        if (take[t]) continue;
        const i = ids[t]!;
        y[i] = 1;
        coverPrev[i] = 1;
        cost += rho[i]!;
      }
      return cost;
    }
    // LP bound: the knapsack's LP closes the sites before its critical one; that one opens in part.
    let left = room;
    let t = 0;
    for (; t < n && this.effCap[ids[t]!]! <= left; t++) left -= this.effCap[ids[t]!]!;
    for (let k = t; k < n; k++) {
      y[ids[k]!] = 1;
      coverPrev[ids[k]!] = 1;
    }
    if (t < n) {
      const i = ids[t]!;
      const frac = 1 - left / this.effCap[i]!;
      if (frac < 1 - 1e-9) {
        y[i] = frac;
        this.fractionalSite = i;
      }
    }
    return Math.max(0, all - ks.dantzig(0, room));
  }

  /**
   * The candidates cand[0..n) by rho per unit of capacity, decreasing (ties by site), into
   * coverIds: an insertion sort from the last call's order, where the sites move little
   * between evaluations; the native sort past a shift budget.
   */
  private coverOrder(n: number): Int32Array {
    const { cand, coverIds: ids, coverKey: key, coverLast, coverStamp } = this;
    if (this.coverStampNow > 0x3ffffff0) {
      coverStamp.fill(0);
      this.coverStampNow = 2;
    }
    const mark = ++this.coverStampNow;
    for (let t = 0; t < n; t++) coverStamp[cand[t]!] = mark;
    let m = 0;
    for (let k = 0; k < this.coverLastLen; k++) {
      const i = coverLast[k]!;
      if (coverStamp[i] === mark) {
        ids[m++] = i;
        coverStamp[i] = mark - 1;
      }
    }
    for (let t = 0; t < n; t++) if (coverStamp[cand[t]!] === mark) ids[m++] = cand[t]!;
    for (let t = 0; t < n; t++) key[t] = this.coverRatio(ids[t]!);
    if (!insertionSortDescending(ids, key, n)) {
      const r = this.ratio;
      for (let t = 0; t < n; t++) r[ids[t]!] = this.coverRatio(ids[t]!);
      ids.subarray(0, n).sort((a, b) => r[b]! - r[a]! || a - b);
    }
    coverLast.set(ids.subarray(0, n));
    this.coverLastLen = n;
    return ids;
  }

  /**
   * The last cover re-priced as a knapsack start (its closed candidates taken, the cheapest
   * per unit dropped while it overflows, then completed greedily); when it beats the greedy
   * solution in coverKs.take it replaces it there. Returns its profit (-Infinity if not).
   */
  private coverWarm(n: number, ids: Int32Array, room: number, greedy: number): number {
    const { coverKs: ks, coverPrev, x } = this;
    const { weight } = ks;
    let left = room;
    for (let t = 0; t < n; t++) {
      x[t] = coverPrev[ids[t]!] ? 0 : 1;
      if (x[t]) left -= weight[t]!;
    }
    return ks.offerStart(x, left, greedy);
  }

  /**
   * Site i's knapsack profit bounded by min(sum of its positive profits, best ratio x its
   * room), read in one scan with no sort: when that leaves rho_i positive and the site out
   * of any cheaper cover (by the LP reduced cost of the last cover), the site is lpOnly on
   * it with an empty chosen list; else its knapsack (lazy, LP level).
   */
  private quickBound(i: number, v: Float64Array, node: SingleSourceFixing): number {
    const { C, pr } = this;
    const { c, d } = pr;
    const row = i * C;
    // The knapsack LP's dual at the price `price` per unit of room: sum (p_j - price d_j)+ + price room.
    const price = this.lastPrice[i]!;
    let total = 0;
    let zero = 0;
    let top = 0;
    let priced = 0;
    for (let w = 0, wb = i * this.words; w < this.words; w++) {
      for (let bits = this.itemBits[wb + w]!; bits !== 0; ) {
        const low = bits & -bits;
        bits ^= low;
        const j = (w << 5) + 31 - Math.clz32(low);
        if (node.assign[j]! >= 0 || node.banned[row + j]) continue;
        const p = v[j]! - c[row + j]!;
        if (!(p > 0)) continue;
        total += p;
        const reduced = p - price * d[j]!;
        if (reduced > 0) priced += reduced;
        if (d[j] === 0) zero += p;
        else if (p > top * d[j]!) top = p / d[j]!;
      }
    }
    const room = this.residual[i]!;
    const bound = room > 0 ? Math.min(total, zero + top * room, priced + price * room) : zero;
    const r = pr.f[i]! + this.fixedCost[i]! - bound;
    if (!(r > 0 && r - this.coverPrice * this.effCap[i]! >= this.coverCost - this.coverLp)) return this.knapsack(i, v, node, true);
    this.lpOnly[i] = 1;
    this.sumOnly[i] = 1;
    this.nChosen[i] = 0;
    this.zeroProfit[i] = zero;
    return bound;
  }

  /** Max sum (v_j - c_ij) x_ij over site i's free, allowed clients within its residual capacity; fills its chosen list. */
  private knapsack(i: number, v: Float64Array, node: SingleSourceFixing, lazy: boolean): number {
    this.lpOnly[i] = 0;
    this.sumOnly[i] = 0;
    const { C, pr, items, chosen, ks, pj, stamp } = this;
    const { c, d } = pr;
    const { assign, banned } = node;
    const fresh = this.nextStamp();
    const row = i * C;
    const base = row;
    let n = 0;
    let free = 0; // zero-weight items: always taken
    let freeValue = 0;
    let load = 0;
    let total = 0;
    for (let w = 0, wb = i * this.words; w < this.words; w++) {
      for (let bits = this.itemBits[wb + w]!; bits !== 0; ) {
        const low = bits & -bits;
        bits ^= low;
        const j = (w << 5) + 31 - Math.clz32(low);
        if (assign[j]! >= 0 || banned[row + j]) continue;
        const p = v[j]! - c[row + j]!;
        if (!(p > 0)) continue;
        if (d[j] === 0) {
          chosen[base + free++] = j;
          freeValue += p;
          continue;
        }
        items[n] = j;
        n++;
        pj[j] = p;
        stamp[j] = fresh;
        load += d[j]!;
        total += p;
      }
    }
    this.zeroProfit[i] = freeValue;
    const capI = this.residual[i]!;
    if (load <= capI) {
      for (let t = 0; t < n; t++) {
        chosen[base + free + t] = items[t]!;
        this.warm[base + t] = items[t]!;
      }
      this.nChosen[i] = free + n;
      this.warmLen[i] = n;
      return freeValue + total;
    }
    const W = Math.max(0, Math.floor(capI + 1e-9 * Math.max(1, capI)));
    const dp = this.integralDemand && n * (W + 1) <= DP_CELLS;
    // Items by profit per unit of weight, decreasing; the kernel's list, prefix sums and greedy start in one pass.
    const ids = this.sortItems(i, n, fresh);
    const greedy = ks.load(ids, n, pj, d, capI);
    const root = ks.dantzig(0, capI);
    this.lastPrice[i] = ks.criticalRatio(capI);
    // Lazy: the LP bound leaves rho_i positive, so the site is open only if the selection needs it (see evaluate).
    if (lazy && root > greedy * (1 + 1e-12) + 1e-12 && pr.f[i]! + this.fixedCost[i]! - freeValue - root > 0) {
      this.keepBest(i, free, n, ids, false);
      this.lpOnly[i] = 1;
      return freeValue + root;
    }
    let best = greedy;
    ks.nodes = 0;
    if (root > greedy * (1 + 1e-12) + 1e-12) best = ks.search(capI, Math.max(greedy, this.warmStart(i, n, capI, fresh, greedy)), this.knapsackNodes);
    // The search ran out of nodes on a small integral knapsack: dynamic programming solves it exactly.
    if (dp && ks.nodes > this.knapsackNodes) return freeValue + this.dpKnapsack(i, ids, n, W, v, free);
    const exact = ks.nodes <= this.knapsackNodes;
    this.keepBest(i, free, n, ids, exact);
    if (!exact) {
      this.approx = true;
      return freeValue + Math.max(best, root);
    }
    return freeValue + best;
  }

  /**
   * Site i's last exact solution re-priced at the current items (clients no longer items
   * dropped, then the lowest-ratio ones while it overflows, then completed greedily): when it
   * beats the greedy solution in ks.take, it replaces it there. Returns the start's profit.
   */
  private warmStart(i: number, n: number, capI: number, fresh: number, greedy: number): number {
    const { itemAt, stamp, x, warm, ks } = this;
    const { weight } = ks;
    x.fill(0, 0, n);
    let room = capI;
    const base = i * this.C;
    for (let k = base, end = base + this.warmLen[i]!; k < end; k++) {
      // A client whose stamp is this sort's (fresh, or fresh + 1) is a current item, at itemAt.
      const j = warm[k]!;
      if (stamp[j]! < fresh) continue;
      const t = itemAt[j]!;
      if (!x[t]) {
        x[t] = 1;
        room -= weight[t]!;
      }
    }
    return ks.offerStart(x, room, greedy);
  }

  /**
   * Site i's chosen list: its `free` zero-demand clients, then the items ks.take takes (ids in
   * ratio order); when `exact`, those items are also the site's next warm start.
   */
  private keepBest(i: number, free: number, n: number, ids: Int32Array, exact: boolean): void {
    const { chosen, warm } = this;
    const take = this.ks.take;
    const base = i * this.C;
    let k = free;
    if (exact) {
      for (let t = 0; t < n; t++) {
        if (!take[t]) continue;
        const j = ids[t]!;
        warm[base + k - free] = j;
        chosen[base + k++] = j;
      }
      this.warmLen[i] = k - free;
    } else for (let t = 0; t < n; t++) if (take[t]) chosen[base + k++] = ids[t]!;
    this.nChosen[i] = k;
  }

  /**
   * Exact 0-1 knapsack of site i over its n items (in `items`, ratio order) with integral weights in
   * capacity W: best[w] = the most profit within weight w, item by item, with each take
   * decision kept for the reconstruction. Fills site i's chosen list after its `free`
   * zero-demand clients; returns the profit of the items.
   */
  private dpKnapsack(i: number, items: Int32Array, n: number, W: number, v: Float64Array, free: number): number {
    const { C, pr, chosen } = this;
    const { c, d } = pr;
    const row = i * C;
    const width = W + 1;
    if (this.dpBest.length < width) this.dpBest = new Float64Array(Math.max(width, 2 * this.dpBest.length));
    if (this.dpTake.length < n * width) this.dpTake = new Uint8Array(Math.max(n * width, 2 * this.dpTake.length));
    const best = this.dpBest;
    const take = this.dpTake;
    best.fill(0, 0, width);
    let reach = 0; // total weight of the items so far: capacities above it hold best[reach]
    for (let t = 0; t < n; t++) {
      const j = items[t]!;
      const w = d[j]!;
      const p = v[j]! - c[row + j]!;
      const off = t * width;
      const top = Math.min(W, reach + w);
      // Capacities above `top` (all items so far plus this one fit) take it too.
      for (let cap = W; cap > top; cap--) {
        best[cap] = best[cap]! + p;
        take[off + cap] = 1;
      }
      for (let cap = top; cap >= w; cap--) {
        const cand = best[cap - w]! + p;
        if (cand > best[cap]!) {
          best[cap] = cand;
          take[off + cap] = 1;
        } else take[off + cap] = 0;
      }
      take.fill(0, off, off + Math.min(w, width));
      reach = top;
    }
    const base = i * C;
    let k = free;
    let cap = W;
    for (let t = n - 1; t >= 0; t--) {
      if (!take[t * width + cap]) continue;
      const j = items[t]!;
      chosen[base + k++] = j;
      cap -= d[j]!;
    }
    this.nChosen[i] = k;
    return best[W]!;
  }

  /**
   * Reduced-cost fixing of pairs after an evaluation with bound L (exact per site: the rest of
   * the relaxation does not depend on site i's knapsack once y_i is decided). Forcing client
   * j into site i's knapsack gives at most p_ij + the Dantzig bound of the other items in the
   * capacity left, so L rises by at least the knapsack's loss: when that reaches `limit` the
   * pair is banned; to that the ban adds what taking j out of the selected sites that serve
   * it costs (clientOutPenalties: j at i is j at none of them). Symmetrically, when leaving j
   * out of a knapsack that took it lifts L to `limit`, j is fixed to i. `nb` rounds a bound
   * up to the objective granule. Returns the number of fixings made (they apply to `node`).
   */
  fixPairs(v: Float64Array, node: SingleSourceFixing, L: number, limit: number, nb: (x: number) => number): number {
    const { S, C, pr, rho, y, chosen, ks } = this;
    this.updateLists(v);
    this.prepareSiteBounds();
    const { c, d } = pr;
    const mark = this.x;
    // Each client's place in the current site's item order (-1: not an item).
    const position = this.position;
    let fixings = 0;
    const outPen = this.clientOutPenalties(v, node);
    for (let i = 0; i < S; i++) {
      const yi = y[i]!;
      if (rho[i] === Infinity || (yi > 0 && yi < 1)) continue;
      const row = i * C;
      const n = this.loadSiteItems(i, v, node);
      const ids = this.siteIds;
      mark.fill(0, 0, C);
      // An unselected site tests its chosen clients too: the penalties elsewhere (outPen) may ban them.
      if (yi === 1) for (let k = 0; k < this.nChosen[i]!; k++) mark[chosen[row + k]!] = 1;
      // f_i + the cost of its fixed clients (rho_i = that - the knapsack profit).
      const fixedPart = rho[i]! + this.lastProfit[i]!;
      const room = this.residual[i]!;
      for (let j = 0; j < C; j++) {
        if (node.assign[j]! >= 0 || node.banned[row + j] || c[row + j] === Infinity) continue;
        if (!mark[j]) {
          if (d[j]! > room + 1e-9) {
            node.banned[row + j] = 1;
            fixings++;
            continue;
          }
          // rho_i with j forced in is fixedPart - kz - (the best of the other items in room - d_j): first their Dantzig bound, then, where their greedy would fix, their exact knapsack.
          const kz = fixedPart - this.zeroProfit[i]! - (v[j]! - c[row + j]!);
          const roomJ = room - d[j]!;
          const Lj = L + outPen[j]!;
          if (nb(this.openedValue(Lj, i, kz - ks.dantzig(0, roomJ, position[j]!))) >= limit || (nb(this.openedValue(Lj, i, kz - this.loadWithout(ids, n, j, roomJ))) >= limit && nb(this.openedValue(Lj, i, kz - this.searchWithout(roomJ))) >= limit)) {
            node.banned[row + j] = 1;
            fixings++;
          }
        } else if (yi === 1 && d[j]! > 0) {
          // Likewise with j left out: the site keeps the rest of its items, or closes.
          const kz = L - rho[i]! + fixedPart - this.zeroProfit[i]!;
          const closed = this.closedValue(L, i);
          if (nb(Math.min(kz - ks.dantzig(0, room, position[j]!), closed)) >= limit || (nb(Math.min(kz - this.loadWithout(ids, n, j, room), closed)) >= limit && nb(Math.min(kz - this.searchWithout(room), closed)) >= limit)) {
            node.assign[j] = i;
            fixings++;
          }
        }
      }
      for (let t = 0; t < n; t++) position[ids[t]!] = -1;
    }
    return fixings;
  }

  /**
   * Loads site i's free items at multipliers v (clients not fixed, not banned, with demand and
   * a positive profit v_j - c_ij; zero-demand items are always taken: a constant) in ratio
   * order into the kernel `ks`, for the fixing tests of fixPairs and clientOutPenalties.
   * Returns how many; their order is `siteIds`, each client's place in it `position` (the
   * caller resets those entries to -1 when done).
   */
  private loadSiteItems(i: number, v: Float64Array, node: SingleSourceFixing): number {
    const { C, pr, items, ks, pj, stamp, position } = this;
    const { c, d } = pr;
    const { assign, banned } = node;
    const row = i * C;
    let n = 0;
    const fresh = this.nextStamp();
    for (let w = 0, wb = i * this.words; w < this.words; w++) {
      for (let bits = this.itemBits[wb + w]!; bits !== 0; ) {
        const low = bits & -bits;
        bits ^= low;
        const j = (w << 5) + 31 - Math.clz32(low);
        if (assign[j]! >= 0 || banned[row + j] || d[j] === 0) continue;
        const p = v[j]! - c[row + j]!;
        if (!(p > 0)) continue;
        items[n++] = j;
        pj[j] = p;
        stamp[j] = fresh;
      }
    }
    const ids = this.sortItems(i, n, fresh);
    for (let t = 0; t < n; t++) position[ids[t]!] = t;
    ks.load(ids, n, pj, d, 0);
    this.siteIds = ids;
    return n;
  }

  /**
   * Per free client j, a lower bound on what L rises by when j is taken out of every selected
   * site that serves it (outPen[j]): the ban tests add it, since client j at another site
   * leaves those sites' knapsacks. A site open by its own sign (rho_k < 0) either keeps the
   * rest of its items (its profit falls by at least delta = its profit less the Dantzig bound
   * without j) or closes (L rises by -rho_k at least: the cover then has more to cover, at
   * rho no lower); a site forced open pays delta; a site the cover took counts nothing (the
   * site tests re-solve the cover around one site only). The sites' changes add up: the
   * selection splits into the sites of rho < 0, each at min(rho'_k, 0) or above, the forced
   * ones, and the cover of what they leave, which needs at least as much as before.
   */
  private clientOutPenalties(v: Float64Array, node: SingleSourceFixing): Float64Array {
    const { S, C, pr, rho, y, chosen, ks, outPen, forcedOpen } = this;
    const { d } = pr;
    const position = this.position;
    outPen.fill(0);
    for (let i = 0; i < S; i++) {
      if (y[i] !== 1 || (!forcedOpen[i] && !(rho[i]! < 0)) || this.lpOnly[i]) continue;
      const row = i * C;
      const n = this.loadSiteItems(i, v, node);
      const ids = this.siteIds;
      const profit = this.lastProfit[i]! - this.zeroProfit[i]!;
      const cap = forcedOpen[i] ? Infinity : -rho[i]!;
      const room = this.residual[i]!;
      for (let k = 0; k < this.nChosen[i]!; k++) {
        const j = chosen[row + k]!;
        if (d[j] === 0 || position[j]! < 0) continue;
        // The Dantzig bound without j, then, where the greedy of the others leaves room for more, their exact knapsack.
        let delta = profit - ks.dantzig(0, room, position[j]!);
        if (delta < cap && profit - this.loadWithout(ids, n, j, room) > Math.max(0, delta) + 1e-9) delta = Math.max(delta, profit - this.searchWithout(room));
        if (delta > 0) outPen[j]! += Math.min(delta, cap);
      }
      for (let t = 0; t < n; t++) position[ids[t]!] = -1;
    }
    return outPen;
  }

  /** A cover candidate's price per unit of what it can serve (the cover knapsack's ratio). */
  private coverRatio(i: number): number {
    return this.rho[i]! / Math.max(1e-300, this.effCap[i]!);
  }

  /** Loads ids[0..n) but client j into the second kernel (greedy start in room); returns the greedy profit. */
  private loadWithout(ids: Int32Array, n: number, j: number, room: number): number {
    return (this.withoutGreedy = this.withoutKs.load(ids, n, this.pj, this.pr.d, room, j));
  }

  /** The exact knapsack of the list loadWithout left (an upper bound, its Dantzig bound, past the node budget). */
  private searchWithout(room: number): number {
    const ks = this.withoutKs;
    const best = ks.search(room, this.withoutGreedy, this.knapsackNodes);
    return ks.nodes > this.knapsackNodes ? Math.max(best, ks.dantzig(0, room)) : best;
  }

  /**
   * Per site, the 0-1 cover of the other candidates were it opened (openCover) or closed
   * (closeCover), for openedValue / closedValue. Call after evaluate.
   */
  prepareSiteBounds(): void {
    if (this.boundsReady) return;
    this.boundsReady = true;
    const { cand, coverAsc, rho, y, forcedOpen, openCover, closeCover } = this;
    const n = this.candLen;
    for (let t = 0; t < n; t++) coverAsc[t] = cand[t]!;
    coverAsc.subarray(0, n).sort((a, b) => this.coverRatio(b) - this.coverRatio(a) || a - b);
    const need = this.coverNeed;
    for (let i = 0; i < this.S; i++) {
      if (forcedOpen[i] || rho[i] === Infinity) continue;
      if (rho[i]! < 0) {
        closeCover[i] = this.coverExact(-1, need + this.effCap[i]!);
        continue;
      }
      // A selected site: the cover with it is optimal, so the rest costs coverCost - rho_i; an unselected one leaves the cover as it is.
      openCover[i] = y[i] === 1 ? this.coverCost - rho[i]! : this.coverExact(i, need - this.effCap[i]!);
      closeCover[i] = y[i]! > 0 ? this.coverExact(i, need) : this.coverCost;
    }
  }

  /** The least 0-1 cover of `need` by the last cover's candidates but `skip` (its LP past the node budget), Infinity when they cannot. */
  private coverExact(skip: number, need: number): number {
    const { coverAsc, coverTmp: ids, rho, pr, coverKs: ks } = this;
    if (need <= 1e-9 * Math.max(1, pr.totalDemand)) return 0;
    let n = 0;
    let total = 0;
    let all = 0;
    for (let t = 0; t < this.candLen; t++) {
      const i = coverAsc[t]!;
      if (i === skip) continue;
      ids[n++] = i;
      total += this.effCap[i]!;
      all += rho[i]!;
    }
    if (total < need * (1 - 1e-12)) return Infinity;
    const room = total - need + 1e-9 * Math.max(1, pr.totalDemand);
    const greedy = ks.load(ids, n, rho, this.effCap, room);
    const best = ks.search(room, greedy, KNAPSACK_NODE_BUDGET);
    return Math.max(0, all - (ks.nodes > KNAPSACK_NODE_BUDGET ? ks.dantzig(0, room) : best));
  }

  /**
   * A lower bound on the last evaluation's L (value L) were site i open with rho r: the other
   * sites' part stays, the cover over the others takes the rest (after prepareSiteBounds).
   */
  openedValue(L: number, i: number, r: number): number {
    if (this.forcedOpen[i] || this.rho[i]! < 0) return L - this.rho[i]! + r;
    return L - this.coverCost + r + this.openCover[i]!;
  }

  /**
   * A lower bound on that L were site i closed: its rho < 0 gone, and the cover over the others
   * taking up its capacity, which costs at least coverCost (fewer sites, more to cover).
   */
  closedValue(L: number, i: number): number {
    const { rho, forcedOpen } = this;
    if (forcedOpen[i]) return Infinity;
    if (rho[i] === Infinity) return L;
    const more = Math.max(0, this.closeCover[i]! - this.coverCost);
    return rho[i]! < 0 ? L - rho[i]! + more : L + more;
  }

  /** A new mark for sortItems; the scan that fills items[0..n) sets stamp[j] to it for each item. */
  private nextStamp(): number {
    if (this.stampNow > 0x3ffffff0) {
      this.stamp.fill(0);
      this.stampNow = 0;
    }
    return (this.stampNow += 2);
  }

  /**
   * Sorts items[0..n) of site i by ratio decreasing (ties by client) into the returned buffer (its first n).
   * The sort starts from the site's order of its last sort (kept per site): between two
   * evaluations the multipliers move a little, so the list is nearly sorted and an insertion
   * sort finishes in about linear time, where a fresh sort of each site's items took a fifth
   * of an evaluation at 50 x 100. Past a shift budget the native sort finishes the job.
   */
  private sortItems(i: number, n: number, fresh: number): Int32Array {
    const { C, items, ratio, order, orderLen, stamp, sortBuf, sortKey, pj, itemAt } = this;
    const { d } = this.pr;
    // The items of the last order first (still in that order), then the new ones; the key is the ratio p_j / d_j.
    const base = i * C;
    let m = 0;
    for (let k = base, end = base + orderLen[i]!; k < end; k++) {
      const j = order[k]!;
      if (stamp[j] === fresh) {
        sortBuf[m] = j;
        sortKey[m++] = pj[j]! / d[j]!;
        stamp[j] = fresh + 1;
      }
    }
    for (let t = 0; t < n; t++) {
      const j = items[t]!;
      if (stamp[j] === fresh) {
        sortBuf[m] = j;
        sortKey[m++] = pj[j]! / d[j]!;
      }
    }
    if (!insertionSortDescending(sortBuf, sortKey, n)) {
      const ids = sortBuf.subarray(0, n);
      for (let t = 0; t < n; t++) ratio[ids[t]!] = pj[ids[t]!]! / d[ids[t]!]!;
      ids.sort((a, b) => ratio[b]! - ratio[a]! || a - b);
    }
    for (let t = 0; t < n; t++) {
      const j = sortBuf[t]!;
      order[base + t] = j;
      itemAt[j] = t;
    }
    orderLen[i] = n;
    return sortBuf;
  }
}
