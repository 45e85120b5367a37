/**
 * Max-flow (Dinic) on the bipartite transportation network of capacitated k-center:
 * source -> open site (capacity) -> client (within the radius) -> sink (demand). Small
 * and self-contained because it runs inside a radius search, many times per solve.
 */
export class BipartiteFlow {
  private head: Int32Array;
  private next: Int32Array;
  private to: Int32Array;
  private cap: Float64Array;
  private nEdges = 0;
  private readonly level: Int32Array;
  private readonly iter: Int32Array;
  private readonly queue: Int32Array;
  readonly nNodes: number;

  constructor(nNodes: number, edgeHint: number) {
    this.nNodes = nNodes;
    this.head = new Int32Array(nNodes).fill(-1);
    this.next = new Int32Array(2 * edgeHint);
    this.to = new Int32Array(2 * edgeHint);
    this.cap = new Float64Array(2 * edgeHint);
    this.level = new Int32Array(nNodes);
    this.iter = new Int32Array(nNodes);
    this.queue = new Int32Array(nNodes);
  }

  /** Adds u -> v with capacity c; returns the edge index (its reverse is index ^ 1). */
  addEdge(u: number, v: number, c: number): number {
    if (this.nEdges + 2 > this.to.length) this.grow();
    const e = this.nEdges;
    this.to[e] = v; this.cap[e] = c; this.next[e] = this.head[u]!; this.head[u] = e;
    this.to[e + 1] = u; this.cap[e + 1] = 0; this.next[e + 1] = this.head[v]!; this.head[v] = e + 1;
    this.nEdges += 2;
    return e;
  }

  /** Flow currently on edge e (the residual of its reverse). */
  flowOn(e: number): number {
    return this.cap[e ^ 1]!;
  }

  maxFlow(s: number, t: number): number {
    let total = 0;
    const eps = 1e-12;
    while (this.bfs(s, t, eps)) {
      this.iter.set(this.head);
      for (;;) {
        const f = this.dfs(s, t, Infinity, eps);
        if (f <= eps) break;
        total += f;
      }
    }
    return total;
  }

  private bfs(s: number, t: number, eps: number): boolean {
    this.level.fill(-1);
    let qh = 0, qt = 0;
    this.queue[qt++] = s;
    this.level[s] = 0;
    while (qh < qt) {
      const u = this.queue[qh++]!;
      for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
        const v = this.to[e]!;
        if (this.cap[e]! > eps && this.level[v] === -1) {
          this.level[v] = this.level[u]! + 1;
          this.queue[qt++] = v;
        }
      }
    }
    return this.level[t] !== -1;
  }

  // Recursion depth is at most 3 in the bipartite network (source, site, client, sink).
  private dfs(u: number, t: number, f: number, eps: number): number {
    if (u === t) return f;
    for (let e = this.iter[u]!; e !== -1; e = this.next[e]!) {
      this.iter[u] = e;
      const v = this.to[e]!;
      if (this.cap[e]! > eps && this.level[v] === this.level[u]! + 1) {
        const pushed = this.dfs(v, t, Math.min(f, this.cap[e]!), eps);
        if (pushed > eps) {
          this.cap[e]! -= pushed;
          this.cap[e ^ 1]! += pushed;
          return pushed;
        }
      }
    }
    this.iter[u] = -1;
    return 0;
  }

  private grow(): void {
    const n = this.to.length * 2 + 16;
    const next = new Int32Array(n); next.set(this.next); this.next = next;
    const to = new Int32Array(n); to.set(this.to); this.to = to;
    const cap = new Float64Array(n); cap.set(this.cap); this.cap = cap;
  }
}
