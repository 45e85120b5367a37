import { affinityUnits, checkModelFeatures, ModelError, isUncapacitated, type PlacementModel } from '@emplace/core';
import { PLACEMENT_FRONT_FEATURES } from './features.js';
import type { MultiObjectiveProblem } from './problem.js';

export type PlacementObjective = 'cost' | 'latency' | 'domains';

export interface PlacementFrontOptions {
  /** Objectives, in this order. Default ['cost', 'latency', 'domains']. */
  objectives?: readonly PlacementObjective[] | undefined;
  /**
   * Latency of serving client j from site i: `'cost'` (default: the cost matrix, a
   * distance), `'unit-cost'` (cost divided by the client's first-dimension demand, for
   * OR-Library files whose cost is per whole demand), or a `nSites x nClients` matrix.
   */
  latency?: 'cost' | 'unit-cost' | ArrayLike<number> | undefined;
  /** Site label naming the failure domain; default the first of 'domain', 'zone', 'region' present on any site, else the site itself. */
  domainLabel?: string | undefined;
}

/** One plan of a placement front. */
export interface PlacementPlan {
  /** Open site indices (ascending) and their ids. */
  open: number[];
  openIds: string[];
  /** Site serving each client (-1 = unserved: the plan is infeasible). */
  assignment: number[];
  /** Opening + assignment cost. */
  cost: number;
  /** Largest latency over the clients' assigned sites. */
  maxLatency: number;
  /** Distinct failure domains among the open sites. */
  domains: number;
  /** Demand left unserved (capacity / compliance), 0 for a feasible plan. */
  unserved: number;
  /** Anti-affinity pairs placed together, 0 for a feasible plan. */
  antiAffinityViolations: number;
}

/** A PlacementModel as a multi-objective problem, plus the helpers to decode plans. */
export interface PlacementProblem extends MultiObjectiveProblem {
  readonly model: PlacementModel;
  readonly objectives: readonly PlacementObjective[];
  /** `nSites x nClients` latency used by the 'latency' objective. */
  readonly latency: Float64Array;
  /** Domain index of every site. */
  readonly domainOf: Int32Array;
  readonly domainLabel: string | undefined;
  /** Decodes an open-site mask into a plan (assignment by the rule described in placementProblem). */
  plan(open: ArrayLike<number>): PlacementPlan;
}

/**
 * The placement front problem: the decision is the set of open sites (a `subset` space
 * with mustOpen sites fixed on and forbidden sites fixed off); each client (or affinity
 * group, as one unit) is served by its cheapest allowed open site with room left, units
 * taken in decreasing demand order (uncapacitated: exactly the nearest allowed open
 * site). With one capacity dimension, a client that fits in no single open site is split
 * over the cheapest sites with room (its latency is the worst of them). Objectives, all minimised:
 * - `cost`: opening cost of the open sites + serving cost;
 * - `latency`: the largest latency of a client to its site;
 * - `domains`: minus the number of distinct failure domains among open sites (more is better for availability).
 * Constraints: unserved demand (capacity, compliance) and anti-affinity pairs sharing a
 * site (or a domain label) count as violations.
 */
export function placementProblem(model: PlacementModel, options: PlacementFrontOptions = {}): PlacementProblem {
  if (!model || model.kind !== 'placement') throw new ModelError('model', 'must be a PlacementModel (kind "placement")');
  checkModelFeatures(model, PLACEMENT_FRONT_FEATURES, 'the placement front');
  const objectives = checkedObjectives(options.objectives);
  const { nSites } = model;
  const latency = latencyMatrix(model, options.latency);
  const label = options.domainLabel ?? ['domain', 'zone', 'region'].find((l) => model.siteLabels.some((s) => s[l] !== undefined));
  const { domainOf, nDomains } = domainIndex(model, label);
  const decoder = new PlanDecoder(model, latency, domainOf, nDomains);
  const fixedOn: number[] = [];
  const fixedOff: number[] = [];
  for (let i = 0; i < nSites; i++) {
    if (model.mustOpen[i]) fixedOn.push(i);
    if (model.forbidden[i]) fixedOff.push(i);
  }
  const objectiveValue = (o: PlacementObjective, r: DecodedPlan): number => (o === 'cost' ? r.cost : o === 'latency' ? r.maxLatency : -r.domains);
  return {
    kind: 'multi-objective',
    name: 'placement',
    model,
    objectives,
    objectiveNames: objectives.map((o) => (o === 'domains' ? '-domains' : o)),
    nObjectives: objectives.length,
    latency,
    domainOf,
    domainLabel: label,
    space: { kind: 'subset', length: nSites, minSize: Math.max(1, fixedOn.length), maxSize: nSites - fixedOff.length, fixedOn, fixedOff },
    evaluate(x) {
      const r = decoder.decode(x);
      return { objectives: objectives.map((o) => objectiveValue(o, r)), violations: [r.unserved, r.antiAffinityViolations] };
    },
    plan(open) {
      if (open.length !== nSites) throw new ModelError('open', `must have one entry per site (${nSites}), got ${open.length}`);
      const r = decoder.decode(open);
      const openIdx: number[] = [];
      for (let i = 0; i < nSites; i++) if (open[i]! > 0.5) openIdx.push(i);
      return { open: openIdx, openIds: openIdx.map((i) => model.siteIds[i]!), assignment: Array.from(decoder.assignment), ...r };
    },
  };
}

/** The objectives in order (default cost, latency, domains), each known and named once. */
function checkedObjectives(given: readonly PlacementObjective[] | undefined): PlacementObjective[] {
  // A string is accepted as a one-name list only through the CLI's parser; here it must be an array.
  if (given !== undefined && given !== null && !Array.isArray(given)) throw new ModelError('options.objectives', `must be an array of cost, latency, domains, got ${typeof given} ${String(given)}`);
  const objectives = given ? [...given] : (['cost', 'latency', 'domains'] as PlacementObjective[]);
  if (objectives.length === 0) throw new ModelError('options.objectives', 'must name at least one objective');
  objectives.forEach((o, k) => {
    if (o !== 'cost' && o !== 'latency' && o !== 'domains') throw new ModelError(`options.objectives[${k}]`, `must be cost, latency or domains, got ${JSON.stringify(o)}`);
    if (objectives.indexOf(o) !== k) throw new ModelError(`options.objectives[${k}]`, `repeats ${o}`);
  });
  return objectives;
}

/** Domain index of every site: its value of `label`, else the site itself. */
function domainIndex(model: PlacementModel, label: string | undefined): { domainOf: Int32Array; nDomains: number } {
  const domainIds = new Map<string, number>();
  const domainOf = new Int32Array(model.nSites);
  for (let i = 0; i < model.nSites; i++) {
    const key = label !== undefined ? (model.siteLabels[i]![label] ?? `(site ${model.siteIds[i]})`) : model.siteIds[i]!;
    let d = domainIds.get(key);
    if (d === undefined) domainIds.set(key, (d = domainIds.size));
    domainOf[i] = d;
  }
  return { domainOf, nDomains: domainIds.size };
}

type DecodedPlan = Omit<PlacementPlan, 'open' | 'openIds' | 'assignment'>;

/**
 * Decodes open-site masks into plans: affinity units (clients joined transitively, as
 * core's affinityUnits defines them) in decreasing demand order, each whole at its cheapest
 * allowed open site with room; with one splittable dimension, a client that fits nowhere
 * whole is split over the cheapest sites with room. Scratch arrays are reused across calls.
 */
class PlanDecoder {
  readonly nDims: number;
  readonly units: ReturnType<typeof affinityUnits>['units'];
  readonly unitOrder: number[];
  readonly uncapacitated: boolean;
  /** One resource dimension and site-independent demand: a client's demand may split over several sites. */
  readonly splittable: boolean;
  readonly residual: Float64Array;
  readonly openList: Int32Array;
  nOpen = 0;
  /** Site of each client in the last decoded plan (-1: unserved). */
  readonly assignment: Int32Array;

  constructor(
    readonly model: PlacementModel,
    readonly latency: Float64Array,
    readonly domainOf: Int32Array,
    readonly nDomains: number,
  ) {
    const { nSites, nClients } = model;
    const nDims = model.dimensions.length;
    this.nDims = nDims;
    this.units = affinityUnits(model).units;
    const unitDemand = new Float64Array(this.units.length * nDims);
    this.units.forEach((u, t) => {
      for (const j of u) for (let d = 0; d < nDims; d++) unitDemand[t * nDims + d]! += model.demand[j * nDims + d]!;
    });
    this.unitOrder = Array.from({ length: this.units.length }, (_, t) => t).sort((a, b) => unitDemand[b * nDims]! - unitDemand[a * nDims]! || a - b);
    this.uncapacitated = isUncapacitated(model);
    this.splittable = !this.uncapacitated && nDims === 1 && model.siteDemand === undefined;
    this.residual = new Float64Array(nSites * nDims);
    this.openList = new Int32Array(nSites);
    this.assignment = new Int32Array(nClients);
  }

  private allowedAt(i: number, j: number): boolean {
    return this.model.allowed === undefined || this.model.allowed[i * this.model.nClients + j] === 1;
  }

  private demandOf(i: number, j: number, d: number): number {
    const { model, nDims } = this;
    return model.siteDemand ? model.siteDemand[(i * model.nClients + j) * nDims + d]! : model.demand[j * nDims + d]!;
  }

  decode(open: ArrayLike<number>): DecodedPlan {
    const { model, nDims, uncapacitated, assignment, residual } = this;
    let nOpen = 0;
    let cost = 0;
    for (let i = 0; i < model.nSites; i++) {
      if (open[i]! > 0.5) {
        this.openList[nOpen++] = i;
        cost += model.openingCost[i]!;
      }
    }
    this.nOpen = nOpen;
    if (!uncapacitated) residual.set(model.capacity);
    assignment.fill(-1);
    let unserved = 0;
    let splitLatency = 0;
    for (const t of this.unitOrder) {
      const members = this.units[t]!;
      const { site, cost: unitCost } = this.cheapestSite(members);
      if (site < 0 && this.splittable && members.length === 1) {
        const split = this.splitDemand(members[0]!);
        cost += split.cost;
        unserved += split.unserved;
        splitLatency = Math.max(splitLatency, split.latency);
        continue;
      }
      if (site < 0) {
        for (const j of members) unserved += model.demand[j * nDims]! > 0 ? model.demand[j * nDims]! : 1;
        continue;
      }
      cost += unitCost;
      for (const j of members) {
        assignment[j] = site;
        if (!uncapacitated) for (let d = 0; d < nDims; d++) residual[site * nDims + d]! -= this.demandOf(site, j, d);
      }
    }
    let maxLatency = splitLatency;
    for (let j = 0; j < model.nClients; j++) if (assignment[j]! >= 0) maxLatency = Math.max(maxLatency, this.latency[assignment[j]! * model.nClients + j]!);
    return { cost, maxLatency, domains: this.openDomains(), unserved, antiAffinityViolations: this.antiAffinityViolations() };
  }

  /** The cheapest open site allowed for every member with room for all of them (-1: none). */
  private cheapestSite(members: Iterable<number>): { site: number; cost: number } {
    const { model, nDims, residual, openList } = this;
    const nClients = model.nClients;
    let best = -1;
    let bestCost = Infinity;
    for (let q = 0; q < this.nOpen; q++) {
      const i = openList[q]!;
      let c = 0;
      let ok = true;
      for (const j of members) {
        if (!this.allowedAt(i, j)) {
          ok = false;
          break;
        }
        c += model.cost[i * nClients + j]!;
      }
      if (!ok || c >= bestCost) continue;
      if (!this.uncapacitated) {
        for (let d = 0; d < nDims && ok; d++) {
          let need = 0;
          for (const j of members) need += this.demandOf(i, j, d);
          if (need > residual[i * nDims + d]! + 1e-9) ok = false;
        }
        if (!ok) continue;
      }
      best = i;
      bestCost = c;
    }
    return { site: best, cost: bestCost };
  }

  /**
   * No open site has room for client j's whole demand: split it over the cheapest open
   * sites with room (OR-Library CFLP semantics), the largest share naming the site.
   */
  private splitDemand(j: number): { cost: number; unserved: number; latency: number } {
    const { model, residual, openList, assignment } = this;
    const nClients = model.nClients;
    const dj = model.demand[j]!;
    const order = [];
    for (let q = 0; q < this.nOpen; q++) if (this.allowedAt(openList[q]!, j) && residual[openList[q]!]! > 1e-9) order.push(openList[q]!);
    order.sort((a, b) => model.cost[a * nClients + j]! - model.cost[b * nClients + j]! || a - b);
    let left = dj;
    let bestShare = 0;
    let cost = 0;
    let latency = 0;
    for (const i of order) {
      if (left <= 1e-9) break;
      const take = Math.min(left, residual[i]!);
      residual[i]! -= take;
      left -= take;
      cost += (model.cost[i * nClients + j]! * take) / dj;
      latency = Math.max(latency, this.latency[i * nClients + j]!);
      if (take > bestShare) {
        bestShare = take;
        assignment[j] = i;
      }
    }
    return { cost, unserved: left > 1e-9 ? left : 0, latency };
  }

  /** Distinct failure domains among the open sites. */
  private openDomains(): number {
    const seen = new Uint8Array(this.nDomains);
    let domains = 0;
    for (let q = 0; q < this.nOpen; q++) {
      const d = this.domainOf[this.openList[q]!]!;
      if (!seen[d]) {
        seen[d] = 1;
        domains++;
      }
    }
    return domains;
  }

  /** Anti-affine pairs placed on one site (or one value of the group's domain label). */
  private antiAffinityViolations(): number {
    const { model, assignment } = this;
    let anti = 0;
    for (const g of model.antiAffinity) {
      const key = (j: number): string | number => {
        const i = assignment[j]!;
        if (i < 0) return `none${j}`;
        return g.domain !== undefined ? (model.siteLabels[i]![g.domain] ?? `(site ${i})`) : i;
      };
      for (let a = 0; a < g.clients.length; a++) for (let b = a + 1; b < g.clients.length; b++) if (key(g.clients[a]!) === key(g.clients[b]!)) anti++;
    }
    return anti;
  }
}

function latencyMatrix(model: PlacementModel, spec: PlacementFrontOptions['latency']): Float64Array {
  const { nSites, nClients } = model;
  if (spec === undefined || spec === 'cost') return model.cost;
  if (spec === 'unit-cost') {
    const out = new Float64Array(nSites * nClients);
    const nDims = model.dimensions.length;
    for (let i = 0; i < nSites; i++) for (let j = 0; j < nClients; j++) {
      const d = model.demand[j * nDims]!;
      out[i * nClients + j] = d > 0 ? model.cost[i * nClients + j]! / d : model.cost[i * nClients + j]!;
    }
    return out;
  }
  if (typeof spec === 'string') throw new ModelError('options.latency', `must be 'cost', 'unit-cost' or a matrix, got ${JSON.stringify(spec)}`);
  if (typeof spec !== 'object' || spec === null || typeof spec.length !== 'number') throw new ModelError('options.latency', `must be 'cost', 'unit-cost' or a matrix, got ${String(spec)}`);
  if (spec.length !== nSites * nClients) throw new ModelError('options.latency', `must have ${nSites} x ${nClients} = ${nSites * nClients} entries (sites x clients), got ${spec.length}`);
  const out = new Float64Array(nSites * nClients);
  for (let k = 0; k < out.length; k++) {
    const v = spec[k]!;
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new ModelError(`options.latency[${Math.floor(k / nClients)}][${k % nClients}]`, `must be a finite non-negative number, got ${String(v)}`);
    out[k] = v;
  }
  return out;
}
