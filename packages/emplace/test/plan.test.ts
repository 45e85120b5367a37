import { describe, expect, it } from 'vitest';
import { ModelError, haversineKm, latencyFromKm } from '@emplace/core';
import { evaluatePlacement, buildInstance, plan, type Goals, type World } from '@emplace/emplace';

/** Six regions on two continents, eight cities, three tenants: small enough for brute force. */
function smallWorld(): World {
  return {
    regions: [
      { id: 'us-east', lat: 39, lon: -77, cost: 300, jurisdiction: 'US' },
      { id: 'us-west', lat: 45.8, lon: -119.7, cost: 280, jurisdiction: 'US' },
      { id: 'eu-west', lat: 53.3, lon: -6.3, cost: 320, jurisdiction: 'EU' },
      { id: 'eu-central', lat: 50.1, lon: 8.7, cost: 330, jurisdiction: 'EU' },
      { id: 'ap-tokyo', lat: 35.7, lon: 139.7, cost: 400, jurisdiction: 'JP' },
      { id: 'ap-sydney', lat: -33.9, lon: 151.2, cost: 420, jurisdiction: 'AU' },
    ],
    populations: [
      { id: 'NYC', lat: 40.7, lon: -74, users: 8, jurisdiction: 'US' },
      { id: 'LA', lat: 34, lon: -118.2, users: 4, jurisdiction: 'US' },
      { id: 'Paris', lat: 48.9, lon: 2.35, users: 2.1, jurisdiction: 'EU' },
      { id: 'Berlin', lat: 52.5, lon: 13.4, users: 3.6, jurisdiction: 'EU' },
      { id: 'London', lat: 51.5, lon: -0.1, users: 8.9, jurisdiction: 'GB' },
      { id: 'Tokyo', lat: 35.7, lon: 139.7, users: 13, jurisdiction: 'JP' },
      { id: 'Seoul', lat: 37.6, lon: 127, users: 9.7, jurisdiction: 'KR' },
      { id: 'Sydney', lat: -33.9, lon: 151.2, users: 5.3, jurisdiction: 'AU' },
    ],
    tenants: [
      { id: 'americas', populations: ['NYC', 'LA'] },
      { id: 'europe', populations: ['Paris', 'Berlin', 'London'] },
      { id: 'asia-pacific', populations: ['Tokyo', 'Seoul', 'Sydney'] },
    ],
  };
}

const goals: Goals = { latencyPrice: 2, residency: { EU: ['EU'] }, reinforceLinks: 1 };

/** Brute force over all open sets: the cheapest total cost, each city at its cheapest allowed open region. */
function bruteForceCost(world: World, g: Goals): number {
  const inst = buildInstance(world, g);
  let best = Infinity;
  for (let mask = 1; mask < 1 << world.regions.length; mask++) {
    const open = world.regions.map((_, i) => i).filter((i) => mask & (1 << i));
    best = Math.min(best, evaluatePlacement(inst, open).objectives.totalCost);
  }
  return best;
}

describe('plan()', () => {
  it('returns a feasible placement whose objective recomputes and matches brute force', async () => {
    const world = smallWorld();
    const r = await plan(world, goals, { seed: 3 });
    expect(r.status).toBe('optimal');
    const p = r.placement!;
    // Residency: EU cities only on EU regions.
    for (const s of p.served) {
      if (s.population === 'Paris' || s.population === 'Berlin') expect(s.region.startsWith('eu-')).toBe(true);
      expect(p.regions).toContain(s.region);
    }
    // Recompute the objective from the world, independently of the package.
    let total = 0;
    for (const id of p.regions) total += world.regions.find((x) => x.id === id)!.cost;
    for (const s of p.served) {
      const pop = world.populations.find((x) => x.id === s.population)!;
      const reg = world.regions.find((x) => x.id === s.region)!;
      const ms = latencyFromKm(haversineKm(pop, reg));
      expect(s.latencyMs).toBeCloseTo(ms, 9);
      total += 2 * pop.users * ms;
    }
    expect(p.objectives.totalCost).toBeCloseTo(total, 6);
    expect(p.objectives.totalCost).toBeCloseTo(bruteForceCost(world, goals), 6);
    expect(p.bound!).toBeLessThanOrEqual(p.objectives.totalCost + 1e-6);
  });

  it('gives a non-dominated Pareto set containing the chosen plan, a sound k-center bound, a backbone and shares that sum to the cost', async () => {
    const world = smallWorld();
    const events: number[] = [];
    const r = await plan(world, goals, { seed: 1, onProgress: (e) => events.push(e.fraction) });
    const alts = r.pareto!.alternatives;
    expect(alts.length).toBeGreaterThan(0);
    for (const a of alts) {
      for (const b of alts) {
        if (a === b) continue;
        const dominates = b.totalCost <= a.totalCost && b.worstLatencyMs <= a.worstLatencyMs && (b.totalCost < a.totalCost || b.worstLatencyMs < a.worstLatencyMs);
        expect(dominates).toBe(false);
      }
    }
    // The cost-optimal plan is on the front (nothing is cheaper).
    expect(alts.some((a) => a.chosen)).toBe(true);
    const wc = r.worstCase!;
    expect(wc.bestWorstLatencyMs).toBeLessThanOrEqual(wc.chosenWorstLatencyMs + 1e-9);
    if (wc.bound !== undefined) expect(wc.bound).toBeLessThanOrEqual(wc.bestWorstLatencyMs + 1e-9);
    // Backbone: a tree spanning every chosen region.
    const bb = r.backbone!;
    for (const id of r.placement!.regions) expect(bb.regions).toContain(id);
    expect(bb.links.length).toBe(bb.regions.length - 1);
    // Shapley efficiency: the shares sum to v(N), which is the plan's cost (every city has a tenant).
    const s = r.shares!;
    expect(s.method).toBe('exact');
    const sum = s.shares.reduce((acc, t) => acc + t.share, 0);
    expect(sum).toBeCloseTo(s.total, 6);
    expect(s.total).toBeCloseTo(r.placement!.objectives.totalCost, 6);
    expect(events.length).toBeGreaterThan(3);
    expect(events[events.length - 1]).toBe(1);
    for (let k = 1; k < events.length; k++) expect(events[k]!).toBeGreaterThanOrEqual(events[k - 1]! - 1e-12);
  });

  it('samples Shapley shares beyond the exact threshold, still efficient', async () => {
    const r = await plan(smallWorld(), { ...goals, exactShapleyMaxTenants: 2, skip: ['pareto', 'worst-case', 'backbone', 'connectivity'] }, { seed: 5 });
    const s = r.shares!;
    expect(s.method).toBe('sampling');
    expect(s.shares.reduce((acc, t) => acc + t.share, 0)).toBeCloseTo(s.total, 6);
    for (const t of s.shares) expect(t.lower!).toBeLessThanOrEqual(t.upper!);
  });

  it('honours a region count and reports infeasible residency', async () => {
    const r = await plan(smallWorld(), { ...goals, regions: { min: 3, max: 3 }, skip: ['pareto', 'shares'] });
    expect(r.placement!.regions.length).toBe(3);
    const bad = await plan(smallWorld(), { residency: { EU: ['CH'] }, skip: ['pareto', 'shares'] });
    expect(bad.status).toBe('infeasible');
    expect(bad.reason).toBeTruthy();
  });

  it('optimises worst latency with k-center when asked', async () => {
    const r = await plan(smallWorld(), { ...goals, optimise: 'latency', skip: ['pareto', 'shares'] });
    expect(r.placement!.objectives.worstLatencyMs).toBeCloseTo(r.worstCase!.bestWorstLatencyMs, 9);
  });

  it('is deterministic per seed and does not mutate its input', async () => {
    const world = smallWorld();
    const copy = JSON.stringify(world);
    const a = await plan(world, { ...goals, skip: ['shares'] }, { seed: 7 });
    const b = await plan(world, { ...goals, skip: ['shares'] }, { seed: 7 });
    expect(JSON.stringify(world)).toBe(copy);
    expect(a.placement!.regions).toEqual(b.placement!.regions);
    expect(a.pareto!.alternatives.map((x) => x.totalCost)).toEqual(b.pareto!.alternatives.map((x) => x.totalCost));
  });

  it('names the bad field', async () => {
    const field = async (w: World, g: Goals = {}): Promise<string> => {
      try {
        await plan(w, g);
      } catch (e) {
        expect(e).toBeInstanceOf(ModelError);
        return (e as ModelError).field;
      }
      return 'no error';
    };
    const w = smallWorld();
    expect(await field({ ...w, regions: w.regions.map((r, i) => (i === 3 ? { ...r, lat: 123 } : r)) })).toBe('world.regions[3].lat');
    expect(await field({ ...w, populations: w.populations.map((p, j) => (j === 2 ? { ...p, users: -1 } : p)) })).toBe('world.populations[2].users');
    expect(await field({ ...w, regions: [...w.regions, { ...w.regions[0]! }] })).toBe('world.regions[6].id');
    expect(await field({ ...w, tenants: [{ id: 't', populations: ['Atlantis'] }] })).toBe('world.tenants[0].populations[0]');
    expect(await field({ ...w, network: { latencyMs: [1, 2, 3] } })).toBe('world.network.latencyMs');
    expect(await field(w, { regions: { min: 0 } })).toBe('goals.regions.min');
    expect(await field(w, { latencyPrice: Number.NaN })).toBe('goals.latencyPrice');
  });
});

describe('plan() budget', () => {
  it('returns a feasible placement under a tiny time limit, with every phase answered or skipped', async () => {
    const r = await plan(smallWorld(), goals, { timeLimitMs: 50, seed: 2 });
    expect(r.placement).toBeDefined();
    expect(Number.isFinite(r.placement!.objectives.totalCost)).toBe(true);
    expect(['converged', 'time-limit']).toContain(r.stoppedBy);
    if (r.shares) expect(r.shares.shares.reduce((a, t) => a + t.share, 0)).toBeCloseTo(r.shares.total, 6);
  });

  it('stops on an aborted signal', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const r = await plan(smallWorld(), goals, { signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
  });
});

describe('plan() with capacities', () => {
  it('serves each population wholly from one region within capacity, objective recomputed', async () => {
    const base = smallWorld();
    // us-west can hold only 5 M users, so LA (4) fits but not NYC (8) as well.
    const world: World = { ...base, regions: base.regions.map((r) => (r.id === 'us-west' ? { ...r, capacity: 5, cost: 10 } : { ...r, capacity: 40 })) };
    for (const g of [goals, { ...goals, regions: { max: 4 } }]) {
      const r = await plan(world, { ...g, skip: ['pareto', 'shares', 'worst-case'] });
      expect(r.status).toBe('optimal');
      const load = new Map<string, number>();
      for (const s of r.placement!.served) load.set(s.region, (load.get(s.region) ?? 0) + s.users);
      for (const reg of world.regions) expect(load.get(reg.id) ?? 0).toBeLessThanOrEqual(reg.capacity! + 1e-9);
      expect(r.warnings).toEqual([]);
    }
  });
});
