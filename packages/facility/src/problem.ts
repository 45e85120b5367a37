import { ModelError, runSteps, type PlacementModel, type Prepared as PreparedProblem, type Steps } from '@emplace/core';

/** The four problems this package solves on one PlacementModel. */
export type FacilityVariant = 'ufl' | 'cfl' | 'sscfl' | 'pmedian';

/**
 * The solver-side view of a PlacementModel for one variant: dense typed arrays where a
 * forbidden pair (`allowed` = 0, or a forbidden site) has cost Infinity, so inner loops
 * need no extra tests. Only dimension 0 of demand / capacity is used (the seed
 * formulation of DESIGN.md §6).
 */
export interface FacilityProblem {
  readonly variant: FacilityVariant;
  readonly nSites: number;
  readonly nClients: number;
  /** Opening cost (0 for p-median). */
  readonly f: Float64Array;
  /** cost[i * nClients + j] of serving the whole of client j from site i; Infinity when not allowed. */
  readonly c: Float64Array;
  /** Demand of each client (dimension 0); 1 in uncapacitated variants (unused there). */
  readonly d: Float64Array;
  /** Capacity of each site (dimension 0); Infinity in uncapacitated variants. */
  readonly cap: Float64Array;
  readonly mustOpen: Uint8Array;
  readonly forbidden: Uint8Array;
  /** Number of sites to open (p-median only; 0 otherwise). */
  readonly p: number;
  readonly totalDemand: number;
  readonly capacitated: boolean;
}

/** The facility view of a model, or the certificate of evident infeasibility (core's one prepared shape). */
export type Prepared = PreparedProblem<FacilityProblem>;

/**
 * Validates the model for a variant and builds the solver view. Bad numbers (NaN,
 * negative costs) are a ModelError naming the field; infeasibility evident from the
 * data (a client with no allowed site, demand above capacity, more pre-opened sites
 * than p) is returned as a certificate for an `infeasible` result.
 */
export function prepareProblem(model: PlacementModel, variant: FacilityVariant, pOption?: number): Prepared {
  return runSteps(prepareProblemSteps(model, variant, pOption));
}

/**
 * `prepareProblem` as steps: a checkpoint every few site rows of the cost passes (a
 * 1000 x 1000 model is several passes over 1M cells, ~0.1 s in cold code), so that an
 * in-thread caller sees an abort during setup too.
 */
export function* prepareProblemSteps(model: PlacementModel, variant: FacilityVariant, pOption?: number): Steps<Prepared> {
  checkShape(model);
  const nS = model.nSites;
  const nC = model.nClients;
  const capacitated = variant === 'cfl' || variant === 'sscfl';
  const c = yield* servingCostsSteps(model);
  const f = new Float64Array(nS);
  if (variant !== 'pmedian') {
    for (let i = 0; i < nS; i++) {
      const v = model.openingCost[i]!;
      if (!(v >= 0 && v < Infinity)) throw new ModelError(`sites[${i}].openingCost`, Number.isNaN(v) ? 'is NaN' : `must be finite and non-negative, got ${v}`);
      f[i] = v;
    }
  }
  const mustOpen = Uint8Array.from(model.mustOpen);
  const forbidden = Uint8Array.from(model.forbidden);
  for (let i = 0; i < nS; i++) {
    if (mustOpen[i] && forbidden[i]) throw new ModelError(`sites[${i}]`, 'is both mustOpen and forbidden');
    if (forbidden[i]) c.fill(Infinity, i * nC, i * nC + nC);
  }
  const { d, cap, totalDemand } = capacitated ? demandsAndCapacities(model) : { d: new Float64Array(nC).fill(1), cap: new Float64Array(nS).fill(Infinity), totalDemand: nC };
  const p = variant === 'pmedian' ? checkP(pOption, nS) : 0;
  const problem: FacilityProblem = { variant, nSites: nS, nClients: nC, f, c, d, cap, mustOpen, forbidden, p, totalDemand, capacitated };
  const certificate = (yield* unreachableClientSteps(model, problem)) ?? (variant === 'pmedian' ? pConflict(problem) : undefined) ?? (capacitated ? yield* capacityShortageSteps(model, problem) : undefined);
  return certificate ? { kind: 'infeasible', certificate } : { kind: 'ok', problem };
}

type InfeasibleCertificate = { reason: string; fields: string[] };

function checkShape(model: PlacementModel): void {
  if (model === null || typeof model !== 'object' || model.kind !== 'placement') {
    throw new ModelError('model', 'must be a PlacementModel (createPlacementModel from @emplace/core)');
  }
  const nS = model.nSites;
  const nC = model.nClients;
  if (!(Number.isInteger(nS) && nS >= 1)) throw new ModelError('model.nSites', `must be a positive integer, got ${String(nS)}`);
  if (!(Number.isInteger(nC) && nC >= 0)) throw new ModelError('model.nClients', `must be a non-negative integer, got ${String(nC)}`);
  if (model.cost.length !== nS * nC) throw new ModelError('model.cost', `must have ${nS * nC} entries, got ${model.cost.length}`);
}

/** Entries of the site-row passes between two checkpoints (8 rows were 800,000 entries, ~10 ms, at 100,000 clients). */
const ROW_WORK = 1 << 16;

/** The cost copy with pairs that are not allowed at Infinity; bad entries are ModelErrors naming them. */
function* servingCostsSteps(model: PlacementModel): Steps<Float64Array> {
  const nS = model.nSites;
  const nC = model.nClients;
  const c = new Float64Array(nS * nC);
  // A checkpoint every 2^16 entries or so (every 8 rows was 200,000 entries, ~20 ms cold, on 51 x 25,000).
  let work = 0;
  for (let i = 0; i < nS; i++) {
    if ((work += nC) >= ROW_WORK) {
      work = 0;
      yield;
    }
    for (let j = 0; j < nC; j++) {
      const v = model.cost[i * nC + j]!;
      if (Number.isNaN(v)) throw new ModelError(`cost[${i}][${j}]`, 'is NaN');
      if (v < 0) throw new ModelError(`cost[${i}][${j}]`, `is negative (${v}); facility location needs non-negative serving costs`);
      if (v === Infinity) throw new ModelError(`cost[${i}][${j}]`, 'is Infinity; use `allowed` to forbid a pair');
      c[i * nC + j] = model.allowed && model.allowed[i * nC + j] !== 1 ? Infinity : v;
    }
  }
  return c;
}

/** Dimension 0 of demand and capacity (the seed formulation), validated. */
function demandsAndCapacities(model: PlacementModel): { d: Float64Array; cap: Float64Array; totalDemand: number } {
  const nDims = model.dimensions.length;
  const d = new Float64Array(model.nClients);
  const cap = new Float64Array(model.nSites);
  let totalDemand = 0;
  for (let j = 0; j < model.nClients; j++) {
    const v = model.demand[j * nDims]!;
    if (!(v >= 0 && v < Infinity)) throw new ModelError(`clients[${j}].demand`, Number.isNaN(v) ? 'is NaN' : `must be finite and non-negative, got ${v}`);
    d[j] = v;
    totalDemand += v;
  }
  for (let i = 0; i < model.nSites; i++) {
    const v = model.capacity[i * nDims]!;
    if (!(v >= 0)) throw new ModelError(`sites[${i}].capacity`, Number.isNaN(v) ? 'is NaN' : `is negative (${v})`);
    cap[i] = v;
  }
  return { d, cap, totalDemand };
}

function checkP(pOption: number | undefined, nS: number): number {
  if (pOption === undefined) throw new ModelError('options.p', 'is required for p-median (the number of sites to open)');
  if (!Number.isInteger(pOption) || pOption < 1) throw new ModelError('options.p', `must be a positive integer, got ${String(pOption)}`);
  if (pOption > nS) throw new ModelError('options.p', `is ${pOption}, larger than the number of sites (${nS})`);
  return pOption;
}

/** A client with no allowed, non-forbidden site (site rows scanned in order, a checkpoint every ROW_WORK entries). */
function* unreachableClientSteps(model: PlacementModel, pr: FacilityProblem): Steps<InfeasibleCertificate | undefined> {
  const { nSites: nS, nClients: nC, c } = pr;
  const reached = new Uint8Array(nC);
  let work = 0;
  for (let i = 0; i < nS; i++) {
    if ((work += nC) >= ROW_WORK) {
      work = 0;
      yield;
    }
    const row = i * nC;
    for (let j = 0; j < nC; j++) if (c[row + j]! < Infinity) reached[j] = 1;
  }
  for (let j = 0; j < nC; j++) {
    if (!reached[j]) return { reason: `client ${JSON.stringify(model.clientIds[j])} has no allowed, non-forbidden site`, fields: [`clients[${j}]`, 'allowed'] };
  }
  return undefined;
}

/** p-median: more pre-opened sites than p, or fewer usable ones. */
function pConflict(pr: FacilityProblem): InfeasibleCertificate | undefined {
  let nMust = 0;
  let nUsable = 0;
  for (let i = 0; i < pr.nSites; i++) {
    nMust += pr.mustOpen[i]!;
    if (!pr.forbidden[i]) nUsable++;
  }
  if (nMust > pr.p) return { reason: `${nMust} sites are mustOpen but only p = ${pr.p} may open`, fields: ['mustOpen', 'options.p'] };
  if (nUsable < pr.p) return { reason: `only ${nUsable} sites are not forbidden but p = ${pr.p} must open`, fields: ['forbidden', 'options.p'] };
  return undefined;
}

/** Total demand above the usable capacity, or a client's demand above what its allowed sites (or, single source, any one of them) hold. */
function* capacityShortageSteps(model: PlacementModel, pr: FacilityProblem): Steps<InfeasibleCertificate | undefined> {
  const { nSites: nS, nClients: nC, c, d, cap } = pr;
  let total = 0;
  for (let i = 0; i < nS; i++) if (!pr.forbidden[i]) total += cap[i]!;
  if (total < pr.totalDemand * (1 - 1e-12)) {
    return { reason: `total demand ${pr.totalDemand} exceeds the total capacity ${total} of the non-forbidden sites`, fields: ['demand', 'capacity'] };
  }
  // Per client: the capacity of its allowed sites, and the largest one (site rows in order).
  const reach = new Float64Array(nC);
  const best = new Float64Array(nC);
  let work = 0;
  for (let i = 0; i < nS; i++) {
    if ((work += nC) >= ROW_WORK) {
      work = 0;
      yield;
    }
    const row = i * nC;
    const ci = cap[i]!;
    for (let j = 0; j < nC; j++) {
      if (c[row + j]! < Infinity) {
        reach[j]! += ci;
        if (ci > best[j]!) best[j] = ci;
      }
    }
  }
  for (let j = 0; j < nC; j++) {
    if (reach[j]! < d[j]! * (1 - 1e-12)) {
      return { reason: `client ${JSON.stringify(model.clientIds[j])} demands ${d[j]} but its allowed sites hold only ${reach[j]}`, fields: [`clients[${j}]`, 'allowed', 'capacity'] };
    }
    if (pr.variant === 'sscfl' && best[j]! < d[j]! * (1 - 1e-12)) {
      return { reason: `client ${JSON.stringify(model.clientIds[j])} demands ${d[j]}, more than any single allowed site holds (${best[j]})`, fields: [`clients[${j}]`, 'capacity'] };
    }
  }
  return undefined;
}

/** Per-unit-of-demand cost matrix `c_ij / d_j` (0 for zero-demand clients), used by the capacitated methods. */
export function unitCosts(pr: FacilityProblem): Float64Array {
  return runSteps(unitCostsSteps(pr));
}

/** `unitCosts` with a checkpoint every ROW_WORK entries. */
export function* unitCostsSteps(pr: FacilityProblem): Steps<Float64Array> {
  const { nSites: nS, nClients: nC, c, d } = pr;
  const u = new Float64Array(nS * nC);
  let work = 0;
  for (let i = 0; i < nS; i++) {
    if ((work += nC) >= ROW_WORK) {
      work = 0;
      yield;
    }
    for (let j = 0; j < nC; j++) {
      const v = c[i * nC + j]!;
      u[i * nC + j] = v === Infinity ? Infinity : d[j]! > 0 ? v / d[j]! : 0;
    }
  }
  return u;
}
