import { createGame, hasSolution, type SolveOptions } from '@emplace/core';
import { restrictClients, shapleyExact, shapleySampling } from '@emplace/mechanism';
import { solveCostPlacement } from './cost-placement.js';
import type { PlanInstance } from './instance.js';
import type { SharesView } from './result.js';

/**
 * Each tenant's fair share: the Shapley value of the cost game whose v(S) is the
 * optimal cost of serving just the populations of the tenants in S (the same facility
 * solver as the placement, so v(N) is the plan's cost when every population has a
 * tenant). Coalition costs are solved asynchronously once each and memoised by bitmask;
 * the synchronous Shapley routines of @emplace/mechanism then read the memo. Exact
 * enumeration (2^n coalitions) up to `exactMax` tenants; beyond, permutation sampling
 * with confidence intervals, run to a fixed point: a pass that meets an unsolved
 * coalition records it, the missing coalitions are solved, and the pass is repeated with
 * the same seed (so the same permutations) until it needs nothing new.
 */
export async function sharesPhase(
  inst: PlanInstance,
  count: { min?: number; max?: number } | undefined,
  exactMax: number,
  options: SolveOptions,
  report: (fraction: number, message: string) => void,
): Promise<SharesView | undefined> {
  const tenants = inst.world.tenants ?? [];
  const n = tenants.length;
  if (n === 0) return undefined;
  const costs = new CoalitionCosts(inst, count, options);
  const players = tenants.map((t) => t.id);
  const found = n <= exactMax ? await exactShares(costs, players, options, report) : await sampledShares(costs, players, options, report);
  if (found === undefined) return undefined;
  return { ...found, coalitionsSolved: costs.solved, coalitionCostsProven: costs.proven };
}

type SharesFound = Pick<SharesView, 'shares' | 'total' | 'method'>;

/** Coalition costs v(S) by bitmask, each solved once with a share of the time left. */
class CoalitionCosts {
  readonly memo = new Map<number, number>();
  /** False once a coalition cost is not a proven optimum (limit, greedy past the deadline, failure). */
  proven = true;
  solved = 0;
  readonly deadline: number;

  constructor(
    private readonly inst: PlanInstance,
    private readonly count: { min?: number; max?: number } | undefined,
    private readonly options: SolveOptions,
  ) {
    this.deadline = options.timeLimitMs === undefined ? Infinity : performance.now() + options.timeLimitMs;
  }

  /** Solves v(mask) unless known; `expected` is how many solves this phase expects in all (for the time share). */
  async solve(mask: number, expected: number): Promise<void> {
    if (this.memo.has(mask) || mask === 0) return;
    const { inst, options, deadline } = this;
    const clients: number[] = [];
    for (let p = 0; p < inst.tenantPopulations.length; p++) if (mask & (1 << p)) clients.push(...inst.tenantPopulations[p]!);
    clients.sort((a, b) => a - b);
    const left = deadline - performance.now();
    const perSolve = deadline === Infinity ? undefined : Math.max(5, left / Math.max(1, expected - this.solved));
    const sub = restrictClients(inst.costModel, clients);
    // A coalition smaller than the region-count minimum still pays for that many regions.
    // Past the deadline the remaining coalitions get the greedy method (milliseconds each), unproven.
    const late = performance.now() >= deadline || options.signal?.aborted === true;
    const out = await solveCostPlacement(sub, this.count, {
      ...(late ? { method: 'greedy' } : perSolve !== undefined ? { timeLimitMs: perSolve } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    });
    this.solved++;
    if (!out.ok) {
      this.memo.set(mask, Infinity);
      this.proven = false;
      return;
    }
    if (out.placement.status !== 'optimal' || late) this.proven = false;
    this.memo.set(mask, out.placement.objective);
  }
}

/** Exact Shapley values over all 2^n coalitions. */
async function exactShares(
  costs: CoalitionCosts,
  players: string[],
  options: SolveOptions,
  report: (fraction: number, message: string) => void,
): Promise<SharesFound | undefined> {
  const size = 2 ** players.length;
  for (let mask = 1; mask < size; mask++) {
    await costs.solve(mask, size - 1);
    if ((mask & 15) === 0) report(mask / size, `${mask}/${size - 1} coalitions`);
  }
  const table = new Float64Array(size);
  for (let mask = 1; mask < size; mask++) table[mask] = costs.memo.get(mask)!;
  if (!table.every(Number.isFinite)) return undefined;
  const r = await shapleyExact(createGame({ players, value: { table } }), options.seed !== undefined ? { seed: options.seed } : {});
  if (!hasSolution(r)) return undefined;
  const shares = players.map((tenant, p) => ({ tenant, share: r.solution.values[p]!, standalone: table[1 << p]! }));
  return { shares, total: r.solution.grandValue, method: 'exact' };
}

/**
 * Sampled Shapley values run to a fixed point: a pass that meets an unsolved coalition
 * records it, the missing ones are solved, and the pass is repeated with the same seed.
 */
async function sampledShares(
  costs: CoalitionCosts,
  players: string[],
  options: SolveOptions,
  report: (fraction: number, message: string) => void,
): Promise<SharesFound | undefined> {
  const n = players.length;
  if (n >= 31) return undefined;
  const grand = 2 ** n - 1;
  const memo = costs.memo;
  await costs.solve(grand, n + 1);
  for (let p = 0; p < n; p++) await costs.solve(1 << p, n + 1);
  let result: Awaited<ReturnType<typeof shapleySampling>> | undefined;
  for (let pass = 0; pass < 50; pass++) {
    const missing = new Set<number>();
    const game = createGame({
      players,
      value: {
        mask: (mask: number) => {
          const v = memo.get(mask);
          if (v !== undefined) return Number.isFinite(v) ? v : 0;
          missing.add(mask);
          return 0;
        },
      },
    });
    result = await shapleySampling(game, { seed: options.seed ?? 1, maxSamples: 200, relativePrecision: 0.02 });
    if (missing.size === 0) break;
    let t = 0;
    for (const mask of missing) {
      await costs.solve(mask, memo.size + missing.size);
      if ((++t & 7) === 0) report(Math.min(0.95, pass / 10 + t / missing.size / 10), `${memo.size} coalitions`);
    }
    if (performance.now() > costs.deadline) {
      costs.proven = false;
      break;
    }
  }
  if (!result || !hasSolution(result)) return undefined;
  const s = result.solution;
  const shares = players.map((tenant, p) => ({ tenant, share: s.values[p]!, standalone: memo.get(1 << p)!, lower: s.lower[p]!, upper: s.upper[p]! }));
  return { shares, total: memo.get(grand)!, method: 'sampling' };
}
