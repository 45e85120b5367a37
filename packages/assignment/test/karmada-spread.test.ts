/**
 * Karmada's spread-constraint selection, transcribed in fixtures/karmada/spread.json from
 * pkg/scheduler/core/spreadconstraint/*_test.go.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  KarmadaSchedulingError,
  karmadaAssignReplicas,
  karmadaGroupScore,
  karmadaSelectBestClustersByRegion,
  karmadaSelectClusters,
  karmadaSelectGroups,
  karmadaSortCandidates,
  type KarmadaRegionInfo,
  type KarmadaReplicaStrategy,
  type KarmadaSelectableCluster,
  type KarmadaSelectionInput,
  type KarmadaSpreadConstraint,
} from '@emplace/assignment';

interface Fixture {
  selectClusters: { test: string; name: string; input: KarmadaSelectionInput; want?: string[]; wantError?: string; unordered?: boolean }[];
  sortCandidates: { test: string; name: string; clusters: KarmadaSelectableCluster[]; want: string[] }[];
  byRegion: {
    test: string;
    name: string;
    regions: KarmadaRegionInfo[];
    regionConstraint: KarmadaSpreadConstraint;
    clusterConstraint: KarmadaSpreadConstraint;
    want?: string[];
    wantError?: boolean;
  }[];
  selectGroups: { test: string; name: string; groups: { name: string; value: number; weight: number }[]; minGroups: number; maxGroups: number; target: number; expected: string[] }[];
  groupScore: {
    test: string;
    name: string;
    clusters1: KarmadaSelectableCluster[];
    clusters2: KarmadaSelectableCluster[];
    replicas: number;
    strategy: KarmadaReplicaStrategy;
    minGroups: number;
    group1Wins: boolean;
  }[];
  groupScoreDuplicate: { test: string; name: string; clusters: KarmadaSelectableCluster[]; replicas: number; want: number }[];
}

const here = dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(readFileSync(join(here, 'fixtures/karmada/spread.json'), 'utf8')) as Fixture;

describe('karmadaSelectClusters (TestSelectBestClusters, TestSelectClusters)', () => {
  for (const c of fx.selectClusters) {
    it(c.name, () => {
      if (c.wantError !== undefined) {
        expect(() => karmadaSelectClusters(c.input)).toThrow(KarmadaSchedulingError);
        expect(() => karmadaSelectClusters(c.input)).toThrow(c.wantError);
        return;
      }
      const got = karmadaSelectClusters(c.input).map((x) => x.name);
      // assert.ElementsMatch in TestSelectClusters: same names, any order.
      if (c.unordered) expect(got.slice().sort()).toEqual(c.want!.slice().sort());
      else expect(got).toEqual(c.want);
    });
  }
  it('spread constraints on zone or provider alone fail as in Karmada', () => {
    const input: KarmadaSelectionInput = {
      clusters: [{ name: 'a', availableReplicas: 5, region: 'r' }],
      spreadConstraints: [{ spreadByField: 'zone', minGroups: 1, maxGroups: 1 }],
      strategy: { type: 'Divided', preference: 'Aggregated' },
      replicas: 1,
    };
    expect(() => karmadaSelectClusters(input)).toThrow('just support cluster and region spread constraint');
  });
});

describe('karmadaSortCandidates (Test_GroupClustersWithScore, Test_sortClusters)', () => {
  for (const c of fx.sortCandidates) {
    it(c.name, () => expect(karmadaSortCandidates(c.clusters).map((x) => x.name)).toEqual(c.want));
  }
  it('the ClusterLocality score puts clusters already holding the workload first', () => {
    const got = karmadaSortCandidates(
      [
        { name: 'a', availableReplicas: 50 },
        { name: 'b', availableReplicas: 10 },
      ],
      [{ name: 'b', replicas: 2 }],
    );
    expect(got.map((x) => x.name)).toEqual(['b', 'a']);
  });
});

describe('karmadaSelectBestClustersByRegion (Test_selectBestClustersByRegion)', () => {
  for (const c of fx.byRegion) {
    it(c.name, () => {
      if (c.wantError) {
        expect(() => karmadaSelectBestClustersByRegion(c.regions, c.regionConstraint, c.clusterConstraint)).toThrow(KarmadaSchedulingError);
        return;
      }
      expect(karmadaSelectBestClustersByRegion(c.regions, c.regionConstraint, c.clusterConstraint).map((x) => x.name)).toEqual(c.want);
    });
  }
});

describe('karmadaSelectGroups (TestSelectGroups)', () => {
  for (const c of fx.selectGroups) {
    it(c.name, () => {
      const groups = c.groups.map((g) => ({ ...g, weight: BigInt(g.weight) }));
      expect(karmadaSelectGroups(groups, c.minGroups, c.maxGroups, c.target).map((g) => g.name)).toEqual(c.expected);
    });
  }
});

describe('karmadaGroupScore (Test_CalcGroupScore, Test_CalcGroupScoreForDuplicate)', () => {
  for (const c of fx.groupScore) {
    it(c.name, () => {
      const s1 = karmadaGroupScore(c.clusters1, { strategy: c.strategy, replicas: c.replicas }, c.minGroups);
      const s2 = karmadaGroupScore(c.clusters2, { strategy: c.strategy, replicas: c.replicas }, c.minGroups);
      expect(s1 >= s2).toBe(c.group1Wins);
    });
  }
  for (const c of fx.groupScoreDuplicate) {
    it(c.name, () => expect(karmadaGroupScore(c.clusters, { replicas: c.replicas }, 0)).toBe(BigInt(c.want)));
  }
  it('reproduces the worked examples in the comments of calcGroupScore', () => {
    const g = (scores: number[], reps: number[]) => scores.map((s, i) => ({ name: `m${i}`, score: s, availableReplicas: reps[i]! }));
    const divided = { strategy: { type: 'Divided', preference: 'Aggregated' } as const, replicas: 100 };
    expect(karmadaGroupScore(g([100, 100, 100, 100, 100], [10, 10, 10, 10, 5]), divided, 2)).toBe(45100n);
    expect(karmadaGroupScore(g([0, 0, 0, 0], [40, 30, 10, 10]), divided, 2)).toBe(50000n);
    expect(karmadaGroupScore(g([100, 100, 100, 100, 100], [40, 40, 10, 10, 5]), divided, 2)).toBe(50100n);
    const dup = { strategy: { type: 'Duplicated' } as const, replicas: 50 };
    expect(karmadaGroupScore(g([100, 100, 100, 100, 100], [60, 70, 40, 30, 10]), dup, 1)).toBe(2100n);
    expect(karmadaGroupScore(g([0, 0, 0, 0], [60, 60, 60, 60]), dup, 1)).toBe(4000n);
  });
});

describe('selection then assignment', () => {
  it('region spread picks one cluster per region, then Karmada divides over them', () => {
    const clusters: KarmadaSelectableCluster[] = [
      { name: 'eu-1', availableReplicas: 10, region: 'eu' },
      { name: 'eu-2', availableReplicas: 30, region: 'eu' },
      { name: 'us-1', availableReplicas: 20, region: 'us' },
      { name: 'ap-1', availableReplicas: 5, region: 'ap' },
    ];
    const strategy = { type: 'Divided', preference: 'Weighted', dynamicWeight: 'AvailableReplicas' } as const;
    const selected = karmadaSelectClusters({
      clusters,
      strategy,
      replicas: 12,
      spreadConstraints: [
        { spreadByField: 'region', minGroups: 2, maxGroups: 2 },
        { spreadByField: 'cluster', minGroups: 2, maxGroups: 2 },
      ],
    });
    expect(selected.map((c) => c.name)).toEqual(['eu-2', 'us-1']);
    expect(karmadaAssignReplicas({ replicas: 12, clusters: selected, strategy, hasReplicaRequirements: true })).toEqual([
      { name: 'eu-2', replicas: 7 },
      { name: 'us-1', replicas: 5 },
    ]);
  });
});
