import { checkModelFeatures, ModelError, Rng, describe, type PlacementModel, type SolveRun } from '@emplace/core';
import { SCENARIO_FEATURES } from './features.js';
import { prepareProblem, type FacilityProblem } from './problem.js';
import { Transportation } from './transportation.js';

/**
 * Scenarios of a two-stage placement: the sites are chosen now (first stage, opening
 * costs), each scenario then reveals its demand, serving costs and failed sites, and the
 * clients are served from the open sites that survive (second stage, recourse).
 *
 * In scenario s the cost of serving client j from site i is
 *   e^s_ij = m^s_j * k_s * c^s_ij    (Infinity when i failed in s, i is forbidden or (i, j) not allowed)
 * with m^s_j the client's demand factor (1 = as in the model, 0 = absent), k_s a cost
 * scale and c^s the scenario's cost matrix (the model's by default). A client may also be
 * left unserved at `penalty * m^s_j` (lost demand, overflow to another provider); with the
 * default penalty Infinity every client with positive demand must be served. Capacitated
 * sets (split demand) load site i with m^s_j * d_j of client j, within C_i in every scenario.
 */
export interface ScenarioInput {
  name?: string;
  /** Probability weight (normalised over the set); default: all scenarios equally likely. */
  probability?: number;
  /** Demand factor per client: an array (one per client) or a record keyed by client id (missing ids: 1). */
  demand?: ArrayLike<number> | Readonly<Record<string, number>>;
  /** Multiplies every serving cost of the scenario (default 1). */
  costScale?: number;
  /** Replaces the model's serving costs: flat sites x clients, or one row per site. */
  cost?: ArrayLike<number> | readonly ArrayLike<number>[];
  /** Sites that fail in this scenario (indices or ids): they serve nobody. */
  failed?: readonly (number | string)[];
}

/** One validated scenario, index-based. */
export interface Scenario {
  readonly name: string;
  /** Normalised probability (the set's probabilities sum to 1). */
  readonly probability: number;
  /** Demand factor per client. */
  readonly demand: Float64Array;
  readonly costScale: number;
  /** Scenario cost matrix (sites x clients), or null for the model's. */
  readonly cost: Float64Array | null;
  /** 1 for the sites down in this scenario. */
  readonly failed: Uint8Array;
}

export interface ScenarioSetOptions {
  /** Cost per unit of demand factor of leaving a client unserved in a scenario; default Infinity (must serve). */
  penalty?: number;
  /**
   * Respect site capacities (dimension 0 of capacity vs demand, split demand). Default: true
   * when some site has a finite capacity in dimension 0.
   */
  capacitated?: boolean;
}

/** A placement model with its scenarios: the input of the stochastic, SAA and robust solvers. */
export interface ScenarioSet {
  readonly kind: 'scenarios';
  readonly model: PlacementModel;
  readonly scenarios: readonly Scenario[];
  readonly penalty: number;
  readonly capacitated: boolean;
  /** The model's facility view (UFL or CFL): opening costs, base costs (Infinity when not allowed), capacities. */
  readonly base: FacilityProblem;
  /** What the scenario methods ignore in the model (dimensions beyond the first, replicas). */
  readonly warnings: readonly string[];
}

/**
 * Validates the scenarios against the model (ModelError naming `scenarios[s].field`) and
 * normalises the probabilities. The model is checked once: affinity, anti-affinity and
 * site-dependent demand are not modelled by the two-stage formulations and are refused.
 */
export function createScenarioSet(model: PlacementModel, scenarios: readonly ScenarioInput[], options: ScenarioSetOptions = {}): ScenarioSet {
  if (model === null || typeof model !== 'object' || model.kind !== 'placement') throw new ModelError('model', 'must be a PlacementModel (createPlacementModel from @emplace/core)');
  // Refuses affinity, anti-affinity and siteDemand; warns about extra dimensions and replica counts.
  const warnings = checkModelFeatures(model, SCENARIO_FEATURES, 'the scenario methods (two-stage, robust)');
  if (!Array.isArray(scenarios)) throw new ModelError('scenarios', `must be an array of scenarios, got ${describe(scenarios)}`);
  if (scenarios.length === 0) throw new ModelError('scenarios', 'must hold at least one scenario');
  const penalty = options.penalty ?? Infinity;
  if (!(penalty >= 0)) throw new ModelError('options.penalty', `must be a non-negative number (or Infinity), got ${String(options.penalty)}`);
  const nDims = model.dimensions.length;
  let finiteCap = false;
  for (let i = 0; i < model.nSites; i++) if (model.capacity[i * nDims] !== Infinity) finiteCap = true;
  const capacitated = options.capacitated ?? finiteCap;
  const prep = prepareProblem(model, capacitated ? 'cfl' : 'ufl');
  // Evident infeasibility of the base data (a client with no allowed site) is not final
  // here: with a finite penalty such a client is simply never served.
  const base = prep.kind === 'ok' ? prep.problem : prepareLenient(model, capacitated);

  const siteIndex = new Map<string, number>();
  model.siteIds.forEach((id, i) => siteIndex.set(id, i));
  const clientIndex = new Map<string, number>();
  model.clientIds.forEach((id, j) => clientIndex.set(id, j));
  const nS = model.nSites;
  const nC = model.nClients;
  const out: Scenario[] = [];
  let total = 0;
  const explicit = scenarios.some((s) => s?.probability !== undefined);
  for (let s = 0; s < scenarios.length; s++) {
    const sc = scenarios[s];
    const at = `scenarios[${s}]`;
    if (sc === null || typeof sc !== 'object') throw new ModelError(at, `must be an object, got ${describe(sc)}`);
    let p = 1;
    if (explicit) {
      p = sc.probability ?? 0;
      if (!(p >= 0 && p < Infinity)) throw new ModelError(`${at}.probability`, `must be a finite non-negative number, got ${String(sc.probability)}`);
    }
    total += p;
    const demand = new Float64Array(nC).fill(1);
    if (sc.demand !== undefined) {
      const d = sc.demand;
      if (isArrayLike(d)) {
        if (d.length !== nC) throw new ModelError(`${at}.demand`, `must have ${nC} entries (one factor per client), got ${d.length}`);
        for (let j = 0; j < nC; j++) demand[j] = factor(`${at}.demand[${j}]`, d[j]);
      } else if (typeof d === 'object' && d !== null) {
        for (const key of Object.keys(d)) {
          const j = clientIndex.get(key);
          if (j === undefined) throw new ModelError(`${at}.demand.${key}`, 'names an unknown client');
          demand[j] = factor(`${at}.demand.${key}`, (d as Record<string, number>)[key]);
        }
      } else throw new ModelError(`${at}.demand`, `must be an array or a record of factors, got ${describe(d)}`);
    }
    const costScale = sc.costScale === undefined ? 1 : factor(`${at}.costScale`, sc.costScale);
    let cost: Float64Array | null = null;
    if (sc.cost !== undefined) cost = readCost(`${at}.cost`, sc.cost, nS, nC);
    const failed = new Uint8Array(nS);
    if (sc.failed !== undefined) {
      if (!Array.isArray(sc.failed)) throw new ModelError(`${at}.failed`, `must be a list of site indices or ids, got ${describe(sc.failed)}`);
      sc.failed.forEach((f: number | string, k: number) => {
        const i = typeof f === 'string' ? siteIndex.get(f) : Number.isInteger(f) && f >= 0 && f < nS ? f : undefined;
        if (i === undefined) throw new ModelError(`${at}.failed[${k}]`, `is not a site index or id: ${JSON.stringify(f)}`);
        failed[i] = 1;
      });
    }
    out.push({ name: typeof sc.name === 'string' ? sc.name : `s${s}`, probability: p, demand, costScale, cost, failed });
  }
  if (!(total > 0)) throw new ModelError('scenarios[].probability', 'must not all be zero');
  const scaled = out.map((s) => ({ ...s, probability: s.probability / total }));
  return { kind: 'scenarios', model, scenarios: scaled, penalty, capacitated, base, warnings };
}

/** The facility view when the base data leave a client without an allowed site (a penalty may still serve it). */
function prepareLenient(model: PlacementModel, capacitated: boolean): FacilityProblem {
  const nS = model.nSites;
  const nC = model.nClients;
  const nDims = model.dimensions.length;
  const c = new Float64Array(nS * nC);
  for (let i = 0; i < nS; i++) {
    for (let j = 0; j < nC; j++) {
      const v = model.cost[i * nC + j]!;
      if (!(v >= 0 && v < Infinity)) throw new ModelError(`cost[${i}][${j}]`, `must be finite and non-negative, got ${v}`);
      c[i * nC + j] = (model.allowed && model.allowed[i * nC + j] !== 1) || model.forbidden[i] ? Infinity : v;
    }
  }
  const d = new Float64Array(nC).fill(1);
  const cap = new Float64Array(nS).fill(Infinity);
  let totalDemand = nC;
  if (capacitated) {
    totalDemand = 0;
    for (let j = 0; j < nC; j++) totalDemand += d[j] = model.demand[j * nDims]!;
    for (let i = 0; i < nS; i++) cap[i] = model.capacity[i * nDims]!;
  }
  return {
    variant: capacitated ? 'cfl' : 'ufl',
    nSites: nS,
    nClients: nC,
    f: Float64Array.from(model.openingCost),
    c,
    d,
    cap,
    mustOpen: Uint8Array.from(model.mustOpen),
    forbidden: Uint8Array.from(model.forbidden),
    p: 0,
    totalDemand,
    capacitated,
  };
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

function factor(field: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < Infinity)) throw new ModelError(field, `must be a finite non-negative number, got ${describe(v)}`);
  return v;
}

function readCost(field: string, m: ArrayLike<number> | readonly ArrayLike<number>[], nS: number, nC: number): Float64Array {
  const out = new Float64Array(nS * nC);
  const rows = m as readonly ArrayLike<number>[];
  if (m.length === nS && nS > 0 && typeof rows[0] === 'object' && rows[0] !== null) {
    for (let i = 0; i < nS; i++) {
      const row = rows[i]!;
      if (!row || row.length !== nC) throw new ModelError(`${field}[${i}]`, `must have ${nC} entries (one per client)`);
      for (let j = 0; j < nC; j++) out[i * nC + j] = factor(`${field}[${i}][${j}]`, row[j]);
    }
    return out;
  }
  const flat = m as ArrayLike<number>;
  if (flat.length !== nS * nC) throw new ModelError(field, `must have ${nS} x ${nC} = ${nS * nC} entries (sites x clients), got ${flat.length}`);
  for (let k = 0; k < flat.length; k++) out[k] = factor(`${field}[${Math.floor(k / nC)}][${k % nC}]`, flat[k]);
  return out;
}

/**
 * Fills `out` (sites x clients) with e^s_ij, the cost of serving client j from site i in
 * scenario s (Infinity when the pair cannot be used in s). Costs of absent clients are 0.
 * With `rows`, only the rows of sites i with rows[i] set are filled (the others keep what
 * they held).
 */
export function scenarioCosts(set: ScenarioSet, s: number, out: Float64Array, rows?: Uint8Array | undefined): Float64Array {
  const sc = set.scenarios[s]!;
  const { nSites: nS, nClients: nC, c } = set.base;
  const src = sc.cost;
  for (let i = 0; i < nS; i++) {
    if (rows && !rows[i]) continue;
    const row = i * nC;
    if (sc.failed[i]) {
      out.fill(Infinity, row, row + nC);
      continue;
    }
    for (let j = 0; j < nC; j++) {
      const b = c[row + j]!;
      out[row + j] = b === Infinity ? Infinity : sc.demand[j]! * sc.costScale * (src ? src[row + j]! : b);
    }
  }
  return out;
}

/** Cost of an open set in every scenario: opening cost, recourse per scenario, expectation. */
export interface ScenarioEvaluation {
  openingCost: number;
  /** Recourse (serving + penalty) cost per scenario; Infinity when a scenario cannot be served. */
  recourse: Float64Array;
  /** Clients left unserved (at the penalty) per scenario. */
  unserved: Float64Array;
  /** openingCost + sum_s p_s recourse_s. */
  expected: number;
  /** openingCost + max_s recourse_s. */
  worst: number;
  /** Index of the worst scenario. */
  worstScenario: number;
}

/**
 * Exact second-stage evaluation of open sets. Uncapacitated: every client goes to its
 * cheapest open surviving site, or to the penalty when that is cheaper (or nothing
 * survives). Capacitated: a transportation problem per scenario, with the penalty as an
 * extra always-open site of unlimited capacity. Scratch arrays are allocated once.
 */
export class ScenarioEvaluator {
  readonly set: ScenarioSet;
  private readonly e: Float64Array;
  /** Scratch: the open sites of the evaluation under way. */
  private readonly openList: Int32Array;
  /**
   * Scenario costs cached when the whole set fits in `cacheLimit` numbers, each filled on
   * first use (not in the constructor: a full cache is millions of numbers, and building
   * it up front was one long synchronous stretch that no abort could interrupt).
   */
  private readonly cache: (Float64Array | undefined)[] | null;
  evaluations = 0;

  constructor(set: ScenarioSet, cacheLimit = 4_000_000) {
    this.set = set;
    const size = set.base.nSites * set.base.nClients;
    this.e = new Float64Array(size);
    this.openList = new Int32Array(set.base.nSites);
    this.cache = size * set.scenarios.length <= cacheLimit ? new Array<Float64Array | undefined>(set.scenarios.length) : null;
  }

  /** The e^s matrix of scenario s (cached or recomputed into scratch). */
  costs(s: number): Float64Array {
    if (!this.cache) return scenarioCosts(this.set, s, this.e);
    let c = this.cache[s];
    if (!c) {
      c = scenarioCosts(this.set, s, new Float64Array(this.e.length));
      this.cache[s] = c;
    }
    return c;
  }

  /** Recourse cost of scenario s for the open set, and the number of unserved clients. */
  recourse(s: number, open: Uint8Array): { cost: number; unserved: number } {
    const set = this.set;
    if (set.capacitated) return capacitatedRecourse(set, s, this.costs(s), open);
    // Closest assignment reads the open sites' rows only: without a cache, only they are
    // computed (a few of the S rows: the fresh-sample estimates of SAA are several times
    // faster, and an estimate finished after an abort is short).
    const e = this.cache ? this.costs(s) : scenarioCosts(set, s, this.e, open);
    return closestRecourse(set, s, e, open, this.openList);
  }

  evaluate(open: Uint8Array): ScenarioEvaluation {
    const acc = this.begin(open);
    for (let s = 0; s < this.set.scenarios.length; s++) this.add(acc, s, open);
    return acc;
  }

  /**
   * `evaluate` that yields to the event loop between scenarios (`run.tick()`): null when
   * the run stopped before every scenario was evaluated.
   */
  async evaluateAsync(open: Uint8Array, run: SolveRun): Promise<ScenarioEvaluation | null> {
    const { evaluation, count } = await this.evaluatePrefixAsync(open, run, () => false);
    return count === this.set.scenarios.length ? evaluation : null;
  }

  /**
   * `evaluateAsync` that keeps what it evaluated (issue 13: an estimate cut short by a stop
   * was thrown away and redone from scratch after it): scenarios in order, yielding between
   * them; once the run has stopped it goes on only while `more(done)` says so. The arrays
   * have the set's length with the first `count` entries filled, and `expected` sums the
   * probabilities of those scenarios only (see `prefixEvaluation`).
   */
  async evaluatePrefixAsync(open: Uint8Array, run: SolveRun, more: (done: number) => boolean): Promise<{ evaluation: ScenarioEvaluation; count: number }> {
    const acc = this.begin(open);
    const n = this.set.scenarios.length;
    let s = 0;
    for (; s < n; s++) {
      if ((await run.tick()) && !more(s)) break;
      this.add(acc, s, open);
    }
    return { evaluation: acc, count: s };
  }

  private begin(open: Uint8Array): ScenarioEvaluation {
    this.evaluations++;
    const { base, scenarios } = this.set;
    let openingCost = 0;
    for (let i = 0; i < base.nSites; i++) if (open[i]) openingCost += base.f[i]!;
    const n = scenarios.length;
    return { openingCost, recourse: new Float64Array(n), unserved: new Float64Array(n), expected: openingCost, worst: -Infinity, worstScenario: 0 };
  }

  /** Adds scenario s to an evaluation under way (worst = opening cost + the worst recourse so far). */
  private add(acc: ScenarioEvaluation, s: number, open: Uint8Array): void {
    const r = this.recourse(s, open);
    const p = this.set.scenarios[s]!.probability;
    acc.recourse[s] = r.cost;
    acc.unserved[s] = r.unserved;
    acc.expected += p === 0 ? 0 : p * r.cost;
    if (acc.openingCost + r.cost > acc.worst) {
      acc.worst = acc.openingCost + r.cost;
      acc.worstScenario = s;
    }
  }
}

function closestRecourse(set: ScenarioSet, s: number, e: Float64Array, open: Uint8Array, openList: Int32Array): { cost: number; unserved: number } {
  const { nSites: nS, nClients: nC } = set.base;
  const m = set.scenarios[s]!.demand;
  // The open sites once, then clients x open sites (not x every site: a few of the S are open).
  let nOpen = 0;
  for (let i = 0; i < nS; i++) if (open[i]) openList[nOpen++] = i;
  let cost = 0;
  let unserved = 0;
  for (let j = 0; j < nC; j++) {
    if (m[j] === 0) continue;
    let best = set.penalty * m[j]!;
    let served = false;
    for (let t = 0; t < nOpen; t++) {
      const k = openList[t]! * nC + j;
      if (e[k]! < best) {
        best = e[k]!;
        served = true;
      }
    }
    if (!served) unserved++;
    cost += best;
  }
  return { cost, unserved };
}

function capacitatedRecourse(set: ScenarioSet, s: number, e: Float64Array, open: Uint8Array): { cost: number; unserved: number } {
  const { nSites: nS, nClients: nC } = set.base;
  const sc = set.scenarios[s]!;
  const m = sc.demand;
  const withPenalty = set.penalty < Infinity;
  const S = nS + (withPenalty ? 1 : 0);
  // Clients that load nothing (demand factor or base demand 0) take their cheapest open
  // site (or the penalty) outside the transportation; the others form a CFL
  // transportation with demand m_j d_j and unit costs e_ij / (m_j d_j).
  const act: number[] = [];
  let cost = 0;
  let unserved = 0;
  for (let j = 0; j < nC; j++) {
    if (m[j] === 0) continue;
    if (m[j]! * set.base.d[j]! > 0) {
      act.push(j);
      continue;
    }
    let best = set.penalty * m[j]!;
    let served = false;
    for (let i = 0; i < nS; i++) if (open[i] && e[i * nC + j]! < best) { best = e[i * nC + j]!; served = true; }
    if (!served) unserved++;
    cost += best;
  }
  const A = act.length;
  if (A === 0) return { cost, unserved };
  const d = new Float64Array(A);
  const c = new Float64Array(S * A);
  const unit = new Float64Array(S * A);
  let totalDemand = 0;
  for (let a = 0; a < A; a++) totalDemand += d[a] = m[act[a]!]! * set.base.d[act[a]!]!;
  for (let i = 0; i < S; i++) {
    for (let a = 0; a < A; a++) {
      const j = act[a]!;
      const v = i < nS ? e[i * nC + j]! : set.penalty * m[j]!;
      c[i * A + a] = v;
      unit[i * A + a] = v === Infinity ? Infinity : v / d[a]!;
    }
  }
  const cap = new Float64Array(S);
  for (let i = 0; i < nS; i++) cap[i] = sc.failed[i] ? 0 : set.base.cap[i]!;
  if (withPenalty) cap[nS] = Infinity;
  const pr: FacilityProblem = {
    variant: "cfl",
    nSites: S,
    nClients: A,
    f: new Float64Array(S),
    c,
    d,
    cap,
    mustOpen: new Uint8Array(S),
    forbidden: new Uint8Array(S),
    p: 0,
    totalDemand,
    capacitated: true,
  };
  const o = new Uint8Array(S);
  for (let i = 0; i < nS; i++) o[i] = open[i]! && !sc.failed[i] ? 1 : 0;
  if (withPenalty) o[nS] = 1;
  const t = new Transportation(pr, unit).solve(o);
  if (!t) return { cost: Infinity, unserved: unserved + A };
  if (withPenalty) {
    const seen = new Uint8Array(A);
    for (const sh of t.flows) {
      if (sh.site === nS && sh.fraction > 1e-9 && !seen[sh.client]) {
        seen[sh.client] = 1;
        unserved++;
      }
    }
  }
  return { cost: cost + t.cost, unserved };
}

// ------------------------------------------------------------------ generators

/** Draws one scenario; used by SAA for distributions too large (or infinite) to list. */
export type ScenarioSampler = (rng: Rng) => ScenarioInput;

export interface ScenarioGeneratorSpec {
  /**
   * Demand uncertainty: each group's demand factor is lognormal with median 1 and this
   * log-standard deviation (default 0.3); 0 = deterministic demand.
   */
  demandSigma?: number;
  /**
   * One group name per client (e.g. its region): clients of a group share one demand
   * factor per scenario (regional demand shocks). Default: every client is its own group.
   */
  demandGroups?: readonly string[];
  /** Probability that each failure domain fails in a scenario (default 0). */
  failureProbability?: number;
  /** Site label whose values are the failure domains (default: each site alone). */
  failureDomain?: string;
  /** At most this many domains down at once (default unlimited); 1 = single outages only. */
  maxFailures?: number;
  /** Serving-cost uncertainty: uniform cost scale in [1 - costSpread, 1 + costSpread] (default 0). */
  costSpread?: number;
}

/**
 * A seeded generator of scenarios for a model: correlated (per group) lognormal demand,
 * independent failures of failure domains (sites sharing a label value fail together),
 * and a cost scale. Deterministic for a given Rng state.
 */
export function scenarioSampler(model: PlacementModel, spec: ScenarioGeneratorSpec = {}): ScenarioSampler {
  const sigma = spec.demandSigma ?? 0.3;
  if (!(sigma >= 0 && sigma < Infinity)) throw new ModelError('demandSigma', `must be a finite non-negative number, got ${String(spec.demandSigma)}`);
  const pFail = spec.failureProbability ?? 0;
  if (!(pFail >= 0 && pFail <= 1)) throw new ModelError('failureProbability', `must be in [0, 1], got ${String(spec.failureProbability)}`);
  const spread = spec.costSpread ?? 0;
  if (!(spread >= 0 && spread < 1)) throw new ModelError('costSpread', `must be in [0, 1), got ${String(spec.costSpread)}`);
  const maxFailures = spec.maxFailures ?? Infinity;
  if (!(maxFailures >= 0)) throw new ModelError('maxFailures', `must be non-negative, got ${String(spec.maxFailures)}`);
  const nC = model.nClients;
  const nS = model.nSites;
  // Demand groups.
  const groupOf = new Int32Array(nC);
  let nGroups = nC;
  if (spec.demandGroups) {
    if (spec.demandGroups.length !== nC) throw new ModelError('demandGroups', `must name one group per client (${nC}), got ${spec.demandGroups.length}`);
    const ids = new Map<string, number>();
    for (let j = 0; j < nC; j++) {
      const g = spec.demandGroups[j]!;
      if (!ids.has(g)) ids.set(g, ids.size);
      groupOf[j] = ids.get(g)!;
    }
    nGroups = ids.size;
  } else for (let j = 0; j < nC; j++) groupOf[j] = j;
  // Failure domains.
  const domainOf = new Int32Array(nS);
  let nDomains = nS;
  if (spec.failureDomain !== undefined) {
    const ids = new Map<string, number>();
    for (let i = 0; i < nS; i++) {
      const v = model.siteLabels[i]![spec.failureDomain];
      if (v === undefined) throw new ModelError(`sites[${i}].labels.${spec.failureDomain}`, 'is missing: every site needs a failure domain label');
      if (!ids.has(v)) ids.set(v, ids.size);
      domainOf[i] = ids.get(v)!;
    }
    nDomains = ids.size;
  } else for (let i = 0; i < nS; i++) domainOf[i] = i;
  let counter = 0;
  const gFactor = new Float64Array(nGroups);
  const down = new Uint8Array(nDomains);
  return (rng: Rng): ScenarioInput => {
    for (let g = 0; g < nGroups; g++) gFactor[g] = sigma === 0 ? 1 : Math.exp(sigma * rng.normal());
    down.fill(0);
    let nDown = 0;
    if (pFail > 0) {
      // Visit the domains in random order so that the cap on failures is unbiased.
      const order = rng.permutation(nDomains);
      for (let q = 0; q < nDomains; q++) {
        if (rng.next() < pFail && nDown < maxFailures) {
          down[order[q]!] = 1;
          nDown++;
        }
      }
    }
    const demand = new Array<number>(nC);
    for (let j = 0; j < nC; j++) demand[j] = gFactor[groupOf[j]!]!;
    const failed: number[] = [];
    for (let i = 0; i < nS; i++) if (down[domainOf[i]!]) failed.push(i);
    const out: ScenarioInput = { name: `g${counter++}`, demand };
    if (failed.length > 0) out.failed = failed;
    if (spread > 0) out.costScale = rng.uniform(1 - spread, 1 + spread);
    return out;
  };
}

/** `count` equally likely scenarios from the seeded generator (see scenarioSampler). */
export function generateScenarios(model: PlacementModel, count: number, spec: ScenarioGeneratorSpec & { seed?: number } = {}): ScenarioInput[] {
  if (!Number.isInteger(count) || count < 1) throw new ModelError('count', `must be a positive integer, got ${String(count)}`);
  const rng = new Rng(spec.seed ?? 1);
  const draw = scenarioSampler(model, spec);
  const out: ScenarioInput[] = [];
  for (let k = 0; k < count; k++) out.push({ ...draw(rng), name: `s${k}` });
  return out;
}

/**
 * A sampler that draws from a listed set with its probabilities (with replacement):
 * cumulative probabilities and a binary search per draw.
 */
export function listSampler(set: ScenarioSet): (rng: Rng) => number {
  const n = set.scenarios.length;
  const cum = new Float64Array(n);
  let acc = 0;
  for (let s = 0; s < n; s++) cum[s] = acc += set.scenarios[s]!.probability;
  return (rng: Rng): number => {
    const u = rng.next() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/**
 * The first `count` scenarios of an equally weighted sample (weights 1/count again) and the
 * evaluation of an open set on them, from an evaluation that filled at least those
 * (`evaluatePrefixAsync`). The first scenarios of an independent sample are one too.
 */
export function prefixEvaluation(set: ScenarioSet, evaluation: ScenarioEvaluation, count: number): { set: ScenarioSet; evaluation: ScenarioEvaluation } {
  if (!(count >= 1 && count <= set.scenarios.length)) throw new RangeError(`prefix of ${count} scenarios out of ${set.scenarios.length}`);
  const scenarios = set.scenarios.slice(0, count).map((sc) => ({ ...sc, probability: 1 / count }));
  const recourse = evaluation.recourse.slice(0, count);
  let sum = 0;
  for (let s = 0; s < count; s++) sum += recourse[s]!;
  return {
    set: { ...set, scenarios },
    evaluation: { ...evaluation, recourse, unserved: evaluation.unserved.slice(0, count), expected: evaluation.openingCost + sum / count },
  };
}

/** The same model with a subset of scenarios (repetitions allowed), each of weight 1/count. */
export function sampleSet(set: ScenarioSet, picks: ArrayLike<number>): ScenarioSet {
  const scenarios: Scenario[] = [];
  for (let k = 0; k < picks.length; k++) scenarios.push({ ...set.scenarios[picks[k]!]!, probability: 1 / picks.length });
  return { ...set, scenarios };
}
