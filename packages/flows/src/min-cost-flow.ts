import { ModelError, runSteps, runStepsAsync, SolveRun, type Certificate, type Result, type SolveOptions, type Steps } from '@emplace/core';
import { integralArcs, integralSupplies, NETWORK_CHUNK, validateFlowNetworkSteps, type FlowNetwork } from './network.js';
import { networkSimplexSteps, type NetworkSimplexOutput } from './network-simplex.js';

export interface MinCostFlowOptions extends SolveOptions {
  /** Arcs per block of the block-search pivot rule (default ceil(sqrt(arcs + nodes))). */
  blockSize?: number;
}

export interface MinCostFlowSolution {
  /** Flow on each arc (lower bounds included); integral when the data is. */
  flow: Float64Array;
  /**
   * Node potentials (dual prices): with reduced cost rc[a] = cost[a] + potential[tail] -
   * potential[head], rc >= 0 on arcs at their lower bound, rc <= 0 on arcs at capacity,
   * rc = 0 in between. potential[v] - potential[u] is the marginal cost of moving one more
   * unit from u to v. Nodes joined to the rest only through saturated or empty arcs may
   * carry the big-M offset of the start basis: still valid prices, just not small ones.
   */
  potential: Float64Array;
  /** sum cost[a] * flow[a], recomputed from the flow. */
  cost: number;
  /** True when the data was integral (and so the flow and potentials are integers). */
  integral: boolean;
}

/** Why supplies cannot be routed: a node set whose net supply exceeds what can leave it. */
export interface CutCertificate extends Certificate {
  /** Node ids of the set S. */
  nodes: string[];
  /** Net supply of S: sum of supply over S. */
  supply: number;
  /** Most that can leave S: capacities of arcs out of S minus lower bounds of arcs into S. */
  capacity: number;
  /** Indices of the arcs crossing the cut (out of S, then into S). */
  arcs: number[];
}

/** Sum of cost x flow: the objective, from the flow alone. */
export function flowCost(net: FlowNetwork, flow: ArrayLike<number>): number {
  return costOver(net, flow, 0, net.m, 0);
}

/** acc + cost x flow over arcs [from, to), added in arc order (a chunked sum equals the whole one). */
function costOver(net: FlowNetwork, flow: ArrayLike<number>, from: number, to: number, acc: number): number {
  let c = acc;
  for (let a = from; a < to; a++) c += net.cost[a]! * flow[a]!;
  return c;
}

/**
 * Largest violation of a flow: capacity/lower-bound excess on any arc, or conservation
 * imbalance (outflow - inflow - supply) at any node. 0 for an exactly feasible flow.
 */
export function flowViolation(net: FlowNetwork, flow: ArrayLike<number>): number {
  const bal = new Float64Array(net.n);
  const worst = arcViolationOver(net, flow, bal, 0, net.m, 0);
  return Math.max(0, nodeViolationOver(net, bal, 0, net.n, worst));
}

/** Bound excess over arcs [from, to) (max with `worst`), adding their flow into the node balances. */
function arcViolationOver(net: FlowNetwork, flow: ArrayLike<number>, bal: Float64Array, from: number, to: number, worst: number): number {
  let w = worst;
  for (let a = from; a < to; a++) {
    const f = flow[a]!;
    w = Math.max(w, net.lower[a]! - f, f - net.capacity[a]!);
    bal[net.tail[a]!]! += f;
    bal[net.head[a]!]! -= f;
  }
  return w;
}

/** Conservation imbalance over nodes [from, to) (max with `worst`). */
function nodeViolationOver(net: FlowNetwork, bal: Float64Array, from: number, to: number, worst: number): number {
  let w = worst;
  for (let v = from; v < to; v++) w = Math.max(w, Math.abs(bal[v]! - net.supply[v]!));
  return w;
}

/**
 * The Lagrangian dual value of potentials: -sum_v pi_v b_v + sum_a min over x_a in
 * [lower, capacity] of rc_a x_a. A lower bound on the min cost for ANY potentials, equal
 * to it for optimal ones; -Infinity when an uncapacitated arc has negative reduced cost.
 */
export function dualValue(net: FlowNetwork, potential: ArrayLike<number>): number {
  return dualArcsOver(net, potential, 0, net.m, dualNodesOver(net, potential, 0, net.n, 0));
}

/** acc - sum pi_v b_v over nodes [from, to). */
function dualNodesOver(net: FlowNetwork, potential: ArrayLike<number>, from: number, to: number, acc: number): number {
  let d = acc;
  for (let v = from; v < to; v++) d -= potential[v]! * net.supply[v]!;
  return d;
}

/**
 * acc + the arcs' terms of the dual value over arcs [from, to). `tol`: a reduced cost within
 * tol below 0 on an uncapacitated arc counts as 0 (the simplex's own optimality tolerance):
 * with fractional data cost + pi_tail - pi_head of an optimal basis can round to -4e-15, and
 * times an infinite capacity that made the bound -Infinity, an optimal flow then "unproven".
 */
function dualArcsOver(net: FlowNetwork, potential: ArrayLike<number>, from: number, to: number, acc: number, tol = 0): number {
  let d = acc;
  for (let a = from; a < to; a++) {
    const rc = net.cost[a]! + potential[net.tail[a]!]! - potential[net.head[a]!]!;
    const cap = net.capacity[a]!;
    d += rc >= 0 || (cap === Infinity && rc >= -tol) ? rc * net.lower[a]! : rc * cap;
  }
  return d;
}

/** Ranges [from, to) of NETWORK_CHUNK covering [0, length). */
function* chunks(length: number): Generator<readonly [number, number], void, void> {
  for (let from = 0; from < length; from += NETWORK_CHUNK) yield [from, Math.min(length, from + NETWORK_CHUNK)];
}

/** Cost of a flow, in steps of NETWORK_CHUNK arcs. */
function* flowCostSteps(net: FlowNetwork, flow: ArrayLike<number>): Steps<number> {
  let c = 0;
  for (const [from, to] of chunks(net.m)) {
    c = costOver(net, flow, from, to, c);
    yield;
  }
  return c;
}

/** The optimality certificate of a flow and potentials (cost, dual value, violation) in steps of NETWORK_CHUNK arcs / nodes. */
function* certifySteps(net: FlowNetwork, flow: Float64Array, potential: Float64Array, tol = 0): Steps<{ cost: number; bound: number; violation: number }> {
  const cost = yield* flowCostSteps(net, flow);
  let bound = 0;
  for (const [from, to] of chunks(net.n)) {
    bound = dualNodesOver(net, potential, from, to, bound);
    yield;
  }
  for (const [from, to] of chunks(net.m)) {
    bound = dualArcsOver(net, potential, from, to, bound, tol);
    yield;
  }
  const bal = new Float64Array(net.n);
  let worst = 0;
  for (const [from, to] of chunks(net.m)) {
    worst = arcViolationOver(net, flow, bal, from, to, worst);
    yield;
  }
  for (const [from, to] of chunks(net.n)) {
    worst = nodeViolationOver(net, bal, from, to, worst);
    yield;
  }
  return { cost, bound, violation: Math.max(0, worst) };
}

/**
 * Cost and dual value summed exactly in BigInt, for integral data whose products pass 2^53:
 * there the float sums round (networkx test_networksimplex.py::test_network_simplex_faux_infinity
 * with supplies, a capacity and a cost of 1e9: cost 7000000008, float dual value 6999998976),
 * so an optimal flow could not be proven. Flows and potentials are integers below 2^53 (the
 * simplex on integral data); undefined when one is not, or an arc term is infinite.
 */
function* exactCertificateSteps(net: FlowNetwork, flow: Float64Array, potential: Float64Array): Steps<{ cost: bigint; bound: bigint } | undefined> {
  let cost = 0n;
  let bound = 0n;
  for (const [from, to] of chunks(net.n)) {
    for (let v = from; v < to; v++) {
      const pi = potential[v]!, b = net.supply[v]!;
      if (!Number.isSafeInteger(pi) || !Number.isSafeInteger(b)) return undefined;
      bound -= BigInt(pi) * BigInt(b);
    }
    yield;
  }
  for (const [from, to] of chunks(net.m)) {
    for (let a = from; a < to; a++) {
      const c = net.cost[a]!, f = flow[a]!;
      const rc = c + potential[net.tail[a]!]! - potential[net.head[a]!]!;
      const x = rc >= 0 ? net.lower[a]! : net.capacity[a]!;
      if (!Number.isSafeInteger(c) || !Number.isSafeInteger(f) || !Number.isSafeInteger(rc) || !Number.isSafeInteger(x)) return undefined;
      cost += BigInt(c) * BigInt(f);
      bound += BigInt(rc) * BigInt(x);
    }
    yield;
  }
  return { cost, bound };
}

/**
 * The cut that proves a flow problem infeasible, found from a flow that routes as much
 * as it can: S = the nodes reachable, in the residual network, from a node whose supply
 * is not routed. No residual arc leaves S, so every arc out of S is full and every arc
 * into S is at its lower bound, and the supply of S that is left over cannot get out.
 * `tol`: an arc within tol of its bound counts as at it (fractional data: a full arc's flow
 * 12/7 came back as 12/7 - 2e-16, the search crossed it, and no violated cut was found).
 */
export function infeasibilityCut(net: FlowNetwork, flow: ArrayLike<number>, unrouted: ArrayLike<number>, tol = 0): CutCertificate | undefined {
  return runSteps(infeasibilityCutSteps(net, flow, unrouted, tol));
}

/** `infeasibilityCut` as steps: a checkpoint about every NETWORK_CHUNK arcs or nodes of each pass. */
export function* infeasibilityCutSteps(net: FlowNetwork, flow: ArrayLike<number>, unrouted: ArrayLike<number>, tol = 0): Steps<CutCertificate | undefined> {
  const { n } = net;
  const inS = new Uint8Array(n);
  const queue = new Int32Array(n);
  let qt = 0;
  for (let v = 0; v < n; v++) {
    if (unrouted[v]! > 0) {
      inS[v] = 1;
      queue[qt++] = v;
    }
  }
  if (qt === 0) return undefined;
  yield;
  const { deg, adj } = yield* incidenceSteps(net);
  let qh = 0;
  let work = 0;
  while (qh < qt) {
    const u = queue[qh++]!;
    for (let k = deg[u]!; k < deg[u + 1]!; k++) {
      const a = adj[k]!;
      const f = flow[a]!;
      let w = -1;
      if (net.tail[a] === u && f < net.capacity[a]! - tol) w = net.head[a]!;
      else if (net.head[a] === u && f > net.lower[a]! + tol) w = net.tail[a]!;
      if (w >= 0 && !inS[w]) {
        inS[w] = 1;
        queue[qt++] = w;
      }
    }
    work += 1 + deg[u + 1]! - deg[u]!;
    if (work >= NETWORK_CHUNK) {
      work = 0;
      yield;
    }
  }
  return yield* cutOfSteps(net, inS);
}

/** Residual adjacency: out-arcs and in-arcs per node in CSR (deg: offsets, adj: arc ids). */
function* incidenceSteps(net: FlowNetwork): Steps<{ deg: Int32Array; adj: Int32Array }> {
  const { n, m } = net;
  const deg = new Int32Array(n + 1);
  for (const [from, to] of chunks(m)) {
    for (let a = from; a < to; a++) {
      deg[net.tail[a]! + 1]!++;
      deg[net.head[a]! + 1]!++;
    }
    yield;
  }
  for (let v = 0; v < n; v++) deg[v + 1]! += deg[v]!;
  const fill = deg.slice(0, n);
  const adj = new Int32Array(2 * m);
  for (const [from, to] of chunks(m)) {
    for (let a = from; a < to; a++) {
      adj[fill[net.tail[a]!]!++] = a;
      adj[fill[net.head[a]!]!++] = a;
    }
    yield;
  }
  return { deg, adj };
}

/** The certificate of the node set S (inS), or undefined when its supply does fit out of it. */
function* cutOfSteps(net: FlowNetwork, inS: Uint8Array): Steps<CutCertificate | undefined> {
  let supply = 0;
  const nodes: string[] = [];
  for (const [from, to] of chunks(net.n)) {
    for (let v = from; v < to; v++) {
      if (inS[v]) {
        supply += net.supply[v]!;
        nodes.push(net.ids[v]!);
      }
    }
    yield;
  }
  let capacity = 0;
  const out: number[] = [];
  const inn: number[] = [];
  for (const [from, to] of chunks(net.m)) {
    for (let a = from; a < to; a++) {
      const st = inS[net.tail[a]!]!, sh = inS[net.head[a]!]!;
      if (st && !sh) {
        capacity += net.capacity[a]!;
        out.push(a);
      } else if (!st && sh) {
        capacity -= net.lower[a]!;
        inn.push(a);
      }
    }
    yield;
  }
  if (!(supply > capacity)) return undefined;
  const shown = nodes.length <= 12 ? nodes.join(', ') : `${nodes.slice(0, 12).join(', ')}, ... (${nodes.length} nodes)`;
  return {
    reason: `nodes {${shown}} have net supply ${supply} but at most ${capacity} can leave them (arc capacities out minus lower bounds in)`,
    fields: [...out, ...inn].slice(0, 50).map((a) => `arcs[${a}]`),
    nodes,
    supply,
    capacity,
    arcs: [...out, ...inn],
  };
}

/** What solveMinCostFlow needs to know of a network before it starts (one stepped pass after validation). */
interface NetworkScan {
  integral: boolean;
  maxCost: number;
  /** Largest finite capacity or total |supply|: the largest flow amount. */
  mass: number;
  totalSupply: number;
}

/** Validates the network and scans it, in steps of NETWORK_CHUNK arcs / nodes. */
function* scanNetworkSteps(net: FlowNetwork): Steps<NetworkScan> {
  yield* validateFlowNetworkSteps(net);
  let integral = true;
  let maxCost = 0;
  let mass = 0;
  for (const [from, to] of chunks(net.m)) {
    integral = integral && integralArcs(net, from, to);
    for (let a = from; a < to; a++) {
      maxCost = Math.max(maxCost, Math.abs(net.cost[a]!));
      if (Number.isFinite(net.capacity[a]!)) mass = Math.max(mass, net.capacity[a]!);
    }
    yield;
  }
  let totalSupply = 0;
  for (const [from, to] of chunks(net.n)) {
    integral = integral && integralSupplies(net, from, to);
    for (let v = from; v < to; v++) totalSupply += Math.abs(net.supply[v]!);
    yield;
  }
  return { integral, maxCost, mass: Math.max(mass, totalSupply), totalSupply };
}

/** Runs steps, yielding to the event loop at their checkpoints; undefined when the run stops first (abort, time limit). */
async function stepsUntilStop<T>(steps: Steps<T>, run: SolveRun): Promise<{ value: T } | undefined> {
  let r = steps.next();
  while (!r.done) {
    if (await run.tick()) return undefined;
    r = steps.next();
  }
  return { value: r.value };
}

/**
 * Minimum-cost flow on a directed network (family 'mincostflow'): route every supply to
 * the demands at least cost within the arc bounds. Network simplex; the result carries
 * the flow and the optimal potentials, and `bound` is the dual value of those potentials
 * (equal to the objective: the potentials prove optimality). Infeasible problems come
 * back with a cut certificate, unbounded ones with a negative uncapacitated cycle.
 *
 * Numerics: with integral data every quantity is an exact integer while it stays below
 * 2^53 (a warning says when supplies or capacities come near); otherwise reduced costs
 * are compared with a tolerance of 1e-12 times the largest cost and potential.
 */
export async function solveMinCostFlow(model: FlowNetwork, options: MinCostFlowOptions = {}): Promise<Result<MinCostFlowSolution>> {
  const run = new SolveRun(options, 'mincostflow:network-simplex', 'min');
  const net = model;
  const guarantee = { kind: 'exact' } as const;
  // Validation and the scan step through the arcs (a checkpoint every NETWORK_CHUNK), so a
  // network of millions of arcs neither blocks the event loop nor delays an abort.
  const scanned = await stepsUntilStop(scanNetworkSteps(net), run);
  if (!scanned) return run.unsolved({ status: 'no-solution', guarantee, stats: { nodes: net.n, arcs: net.m, pivots: 0, stoppedWhileScanning: true } });
  if (options.blockSize !== undefined && !(Number.isInteger(options.blockSize) && options.blockSize > 0)) {
    throw new ModelError('options.blockSize', `must be a positive integer, got ${String(options.blockSize)}`);
  }
  const { integral, maxCost, mass, totalSupply } = scanned.value;
  const warnings: string[] = [];
  const bigM = (net.n + 1) * Math.max(1, maxCost) + 1;
  checkCostRange(net, totalSupply, maxCost, bigM);
  const beyond53 = integral && (mass > 2 ** 53 || bigM * 4 > 2 ** 53 || mass * maxCost > 2 ** 53);
  if (beyond53) {
    warnings.push(`integral data beyond 2^53 (largest flow amount ${mass}, largest cost ${maxCost}): arithmetic is rounded, the flow may be off by rounding`);
  }
  const tolerance = integral ? 0 : 1e-12 * bigM * 4;
  const flowTolerance = integral ? 0 : 1e-9 * Math.max(1, mass);
  // Yields to the event loop every 10 ms (checkpoints in the setup, the pivots and the output).
  const out = await runStepsAsync(networkSimplexSteps(net, {
    shouldStop: () => run.shouldStop(),
    tolerance,
    flowTolerance,
    skipInfeasibleStop: true,
    ...(options.blockSize !== undefined ? { blockSize: options.blockSize } : {}),
  }), run);
  const stats = { nodes: net.n, arcs: net.m, pivots: out.pivots, integral };

  if (out.status === 'unbounded') return unboundedAnswer(run, net, out, stats, warnings, tolerance, flowTolerance);
  if (out.status === 'infeasible') return infeasibleResult(run, net, out, stats, warnings, flowTolerance);
  if (out.status === 'stopped') {
    if (out.artificialFlow > flowTolerance) return run.unsolved({ status: 'no-solution', guarantee, stats, warnings });
    // The flow found so far is feasible: its cost is all the answer needs (one stepped pass).
    const cost = await runStepsAsync(flowCostSteps(net, out.flow), run);
    return run.solved({ solution: { flow: out.flow, potential: out.potential, cost, integral }, objective: cost, guarantee, stats, warnings, iterations: out.pivots });
  }
  const certified = await runStepsAsync(certifySteps(net, out.flow, out.potential, tolerance), run);
  const { violation } = certified;
  let { cost, bound } = certified;
  let proven = integral ? bound === cost : Math.abs(bound - cost) <= 1e-9 * Math.max(1, Math.abs(cost));
  if (integral && !proven && beyond53) {
    const exact = await runStepsAsync(exactCertificateSteps(net, out.flow, out.potential), run);
    if (exact) {
      cost = Number(exact.cost);
      bound = Number(exact.bound);
      proven = exact.bound === exact.cost;
    }
  }
  if (violation > (integral ? 0 : 1e-9 * Math.max(1, mass))) warnings.push(`flow violates a bound or conservation by ${violation}`);
  return run.solved({
    solution: { flow: out.flow, potential: out.potential, cost, integral },
    objective: cost,
    bound,
    proven,
    guarantee,
    iterations: out.pivots,
    stats,
    warnings,
  });
}

/**
 * The answer when the simplex met a cycle of uncapacitated arcs with negative total cost:
 * unbounded, unless supplies were still unrouted then and no flow is feasible at all.
 */
async function unboundedAnswer(
  run: SolveRun,
  net: FlowNetwork,
  out: NetworkSimplexOutput,
  stats: { nodes: number; arcs: number; pivots: number; integral: boolean },
  warnings: string[],
  tolerance: number,
  flowTolerance: number,
): Promise<Result<MinCostFlowSolution>> {
  const guarantee = { kind: 'exact' } as const;
  if (out.artificialFlow > flowTolerance) {
    // The negative cycle was met before the supplies were all routed: the problem is
    // unbounded only if some flow is feasible at all (networkx test_negcycle_infcap: 5 units
    // through a capacity-3 arc next to a negative uncapacitated cycle is infeasible). The same
    // network with zero costs cannot be unbounded and settles feasibility.
    const zero = await runStepsAsync(networkSimplexSteps({ ...net, cost: new Float64Array(net.m) }, {
      shouldStop: () => run.shouldStop(),
      tolerance,
      flowTolerance,
      skipInfeasibleStop: true,
    }), run);
    stats.pivots += zero.pivots;
    if (zero.status === 'infeasible') return infeasibleResult(run, net, zero, stats, warnings, flowTolerance);
    if (zero.status === 'stopped') {
      warnings.push('a negative uncapacitated cycle exists; stopped before feasibility was settled');
      return run.unsolved({ status: 'no-solution', guarantee, stats, warnings });
    }
  }
  const arcs = out.unboundedCycle.filter((a) => a < net.m);
  return run.unsolved({
    status: 'unbounded',
    guarantee,
    certificate: {
      reason: `arcs ${arcs.join(', ')} form a cycle of uncapacitated arcs with negative total cost`,
      fields: arcs.map((a) => `arcs[${a}]`),
    },
    stats,
    warnings,
  });
}

/**
 * The answer for supplies that cannot be routed (proven by the simplex: artificial flow is
 * left at optimality) with the cut that shows why; a stop while the cut is being recovered
 * keeps the status and gives the routed amount as the reason.
 */
async function infeasibleResult(run: SolveRun, net: FlowNetwork, out: NetworkSimplexOutput, stats: Record<string, number | boolean>, warnings: string[], tol: number): Promise<Result<MinCostFlowSolution>> {
  const found = await stepsUntilStop(infeasibilityCutSteps(net, out.flow, out.unrouted, tol), run);
  const cut = found?.value;
  if (!found) warnings.push('stopped before the cut that shows why was recovered');
  else if (!cut) warnings.push('supplies could not be routed but no violated cut was recovered (rounding?)');
  return run.unsolved({
    status: 'infeasible',
    guarantee: { kind: 'exact' },
    certificate: cut ?? { reason: `${out.artificialFlow} units of supply cannot be routed` },
    stats,
    warnings,
  });
}

/** Largest total cost (and artificial big-M) the simplex may form; beyond it sums overflow to Infinity. */
const MAX_TOTAL_COST = 1e300;

/**
 * Refuses data whose costs cannot be summed: sum |supply| x max |cost| (a bound on the cost
 * of any flow the supplies force) and the artificial arcs' big-M must be representable, or the
 * answer would be a flow of cost Infinity. Names the arc with the largest cost.
 */
function checkCostRange(net: FlowNetwork, totalSupply: number, maxCost: number, bigM: number): void {
  if (totalSupply * maxCost <= MAX_TOTAL_COST && bigM * 4 <= MAX_TOTAL_COST) return;
  let worst = 0;
  for (let a = 1; a < net.m; a++) if (Math.abs(net.cost[a]!) > Math.abs(net.cost[worst]!)) worst = a;
  throw new ModelError(
    `arcs[${worst}].cost`,
    `is ${net.cost[worst]}: with total |supply| ${totalSupply} on ${net.n} nodes the flow cost may reach ${totalSupply * maxCost} (and the artificial arcs cost ${bigM}), beyond ${MAX_TOTAL_COST}: rescale the costs`,
  );
}
