import { ModelError, runSteps, type FlowNetwork, type Graph, type Steps } from '@emplace/core';

/** The directed network of flow problems: core's shared FlowNetwork (io reads DIMACS into it). */
export type { FlowNetwork } from '@emplace/core';

export interface ArcInput {
  from: number | string;
  to: number | string;
  /** Default 0. */
  lower?: number;
  /** Default Infinity (uncapacitated). */
  capacity?: number;
  /** Default 0. */
  cost?: number;
}

export interface FlowNetworkInput {
  /** Number of nodes (ids "0".."n-1"), or the node ids. */
  n?: number;
  nodes?: readonly string[];
  arcs: readonly ArcInput[];
  /** Supply per node (array by index, or a record by id); missing = 0. Demands are negative supplies. */
  supply?: ArrayLike<number> | Readonly<Record<string, number>>;
}

/** Builds and validates a FlowNetwork; the input is copied. Errors name the field. */
export function createFlowNetwork(input: FlowNetworkInput): FlowNetwork {
  if (input === null || typeof input !== 'object') throw new ModelError('network', 'must be an object');
  let ids: string[];
  if (input.nodes) {
    ids = [...input.nodes];
    if (input.n !== undefined && input.n !== ids.length) throw new ModelError('n', `is ${input.n} but nodes has ${ids.length} ids`);
  } else {
    if (!Number.isInteger(input.n) || (input.n as number) < 0) throw new ModelError('n', `must be a non-negative integer, got ${String(input.n)}`);
    ids = Array.from({ length: input.n as number }, (_, i) => String(i));
  }
  const n = ids.length;
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (index.has(id)) throw new ModelError(`nodes[${i}]`, `repeats the id ${JSON.stringify(id)}`);
    index.set(id, i);
  });
  const resolve = (field: string, x: number | string): number => {
    if (typeof x === 'string') {
      const i = index.get(x);
      if (i === undefined) throw new ModelError(field, `names unknown node ${JSON.stringify(x)}`);
      return i;
    }
    if (!Number.isInteger(x) || x < 0 || x >= n) throw new ModelError(field, `must be a node index in [0, ${n}), got ${String(x)}`);
    return x;
  };
  if (!Array.isArray(input.arcs)) throw new ModelError('arcs', 'must be an array of {from, to, lower?, capacity?, cost?}');
  const m = input.arcs.length;
  const tail = new Int32Array(m);
  const head = new Int32Array(m);
  const lower = new Float64Array(m);
  const capacity = new Float64Array(m);
  const cost = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    const arc = input.arcs[a]!;
    tail[a] = resolve(`arcs[${a}].from`, arc.from);
    head[a] = resolve(`arcs[${a}].to`, arc.to);
    lower[a] = arc.lower ?? 0;
    capacity[a] = arc.capacity ?? Infinity;
    cost[a] = arc.cost ?? 0;
  }
  const supply = new Float64Array(n);
  const s = input.supply;
  if (s !== undefined) {
    if (typeof (s as ArrayLike<number>).length === 'number') {
      const arr = s as ArrayLike<number>;
      if (arr.length !== n) throw new ModelError('supply', `must have ${n} entries, got ${arr.length}`);
      for (let v = 0; v < n; v++) supply[v] = arr[v]!;
    } else {
      for (const [id, val] of Object.entries(s as Record<string, number>)) supply[resolve(`supply[${JSON.stringify(id)}]`, id)] = val;
    }
  }
  const net: FlowNetwork = { kind: 'flow-network', n, m, ids, tail, head, lower, capacity, cost, supply };
  validateFlowNetwork(net);
  return net;
}

/** Arcs (or nodes) checked or scanned per step of the stepped passes over a network. */
export const NETWORK_CHUNK = 1 << 14;

/**
 * Checks a network built by hand (or by an adapter): finite costs, supplies and lower
 * bounds, 0 <= lower <= capacity, no NaN, supplies summing to 0 (to a relative 1e-12 when
 * they are not integers). Throws ModelError naming the field.
 */
export function validateFlowNetwork(net: FlowNetwork): void {
  runSteps(validateFlowNetworkSteps(net));
}

/** `validateFlowNetwork` as steps: a checkpoint after every NETWORK_CHUNK arcs and nodes (same checks, same order). */
export function* validateFlowNetworkSteps(net: FlowNetwork): Steps<void> {
  if (!net || net.kind !== 'flow-network') throw new ModelError('model', 'must be a FlowNetwork (createFlowNetwork / flowNetworkFromGraph)');
  const { n, m } = net;
  for (const [name, arr, len] of [['tail', net.tail, m], ['head', net.head, m], ['lower', net.lower, m], ['capacity', net.capacity, m], ['cost', net.cost, m], ['supply', net.supply, n]] as const) {
    if (!arr || arr.length !== len) throw new ModelError(name, `must have ${len} entries, got ${arr ? arr.length : 'none'}`);
  }
  for (let from = 0; from < m; from += NETWORK_CHUNK) {
    validateArcs(net, from, Math.min(m, from + NETWORK_CHUNK));
    yield;
  }
  let total = 0;
  let scale = 0;
  for (let from = 0; from < n; from += NETWORK_CHUNK) {
    const to = Math.min(n, from + NETWORK_CHUNK);
    for (let v = from; v < to; v++) {
      const b = net.supply[v]!;
      if (!Number.isFinite(b)) throw new ModelError(`supply[${v}]`, `must be finite, got ${b}`);
      total += b;
      scale = Math.max(scale, Math.abs(b));
    }
    yield;
  }
  if (Math.abs(total) > 1e-12 * Math.max(1, scale) * n) {
    throw new ModelError('supply', `must sum to 0 (supplies positive, demands negative), sums to ${total}`);
  }
}

/** The arc checks of validateFlowNetwork on arcs [from, to). */
function validateArcs(net: FlowNetwork, from: number, to: number): void {
  const n = net.n;
  for (let a = from; a < to; a++) {
    const t = net.tail[a]!, h = net.head[a]!;
    if (t < 0 || t >= n) throw new ModelError(`arcs[${a}].from`, `must be a node index in [0, ${n}), got ${t}`);
    if (h < 0 || h >= n) throw new ModelError(`arcs[${a}].to`, `must be a node index in [0, ${n}), got ${h}`);
    const lo = net.lower[a]!, cap = net.capacity[a]!, c = net.cost[a]!;
    if (!Number.isFinite(lo) || lo < 0) throw new ModelError(`arcs[${a}].lower`, `must be finite and >= 0, got ${lo}`);
    if (!(cap >= lo)) throw new ModelError(`arcs[${a}].capacity`, `must be >= the lower bound ${lo} (or Infinity), got ${cap}`);
    if (!Number.isFinite(c)) throw new ModelError(`arcs[${a}].cost`, `must be finite, got ${c}`);
  }
}

export interface FromGraphOptions {
  /** Capacity of each edge (in both directions): default the edge weights. `Infinity` allowed. */
  capacity?: ArrayLike<number>;
  /** Cost per unit of each edge: default 0... or the weights when `capacity` is given. */
  cost?: ArrayLike<number>;
  /** Supply per node, by index or by id. */
  supply?: ArrayLike<number> | Readonly<Record<string, number>>;
  /** Read edge e as the single arc edgeU[e] -> edgeV[e] (arc e) instead of two opposite arcs. Default false. */
  directed?: boolean;
}

/**
 * The directed network of an undirected Graph: each edge {u, v} becomes the two arcs
 * u -> v (arc 2e) and v -> u (arc 2e + 1), each with the edge's capacity and cost (with
 * `directed: true`, only u -> v, as arc e). (An
 * optimal flow never uses both directions of an edge when costs are positive; with zero
 * costs it may, and the net flow u -> v is flow[2e] - flow[2e + 1].)
 */
export function flowNetworkFromGraph(g: Graph, opts: FromGraphOptions = {}): FlowNetwork {
  if (!g || g.kind !== 'graph') throw new ModelError('graph', 'must be a Graph');
  const cap = opts.capacity ?? g.edgeW;
  const cst = opts.cost ?? (opts.capacity ? g.edgeW : new Float64Array(g.m));
  if (cap.length !== g.m) throw new ModelError('options.capacity', `must have ${g.m} entries, got ${cap.length}`);
  if (cst.length !== g.m) throw new ModelError('options.cost', `must have ${g.m} entries, got ${cst.length}`);
  const arcs: ArcInput[] = [];
  for (let e = 0; e < g.m; e++) {
    const u = g.edgeU[e]!, v = g.edgeV[e]!;
    arcs.push({ from: u, to: v, capacity: cap[e]!, cost: cst[e]! });
    if (opts.directed !== true) arcs.push({ from: v, to: u, capacity: cap[e]!, cost: cst[e]! });
  }
  return createFlowNetwork({ nodes: g.ids, arcs, ...(opts.supply !== undefined ? { supply: opts.supply } : {}) });
}

/** True when every bound, capacity, cost and supply is an integer (or an infinite capacity). */
export function isIntegral(net: FlowNetwork): boolean {
  return integralArcs(net, 0, net.m) && integralSupplies(net, 0, net.n);
}

/** isIntegral on arcs [from, to) (for stepped scans). */
export function integralArcs(net: FlowNetwork, from: number, to: number): boolean {
  for (let a = from; a < to; a++) {
    const cap = net.capacity[a]!;
    if (!Number.isInteger(net.lower[a]!) || !Number.isInteger(net.cost[a]!) || (cap !== Infinity && !Number.isInteger(cap))) return false;
  }
  return true;
}

/** isIntegral on the supplies of nodes [from, to). */
export function integralSupplies(net: FlowNetwork, from: number, to: number): boolean {
  for (let v = from; v < to; v++) if (!Number.isInteger(net.supply[v]!)) return false;
  return true;
}

/**
 * A network from an arc list `[from, to, capacity?, cost?, lower?]` (indices, or ids when
 * `nodes` is given; capacity default Infinity, cost and lower default 0).
 */
export function flowNetworkFromArcList(
  arcs: readonly (readonly [number | string, number | string, (number | undefined)?, (number | undefined)?, (number | undefined)?])[],
  opts: { n?: number; nodes?: readonly string[]; supply?: ArrayLike<number> | Readonly<Record<string, number>> },
): FlowNetwork {
  if (!Array.isArray(arcs)) throw new ModelError('arcs', 'must be an array of [from, to, capacity?, cost?, lower?]');
  return createFlowNetwork({
    ...(opts.nodes ? { nodes: opts.nodes } : { n: opts.n ?? 0 }),
    arcs: arcs.map(([from, to, capacity, cost, lower]) => ({ from, to, ...(capacity !== undefined ? { capacity } : {}), ...(cost !== undefined ? { cost } : {}), ...(lower !== undefined ? { lower } : {}) })),
    ...(opts.supply !== undefined ? { supply: opts.supply } : {}),
  });
}
