import type { FacilityProblem } from './problem.js';

/**
 * The 0-1 table of a two-site split of single-source clients (demands integral): over items
 * t < n of integer weight[t] (the client's demand) and cost delta[t] (serving it at site a
 * instead of site b), dp[w] = least sum of delta over the item sets of weight exactly w
 * (w <= W), and taken(t, W, w) whether item t is in the set of weight w of items <= t (the
 * trace back goes from the last item down). Shared by the pair exchange (the best split of
 * two sites' clients) and the capacity repair (the split that passes excess on); the
 * buffers grow on demand and are reused.
 */
export class SplitTable {
  /** The free clients of the last gather (items t < n). */
  readonly clients: Int32Array;
  readonly delta: Float64Array;
  readonly weight: Int32Array;
  dp = new Float64Array(1024);
  private take = new Uint8Array(1024);
  /** The last gather: free clients, the pair's current cost, the cost with every free client at b, the demand that must stay at a, the pair's total demand. */
  n = 0;
  current = 0;
  base = 0;
  forcedA = 0;
  total = 0;

  constructor(nClients: number) {
    this.clients = new Int32Array(nClients);
    this.delta = new Float64Array(nClients);
    this.weight = new Int32Array(nClients);
  }

  /**
   * The clients assigned to sites a or b as items: a client that only one of them may serve
   * stays there (its cost in `base`, at a also in `forcedA`); the others become items with
   * delta = c_aj - c_bj, their cost at b in `base`. Fills n, current, base, forcedA, total.
   */
  gather(pr: FacilityProblem, assign: Int32Array, a: number, b: number): void {
    const { nClients: C, c, d } = pr;
    const { clients, delta, weight } = this;
    let n = 0;
    let current = 0;
    let base = 0;
    let forcedA = 0;
    let total = 0;
    for (let j = 0; j < C; j++) {
      const s = assign[j]!;
      if (s !== a && s !== b) continue;
      const ca = c[a * C + j]!;
      const cb = c[b * C + j]!;
      current += s === a ? ca : cb;
      total += d[j]!;
      if (ca === Infinity) {
        base += cb;
        continue;
      }
      if (cb === Infinity) {
        base += ca;
        forcedA += d[j]!;
        continue;
      }
      clients[n] = j;
      delta[n] = ca - cb;
      weight[n] = d[j]!;
      base += cb;
      n++;
    }
    this.n = n;
    this.current = current;
    this.base = base;
    this.forcedA = forcedA;
    this.total = total;
  }

  /** Fills dp[0..W] over the first n items (and the take flags of the trace back). */
  fill(n: number, W: number): void {
    const { weight, delta } = this;
    if (this.dp.length < W + 1) this.dp = new Float64Array(2 * (W + 1));
    if (this.take.length < n * (W + 1)) this.take = new Uint8Array(2 * n * (W + 1));
    const { dp, take } = this;
    dp.fill(Infinity, 0, W + 1);
    dp[0] = 0;
    take.fill(0, 0, n * (W + 1));
    let reach = 0;
    for (let t = 0; t < n; t++) {
      const wt = weight[t]!;
      const dt = delta[t]!;
      const row = t * (W + 1);
      reach = Math.min(W, reach + wt);
      for (let w = reach; w >= wt; w--) {
        const v = dp[w - wt]! + dt;
        if (v < dp[w]!) {
          dp[w] = v;
          take[row + w] = 1;
        }
      }
    }
  }

  /** Item t is in the best set of weight w (after fill(n, W), tracing back from item n - 1 with w reduced by the items taken). */
  taken(t: number, W: number, w: number): boolean {
    return w >= this.weight[t]! && this.take[t * (W + 1) + w] === 1;
  }
}
