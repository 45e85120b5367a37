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
  readonly delta: Float64Array;
  readonly weight: Int32Array;
  dp = new Float64Array(1024);
  private take = new Uint8Array(1024);

  constructor(nClients: number) {
    this.delta = new Float64Array(nClients);
    this.weight = new Int32Array(nClients);
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
