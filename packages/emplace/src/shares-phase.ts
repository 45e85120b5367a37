import { createGame, hasSolution, type SolveOptions } from '@emplace/core';
import { restrictClients, shapleyExact, shapleySampling } from '@emplace/mechanism';
import { solveCostPlacement } from './cost-placement.js';
import type { PlanInstance } from './instance.js';
import type { SharesView, TenantShare } from './result.js';

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
  const start = performance.now();
  const deadline = options.timeLimitMs === undefined ? Infinity : start + options.timeLimitMs;
  const memo = new Map<number, number>();
  let proven = true;
  let solved = 0;
  const solveMask = async (mask: number, expected: number): Promise<void> => {
    if (memo.has(mask) || mask === 0) return;
    const clients: number[] = [];
    for (let p = 0; p < n; p++) if (mask & (1 << p)) clients.push(...inst.tenantPopulations[p]!);
    clients.sort((a, b) => a - b);
    const left = deadline - performance.now();
    const perSolve = deadline === Infinity ? undefined : Math.max(5, left / Math.max(1, expected - solved));
    const sub = restrictClients(inst.costModel, clients);
    // A coalition smaller than the region-count minimum still pays for that many regions.
    // Past the deadline the remaining coalitions get the greedy method (milliseconds each), unproven.
    const late = performance.now() >= deadline || options.signal?.aborted === true;
    const out = await solveCostPlacement(sub, count, {
      ...(late ? { method: 'greedy' } : perSolve !== undefined ? { timeLimitMs: perSolve } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    });
    solved++;
    if (!out.ok) {
      memo.set(mask, Infinity);
      proven = false;
      return;
    }
    if (out.placement.status !== 'optimal' || late) proven = false;
    memo.set(mask, out.placement.objective);
  };
  const players = tenants.map((t) => t.id);
  let shares: TenantShare[];
  let total: number;
  let method: 'exact' | 'sampling';
  if (n <= exactMax) {
    method = 'exact';
    const size = 2 ** n;
    for (let mask = 1; mask < size; mask++) {
      await solveMask(mask, size - 1);
      if ((mask & 15) === 0) report(mask / size, `${mask}/${size - 1} coalitions`);
    }
    const table = new Float64Array(size);
    for (let mask = 1; mask < size; mask++) table[mask] = memo.get(mask)!;
    if (!table.every(Number.isFinite)) return undefined;
    const r = await shapleyExact(createGame({ players, value: { table } }), options.seed !== undefined ? { seed: options.seed } : {});
    if (!hasSolution(r)) return undefined;
    total = r.solution.grandValue;
    shares = players.map((tenant, p) => ({ tenant, share: r.solution.values[p]!, standalone: table[1 << p]! }));
  } else {
    method = 'sampling';
    const grand = n >= 31 ? -1 : 2 ** n - 1;
    if (grand < 0) return undefined;
    await solveMask(grand, n + 1);
    for (let p = 0; p < n; p++) await solveMask(1 << p, n + 1);
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
        await solveMask(mask, memo.size + missing.size);
        if ((++t & 7) === 0) report(Math.min(0.95, pass / 10 + t / missing.size / 10), `${memo.size} coalitions`);
      }
      if (performance.now() > deadline) {
        proven = false;
        break;
      }
    }
    if (!result || !hasSolution(result)) return undefined;
    const s = result.solution;
    total = memo.get(grand)!;
    shares = players.map((tenant, p) => ({ tenant, share: s.values[p]!, standalone: memo.get(1 << p)!, lower: s.lower[p]!, upper: s.upper[p]! }));
  }
  return { shares, total, method, coalitionsSolved: solved, coalitionCostsProven: proven };
}
