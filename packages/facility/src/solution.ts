import type { PlacementModel } from '@emplace/core';
import type { FacilityProblem, FacilityVariant } from './problem.js';

/** One share of a client's demand served by a site (split-demand CFL). */
export interface FlowShare {
  site: number;
  client: number;
  /** Fraction of the client's demand, in (0, 1]. */
  fraction: number;
}

/** The decision returned by every facility method. */
export interface FacilitySolution {
  /** Ids of the open sites. */
  open: string[];
  /** Indices of the open sites, ascending. */
  openSites: Int32Array;
  /** Site serving each client (for split demand: the site serving its largest share). */
  assignment: Int32Array;
  /** Split-demand CFL only: every positive share x_ij (a client served by one site has one share of 1). */
  flows?: FlowShare[];
  /** Demand (dimension 0) served by each site; 0 for closed sites. */
  load: Float64Array;
  /** Sum of opening costs of the open sites (0 for p-median). */
  openingCost: number;
  /** Sum of c_ij x_ij. */
  servingCost: number;
}

/**
 * Internal solution: open flags plus either a single-site assignment or, for split
 * demand, a sparse list of shares.
 */
export interface RawSolution {
  open: Uint8Array;
  assign: Int32Array;
  flows?: FlowShare[];
}

/** Objective of a raw solution computed on the solver view (forbidden pairs cost Infinity). */
export function rawObjective(pr: FacilityProblem, s: RawSolution): number {
  let total = 0;
  for (let i = 0; i < pr.nSites; i++) if (s.open[i]) total += pr.f[i]!;
  if (s.flows) for (const sh of s.flows) total += sh.fraction * pr.c[sh.site * pr.nClients + sh.client]!;
  else for (let j = 0; j < pr.nClients; j++) total += pr.c[s.assign[j]! * pr.nClients + j]!;
  return total;
}

/** Builds the public solution and recomputes its cost from the model itself. */
export function toSolution(model: PlacementModel, pr: FacilityProblem, s: RawSolution): { solution: FacilitySolution; objective: number } {
  const nC = model.nClients;
  const nDims = model.dimensions.length;
  const load = new Float64Array(model.nSites);
  let servingCost = 0;
  const assignment = Int32Array.from(s.assign);
  let flows: FlowShare[] | undefined;
  if (s.flows) {
    flows = s.flows.map((x) => ({ ...x })).sort((a, b) => a.client - b.client || a.site - b.site);
    const bestShare = new Float64Array(nC).fill(-1);
    for (const sh of flows) {
      servingCost += sh.fraction * model.cost[sh.site * nC + sh.client]!;
      load[sh.site]! += sh.fraction * model.demand[sh.client * nDims]!;
      if (sh.fraction > bestShare[sh.client]!) {
        bestShare[sh.client] = sh.fraction;
        assignment[sh.client] = sh.site;
      }
    }
  } else {
    for (let j = 0; j < nC; j++) {
      const i = assignment[j]!;
      servingCost += model.cost[i * nC + j]!;
      load[i]! += model.demand[j * nDims]!;
    }
  }
  const openList: number[] = [];
  let openingCost = 0;
  for (let i = 0; i < model.nSites; i++) {
    if (s.open[i]) {
      openList.push(i);
      if (pr.variant !== 'pmedian') openingCost += model.openingCost[i]!;
    }
  }
  const solution: FacilitySolution = {
    open: openList.map((i) => model.siteIds[i]!),
    openSites: Int32Array.from(openList),
    assignment,
    load,
    openingCost,
    servingCost,
  };
  if (flows) solution.flows = flows;
  return { solution, objective: openingCost + servingCost };
}

export interface SolutionCheck {
  feasible: boolean;
  objective: number;
  violations: string[];
}

/**
 * Checks a solution against the model for a variant, independently of the solvers:
 * every client fully served by open, allowed, non-forbidden sites; capacities (split or
 * single source); mustOpen sites open; exactly p sites for p-median. Returns the
 * recomputed objective.
 */
export function checkSolution(model: PlacementModel, variant: FacilityVariant, solution: FacilitySolution, p?: number, tol = 1e-6): SolutionCheck {
  const nS = model.nSites;
  const nC = model.nClients;
  const nDims = model.dimensions.length;
  const violations: string[] = [];
  const open = new Uint8Array(nS);
  for (const i of solution.openSites) open[i] = 1;
  let objective = 0;
  for (let i = 0; i < nS; i++) {
    if (open[i] && model.forbidden[i]) violations.push(`site ${i} is forbidden but open`);
    if (!open[i] && model.mustOpen[i]) violations.push(`site ${i} must be open`);
    if (open[i] && variant !== 'pmedian') objective += model.openingCost[i]!;
  }
  if (variant === 'pmedian' && p !== undefined && solution.openSites.length !== p) violations.push(`${solution.openSites.length} sites open, p = ${p}`);
  const served = new Float64Array(nC);
  const load = new Float64Array(nS);
  const use = (i: number, j: number, frac: number): void => {
    if (!open[i]) violations.push(`client ${j} served by closed site ${i}`);
    if (model.allowed && model.allowed[i * nC + j] !== 1) violations.push(`client ${j} served by disallowed site ${i}`);
    served[j]! += frac;
    load[i]! += frac * model.demand[j * nDims]!;
    objective += frac * model.cost[i * nC + j]!;
  };
  if (variant === 'cfl' && solution.flows) {
    for (const sh of solution.flows) {
      if (!(sh.fraction > 0 && sh.fraction <= 1 + tol)) violations.push(`share of client ${sh.client} at site ${sh.site} is ${sh.fraction}`);
      use(sh.site, sh.client, sh.fraction);
    }
  } else {
    for (let j = 0; j < nC; j++) use(solution.assignment[j]!, j, 1);
  }
  for (let j = 0; j < nC; j++) if (Math.abs(served[j]! - 1) > tol) violations.push(`client ${j} served ${served[j]} of its demand`);
  if (variant === 'cfl' || variant === 'sscfl') {
    for (let i = 0; i < nS; i++) {
      const capI = model.capacity[i * nDims]!;
      if (load[i]! > capI + tol * Math.max(1, capI)) violations.push(`site ${i} load ${load[i]} exceeds capacity ${capI}`);
    }
  }
  return { feasible: violations.length === 0, objective, violations };
}
