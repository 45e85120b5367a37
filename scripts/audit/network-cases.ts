/**
 * Edge-case graph and flow-network instances for the status audit (statuses.ts), with truths
 * computed here independently of the solver packages: minimum cuts by enumerating node
 * subsets, spanning forests by a Kruskal written here, Steiner trees by enumerating Steiner
 * node subsets, lambda2 by a Jacobi eigensolver, min-cost flows by an LP through HiGHS.
 * Edge cases: one node, no edges, disconnected graphs, parallel edges, weight 0, magnitudes
 * 1e15 and 1e-12 (alone and mixed with 1), source = sink, terminals in different components,
 * zero supply, supply without a path (infeasible).
 */
import { createGraph, type Graph, type Result } from '../../packages/core/src/index.ts';
import { createFlowNetwork, createMcfProblem } from '../../packages/flows/src/index.ts';
import { LinearModel, solveLp } from '../../packages/lp/src/index.ts';
import { createSteinerProblem } from '../../packages/steiner/src/index.ts';
import { better, forEachSubset, truthOf, type Truth } from '../../packages/emplace/test/fuzz/truth.ts';
import type { Rand } from '../../packages/emplace/test/fuzz/instances.ts';
import { jacobiEigenvalues } from '../../packages/emplace/test/fuzz/jacobi.ts';
import type { AuditCase, CaseBuilder } from './cases.ts';

type Edge = [number, number, number];

const WEIGHTS: ((r: Rand) => number)[] = [
  (r) => r.int(1, 20),
  (r) => r.int(0, 3),
  (r) => r.int(1, 20) * 1e15,
  (r) => r.int(1, 20) * 1e-12,
  (r) => (r.chance(0.5) ? 1e15 : r.int(1, 9)),
  (r) => (r.chance(0.5) ? 1e-12 : r.int(1, 9)),
];

function randomGraphEdges(r: Rand): { n: number; edges: Edge[] } {
  const n = r.chance(0.1) ? 1 : r.int(2, 7);
  const w = r.pick(WEIGHTS);
  const connected = r.chance(0.7);
  const edges: Edge[] = [];
  if (connected) for (let v = 1; v < n; v++) edges.push([r.int(0, v - 1), v, w(r)]);
  const extra = r.int(0, n + 1);
  for (let e = 0; e < extra && n > 1; e++) {
    const u = r.int(0, n - 1);
    const v = r.int(0, n - 1);
    if (u !== v) edges.push([u, v, w(r)]);
  }
  return { n, edges };
}

const describeEdges = (n: number, edges: Edge[]): string => JSON.stringify({ n, edges });

function kruskal(n: number, edges: Edge[]): number {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  let total = 0;
  for (const [u, v, w] of [...edges].sort((a, b) => a[2] - b[2])) {
    const a = find(u);
    const b = find(v);
    if (a !== b) {
      parent[a] = b;
      total += w;
    }
  }
  return total;
}

function connectedWithin(n: number, edges: Edge[], nodes: Set<number>): boolean {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  for (const [u, v] of edges) if (nodes.has(u) && nodes.has(v)) parent[find(u)] = find(v);
  const roots = new Set([...nodes].map(find));
  return roots.size <= 1;
}

function minCut(n: number, edges: Edge[], s: number, t: number, directed: boolean): number {
  let best = Infinity;
  forEachSubset(n, (mask) => {
    if (!((mask >> s) & 1) || (mask >> t) & 1) return;
    let cut = 0;
    for (const [u, v, w] of edges) {
      const inU = (mask >> u) & 1;
      const inV = (mask >> v) & 1;
      if (inU && !inV) cut += w;
      else if (!directed && inV && !inU) cut += w;
    }
    best = Math.min(best, cut);
  });
  return best;
}

function steinerTruth(n: number, edges: Edge[], terminals: number[]): Truth {
  const others = Array.from({ length: n }, (_, i) => i).filter((i) => !terminals.includes(i));
  let best: number | undefined;
  forEachSubset(others.length, (mask) => {
    const nodes = new Set([...terminals, ...others.filter((_, b) => (mask >> b) & 1)]);
    if (!connectedWithin(n, edges, nodes)) return;
    const sub = edges.filter(([u, v]) => nodes.has(u) && nodes.has(v));
    const w = kruskal(n, sub);
    if (better('min', w, best)) best = w;
  });
  return truthOf(best);
}

function lambda2(n: number, edges: Edge[]): { value: number; norm: number } {
  const lap = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const [u, v, w] of edges) {
    lap[u]![u]! += w;
    lap[v]![v]! += w;
    lap[u]![v]! -= w;
    lap[v]![u]! -= w;
  }
  const ev = jacobiEigenvalues(lap);
  return { value: ev[1] ?? 0, norm: Math.max(...ev.map(Math.abs), 0) };
}

const solved = (res: Result<unknown>): res is Result<unknown> & { status: 'optimal' | 'feasible'; objective: number } => res.status === 'optimal' || res.status === 'feasible';

function graphOf(n: number, edges: Edge[]): Graph {
  return createGraph({ n, edges });
}

async function minCostFlowTruth(n: number, arcs: { from: number; to: number; capacity: number; cost: number }[], supply: number[]): Promise<Truth> {
  const lp = new LinearModel('min');
  const x = arcs.map((a) => lp.addVariable({ obj: a.cost, ub: a.capacity }));
  for (let v = 0; v < n; v++) {
    const vars: number[] = [];
    const coef: number[] = [];
    arcs.forEach((a, k) => {
      if (a.from === v) vars.push(x[k]!), coef.push(1);
      if (a.to === v) vars.push(x[k]!), coef.push(-1);
    });
    if (vars.length === 0) {
      if (supply[v] !== 0) return { feasible: false };
      continue;
    }
    lp.addEq(vars, coef, supply[v]!);
  }
  const r = await solveLp(lp, {});
  if (r.status === 'infeasible') return { feasible: false };
  if (r.status !== 'optimal' || r.objective === undefined) throw new Error(`reference LP: ${r.status}`);
  return { feasible: true, value: r.objective };
}

export const NETWORK_CASES: Record<string, CaseBuilder> = {
  mst: (r) => {
    const { n, edges } = randomGraphEdges(r);
    return { model: graphOf(n, edges), options: {}, sense: 'min', truth: () => ({ feasible: true, value: kruskal(n, edges) }), label: describeEdges(n, edges) };
  },
  maxflow: (r): AuditCase => {
    const { n, edges } = randomGraphEdges(r);
    const s = r.int(0, n - 1);
    const t = r.chance(0.1) ? s : r.int(0, n - 1);
    const directed = r.chance(0.3);
    const truth = s === t ? undefined : (): Truth => ({ feasible: true, value: minCut(n, edges, s, t, directed) });
    const check = (res: Result<unknown>): string[] => {
      if (!solved(res)) return [];
      const sol = res.solution as { value: number; cutCapacity: number };
      return Math.abs(sol.cutCapacity - res.objective) > 1e-9 * Math.max(1, Math.abs(res.objective)) ? [`cut capacity ${sol.cutCapacity} != flow ${res.objective}`] : [];
    };
    return { model: graphOf(n, edges), options: { source: String(s), sink: String(t), directed }, sense: 'max', truth, check, label: describeEdges(n, edges) };
  },
  steiner: (r) => {
    const { n, edges } = randomGraphEdges(r);
    const count = r.int(1, Math.max(1, Math.min(n, 4)));
    const terminals = Array.from({ length: n }, (_, i) => i).sort(() => (r.chance(0.5) ? 1 : -1)).slice(0, count);
    const model = createSteinerProblem(graphOf(n, edges), terminals);
    return { model, options: {}, sense: 'min', truth: () => steinerTruth(n, edges, [...model.terminals]), label: `${describeEdges(n, edges)} terminals ${JSON.stringify([...model.terminals])}` };
  },
  fiedler: (r) => {
    const { n, edges } = randomGraphEdges(r);
    const check = (res: Result<unknown>): string[] => {
      if (!solved(res) || n < 2) return [];
      const { value, norm } = lambda2(n, edges);
      // A stopped eigensolver returns the Rayleigh quotient of its best vector: an upper
      // bound on lambda2 (feasible), not lambda2 itself.
      if (res.status === 'feasible' && res.stoppedBy !== 'converged') return res.objective < value - 1e-7 * norm ? [`stopped with ${res.objective} below lambda2 ${value}`] : [];
      return Math.abs(res.objective - value) > 1e-7 * norm + 1e-300 ? [`lambda2 ${res.objective}, Jacobi says ${value} (||L|| ${norm})`] : [];
    };
    // An eigenvalue is computed to a few ulps of ||L|| (weights of 1e15 beside 6 move lambda2 by 0.1), the check's scale.
    const progressSlack = n < 2 ? 0 : 1e-7 * lambda2(n, edges).norm;
    return { model: graphOf(n, edges), options: {}, sense: 'min', check, progressSlack, label: describeEdges(n, edges) };
  },
  partition: (r) => {
    const { n, edges } = randomGraphEdges(r);
    return { model: graphOf(n, edges), options: r.chance(0.3) ? { k: r.int(2, n + 1) } : {}, sense: 'min', label: describeEdges(n, edges) };
  },
  gomoryhu: (r) => {
    const { n, edges } = randomGraphEdges(r);
    return { model: graphOf(n, edges), options: {}, sense: 'min', label: describeEdges(n, edges) };
  },
  mincostflow: (r) => {
    const n = r.int(1, 5);
    const scale = r.pick([1, 1, 1e15, 1e-12]);
    const arcs = Array.from({ length: r.int(0, 8) }, () => ({ from: r.int(0, n - 1), to: r.int(0, n - 1), capacity: r.int(0, 6), cost: r.int(-3, 9) * scale })).filter((a) => a.from !== a.to);
    const supply = new Array<number>(n).fill(0);
    for (let k = 0; k < r.int(0, 2); k++) {
      const amount = r.int(1, 5);
      supply[r.int(0, n - 1)]! += amount;
      supply[r.int(0, n - 1)]! -= amount;
    }
    const model = createFlowNetwork({ n, arcs, supply });
    return { model, options: {}, sense: 'min', truth: () => minCostFlowTruth(n, arcs, supply), label: JSON.stringify({ n, arcs, supply }) };
  },
};

interface McfData {
  n: number;
  edges: Edge[];
  cost: number[];
  commodities: { source: number; sink: number; demand: number }[];
}

/** Multi-commodity flow LP written here: min cost of routing every demand, or max concurrent lambda. */
async function mcfTruth(d: McfData, objective: 'min-cost' | 'max-concurrent'): Promise<Truth> {
  // Unscaled, this LP is only as good as HiGHS's absolute tolerances: with capacities of 1e-12
  // next to ones of 4 it answered lambda 7.5e-13 where a cut proves at most 1.15e-13.
  const caps = d.edges.map(([, , cap]) => cap).filter((cap) => cap > 0 && cap < Infinity);
  const span = caps.length > 0 ? Math.max(...caps) / Math.min(...caps) : 1;
  if (span > 1e6) throw new Error(`capacities span a ratio of ${span.toExponential(1)}, beyond the reference LP's tolerances`);
  const lp = new LinearModel(objective === 'min-cost' ? 'min' : 'max');
  const lambda = objective === 'max-concurrent' ? lp.addVariable({ obj: 1 }) : -1;
  // Two arcs per edge and commodity, sharing the edge's capacity in both directions.
  const f = d.commodities.map(() => d.edges.map((_, e) => [lp.addVariable({ obj: objective === 'min-cost' ? d.cost[e]! : 0 }), lp.addVariable({ obj: objective === 'min-cost' ? d.cost[e]! : 0 })] as const));
  d.edges.forEach(([, , cap], e) => {
    const vars = f.flatMap((fk) => [fk[e]![0], fk[e]![1]]);
    lp.addLe(vars, vars.map(() => 1), cap);
  });
  for (let k = 0; k < d.commodities.length; k++) {
    const c = d.commodities[k]!;
    for (let v = 0; v < d.n; v++) {
      const vars: number[] = [];
      const coef: number[] = [];
      d.edges.forEach(([a, b], e) => {
        if (a === v) vars.push(f[k]![e]![0], f[k]![e]![1]), coef.push(1, -1);
        if (b === v) vars.push(f[k]![e]![0], f[k]![e]![1]), coef.push(-1, 1);
      });
      const net = v === c.source ? 1 : v === c.sink ? -1 : 0;
      if (objective === 'min-cost') {
        if (vars.length === 0) {
          if (net !== 0 && c.demand !== 0) return { feasible: false };
          continue;
        }
        lp.addEq(vars, coef, net * c.demand);
      } else {
        lp.addEq([...vars, lambda], [...coef, -net * c.demand], 0);
      }
    }
  }
  const r = await solveLp(lp, {});
  if (r.status === 'infeasible') return { feasible: false };
  if (r.status === 'unbounded') throw new Error('unbounded (every demand 0): no optimum to compare');
  if (r.status !== 'optimal' || r.objective === undefined) throw new Error(`reference LP: ${r.status}`);
  return { feasible: true, value: r.objective };
}

NETWORK_CASES['mcf'] = (r) => {
  const { n: n0, edges } = randomGraphEdges(r);
  const n = Math.max(2, n0);
  const cost = edges.map(() => r.int(0, 9));
  const commodities = Array.from({ length: r.int(1, 3) }, () => {
    const source = r.int(0, n - 1);
    let sink = r.int(0, n - 1);
    if (sink === source) sink = (source + 1) % n;
    return { source, sink, demand: r.chance(0.15) ? 0 : r.int(1, 12) };
  });
  const d: McfData = { n, edges, cost, commodities };
  const model = createMcfProblem({ graph: graphOf(n, edges), commodities, cost });
  return {
    model,
    options: {},
    sense: 'min',
    perMethod: {
      'mcf:auto': { sense: 'min', truth: () => mcfTruth(d, 'min-cost') },
      'mcf:lp': { sense: 'min', truth: () => mcfTruth(d, 'min-cost') },
      'mcf:concurrent-lp': { sense: 'max', truth: () => mcfTruth(d, 'max-concurrent') },
    },
    label: JSON.stringify(d),
  };
};

/** Link upgrades on the same MCF instances: the envelope and a crash check only. */
NETWORK_CASES['link-upgrade'] = (r) => ({ ...NETWORK_CASES['mcf']!(r), perMethod: undefined });
