import '@emplace/emplace';
import { createGame, createGraph, createMarket, listSolvers, solve, type Result, type Sense } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import { createSteinerProblem } from '@emplace/steiner';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { envelopeProblems, isDeliberate } from './envelope.js';
import { seeded, type Rand } from './instances.js';
import { expectNoFailures } from './known-defects.js';
import { recordFailures } from './tally.js';
import { better, forEachAssignment, forEachSubset, popcount, truthOf, truthProblems, type Truth } from './truth.js';

/**
 * Statuses against the truth on random small instances of the network and mechanism families:
 * mst (Kruskal written here), maxflow (every s-t cut enumerated), steiner (every set of Steiner
 * nodes, spanning tree of what it induces), mincostflow (an LP written here, HiGHS), shapley
 * (the permutation formula), vcg (every set of winning bids).
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 13);
const INSTANCES = Number(process.env['FUZZ_STATUS_RUNS'] ?? 12);

type Edge = [number, number, number];

function randomGraphEdges(r: Rand, n: number, connected: boolean): Edge[] {
  const edges: Edge[] = [];
  for (let v = 1; v < n; v++) if (connected || r.chance(0.7)) edges.push([r.int(0, v - 1), v, r.int(1, 20)]);
  for (let e = r.int(0, n); e > 0; e--) {
    const u = r.int(0, n - 1);
    const v = r.int(0, n - 1);
    if (u !== v) edges.push([u, v, r.int(1, 20)]);
  }
  return edges;
}

/** Minimum spanning forest weight by Kruskal over `nodes` (bitmask) of the edge list; undefined when `connected` and the nodes are not. */
function spanningWeight(n: number, edges: readonly Edge[], nodes: number, connected: boolean): number | undefined {
  const parent = Array.from({ length: n }, (_, v) => v);
  const find = (v: number): number => (parent[v] === v ? v : (parent[v] = find(parent[v]!)));
  let total = 0;
  let joined = 0;
  for (const [u, v, w] of [...edges].sort((a, b) => a[2] - b[2])) {
    if (!((nodes >> u) & 1) || !((nodes >> v) & 1)) continue;
    const a = find(u);
    const b = find(v);
    if (a === b) continue;
    parent[a] = b;
    total += w;
    joined++;
  }
  return connected && joined !== popcount(nodes) - 1 ? undefined : total;
}

interface Case {
  model: { kind: string };
  options: Record<string, unknown>;
  sense: Sense;
  truth: () => Truth | Promise<Truth>;
  /** Checks of the solution beyond the objective (Shapley values). */
  extra?: (result: Result<unknown>) => string[];
  describe: string;
}

const BUILDERS: Record<string, (r: Rand) => Case> = {
  mst: (r) => {
    const n = r.int(2, 7);
    const edges = randomGraphEdges(r, n, false);
    return { model: createGraph({ n, edges }), options: {}, sense: 'min', truth: () => truthOf(spanningWeight(n, edges, (1 << n) - 1, false)), describe: JSON.stringify({ n, edges }) };
  },
  maxflow: (r) => {
    const n = r.int(2, 7);
    const edges = randomGraphEdges(r, n, r.chance(0.8));
    const source = 0;
    const sink = n - 1;
    const truth = (): Truth => {
      let best: number | undefined;
      forEachSubset(n, (side) => {
        if (!((side >> source) & 1) || (side >> sink) & 1) return;
        let cut = 0;
        for (const [u, v, w] of edges) if (((side >> u) & 1) !== ((side >> v) & 1)) cut += w;
        if (better('min', cut, best)) best = cut;
      });
      return truthOf(best);
    };
    return { model: createGraph({ n, edges }), options: { source: String(source), sink: String(sink) }, sense: 'max', truth, describe: JSON.stringify({ n, edges }) };
  },
  steiner: (r) => {
    const n = r.int(3, 8);
    const edges = randomGraphEdges(r, n, r.chance(0.85));
    const t = r.int(2, Math.min(4, n));
    const terminals = Array.from({ length: t }, (_, i) => i);
    const truth = (): Truth => {
      let best: number | undefined;
      const termMask = (1 << t) - 1;
      forEachSubset(n - t, (extra) => {
        const w = spanningWeight(n, edges, termMask | (extra << t), true);
        if (w !== undefined && better('min', w, best)) best = w;
      });
      return truthOf(best);
    };
    return { model: createSteinerProblem(createGraph({ n, edges }), terminals), options: {}, sense: 'min', truth, describe: JSON.stringify({ n, edges, terminals }) };
  },
  mincostflow: (r) => {
    const n = r.int(2, 5);
    const arcs = Array.from({ length: r.int(1, 8) }, () => [r.int(0, n - 1), r.int(0, n - 1), r.int(1, 10), r.int(-3, 9)] as const).filter(([u, v]) => u !== v);
    const supply = new Array<number>(n).fill(0);
    for (let k = r.int(1, 2); k > 0; k--) {
      const amount = r.int(1, 6);
      supply[r.int(0, n - 1)]! += amount;
      supply[r.int(0, n - 1)]! -= amount;
    }
    const network = {
      kind: 'flow-network' as const,
      n,
      m: arcs.length,
      ids: Array.from({ length: n }, (_, v) => String(v + 1)),
      tail: Int32Array.from(arcs, (a) => a[0]),
      head: Int32Array.from(arcs, (a) => a[1]),
      lower: new Float64Array(arcs.length),
      capacity: Float64Array.from(arcs, (a) => a[2]),
      cost: Float64Array.from(arcs, (a) => a[3]),
      supply: Float64Array.from(supply),
    };
    const truth = async (): Promise<Truth> => {
      const lp = new LinearModel('min');
      const x = arcs.map(([, , cap, cost]) => lp.addVariable({ ub: cap, obj: cost }));
      for (let v = 0; v < n; v++) {
        const idx: number[] = [];
        const coef: number[] = [];
        arcs.forEach(([u, w], a) => {
          if (u === v) idx.push(x[a]!), coef.push(1);
          if (w === v) idx.push(x[a]!), coef.push(-1);
        });
        if (idx.length === 0) {
          if (supply[v] !== 0) return { feasible: false };
          continue;
        }
        lp.addEq(idx, coef, supply[v]!);
      }
      const res = await solveLp(lp);
      if (res.status === 'infeasible') return { feasible: false };
      if (res.status !== 'optimal' || res.objective === undefined) throw new Error(`reference LP ${res.status}`);
      return { feasible: true, value: res.objective };
    };
    return { model: network, options: {}, sense: 'min', truth, describe: JSON.stringify({ n, arcs, supply }) };
  },
  shapley: (r) => {
    const n = r.int(2, 5);
    const table = Array.from({ length: 1 << n }, (_, m) => (m === 0 ? 0 : r.int(-5, 30)));
    const shapley = new Array<number>(n).fill(0);
    const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
    forEachSubset(n, (s) => {
      const size = popcount(s);
      for (let i = 0; i < n; i++) if (!((s >> i) & 1)) shapley[i]! += ((fact(size) * fact(n - size - 1)) / fact(n)) * (table[s | (1 << i)]! - table[s]!);
    });
    const extra = (result: Result<unknown>): string[] => {
      const values = (result.solution as { values?: ArrayLike<number> } | undefined)?.values;
      if (values === undefined) return result.status === 'optimal' || result.status === 'feasible' ? ['no solution.values'] : [];
      const bad = shapley.map((v, i) => [v, values[i]!] as const).filter(([v, got]) => Math.abs(v - got) > 1e-6 * (1 + Math.abs(v)));
      return result.status === 'optimal' && bad.length > 0 ? [`Shapley values ${Array.from(values).join(',')} but exact ${shapley.join(',')}`] : [];
    };
    // Shapley's objective is v(N) (efficiency); the check is on the values.
    return { model: createGame({ players: n, value: { table } }), options: {}, sense: 'max', truth: () => ({ feasible: true, value: table[(1 << n) - 1]! }), extra, describe: JSON.stringify({ table }) };
  },
  vcg: (r) => {
    const items = Array.from({ length: r.int(1, 3) }, (_, i) => `i${i}`);
    const bidders = Array.from({ length: r.int(1, 3) }, (_, i) => `b${i}`);
    const bids = Array.from({ length: r.int(1, 6) }, () => {
      const bundle = items.filter(() => r.chance(0.5));
      return { bidder: r.pick(bidders), items: bundle.length > 0 ? bundle : [items[0]!], amount: r.int(0, 30) };
    });
    const truth = (): Truth => {
      let best = 0;
      forEachAssignment(bids.length, 2, (take) => {
        const used = new Set<string>();
        const winners = new Set<string>();
        let welfare = 0;
        for (let b = 0; b < bids.length; b++) {
          if (take[b] !== 1) continue;
          const bid = bids[b]!;
          if (winners.has(bid.bidder) || bid.items.some((it) => used.has(it))) return; // XOR bids, one unit per item
          winners.add(bid.bidder);
          for (const it of bid.items) used.add(it);
          welfare += bid.amount;
        }
        best = Math.max(best, welfare);
      });
      return { feasible: true, value: best };
    };
    return { model: createMarket({ items, bids }), options: {}, sense: 'max', truth, describe: JSON.stringify({ items, bids }) };
  },
};

/** Methods whose objective is not the family's optimum (estimates, other concepts) are checked for envelope soundness only. */
const ENVELOPE_ONLY = new Set(['shapley:sampling', 'shapley:antithetic', 'shapley:stratified', 'shapley:weighted-voting', 'shapley:airport']);

describe.each(Object.keys(BUILDERS).map((f) => [f] as const))('statuses against enumeration: %s', (family) => {
  const methods = listSolvers(family).map((e) => e.method);
  it.each(methods)(`${family}:%s`, async (method) => {
    const failures: string[] = [];
    const name = `${family}:${method}`;
    for (const seed of fc.sample(fc.nat(1e6), { seed: SEED, numRuns: INSTANCES })) {
      const c = BUILDERS[family]!(seeded(seed));
      let result: Result<unknown>;
      try {
        result = await solve(c.model, { ...c.options, method: name, timeLimitMs: 5000, seed: 1 });
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`seed ${seed}: threw ${String(err)}\n  instance ${c.describe}`);
        continue;
      }
      const problems = [...envelopeProblems(result)];
      if (!ENVELOPE_ONLY.has(name)) problems.push(...truthProblems(result, await c.truth(), c.sense), ...(c.extra?.(result) ?? []));
      if (problems.length > 0) failures.push(`seed ${seed}: ${result.status} ${result.objective} bound ${result.bound} (${result.stoppedBy}): ${problems.join('; ')}\n  instance ${c.describe}`);
    }
    recordFailures(`status ${name}`, failures);
    expectNoFailures(`status ${name}`, failures);
  });
});
