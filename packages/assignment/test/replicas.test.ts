import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasSolution, ModelError } from '@emplace/core';
import {
  createReplicaModel,
  evaluateReplicaPlacement,
  generateReplicas,
  karmadaAssignReplicas,
  readReplicaJson,
  solveReplicas,
  writeReplicaJson,
  type ReplicaCriterion,
  type ReplicaInput,
} from '@emplace/assignment';
import { bruteForce, compareKeys, rankKey, tiny } from './replicas-brute-force.js';

describe('replica model', () => {
  const base = (): ReplicaInput => ({
    dimensions: ['cpu', 'memory'],
    clusters: [
      { id: 'a', labels: { region: 'eu' }, free: { cpu: 4, memory: 8 } },
      { id: 'b', labels: { region: 'us' }, free: { cpu: 4 } },
    ],
    workloads: [{ id: 'web', replicas: 3, request: { cpu: 1, memory: 1 } }],
  });

  it('names the bad field', () => {
    const cases: [(i: ReplicaInput) => void, string][] = [
      [(i) => (i.workloads[0]!.request = { gpu: 1 }), 'workloads[0].request.gpu'],
      [(i) => (i.workloads[0]!.replicas = -1), 'workloads[0].replicas'],
      [(i) => (i.workloads[0]!.allowed = ['zz']), 'workloads[0].allowed[0]'],
      [(i) => (i.clusters[1]!.free = { cpu: -2 }), 'clusters[1].free.cpu'],
      [(i) => ((i.workloads[0]!.minReplicas = { a: 3 }), (i.workloads[0]!.maxReplicas = { a: 1 })), 'workloads[0].minReplicas.a'],
      [(i) => (i.workloads[0]!.spread = [{ key: 'region', minGroups: 3, maxGroups: 2 }]), 'workloads[0].spread[0].minGroups'],
      [(i) => (i.objective = { lexicographic: ['speed' as ReplicaCriterion] }), 'objective.lexicographic[0]'],
      [(i) => (i.objective = { latency: 1 }), 'populations'],
    ];
    for (const [mutate, field] of cases) {
      const input = base();
      mutate(input);
      let err: unknown;
      try {
        createReplicaModel(input);
      } catch (e) {
        err = e;
      }
      expect(err, field).toBeInstanceOf(ModelError);
      expect((err as ModelError).field).toBe(field);
    }
  });

  it('reads back what it writes (JSON: null = unlimited)', () => {
    const input = base();
    input.clusters[0]!.free.cpu = Infinity;
    const [doc] = readReplicaJson(writeReplicaJson(input, 't'));
    expect(doc!.name).toBe('t');
    expect(doc!.model.placement.capacity[0]).toBe(Infinity);
    expect(doc!.model.input.workloads).toEqual(input.workloads);
    expect(() => readReplicaJson('{"kind": "schedule"}')).toThrow(/kind must be "replicas"/);
  });

  it('is a workload of the shared placement model', () => {
    const m = createReplicaModel(base());
    expect(m.placement.kind).toBe('placement');
    expect(Array.from(m.placement.replicas!)).toEqual([3]);
    expect(m.placement.capacity[1 * 2 + 1]).toBe(Infinity);
    const input = base();
    createReplicaModel(input).input.workloads[0]!.replicas = 99;
    expect(input.workloads[0]!.replicas).toBe(3);
    expect(() => createReplicaModel(base(), { maxPairs: 1 })).toThrow(ModelError);
  });

  it('certifies evident infeasibility naming the constraint', async () => {
    const input = base();
    input.workloads[0]!.spread = [{ key: 'region', minGroups: 3 }];
    const r = await solveReplicas(createReplicaModel(input), { method: 'exact' });
    expect(r.status).toBe('infeasible');
    expect((r.status === 'infeasible' ? r.certificate : undefined)?.reason).toContain('workloads[0].spread[0]: minGroups 3 but only 2 regions have room');
    expect((r.status === 'infeasible' ? r.certificate : undefined)?.fields).toContain('workloads[0].spread[0]');
  });

  it('proves infeasibility the data does not show and names the family (N-1 re-hosting)', async () => {
    // 4 replicas of 2 cpu over two zones with 4 cpu each: the survivors cannot re-host a lost zone.
    const input: ReplicaInput = {
      dimensions: ['cpu'],
      clusters: [
        { id: 'a', labels: { zone: 'z1' }, free: { cpu: 4 } },
        { id: 'b', labels: { zone: 'z2' }, free: { cpu: 4 } },
      ],
      workloads: [{ id: 'db', replicas: 4, request: { cpu: 2 }, survivability: { domain: 'zone', minAvailable: 2, rehost: true } }],
    };
    const m = createReplicaModel(input);
    expect(m.evident[0]).toBeUndefined();
    const r = await solveReplicas(m, { method: 'exact' });
    expect(r.status).toBe('infeasible');
    expect((r.status === 'infeasible' ? r.certificate : undefined)?.fields).toContain('workloads[0].survivability.rehost');
    // The greedy proves nothing: its plan leaves the workload unplaced, a valid plan (was
    // no-solution with stoppedBy converged, which says a limit came first; issue 13 audit).
    const g = await solveReplicas(m, { method: 'greedy' });
    expect(g.status).toBe('feasible');
    expect(g.stoppedBy).toBe('converged');
    expect(g.status === 'feasible' ? g.solution.workloads[0]!.status : undefined).toBe('unplaced');
  });
});

describe('replica methods on random tiny instances', () => {
  it('every returned placement satisfies every constraint; exact equals brute force; never worse than greedy; bounds never cross', async () => {
    await fc.assert(
      fc.asyncProperty(tiny, async (input) => {
        const m = createReplicaModel(input);
        const best = bruteForce(m);
        const exact = await solveReplicas(m, { method: 'exact' });
        const greedy = await solveReplicas(m, { method: 'greedy' });
        for (const r of [exact, greedy]) {
          if (!hasSolution(r)) continue;
          const ev = evaluateReplicaPlacement(m, r.solution.counts);
          expect(ev.violations).toEqual([]);
          r.solution.workloads.forEach((w, i) => expect(w.status === 'placed').toBe(ev.placed[i] && input.workloads[i]!.replicas > 0 ? true : w.status === 'placed'));
          const scalar = m.lexicographic ? ev.criteria[m.lexicographic[0]!] : ev.weighted;
          expect(r.objective).toBeCloseTo(scalar, 6);
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(r.objective + 1e-6 * Math.max(1, Math.abs(r.objective)));
          for (const w of r.solution.workloads) for (const c of w.clusters) expect(c.why.length).toBeGreaterThan(0);
        }
        // Brute force: the best plan places nothing only when every workload is infeasible.
        const anyPlaceable = best !== undefined && rankKey(m, best.counts).slice(0, -2).some((v) => v < 0);
        if (!anyPlaceable) {
          expect(['infeasible', 'optimal']).toContain(exact.status);
          return;
        }
        expect(exact.status).toBe('optimal');
        if (!hasSolution(exact)) return;
        expect(compareKeys(rankKey(m, exact.solution.counts), best!.key)).toBe(0);
        if (hasSolution(greedy)) expect(compareKeys(rankKey(m, exact.solution.counts), rankKey(m, greedy.solution.counts))).toBeLessThanOrEqual(0);
        // The Lagrangian path (forced with maxMipPairs 1 on instances of 2+ pairs): a valid plan and a bound below the optimum.
        const lag = await solveReplicas(m, { method: 'exact', maxMipPairs: 1, timeLimitMs: 2_000 });
        if (hasSolution(lag)) {
          expect(evaluateReplicaPlacement(m, lag.solution.counts).violations).toEqual([]);
          const optimum = best!.key[best!.key.length - 1]!;
          if (lag.bound !== undefined && !m.lexicographic) expect(lag.bound).toBeLessThanOrEqual(optimum + 1e-6 * Math.max(1, Math.abs(optimum)));
          if (!m.lexicographic && compareKeys(rankKey(m, lag.solution.counts).slice(0, -1), best!.key.slice(0, -1)) === 0) expect(lag.objective).toBeGreaterThanOrEqual(optimum - 1e-6 * Math.max(1, Math.abs(optimum)));
        }
      }),
      { numRuns: 40, seed: 14 },
    );
  });

  it('the karmada method is Karmada: same counts as karmadaAssignReplicas on one workload', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('static', 'dynamic', 'aggregated'), async (seed, kind) => {
        const input = generateReplicas({ clusters: 5, workloads: 1, seed, utilisation: 0.5 });
        const wl = input.workloads[0]!;
        if (kind === 'aggregated') wl.mode = 'aggregated';
        else wl.weights = kind === 'dynamic' ? { dynamic: 'AvailableReplicas' } : { static: { c0: 1, c1: 2, c3: 1 } };
        const m = createReplicaModel(input);
        const r = await solveReplicas(m, { method: 'karmada' });
        const clusters = input.clusters.map((c, i) => ({ name: c.id, availableReplicas: m.available[i]! }));
        let expected: { name: string; replicas: number }[] | undefined;
        try {
          expected = karmadaAssignReplicas({
            replicas: wl.replicas,
            uid: wl.uid!,
            clusters,
            hasReplicaRequirements: true,
            strategy:
              kind === 'aggregated'
                ? { type: 'Divided', preference: 'Aggregated' }
                : kind === 'dynamic'
                  ? { type: 'Divided', preference: 'Weighted', dynamicWeight: 'AvailableReplicas' }
                  : { type: 'Divided', preference: 'Weighted', staticWeights: { c0: 1, c1: 2, c3: 1 } },
          });
        } catch {
          expected = undefined;
        }
        if (!expected) {
          expect(r.status).not.toBe('optimal');
          return;
        }
        expect(hasSolution(r)).toBe(true);
        if (!hasSolution(r)) return;
        const got = r.solution.workloads[0]!.clusters.map((c) => ({ name: c.cluster, replicas: c.replicas }));
        expect(got).toEqual([...expected].sort((a, b) => Number(a.name.slice(1)) - Number(b.name.slice(1))));
      }),
      { numRuns: 30, seed: 7 },
    );
  });
});

describe('replica methods on generated batches', () => {
  it('greedy, exact and the Lagrangian path return plans the evaluator accepts; exact is never worse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), async (seed) => {
        const input = generateReplicas({
          clusters: 8, workloads: 8, seed, utilisation: 0.6, regions: 3, zonesPerRegion: 2,
          spread: 0.5, survivability: 0.4, rehost: seed % 2 === 0 ? 0.5 : 0, allowed: 0.2, tiers: 0.2, minMax: 0.2, weights: 0.2, current: 0.3, maxMoves: 3, priorities: true,
        });
        const m = createReplicaModel(input);
        const greedy = await solveReplicas(m, { method: 'greedy' });
        const exact = await solveReplicas(m, { method: 'exact', timeLimitMs: 2_000 });
        const lag = await solveReplicas(m, { method: 'exact', timeLimitMs: 1_000, maxMipPairs: 1 });
        for (const r of [greedy, exact, lag]) {
          if (!hasSolution(r)) continue;
          expect(evaluateReplicaPlacement(m, r.solution.counts).violations).toEqual([]);
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(r.objective + 1e-6 * Math.max(1, Math.abs(r.objective)));
        }
        if (hasSolution(greedy) && hasSolution(exact) && exact.status === 'optimal') {
          const placed = (r: typeof greedy) => (hasSolution(r) ? r.solution.workloads.filter((w) => w.status === 'placed').length : 0);
          expect(placed(exact)).toBeGreaterThanOrEqual(placed(greedy));
          if (placed(exact) === placed(greedy) && exact.solution.workloads.every((w, i) => w.status === greedy.solution.workloads[i]!.status)) {
            expect(exact.objective).toBeLessThanOrEqual(greedy.objective + 1e-6 * Math.max(1, Math.abs(greedy.objective)));
          }
        }
      }),
      { numRuns: 4, seed: 21 },
    );
  });
});

describe('replica features', () => {
  it('uses the first tier that can hold the workload, and says so', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu'],
      clusters: [
        { id: 'primary', free: { cpu: 2 }, price: { cpu: 5 } },
        { id: 'overflow1', free: { cpu: 10 }, price: { cpu: 1 } },
        { id: 'overflow2', free: { cpu: 10 }, price: { cpu: 2 } },
      ],
      workloads: [{ id: 'w', replicas: 4, request: { cpu: 1 }, tiers: [['primary'], ['overflow1', 'overflow2']] }],
    };
    let r = await solveReplicas(createReplicaModel(input), { method: 'exact' });
    expect(hasSolution(r) && r.solution.workloads[0]!.clusters).toEqual([{ cluster: 'overflow1', replicas: 4, why: expect.stringContaining('tier 2') }]);
    input.clusters[0]!.free.cpu = 4;
    r = await solveReplicas(createReplicaModel(input), { method: 'exact' });
    expect(hasSolution(r) && r.solution.workloads[0]!.clusters.map((c) => c.cluster)).toEqual(['primary']);
  });

  it('rebalances within maxMoves and reports the diff', async () => {
    const input = generateReplicas({ clusters: 8, workloads: 1, seed: 5, replicas: [12, 12] });
    input.workloads[0]!.current = { c0: 6, c1: 6 };
    input.workloads[0]!.maxMoves = 2;
    input.clusters.forEach((c, i) => (c.price = { cpu: i < 2 ? 1 : 0.1 }));
    input.clusters[0]!.free = { cpu: 100, memory: 1000, pods: 100 };
    input.clusters[1]!.free = { cpu: 100, memory: 1000, pods: 100 };
    const m = createReplicaModel(input);
    for (const method of ['greedy', 'exact'] as const) {
      const r = await solveReplicas(m, { method });
      expect(hasSolution(r)).toBe(true);
      if (!hasSolution(r)) continue;
      expect(r.solution.moved).toBeLessThanOrEqual(2);
      const moves = r.solution.workloads[0]!.moves!;
      expect(moves.reduce((s, mv) => s + (mv.from !== '' ? mv.replicas : 0), 0)).toBe(r.solution.moved);
      if (method === 'exact') expect(r.solution.moved).toBe(2);
    }
  });

  it('batches share capacity and higher priorities go first', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu'],
      clusters: [
        { id: 'a', free: { cpu: 4 } },
        { id: 'b', free: { cpu: 4 } },
      ],
      workloads: [
        { id: 'low', replicas: 6, request: { cpu: 1 }, priority: 0 },
        { id: 'high', replicas: 4, request: { cpu: 1 }, priority: 5 },
      ],
    };
    const m = createReplicaModel(input);
    for (const method of ['greedy', 'exact'] as const) {
      const r = await solveReplicas(m, { method });
      expect(hasSolution(r)).toBe(true);
      if (!hasSolution(r)) continue;
      expect(r.solution.workloads.map((w) => w.status)).toEqual(['unplaced', 'placed']);
      expect(r.solution.workloads[0]!.reason).toBeDefined();
    }
  });

  it('honours an abort and a time limit with the greedy plan at worst', async () => {
    const input = generateReplicas({ clusters: 30, workloads: 40, seed: 2, spread: 0.5, survivability: 0.5 });
    const m = createReplicaModel(input);
    const ac = new AbortController();
    ac.abort();
    const r = await solveReplicas(m, { method: 'exact', signal: ac.signal });
    expect(r.stoppedBy).toBe('aborted');
    if (hasSolution(r)) expect(evaluateReplicaPlacement(m, r.solution.counts).violations).toEqual([]);
  });
});
