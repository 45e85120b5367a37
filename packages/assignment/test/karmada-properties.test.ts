/** Properties of the Karmada reproduction on random inputs. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError } from '@emplace/core';
import { KarmadaSchedulingError, karmadaAssignReplicas, type KarmadaDivisionInput, type KarmadaTargetCluster } from '@emplace/assignment';

const clusters = fc.uniqueArray(
  fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/), availableReplicas: fc.integer({ min: 0, max: 40 }) }),
  { selector: (c) => c.name, minLength: 1, maxLength: 10 },
);
const strategies = fc.constantFrom(
  { type: 'Divided', preference: 'Weighted', dynamicWeight: 'AvailableReplicas' } as const,
  { type: 'Divided', preference: 'Aggregated' } as const,
);

function total(list: readonly KarmadaTargetCluster[]): number {
  return list.reduce((s, c) => s + c.replicas, 0);
}

/** Runs the assignment; undefined when Karmada would refuse for lack of capacity. */
function attempt(input: KarmadaDivisionInput): KarmadaTargetCluster[] | undefined {
  try {
    return karmadaAssignReplicas(input);
  } catch (e) {
    if (e instanceof KarmadaSchedulingError && e.unschedulable) return undefined;
    throw e;
  }
}

describe('karmadaAssignReplicas properties', () => {
  it('Divided by dynamic weight or Aggregated: places exactly the requested replicas, never above a cluster\'s available replicas, fails only when capacity is short', () => {
    fc.assert(
      fc.property(clusters, strategies, fc.integer({ min: 1, max: 150 }), fc.uuid(), (cs, strategy, replicas, uid) => {
        const got = attempt({ replicas, uid, clusters: cs, strategy, hasReplicaRequirements: true });
        const capacity = cs.reduce((s, c) => s + c.availableReplicas, 0);
        if (got === undefined) {
          expect(capacity).toBeLessThan(replicas);
          return;
        }
        expect(total(got)).toBe(replicas);
        for (const c of got) {
          expect(c.replicas).toBeGreaterThan(0);
          expect(c.replicas).toBeLessThanOrEqual(cs.find((x) => x.name === c.name)!.availableReplicas);
        }
      }),
    );
  });
  it('Aggregated uses no more clusters than the largest-first prefix that covers the replicas', () => {
    fc.assert(
      fc.property(clusters, fc.integer({ min: 1, max: 150 }), (cs, replicas) => {
        const got = attempt({ replicas, clusters: cs, strategy: { type: 'Divided', preference: 'Aggregated' }, hasReplicaRequirements: true });
        if (!got) return;
        const sorted = cs.map((c) => c.availableReplicas).sort((a, b) => b - a);
        let k = 0;
        for (let acc = 0; acc < replicas; k++) acc += sorted[k]!;
        expect(got.length).toBeLessThanOrEqual(k);
      }),
    );
  });
  it('static weights: the total is the requested replicas and capacity plays no part', () => {
    fc.assert(
      fc.property(clusters, fc.integer({ min: 0, max: 150 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }), (cs, replicas, ws) => {
        const staticWeights = Object.fromEntries(cs.map((c, i) => [c.name, ws[i]!]));
        const got = karmadaAssignReplicas({ replicas, clusters: cs, strategy: { type: 'Divided', preference: 'Weighted', staticWeights }, hasReplicaRequirements: true });
        expect(total(got)).toBe(replicas);
        const anyPositive = cs.some((c) => staticWeights[c.name]! > 0);
        if (anyPositive) for (const c of got) expect(staticWeights[c.name]).toBeGreaterThan(0);
      }),
    );
  });
  it('is deterministic for a uid and does not mutate its input', () => {
    fc.assert(
      fc.property(clusters, strategies, fc.integer({ min: 1, max: 60 }), fc.uuid(), (cs, strategy, replicas, uid) => {
        const input: KarmadaDivisionInput = { replicas, uid, clusters: cs, strategy, hasReplicaRequirements: true };
        const before = JSON.stringify(input);
        const a = attempt(input);
        expect(attempt(input)).toEqual(a);
        expect(JSON.stringify(input)).toBe(before);
      }),
    );
  });
  it('steady scale up keeps every previous replica, scale down never adds a replica to a cluster', () => {
    fc.assert(
      fc.property(clusters, strategies, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.uuid(), (cs, strategy, first, second, uid) => {
        const base = { uid, clusters: cs, strategy, hasReplicaRequirements: true };
        const previous = attempt({ ...base, replicas: first });
        if (!previous) return;
        const next = attempt({ ...base, replicas: second, previous });
        if (!next) return;
        expect(total(next)).toBe(second);
        const was = (n: string) => previous.find((c) => c.name === n)?.replicas ?? 0;
        const now = (n: string) => next.find((c) => c.name === n)?.replicas ?? 0;
        for (const c of cs) {
          if (second >= first) expect(now(c.name)).toBeGreaterThanOrEqual(was(c.name));
          else expect(now(c.name)).toBeLessThanOrEqual(was(c.name));
        }
      }),
    );
  });
  it('Duplicated gives every candidate the full count', () => {
    fc.assert(
      fc.property(clusters, fc.integer({ min: 1, max: 60 }), (cs, replicas) => {
        expect(karmadaAssignReplicas({ replicas, clusters: cs, strategy: { type: 'Duplicated' } })).toEqual(cs.map((c) => ({ name: c.name, replicas })));
      }),
    );
  });
  it('rejects malformed input with a ModelError naming the field', () => {
    const strategy = { type: 'Duplicated' } as const;
    expect(() => karmadaAssignReplicas({ replicas: 1.5, clusters: [], strategy })).toThrow(ModelError);
    expect(() => karmadaAssignReplicas({ replicas: 1, clusters: [{ name: 'a', availableReplicas: -1 }], strategy })).toThrow(/clusters\[0\]\.availableReplicas/);
    expect(() =>
      karmadaAssignReplicas({ replicas: 1, clusters: [{ name: 'a', availableReplicas: 1 }, { name: 'a', availableReplicas: 1 }], strategy }),
    ).toThrow(/clusters\[1\]\.name/);
    expect(() => karmadaAssignReplicas({ replicas: 1, clusters: [{ name: 'a', availableReplicas: 1 }], strategy, previous: [{ name: 'a', replicas: -2 }] })).toThrow(
      /previous\[0\]\.replicas/,
    );
  });
});
