import { checkMemory, hasSolution, type PlacementModel, type SolveRun } from '@emplace/core';
import { LinearModel, solveLp, type BackendName } from '@emplace/lp';
import type { ScenarioEvaluation, ScenarioEvaluator, ScenarioSet } from './scenarios.js';
import { exhaustiveFits, exhaustiveOpenSets } from './scenario-search.js';
import { solveUfl } from './solvers.js';

/** What an exact deterministic-equivalent solve returns: an open set (if any), a proven bound. */
export interface EquivalentOutcome {
  open: Uint8Array | null;
  /** Proven lower bound on the optimum of the objective solved. */
  bound: number;
  proven: boolean;
  status: string;
  variables: number;
  warnings?: string[];
  /** The exact evaluation of `open`, when the caller already made one (finishExact reuses it). */
  evaluation?: ScenarioEvaluation | null | undefined;
}

/** Objective of the scenario formulations: expectation, worst case, or worst regret. */
export type ScenarioObjective =
  | { kind: 'expected' }
  | { kind: 'worst' }
  /** Worst regret: cost in scenario s minus `optimum[s]`, that scenario's own optimum. */
  | { kind: 'regret'; optimum: Float64Array };

/**
 * The extensive form through @emplace/lp: first-stage y_i binary, second-stage x^s_ij in
 * [0, 1] for each usable pair of each scenario (and u^s_j, the unserved share, when the
 * penalty is finite):
 *   sum_i x^s_ij + u^s_j = 1 (s, j with m^s_j > 0),  x^s_ij <= y_i,
 *   [sum_j m^s_j d_j x^s_ij <= C_i y_i (s, i)]  (capacitated sets).
 * Expected cost: min f.y + sum_s p_s (e^s.x^s + pen m^s.u^s). Worst case: min z with
 * z >= f.y + e^s.x^s + pen m^s.u^s for every s (minus the scenario optimum for regret).
 */
export async function extensiveForm(
  set: ScenarioSet,
  ev: ScenarioEvaluator,
  run: SolveRun,
  objective: ScenarioObjective,
  opts: { backend?: BackendName } = {},
): Promise<EquivalentOutcome> {
  const { base, scenarios, penalty } = set;
  const { nSites: S, nClients: C } = base;
  const size = extensiveSize(set, objective);
  checkExtensiveMemory(size, run.options);
  const lm = new LinearModel('min');
  const expected = objective.kind === 'expected';
  // Costs enter the MIP divided by a power of two near the largest one (exact): HiGHS called
  // an epigraph MIP with costs near 1e9 infeasible although opening every site served it.
  const coefficients = await coefficientRange(set, ev, objective, run);
  if (coefficients === null) return { open: null, bound: -Infinity, proven: false, status: 'stopped while building', variables: 0 };
  const { scale, range } = coefficients;
  const wide = range > FORMULATION_RANGE_LIMIT;
  // Costs too far apart for the backend's tolerances: few free sites are enumerated exactly instead.
  if (wide && exhaustiveFits(ev)) return exhaustiveOutcome(ev, run, objective, range);
  const y = new Int32Array(S);
  for (let i = 0; i < S; i++) {
    y[i] = lm.addVariable({ type: 'binary', lb: base.mustOpen[i] ? 1 : 0, ub: base.forbidden[i] ? 0 : 1, obj: expected ? base.f[i]! / scale : 0 });
  }
  const z = expected ? -1 : lm.addVariable({ lb: -Infinity, obj: 1 });
  if (!(await reserveExtensive(lm, size, run))) return { open: null, bound: -Infinity, proven: false, status: 'stopped while building', variables: 0 };
  const usable = new Int32Array(S);
  // The x <= y rows from two reused arrays (no two-element arrays per pair).
  const [pairIdx, pairCoef] = [new Int32Array(2), Float64Array.of(1, -1)];
  const idx: number[] = [];
  const coef: number[] = [];
  const capIdx: number[][] = Array.from({ length: S }, () => []);
  const capCoef: number[][] = Array.from({ length: S }, () => []);
  // The epigraph row's terms, reused by every scenario (fresh 25,000-entry arrays were garbage).
  const [rowIdx, rowCoef]: [number[], number[]] = [[], []];
  for (let s = 0; s < scenarios.length; s++) {
    if (await run.tick()) return { open: null, bound: -Infinity, proven: false, status: 'stopped while building', variables: lm.numVariables };
    const sc = scenarios[s]!;
    const w = expected ? sc.probability : 1;
    if (expected && w === 0) continue;
    const e = ev.costs(s);
    rowIdx.length = rowCoef.length = 0;
    for (let i = 0; i < S; i++) {
      capIdx[i]!.length = 0;
      capCoef[i]!.length = 0;
    }
    for (let j = 0; j < C; j++) {
      // One client adds S variables and rows: check (and yield) every 16 clients (64 were
      // stretches of 12-18 ms CPU on a loaded machine at 50 sites).
      if ((j & 15) === 15 && (await run.tick())) return { open: null, bound: -Infinity, proven: false, status: 'stopped while building', variables: lm.numVariables };
      const m = sc.demand[j]!;
      if (m === 0) continue;
      idx.length = 0;
      coef.length = 0;
      // The client's columns in one bulk append (no spec object per column: 5M of them were
      // garbage-collection work on 50 x 500 x 200), then their costs.
      let usableCount = 0;
      for (let i = 0; i < S; i++) if (e[i * C + j]! !== Infinity && !base.forbidden[i]) usable[usableCount++] = i;
      const x0 = lm.addVariables(usableCount, { lb: 0, ub: 1 });
      for (let t = 0; t < usableCount; t++) {
        const i = usable[t]!;
        const v = e[i * C + j]!;
        const x = x0 + t;
        if (expected && w * v !== 0) lm.setObjective(x, (w * v) / scale);
        idx.push(x);
        coef.push(1);
        pairIdx[0] = x;
        pairIdx[1] = y[i]!;
        lm.addLe(pairIdx, pairCoef, 0);
        if (!expected && v !== 0) {
          rowIdx.push(x);
          rowCoef.push(v / scale);
        }
        if (set.capacitated && base.cap[i] !== Infinity) {
          const load = m * base.d[j]!;
          if (load > 0) {
            capIdx[i]!.push(x);
            capCoef[i]!.push(load);
          }
        }
      }
      if (penalty < Infinity) {
        const u = lm.addVariable({ lb: 0, ub: 1, obj: expected ? (w * penalty * m) / scale : 0 });
        idx.push(u);
        coef.push(1);
        if (!expected && penalty * m !== 0) {
          rowIdx.push(u);
          rowCoef.push((penalty * m) / scale);
        }
      }
      // A client with no usable site and no penalty makes the scenario infeasible: the
      // empty row 0 = 1 says so to the backend.
      lm.addEq(idx, coef, 1);
    }
    if (set.capacitated) capacityRows(lm, capIdx, capCoef, y, base.cap);
    if (!expected) epigraphRow(lm, set, y, z, rowIdx, rowCoef, scale, objective.kind === 'regret' ? objective.optimum[s]! : 0);
  }
  const remaining = run.remainingMs();
  const lp = await solveLp(lm, {
    backend: opts.backend ?? 'highs',
    ...(remaining < Infinity ? { timeLimitMs: Math.max(1, remaining) } : {}),
    ...(run.options.signal ? { signal: run.options.signal } : {}),
    mipRelGap: Math.max(run.tolerance, 1e-9),
    onProgress: (p) => run.progress({ phase: 'extensive-form', ...(p.incumbent !== undefined ? { incumbent: p.incumbent * scale } : {}), ...(p.bound !== undefined ? { bound: p.bound * scale } : {}) }),
  });
  run.markStopped(lp.stoppedBy);
  let open: Uint8Array | null = null;
  if (lp.status === 'optimal' || lp.status === 'feasible') {
    open = new Uint8Array(S);
    for (let i = 0; i < S; i++) open[i] = lp.solution.x[y[i]!]! > 0.5 ? 1 : 0;
  }
  const bound = scale * (lp.status === 'optimal' ? (lp.bound ?? lp.objective ?? -Infinity) : lp.status === 'infeasible' ? Infinity : (lp.bound ?? -Infinity));
  if (wide && open) {
    // The backend's proof and bound do not hold at this range (see FORMULATION_RANGE_LIMIT): its set, unproven.
    return { open, bound: -Infinity, proven: false, status: lp.status, variables: lm.numVariables, warnings: [...(lp.warnings ?? []), wideWarning(range)] };
  }
  return {
    open,
    bound,
    proven: lp.status === 'optimal' || lp.status === 'infeasible',
    status: lp.status,
    variables: lm.numVariables,
    ...(lp.warnings ? { warnings: lp.warnings } : {}),
  };
}

function wideWarning(range: number): string {
  return `the costs span a ratio of ${range.toExponential(1)} (above ${FORMULATION_RANGE_LIMIT.toExponential(0)}): the MIP backend's tolerances cannot prove optimality, its plan is returned without a proof`;
}

/** The objective of a formulation as a score of an exact evaluation. */
export function objectiveScore(objective: ScenarioObjective, n: number): (e: ScenarioEvaluation) => number {
  if (objective.kind === 'expected') return (e) => e.expected;
  if (objective.kind === 'worst') return (e) => e.worst;
  const opt = objective.optimum;
  return (e) => {
    let worst = -Infinity;
    for (let s = 0; s < n; s++) worst = Math.max(worst, e.openingCost + e.recourse[s]! - opt[s]!);
    return worst;
  };
}

/** Every open set evaluated exactly (exhaustiveOpenSets): the optimum, proven, or infeasible when no set serves every scenario. */
async function exhaustiveOutcome(ev: ScenarioEvaluator, run: SolveRun, objective: ScenarioObjective, range: number): Promise<EquivalentOutcome> {
  const best = await exhaustiveOpenSets(ev, objectiveScore(objective, ev.set.scenarios.length), run);
  const formulation = `every open set evaluated exactly (costs span a ratio of ${range.toExponential(1)}, beyond the MIP backend's tolerances)`;
  if (!best) return { open: null, bound: -Infinity, proven: false, status: 'stopped while enumerating', variables: 0 };
  if (best.value === Infinity) return { open: null, bound: Infinity, proven: true, status: 'infeasible', variables: 0, warnings: [formulation] };
  return { open: best.open, bound: best.value, proven: true, status: 'optimal', variables: 0, evaluation: best.evaluation, warnings: [formulation] };
}

/**
 * Allocates the model at (an upper bound of) the extensive form's size: 200 scenarios x 50 x
 * 500 is 5M columns and ~20M nonzeros, whose doubling buffers were 30-50 ms copies (issue 13).
 * One buffer per step with a checkpoint after each (LinearModel.reserveSteps): ~465 MB at
 * once set off garbage collections (external memory pressure) and cleared reused memory in
 * the same stretch, 60-140 ms in all. False when the run stopped.
 */
async function reserveExtensive(lm: LinearModel, size: ExtensiveSize, run: SolveRun): Promise<boolean> {
  for (const _ of lm.reserveSteps(size)) if (await run.tick()) return false;
  return !(await run.tick());
}

/** sum_j m_j d_j x_ij - C_i y_i <= 0 per site with terms; the site's lists get -C_i y_i appended in place (they are cleared per scenario: no copies). */
function capacityRows(lm: LinearModel, capIdx: number[][], capCoef: number[][], y: Int32Array, cap: ArrayLike<number>): void {
  for (let i = 0; i < capIdx.length; i++) {
    if (capIdx[i]!.length === 0) continue;
    capIdx[i]!.push(y[i]!);
    capCoef[i]!.push(-cap[i]!);
    lm.addLe(capIdx[i]!, capCoef[i]!, 0);
  }
}

/** z >= f.y + recourse_s - shift (shift: the scenario optimum for regret, else 0), with the recourse terms already in rowIdx / rowCoef. */
function epigraphRow(lm: LinearModel, set: ScenarioSet, y: Int32Array, z: number, rowIdx: number[], rowCoef: number[], scale: number, shift: number): void {
  const f = set.base.f;
  for (let i = 0; i < set.base.nSites; i++) {
    if (f[i]! !== 0) {
      rowIdx.push(y[i]!);
      rowCoef.push(f[i]! / scale);
    }
  }
  rowIdx.push(z);
  rowCoef.push(-1);
  lm.addLe(rowIdx, rowCoef, shift / scale);
}

/** Columns, rows and nonzeros of an extensive form (upper bounds). */
export interface ExtensiveSize {
  variables: number;
  constraints: number;
  nonzeros: number;
}

/**
 * Working memory of an extensive form of `size`: the builder's buffers (per column three
 * doubles, a type byte and a row marker; per row two bounds and a start; per nonzero an
 * index and a value: ~465 MB for 50 x 500 x 200 scenarios), counted three times for the
 * snapshot handed to the backend and the backend's own copy.
 */
export function extensiveBytes(size: ExtensiveSize): number {
  return 3 * (29 * size.variables + 20 * size.constraints + 12 * size.nonzeros);
}

/** The size guard (issue 13): a ModelError naming the size and the limit when the extensive form does not fit the memory budget. */
export function checkExtensiveMemory(size: ExtensiveSize, options: { maxMemoryBytes?: number | undefined }): void {
  checkMemory('the scenario extensive form', `a MIP of ${size.variables} columns, ${size.constraints} rows and ${size.nonzeros} nonzeros`, extensiveBytes(size), options);
}

/**
 * Upper bounds of the extensive form's columns, rows and nonzeros (every pair of a
 * client with demand and a site that is not forbidden counted usable; a pair with an
 * infinite cost in some scenario is one column fewer): LinearModel.reserve's hint.
 */
export function extensiveSize(set: ScenarioSet, objective: ScenarioObjective): ExtensiveSize {
  const { base, scenarios, penalty } = set;
  const S = base.nSites;
  let sites = 0;
  for (let i = 0; i < S; i++) if (!base.forbidden[i]) sites++;
  const expected = objective.kind === 'expected';
  const withPenalty = penalty < Infinity ? 1 : 0;
  let variables = S + 1;
  let constraints = 0;
  let nonzeros = 0;
  for (const sc of scenarios) {
    if (expected && sc.probability === 0) continue;
    let clients = 0;
    for (let j = 0; j < sc.demand.length; j++) if (sc.demand[j]! > 0) clients++;
    const pairs = clients * sites;
    variables += pairs + clients * withPenalty;
    // x <= y per pair, one assignment row per client, a capacity row per site, the epigraph row.
    constraints += pairs + clients + (set.capacitated ? sites : 0) + (expected ? 0 : 1);
    // x <= y: 2; assignment: 1 (+ u); capacity: 1 (+ y); epigraph: 1 (+ u, + every y, + z).
    nonzeros += pairs * (3 + (set.capacitated ? 1 : 0) + (expected ? 0 : 1)) + clients * withPenalty * (expected ? 1 : 2);
    nonzeros += (set.capacitated ? sites : 0) + (expected ? 0 : S + 1);
  }
  return { variables, constraints, nonzeros };
}

/**
 * A power of two near the largest finite cost coefficient of the formulation (1 when there
 * is none). It reads every scenario's cost matrix (200 x 50 x 500 numbers took 30-70 ms in one
 * stretch, issue 13), so it checks the run before each scenario: null when the run stopped.
 */
export async function formulationScale(set: ScenarioSet, ev: ScenarioEvaluator, objective: ScenarioObjective, run: Pick<SolveRun, 'tick'>): Promise<number | null> {
  const range = await coefficientRange(set, ev, objective, run);
  return range === null ? null : range.scale;
}

/**
 * Largest ratio of two nonzero cost coefficients (opening costs of sites that may open,
 * usable serving costs, penalties of clients with demand) up to which the MIP backend's
 * answer is trusted: HiGHS stops at an absolute gap of 1e-6 and treats reduced costs below
 * 1e-7 as zero, so after scaling by the largest coefficient, costs 1e6 times smaller can be
 * lost (a 2^40 opening cost next to unit serving costs gave a wrong `optimal`; issue 13 audit).
 */
export const FORMULATION_RANGE_LIMIT = 1e6;

/** The formulation's scale (a power of two near the largest coefficient) and its range (largest / smallest nonzero). Null when the run stopped. */
export async function coefficientRange(set: ScenarioSet, ev: ScenarioEvaluator, objective: ScenarioObjective, run: Pick<SolveRun, 'tick'>): Promise<{ scale: number; range: number } | null> {
  let largest = 0;
  let smallest = Infinity;
  const note = (v: number, counts: boolean): void => {
    const a = Math.abs(v);
    if (!(a < Infinity)) return;
    if (a > largest) largest = a;
    if (counts && a > 0 && a < smallest) smallest = a;
  };
  for (let i = 0; i < set.base.nSites; i++) note(set.base.f[i]!, !set.base.forbidden[i]);
  for (let s = 0; s < set.scenarios.length; s++) {
    if (await run.tick()) return null;
    const sc = set.scenarios[s]!;
    const counted = objective.kind !== 'expected' || sc.probability > 0;
    let maxDemand = 0;
    for (let j = 0; j < sc.demand.length; j++) {
      maxDemand = Math.max(maxDemand, sc.demand[j]!);
      if (set.penalty < Infinity) note(set.penalty * sc.demand[j]!, counted);
    }
    note(set.penalty * maxDemand, false);
    const e = ev.costs(s);
    for (let k = 0; k < e.length; k++) note(e[k]!, counted && sc.demand[k % set.base.nClients]! > 0 && !set.base.forbidden[Math.floor(k / set.base.nClients)]);
    if (objective.kind === 'regret') note(objective.optimum[s]!, false);
  }
  return { scale: largest > 0 ? 2 ** Math.round(Math.log2(largest)) : 1, range: smallest < Infinity ? largest / smallest : 1 };
}

/**
 * Uncapacitated sets only: the expected-cost problem is itself a UFL with one client per
 * (scenario, client) pair of positive probability and demand, cost p_s e^s_ij, failed
 * sites not allowed, and the penalty as an extra pre-opened site of cost p_s pen m^s_j.
 * emplace's exact UFL (Lagrangian branch-and-bound) then solves it with a proven bound.
 */
export async function uflEquivalent(set: ScenarioSet, ev: ScenarioEvaluator, run: SolveRun): Promise<EquivalentOutcome> {
  const { base, scenarios, penalty } = set;
  const { nSites: S, nClients: C } = base;
  const withPenalty = penalty < Infinity;
  const S2 = S + (withPenalty ? 1 : 0);
  // Allocating the (sites + 1) x pairs matrices below takes 15-30 ms on 50 x 500 x 200:
  // a run stopped already (e.g. during the local-search start) must not pay it (issue 13).
  if (await run.tick()) return { open: null, bound: -Infinity, proven: false, status: 'stopped while building', variables: 0 };
  const pairs: number[] = [];
  for (let s = 0; s < scenarios.length; s++) {
    if (scenarios[s]!.probability === 0) continue;
    for (let j = 0; j < C; j++) if (scenarios[s]!.demand[j]! > 0) pairs.push(s * C + j);
  }
  const n = pairs.length;
  const cost = new Float64Array(S2 * n);
  const allowed = new Uint8Array(S2 * n);
  // Pairs are scenario-major: the scenario cost matrix is fetched once per scenario (it is
  // recomputed into scratch when the evaluator does not cache every scenario).
  let e: Float64Array = new Float64Array(0);
  let lastS = -1;
  for (let q = 0; q < n; q++) {
    const s = Math.floor(pairs[q]! / C);
    const j = pairs[q]! % C;
    const p = scenarios[s]!.probability;
    if (s !== lastS) {
      e = ev.costs(s);
      lastS = s;
    }
    for (let i = 0; i < S; i++) {
      const v = e[i * C + j]!;
      if (v < Infinity && !base.forbidden[i]) {
        cost[i * n + q] = p * v;
        allowed[i * n + q] = 1;
      }
    }
    if (withPenalty) {
      cost[S * n + q] = p * penalty * scenarios[s]!.demand[j]!;
      allowed[S * n + q] = 1;
    }
    if ((q & 255) === 0 && (await run.tick())) return { open: null, bound: -Infinity, proven: false, status: 'stopped while building', variables: 0 };
  }
  const model = await trustedUflModel(set, n, cost, allowed, run);
  if (!model) return { open: null, bound: -Infinity, proven: false, status: 'stopped while building', variables: 0 };
  const remaining = run.remainingMs();
  const res = await solveUfl(model, {
    method: 'branch-and-bound',
    ...(remaining < Infinity ? { timeLimitMs: Math.max(1, remaining) } : {}),
    ...(run.options.signal ? { signal: run.options.signal } : {}),
    ...(run.options.tolerance !== undefined ? { tolerance: run.options.tolerance } : {}),
    seed: run.rng.nextUint32(),
  });
  run.markStopped(res.stoppedBy);
  if (!hasSolution(res)) {
    return { open: null, bound: res.status === 'infeasible' ? Infinity : (res.bound ?? -Infinity), proven: res.status === 'infeasible', status: res.status, variables: S2 * n };
  }
  const open = new Uint8Array(S);
  for (const i of res.solution.openSites) if (i < S) open[i] = 1;
  const evaluation = evaluationFromEquivalent(set, pairs, cost, open, res.solution.assignment);
  return { open, bound: res.bound ?? -Infinity, proven: res.status === 'optimal', status: res.status, variables: S2 * n + S2, ...(evaluation ? { evaluation } : {}) };
}

/**
 * The scenario evaluation of `open` read off the equivalent UFL's costs (p_s e^s_ij per pair,
 * the penalty site last) and its plan `assign` (each pair at its closest open site), in O(pairs):
 * evaluating every scenario again after a stop took 50-170 ms (issue 13). The penalty wins ties,
 * as in ScenarioEvaluator. Null when a scenario has probability 0 (it has no pairs here).
 */
export function evaluationFromEquivalent(set: ScenarioSet, pairs: readonly number[], cost: Float64Array, open: Uint8Array, assign: Int32Array): ScenarioEvaluation | null {
  const { base, scenarios, penalty } = set;
  const S = base.nSites;
  const C = base.nClients;
  const n = pairs.length;
  if (scenarios.some((sc) => sc.probability === 0)) return null;
  let openingCost = 0;
  for (let i = 0; i < S; i++) if (open[i]) openingCost += base.f[i]!;
  const recourse = new Float64Array(scenarios.length);
  const unserved = new Float64Array(scenarios.length);
  for (let q = 0; q < n; q++) {
    const s = Math.floor(pairs[q]! / C);
    // The penalty site's entry is p pen m (absent without a penalty: Infinity, as pen m is).
    const pen = penalty < Infinity ? cost[S * n + q]! : Infinity;
    const v = cost[assign[q]! * n + q]!;
    if (!(v < pen)) unserved[s]!++;
    recourse[s]! += Math.min(v, pen) / scenarios[s]!.probability;
  }
  let expected = openingCost;
  let worst = -Infinity;
  let worstScenario = 0;
  for (let s = 0; s < scenarios.length; s++) {
    expected += scenarios[s]!.probability * recourse[s]!;
    if (openingCost + recourse[s]! > worst) {
      worst = openingCost + recourse[s]!;
      worstScenario = s;
    }
  }
  return { openingCost, recourse, unserved, expected, worst, worstScenario };
}

/**
 * The equivalent UFL's PlacementModel from arrays built (and valid) by construction: finite
 * non-negative costs, 0/1 allowed flags, one unit of demand per client. createPlacementModel
 * copied them in one synchronous call of 66-77 ms on 51 x 25,000 (10 MB cost copy, 25,000
 * client ids, the allowed copy; issue 13); here nothing is copied and the client ids are made
 * in chunks with a checkpoint between them. Fields as createPlacementModel would set them
 * for `{ sites, clients: n, cost, allowed }`. Null when the run stopped.
 */
export async function trustedUflModel(set: ScenarioSet, n: number, cost: Float64Array, allowed: Uint8Array, run: SolveRun): Promise<PlacementModel | null> {
  const { base, penalty } = set;
  const S = base.nSites;
  const S2 = S + (penalty < Infinity ? 1 : 0);
  const clientIds: string[] = new Array<string>(n);
  for (let j = 0; j < n; j++) {
    if ((j & 4095) === 4095 && (await run.tick())) return null;
    clientIds[j] = `client${j}`;
  }
  const openingCost = new Float64Array(S2);
  const mustOpen = new Uint8Array(S2);
  const forbidden = new Uint8Array(S2);
  for (let i = 0; i < S2; i++) {
    openingCost[i] = i < S ? base.f[i]! : 0;
    mustOpen[i] = i < S ? (base.mustOpen[i] === 1 ? 1 : 0) : 1;
    forbidden[i] = i < S && base.forbidden[i] === 1 ? 1 : 0;
  }
  if (await run.tick()) return null;
  return {
    kind: 'placement',
    nSites: S2,
    nClients: n,
    dimensions: ['demand'],
    siteIds: Array.from({ length: S2 }, (_, i) => `site${i}`),
    clientIds,
    siteLabels: Array.from({ length: S2 }, () => ({})),
    openingCost,
    capacity: new Float64Array(S2).fill(Infinity),
    demand: new Float64Array(n).fill(1),
    weight: new Float64Array(n).fill(1),
    cost,
    allowed,
    mustOpen,
    forbidden,
    affinity: [],
    antiAffinity: [],
  };
}
