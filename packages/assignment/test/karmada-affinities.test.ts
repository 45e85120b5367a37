/**
 * Ordered clusterAffinities, transcribed from pkg/scheduler/scheduler_test.go
 * (TestScheduleResourceBindingWithClusterAffinities, with its mock Schedule) and
 * pkg/scheduler/helper_test.go (Test_getAffinityIndex), karmada-io/karmada@f8fdd02.
 */
import { describe, expect, it } from 'vitest';
import {
  KarmadaSchedulingError,
  karmadaAffinityStartIndex,
  karmadaScheduleWithAffinities,
  karmadaTryAffinityTerms,
  type KarmadaTargetCluster,
} from '@emplace/assignment';

describe('karmadaAffinityStartIndex (Test_getAffinityIndex)', () => {
  const names = ['group1', 'group2', 'group3'];
  it('empty observedName', () => expect(karmadaAffinityStartIndex(names, '')).toBe(0));
  it('observedName can not find in affinities', () => expect(karmadaAffinityStartIndex(names, 'group0')).toBe(0));
  it('observedName can find in affinities', () => expect(karmadaAffinityStartIndex(names, 'group3')).toBe(2));
});

describe('karmadaTryAffinityTerms (TestScheduleResourceBindingWithClusterAffinities)', () => {
  const names = ['affinity1', 'affinity2'];
  type Outcome = KarmadaTargetCluster[] | Error;
  function run(outcomes: Outcome[], options: { observedAffinityName?: string; rescheduleTriggered?: boolean }) {
    const calls: string[] = [];
    const attempt = (i: number): KarmadaTargetCluster[] => {
      calls.push(names[i]!);
      const o = outcomes[i]!;
      if (o instanceof Error) throw o;
      return o;
    };
    try {
      const r = karmadaTryAffinityTerms(names, options, attempt);
      return { calls, termIndex: r.termIndex, clusters: r.result, error: undefined };
    } catch (e) {
      return { calls, termIndex: -1, clusters: undefined, error: e as Error };
    }
  }
  it('successful scheduling with first affinity', () => {
    const r = run([[{ name: 'cluster1', replicas: 1 }]], {});
    expect(r.termIndex).toBe(0);
    expect(r.clusters).toEqual([{ name: 'cluster1', replicas: 1 }]);
  });
  it('explicit rescheduling restarts from first affinity', () => {
    const r = run([[{ name: 'cluster1', replicas: 1 }]], { observedAffinityName: 'affinity2', rescheduleTriggered: true });
    expect(r.calls).toEqual(['affinity1']);
    expect(r.termIndex).toBe(0);
  });
  it('without explicit rescheduling resumes from observed affinity', () => {
    const r = run([[], [{ name: 'cluster2', replicas: 1 }]], { observedAffinityName: 'affinity2' });
    expect(r.calls).toEqual(['affinity2']);
    expect(r.clusters).toEqual([{ name: 'cluster2', replicas: 1 }]);
  });
  it('successful scheduling with second affinity', () => {
    const r = run([new Error('first affinity failed'), [{ name: 'cluster2', replicas: 1 }]], {});
    expect(r.termIndex).toBe(1);
    expect(r.clusters).toEqual([{ name: 'cluster2', replicas: 1 }]);
  });
  it('all affinities fail: the first error is reported', () => {
    const r = run([new Error('first affinity failed'), new Error('second affinity failed')], {});
    expect(r.error?.message).toBe('first affinity failed');
    expect(r.calls).toEqual(['affinity1', 'affinity2']);
  });
});

describe('karmadaScheduleWithAffinities', () => {
  const dynamic = { type: 'Divided', preference: 'Weighted', dynamicWeight: 'AvailableReplicas' } as const;
  it('overflows to the next term when the first cannot hold the replicas', () => {
    const r = karmadaScheduleWithAffinities(
      [
        { name: 'primary', clusters: [{ name: 'a', availableReplicas: 2 }] },
        { name: 'backup', clusters: [{ name: 'b', availableReplicas: 5 }, { name: 'c', availableReplicas: 5 }] },
      ],
      { replicas: 6, strategy: dynamic },
    );
    expect(r).toEqual({ termIndex: 1, affinityName: 'backup', clusters: [{ name: 'b', replicas: 3 }, { name: 'c', replicas: 3 }] });
  });
  it('keeps the first term when it fits', () => {
    const r = karmadaScheduleWithAffinities(
      [
        { name: 'primary', clusters: [{ name: 'a', availableReplicas: 6 }] },
        { name: 'backup', clusters: [{ name: 'b', availableReplicas: 50 }] },
      ],
      { replicas: 6, strategy: dynamic },
    );
    expect(r.affinityName).toBe('primary');
    expect(r.clusters).toEqual([{ name: 'a', replicas: 6 }]);
  });
  it('reports the first failure with the Schedule step text when every term fails', () => {
    let error: unknown;
    try {
      karmadaScheduleWithAffinities(
        [
          { name: 'primary', clusters: [{ name: 'a', availableReplicas: 2 }] },
          { name: 'backup', clusters: [], unfitReasons: { 'cluster(s) did not match the placement cluster affinity constraint': 1 } },
        ],
        { replicas: 6, strategy: dynamic },
        { totalClusters: 1 },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KarmadaSchedulingError);
    expect((error as Error).message).toBe('failed to assign replicas: failed to scale up: Clusters available replicas 2 are not enough to schedule.');
    expect((error as KarmadaSchedulingError).unschedulable).toBe(true);
  });
  it('a term without feasible clusters fails with the FitError text', () => {
    expect(() =>
      karmadaScheduleWithAffinities(
        [{ name: 'only', clusters: [], unfitReasons: { 'cluster(s) did not match the placement cluster affinity constraint': 3 } }],
        { replicas: 1, strategy: dynamic },
        { totalClusters: 3 },
      ),
    ).toThrow('0/3 clusters are available: 3 cluster(s) did not match the placement cluster affinity constraint.');
  });
});

describe('karmadaScheduleWithAffinities with spread constraints', () => {
  const dynamic = { type: 'Divided', preference: 'Weighted', dynamicWeight: 'AvailableReplicas' } as const;
  it('selects within the term, then divides', () => {
    const r = karmadaScheduleWithAffinities(
      [
        {
          name: 'primary',
          clusters: [
            { name: 'a', availableReplicas: 4 },
            { name: 'b', availableReplicas: 9 },
            { name: 'c', availableReplicas: 6 },
          ],
        },
      ],
      { replicas: 10, strategy: dynamic },
      { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 2 }] },
    );
    // Equal scores: by available replicas, b and c; 10 over 9:6.
    expect(r.clusters).toEqual([
      { name: 'b', replicas: 6 },
      { name: 'c', replicas: 4 },
    ]);
  });
  it('a term whose spread cannot be met fails with the select step text and the next term is tried', () => {
    const r = karmadaScheduleWithAffinities(
      [
        { name: 'small', clusters: [{ name: 'a', availableReplicas: 40 }] },
        { name: 'large', clusters: [{ name: 'b', availableReplicas: 5 }, { name: 'c', availableReplicas: 5 }] },
      ],
      { replicas: 4, strategy: dynamic },
      { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 2, maxGroups: 2 }] },
    );
    expect(r.affinityName).toBe('large');
    expect(() =>
      karmadaScheduleWithAffinities([{ name: 'small', clusters: [{ name: 'a', availableReplicas: 40 }] }], { replicas: 4, strategy: dynamic }, {
        spreadConstraints: [{ spreadByField: 'cluster', minGroups: 2, maxGroups: 2 }],
      }),
    ).toThrow('failed to select clusters: the number of feasible clusters is less than spreadConstraint.MinGroups');
  });
});
