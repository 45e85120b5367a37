/**
 * Turns the Karmada unit-test cases that @emplace/assignment transcribed (division.json: the
 * division's inputs and Karmada's expected spec.clusters) into Kubernetes objects as kubectl
 * prints them: one Cluster per candidate whose resourceSummary makes Karmada's estimator
 * answer exactly the case's available replicas, and one ResourceBinding carrying the
 * placement, the previous spec.clusters and the observed affinity term.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface DivisionCase {
  test: string;
  name: string;
  input: {
    replicas: number;
    hasReplicaRequirements?: boolean;
    clusters: { name: string; availableReplicas: number; overflowOrder?: number }[];
    strategy: { type: string; preference?: string; dynamicWeight?: string; staticWeightList?: { targetCluster: { clusterNames?: string[]; exclude?: string[] }; weight: number }[] };
    previous?: { name: string; replicas: number }[];
    overflow?: boolean;
  };
  want?: { name: string; replicas: number }[];
  ordered?: boolean;
  wantError?: boolean | string;
  wantUnschedulable?: boolean;
}

export function divisionCases(): DivisionCase[] {
  const file = join(here, '../../assignment/test/fixtures/karmada/division.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: DivisionCase[] }).cases;
}

export function caseObjects(c: DivisionCase): Record<string, unknown>[] {
  const withRequest = c.input.hasReplicaRequirements === true;
  const clusters = c.input.clusters.map((cl) => ({
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: cl.name },
    spec: { syncMode: 'Push' },
    status: {
      resourceSummary: withRequest
        ? // one replica requests 1 cpu; pods never bind
          { allocatable: { cpu: String(cl.availableReplicas), pods: String(2 ** 31 - 1) }, allocated: { cpu: '0', pods: '0' } }
        : { allocatable: { pods: String(cl.availableReplicas) } },
    },
  }));
  const s = c.input.strategy;
  const replicaScheduling: Record<string, unknown> = { replicaSchedulingType: s.type };
  if (s.preference) replicaScheduling.replicaDivisionPreference = s.preference;
  if (s.dynamicWeight || s.staticWeightList) {
    replicaScheduling.weightPreference = {
      ...(s.staticWeightList ? { staticWeightList: s.staticWeightList } : {}),
      ...(s.dynamicWeight ? { dynamicWeight: s.dynamicWeight } : {}),
    };
  }
  const placement: Record<string, unknown> = { replicaScheduling };
  const status: Record<string, unknown> = {};
  if (c.input.overflow) {
    const tiers = new Map<number, string[]>();
    for (const cl of c.input.clusters) tiers.set(cl.overflowOrder ?? 0, [...(tiers.get(cl.overflowOrder ?? 0) ?? []), cl.name]);
    const max = Math.max(...tiers.keys());
    placement.clusterAffinities = [
      {
        affinityName: 'primary',
        clusterNames: tiers.get(0) ?? ['none'],
        overflowAffinities: Array.from({ length: max }, (_, k) => ({ affinityName: `overflow-${k + 1}`, clusterNames: tiers.get(k + 1) ?? ['none'] })),
      },
    ];
    status.schedulerObservedAffinityName = 'primary';
  }
  const binding = {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: c.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-|-$/g, '').slice(0, 60) || 'case', namespace: 'default' },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'app' },
      replicas: c.input.replicas,
      ...(withRequest ? { replicaRequirements: { resourceRequest: { cpu: '1' } } } : {}),
      placement,
      ...(c.input.previous ? { clusters: c.input.previous } : {}),
    },
    ...(Object.keys(status).length > 0 ? { status } : {}),
  };
  return [...clusters, binding];
}
