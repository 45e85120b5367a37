import type { Guarantee, Status, StoppedBy } from '@emplace/core';
import type { PlanPhase } from './goals.js';

/** Where each population is served from. */
export interface ServedPopulation {
  population: string;
  region: string;
  latencyMs: number;
  users: number;
}

/** The values of one placement under every objective, recomputed from the world. */
export interface PlacementObjectives {
  /** Region costs + latency cost: the objective of `optimise: 'cost'`. */
  totalCost: number;
  /** Sum of the open regions' costs. */
  regionCost: number;
  /** latencyPrice x sum of users x latency. */
  latencyCost: number;
  /** Largest latency of a population to its region (ms). */
  worstLatencyMs: number;
  /** User-weighted mean latency (ms). */
  meanLatencyMs: number;
  /** Number of open regions. */
  regions: number;
  /** Distinct failure domains among the open regions (availability). */
  domains: number;
  /**
   * Worst latency (ms) after the loss of any one open region, its users moved to their
   * next-best allowed open region (capacities ignored), over the users that have one;
   * Infinity when nobody has a second allowed region (one region open).
   */
  worstLatencyAfterFailureMs: number;
  /** Users (in `Population.users` units) with no second allowed open region: a region failure leaves them unserved. */
  usersWithoutFailover: number;
}

/** The chosen placement and what is proven about it. */
export interface ChosenPlacement {
  regions: string[];
  regionIndices: number[];
  served: ServedPopulation[];
  objectives: PlacementObjectives;
  /** Proven lower bound on the optimal value of the optimised objective, when the solver proved one. */
  bound?: number;
  /** Relative gap between the objective and the bound (0 = proven optimal). */
  gap?: number;
  status: 'optimal' | 'feasible';
  /** Solver method used. */
  method: string;
  guarantee: Guarantee;
}

/** One alternative of the cost vs worst-latency Pareto front. */
export interface ParetoAlternative {
  regions: string[];
  totalCost: number;
  worstLatencyMs: number;
  /** True for the alternative with the chosen placement's open set. */
  chosen: boolean;
}

export interface ParetoView {
  alternatives: ParetoAlternative[];
  /** True when the front is proven complete (exact epsilon-constraint ran to the end). */
  complete: boolean;
  hypervolume: number;
  method: string;
}

/** The k-center view: the smallest worst latency any placement with as many regions achieves. */
export interface WorstCaseView {
  /** Number of regions (k) of the comparison. */
  k: number;
  /** Worst latency of the chosen placement, each population at its nearest allowed open region (ms). */
  chosenWorstLatencyMs: number;
  /** Best worst latency found with k regions (ms) and its regions. */
  bestWorstLatencyMs: number;
  bestRegions: string[];
  /** Proven lower bound on the best worst latency with k regions (ms). */
  bound?: number;
  status: Status;
  /** Population that attains the best worst latency. */
  criticalPopulation?: string;
}

/** A link of the region network (ms of round-trip latency). */
export interface BackboneLink {
  from: string;
  to: string;
  latencyMs: number;
}

/** The Steiner backbone connecting the chosen regions over the region network. */
export interface BackboneView {
  links: BackboneLink[];
  /** Regions on the backbone (chosen regions plus relays). */
  regions: string[];
  /** Regions used only as relays (Steiner nodes). */
  relays: string[];
  /** Sum of link latencies. */
  totalLatencyMs: number;
  /** Proven lower bound on the cheapest backbone. */
  bound?: number;
  status: Status;
  /** The region network the backbone was taken from. */
  network: BackboneLink[];
}

/** Algebraic connectivity of the backbone mesh and the link that raises it most. */
export interface ConnectivityView {
  /** Fiedler value (lambda2) of the backbone (unit link weights): 0 = disconnected, larger = better connected. */
  lambda2: number;
  /** The backbone link across which the Fiedler vector changes most: the bottleneck. */
  weakestLink?: { from: string; to: string };
  /** Links to add (greedy, Ghosh-Boyd), each with lambda2 after it. */
  reinforce: { from: string; to: string; lambda2After: number }[];
}

/** Each tenant's share of the cost (Shapley value of the coalition cost game). */
export interface TenantShare {
  tenant: string;
  share: number;
  /** What the tenant alone would pay (v({tenant})). */
  standalone: number;
  /** Confidence interval of a sampled share. */
  lower?: number;
  upper?: number;
}

export interface SharesView {
  shares: TenantShare[];
  /** v(N): the cost of serving every tenant's populations together; the shares sum to it. */
  total: number;
  method: 'exact' | 'sampling';
  /** Coalitions whose cost was solved (each once, memoised). */
  coalitionsSolved: number;
  /** True when every coalition cost was proven optimal. */
  coalitionCostsProven: boolean;
}

export interface PlanResult {
  status: Status;
  placement?: ChosenPlacement;
  pareto?: ParetoView;
  worstCase?: WorstCaseView;
  backbone?: BackboneView;
  connectivity?: ConnectivityView;
  shares?: SharesView;
  /** Why there is no placement (infeasible residency or latency constraints...). */
  reason?: string;
  /** Milliseconds spent per phase. */
  phaseMs: Partial<Record<PlanPhase, number>>;
  elapsedMs: number;
  stoppedBy: StoppedBy;
  /** Latency model used: measured region network or great-circle. */
  latencyModel: 'measured' | 'great-circle';
  warnings: string[];
}

/** Progress of `plan()`: the phase, the fraction of the phase done and of the whole plan. */
export interface PlanProgress {
  phase: PlanPhase;
  /** Fraction of the whole plan done, in [0, 1]. */
  fraction: number;
  /** Fraction of this phase done, in [0, 1]. */
  phaseFraction: number;
  elapsedMs: number;
  message?: string;
}
