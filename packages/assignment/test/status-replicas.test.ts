import { listSolvers, solve, type Result } from '@emplace/core';
import { createReplicaModel, evaluateReplicaPlacement, type ReplicaInput, type ReplicaSolution } from '@emplace/assignment';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeProblems, isDeliberate } from '../../emplace/test/fuzz/envelope.js';
import { bruteForce, compareKeys, rankKey, tiny } from './replicas-brute-force.js';

/**
 * Statuses of every replicas method (through the registry's `solve`) against the brute force
 * over every plan (replicas-brute-force.ts): `optimal` must rank equal to the best plan (placed
 * workloads per priority level, aggregated clusters, then the objective), a `feasible` plan must
 * satisfy every constraint and not beat it, `infeasible` only when no plan places any workload,
 * and a bound must not cross the best objective. Degenerate inputs on top of the random ones:
 * clusters with no free capacity, workloads of 0 replicas, huge free capacities, one cluster.
 */
const SEED = Number(process.env['STATUS_SEED'] ?? 13);
const RUNS = Number(process.env['STATUS_RUNS'] ?? 40);

const degenerate = fc.tuple(tiny, fc.constantFrom('none', 'none', 'zero-free', 'zero-replicas', 'huge-free', 'one-cluster', 'no-workloads')).map(([input, kind]): ReplicaInput => {
  const copy = structuredClone(input);
  if (kind === 'zero-free') copy.clusters[0]!.free = { cpu: 0, memory: 0 };
  if (kind === 'zero-replicas') copy.workloads[0]!.replicas = 0;
  if (kind === 'huge-free') for (const c of copy.clusters) c.free = { cpu: 1e12, memory: 1e12 };
  if (kind === 'one-cluster') {
    const keep = copy.clusters[0]!.id;
    copy.clusters = copy.clusters.slice(0, 1);
    for (const w of copy.workloads) {
      for (const field of ['allowed', 'tiers', 'minReplicas', 'maxReplicas', 'weights', 'current'] as const) delete w[field];
      if (w.current) w.current = { [keep]: 1 };
    }
  }
  if (kind === 'no-workloads') copy.workloads = [];
  return copy;
});

/** Karmada breaks constraints on purpose and lists each in `warnings`: its plans are checked only when it lists none. */
const HEURISTIC = new Set(['greedy', 'karmada']);

describe('replica statuses against brute force', () => {
  it.each(listSolvers('replicas').map((e) => e.method))('replicas:%s', async (method) => {
    const failures: string[] = [];
    for (const input of fc.sample(degenerate, { seed: SEED, numRuns: RUNS })) {
      let model: ReturnType<typeof createReplicaModel>;
      let result: Result<unknown>;
      try {
        model = createReplicaModel(input);
        result = await solve(model, { method: `replicas:${method}`, seed: 1 });
      } catch (err) {
        if (!isDeliberate(err)) failures.push(`threw ${String(err)}\n  ${JSON.stringify(input)}`);
        continue;
      }
      const best = bruteForce(model);
      // No exception for the heuristics: a plan that places nothing is a plan (feasible), never no-solution + converged.
      const problems = envelopeProblems(result);
      const placesAny = best !== undefined && best.key.slice(0, -2).some((v) => v < 0);
      if (result.status === 'infeasible' && placesAny) problems.push(`infeasible, but a plan places a workload (key ${best!.key.join(',')})`);
      if (!HEURISTIC.has(method) && placesAny && result.status !== 'optimal') problems.push(`${result.status} (${result.stoppedBy}), but the brute force places a workload`);
      if (!placesAny && input.workloads.some((w) => w.replicas > 0) && (result.status === 'optimal' || result.status === 'feasible')) {
        const counts = (result.solution as ReplicaSolution).counts;
        const ev = evaluateReplicaPlacement(model, counts);
        if (ev.feasible && ev.placed.some((p, w) => p && input.workloads[w]!.replicas > 0)) problems.push(`a valid plan ${Array.from(counts).join(',')} places a workload the brute force cannot place`);
      }
      if ((result.status === 'optimal' || result.status === 'feasible') && best) {
        const counts = (result.solution as ReplicaSolution).counts;
        const ev = evaluateReplicaPlacement(model, counts);
        const checked = method !== 'karmada' || (result.warnings ?? []).length === 0;
        if (checked && ev.violations.length > 0) problems.push(`${result.status} plan violates ${ev.violations.join(', ')}`);
        const key = rankKey(model, counts);
        const cmp = compareKeys(key, best.key);
        if (checked && cmp < 0) problems.push(`plan ranks ${key.join(',')}, better than the brute force ${best.key.join(',')}`);
        if (result.status === 'optimal' && cmp !== 0) problems.push(`optimal plan ranks ${key.join(',')}, the best is ${best.key.join(',')}`);
        const samePlacement = compareKeys(key.slice(0, -1), best.key.slice(0, -1)) === 0 && !model.lexicographic;
        const optimum = best.key[best.key.length - 1]!;
        if (samePlacement && result.bound !== undefined && result.bound > optimum + 1e-6 * Math.max(1, Math.abs(optimum))) problems.push(`bound ${result.bound} above the optimum ${optimum}`);
      }
      if (problems.length > 0) failures.push(`${result.status} ${result.objective} bound ${result.bound} (${result.stoppedBy}): ${problems.join("; ")}\n  warnings ${JSON.stringify(result.warnings ?? [])}\n  ${JSON.stringify(input)}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('replica status regressions (issue 13)', () => {
  const cluster = (id: string, zone: string, cpu: number, memory: number, price: Record<string, number>) => ({ id, labels: { region: 'r0', zone }, free: { cpu, memory }, price });

  it('a duplicated workload scaled to 0 replicas moves nothing (its removals are forced), so exact is optimal with bound = objective (was optimal 9, bound 3)', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [cluster('k0', 'z0', 4, 8, { cpu: 1, memory: 2 }), cluster('k1', 'z1', 4, 8, { cpu: 1, memory: 1 })],
      workloads: [
        { id: 'w0', replicas: 0, request: { cpu: 2, memory: 2 }, mode: 'duplicated', current: { k0: 3 }, moveCost: 2 },
        { id: 'w1', replicas: 1, request: { cpu: 2, memory: 1 }, mode: 'duplicated' },
      ],
    };
    const r = await solve(createReplicaModel(input), { method: 'replicas:exact' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(3);
    expect(r.bound).toBeCloseTo(3, 9);
  });

  it("the bound counts the moves of workloads left out of the MIP (evidently infeasible; was optimal 2, bound 0)", async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [cluster('k0', 'z0', 0, 0, { cpu: 2 }), cluster('k1', 'z1', 3, 8, { cpu: 2 })],
      workloads: [
        { id: 'w0', replicas: 2, request: { cpu: 2, memory: 2 }, spread: [{ key: 'cluster', minGroups: 2 }], current: { k0: 3 }, maxMoves: 2, moveCost: 2 },
        { id: 'w1', replicas: 1, request: { cpu: 1, memory: 1 }, current: { k1: 3 } },
      ],
      objective: { lexicographic: ['moves', 'cost'] },
    };
    const model = createReplicaModel(input);
    expect(model.evident[0]).toBeDefined();
    const r = await solve(model, { method: 'replicas:exact' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(2);
    expect(r.bound).toBeCloseTo(2, 9);
  });

  it('karmada lists the evident constraint its plan breaks (minReplicas on a cluster the workload may not use)', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [cluster('k0', 'z0', 3, 6, { cpu: 5 }), cluster('k1', 'z1', 3, 6, { cpu: 4 }), cluster('k2', 'z2', 5, 11, { cpu: 3 })],
      workloads: [{ id: 'w0', replicas: 1, request: { cpu: 2, memory: 2 }, mode: 'duplicated', allowed: ['k1'], minReplicas: { k2: 1 } }],
    };
    const r = await solve(createReplicaModel(input), { method: 'replicas:karmada' });
    expect(r.status).toBe('feasible');
    expect(r.warnings?.join(' ')).toMatch(/minReplicas\.k2/);
  });

  it('a duplicated workload with a minimum on a cluster but 0 replicas is evidently infeasible (was no-solution with stoppedBy converged)', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [cluster('k0', 'z0', 3, 5, { cpu: 1 }), cluster('k1', 'z1', 1, 11, { cpu: 3 })],
      workloads: [{ id: 'w0', replicas: 0, request: { cpu: 2, memory: 2 }, mode: 'duplicated', minReplicas: { k1: 1 } }],
    };
    for (const method of ['exact', 'greedy', 'auto']) {
      const r = await solve(createReplicaModel(input), { method: `replicas:${method}` });
      expect(r.status, method).toBe('infeasible');
      expect(r.status === 'infeasible' ? r.certificate?.fields : undefined, method).toContain('workloads[0].minReplicas.k1');
    }
  });
  it('karmada: a workload Karmada will not schedule and the data prove infeasible is infeasible (was no-solution with stoppedBy converged)', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [cluster('k0', 'z0', 4, 3, { cpu: 2 }), cluster('k1', 'z1', 6, 6, { cpu: 0 })],
      workloads: [{ id: 'w0', replicas: 4, request: { cpu: 2, memory: 3 }, allowed: [], tiers: [['k0'], ['k1']] }],
    };
    const r = await solve(createReplicaModel(input), { method: 'replicas:karmada' });
    expect(r.status).toBe('infeasible');
  });

  it('karmada: a duplicated copy on a cluster whose maxReplicas is below N is listed as broken (was a plan with no warning)', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [cluster('k0', 'z0', 1e12, 1e12, { cpu: 4 }), cluster('k1', 'z1', 6, 1e12, { cpu: 5 }), cluster('k2', 'z2', 1e12, 6, { cpu: 3 })],
      workloads: [{ id: 'w0', replicas: 2, request: { cpu: 1, memory: 1 }, mode: 'duplicated', maxReplicas: { k1: 0 } }],
    };
    const model = createReplicaModel(input);
    const r = await solve(model, { method: 'replicas:karmada' });
    expect(r.status).toBe('feasible');
    const counts = (r.solution as ReplicaSolution).counts;
    // Karmada copies a duplicated workload to every candidate with room (it ignores maxReplicas).
    expect(counts[1]).toBe(2);
    expect(r.warnings?.join(' ')).toMatch(/w0 breaks a constraint of the model: workloads\[0\]: 2 replicas on k1/);
  });

  it('a duplicated workload of 0 replicas with minAvailable > 0 is evidently infeasible (was no-solution with stoppedBy converged from exact, auto and greedy; karmada placed it)', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [cluster('k0', 'z0', 8, 8, { cpu: 5 })],
      workloads: [{ id: 'w0', replicas: 0, request: { cpu: 2, memory: 2 }, mode: 'duplicated', survivability: { domain: 'region', minAvailable: 1 } }],
    };
    const model = createReplicaModel(input);
    expect(model.evident[0]?.fields).toEqual(['workloads[0].survivability.minAvailable']);
    // karmada too: it placed the workload with 0 replicas, breaking minAvailable with no warning.
    for (const method of ['exact', 'greedy', 'auto', 'karmada']) {
      const r = await solve(model, { method: `replicas:${method}` });
      expect(r.status, method).toBe('infeasible');
    }
  });
  it('karmada stopped after its first workload leaves the rest unplaced (was "placed" with no replica)', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [cluster('k0', 'z0', 6, 1e12, { cpu: 0 })],
      workloads: [
        { id: 'w0', replicas: 1, request: { cpu: 2, memory: 1 }, mode: 'duplicated', priority: 1 },
        { id: 'w1', replicas: 3, request: { cpu: 1, memory: 3 }, current: { k0: 3 } },
      ],
    };
    const controller = new AbortController();
    controller.abort();
    const r = await solve(createReplicaModel(input), { method: 'replicas:karmada', signal: controller.signal });
    expect(r.stoppedBy).toBe('aborted');
    if (r.status === 'feasible') {
      const sol = r.solution as ReplicaSolution;
      expect(sol.workloads.map((p) => p.status)).toEqual(['placed', 'unplaced']);
      expect(Array.from(sol.counts)).toEqual([1, 0]);
    } else expect(r.status).toBe('no-solution');
  });
  it('karmada: a workload of 0 replicas with minReplicas on a cluster it may not use is infeasible (was placed with 0 replicas and no warning)', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [cluster('k0', 'z0', 1e12, 3, { cpu: 1 }), cluster('k1', 'z1', 0, 3, { memory: 2 })],
      workloads: [{ id: 'w0', replicas: 0, request: { cpu: 0, memory: 3 }, mode: 'aggregated', allowed: ['k1'], minReplicas: { k0: 1 } }],
    };
    const r = await solve(createReplicaModel(input), { method: 'replicas:karmada' });
    expect(r.status).toBe('infeasible');
  });
  it('exact / auto with a lexicographic order stopped part way are never optimal (an abort mid-run gave optimal with the stage-1 plan: the first criterion met its bound)', async () => {
    const input: ReplicaInput = {
      dimensions: ['cpu', 'memory'],
      clusters: [
        { id: 'k0', labels: { zone: 'z0', region: 'r0' }, free: { cpu: 6, memory: 6 }, price: { cpu: 4 } },
        { id: 'k1', labels: { zone: 'z1' }, free: { cpu: 4 }, price: { cpu: 1, memory: 2 } },
      ],
      workloads: [
        { id: 'w0', replicas: 3, request: { cpu: 2 }, spread: [{ key: 'zone', minGroups: 1 }] },
        { id: 'w1', replicas: 0, request: { cpu: 1, memory: 2 }, current: { k0: 3 }, moveCost: 3 },
      ],
      objective: { lexicographic: ['imbalance', 'cost'] },
    };
    const model = createReplicaModel(input);
    // Whatever moment the abort lands on (a race, so every moment 1-15 ms is tried): optimal only when the run converged, and then the best plan.
    for (const method of ['exact', 'auto']) {
      for (let ms = 1; ms <= 15; ms++) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), ms);
        const r = await solve(model, { method: `replicas:${method}`, signal: controller.signal });
        clearTimeout(timer);
        if (r.status !== 'optimal') continue;
        expect(r.stoppedBy, `${method} at ${ms} ms`).toBe('converged');
        expect(Array.from((r.solution as ReplicaSolution).counts), `${method} at ${ms} ms`).toEqual([1, 2, 0, 0]);
      }
    }
  });
});
