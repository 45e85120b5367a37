import { describe, expect, it } from 'vitest';
import { formatYaml, readObjects, reconcile } from '@emplace/kube';

function cluster(name: string, extra: { labels?: Record<string, string>; spec?: Record<string, unknown>; pods?: number; apis?: boolean } = {}) {
  return {
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name, labels: extra.labels ?? {} },
    spec: extra.spec ?? {},
    status: {
      ...(extra.apis === false ? { apiEnablements: [{ groupVersion: 'v1', resources: [{ name: 'services', kind: 'Service' }] }] } : {}),
      resourceSummary: { allocatable: { cpu: '100', pods: String(extra.pods ?? 10) } },
    },
  };
}

function binding(placement: Record<string, unknown>, spec: Record<string, unknown> = {}, status?: Record<string, unknown>) {
  return {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'web', namespace: 'default' },
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' }, replicas: 4, replicaRequirements: { resourceRequest: { cpu: '1' } }, placement, ...spec },
    ...(status ? { status } : {}),
  };
}

const divided = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } };

async function karmada(docs: Record<string, unknown>[]) {
  const { decisions } = await reconcile(readObjects(formatYaml(docs)), { strategy: 'karmada' });
  return decisions[0]!;
}

describe('Karmada filters through the objects', () => {
  const clusters = [
    cluster('a', { labels: { env: 'prod' }, spec: { provider: 'aws', region: 'us-east-1', zones: ['us-east-1a'] } }),
    cluster('b', { labels: { env: 'prod' }, spec: { provider: 'gcp', region: 'us-central1', zones: ['us-central1-a'], taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } }),
    cluster('c', { labels: { env: 'dev' }, spec: { provider: 'aws', region: 'eu-west-1' } }),
    cluster('d', { labels: { env: 'prod' }, spec: { provider: 'aws', region: 'us-west-2' }, apis: false }),
  ];

  it('label selector, field selector, taints, API enablement', async () => {
    const d = await karmada([...clusters, binding({ clusterAffinity: { labelSelector: { matchLabels: { env: 'prod' } } }, replicaScheduling: divided })]);
    expect(d.clusters.map((c) => c.name)).toEqual(['a']); // b tainted, c dev, d lacks apps/v1 Deployment
    const f = await karmada([...clusters, binding({ clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'In', values: ['gcp'] }] } }, clusterTolerations: [{ key: 'maintenance', operator: 'Exists' }], replicaScheduling: divided })]);
    expect(f.clusters).toEqual([expect.objectContaining({ name: 'b', replicas: 4 })]);
  });

  it('no fit: Karmada FitError histogram, exit status error', async () => {
    const d = await karmada([...clusters, binding({ clusterAffinity: { clusterNames: ['b', 'c'], exclude: ['c'] }, replicaScheduling: divided })]);
    expect(d.status).toBe('error');
    // a and c (excluded) fail the affinity, b its taint, d its API list; reasons sorted as Karmada's FitError prints them
    expect(d.reason).toBe(
      'failed to find fit clusters: 0/4 clusters are available: 1 cluster(s) did not have the API resource, 1 cluster(s) had untolerated taint {maintenance:NoSchedule}, 2 cluster(s) did not match the placement cluster affinity constraint.',
    );
  });

  it('a cluster already in spec.clusters keeps its place despite a new taint; eviction tasks exclude a cluster', async () => {
    const keep = await karmada([...clusters, binding({ clusterAffinity: { clusterNames: ['a', 'b'] }, replicaScheduling: divided }, { clusters: [{ name: 'b', replicas: 4 }] })]);
    // steady dynamic division: 4 already assigned on b, 4 wanted: Karmada keeps them where they are
    expect(keep.clusters.map((c) => c.name)).toEqual(['b']);
    const evict = await karmada([...clusters, binding({ clusterAffinity: { clusterNames: ['a', 'b'] }, replicaScheduling: divided }, { clusters: [{ name: 'b', replicas: 4 }], gracefulEvictionTasks: [{ fromCluster: 'b', reason: 'TaintUntolerated' }] })]);
    expect(evict.clusters.map((c) => c.name)).toEqual(['a']);
  });

  it('clusterAffinities: the first term that schedules; the observed term first', async () => {
    const terms = [
      { affinityName: 'primary', clusterNames: ['c'] },
      { affinityName: 'backup', clusterNames: ['a'] },
    ];
    const small = [cluster('a'), cluster('c', { pods: 2 })];
    const d = await karmada([...small, binding({ clusterAffinities: terms, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' } })]);
    expect(d.clusters).toEqual([expect.objectContaining({ name: 'a', replicas: 4 })]);
    expect((d.written[0] as any).status.schedulerObservedAffinityName).toBe('backup');
    const fits = await karmada([...small, binding({ clusterAffinities: terms, replicaScheduling: divided }, { replicas: 2 })]);
    expect(fits.clusters).toEqual([expect.objectContaining({ name: 'c', replicas: 2 })]);
    // observed = backup: Karmada starts there even though primary could hold it
    const steady = await karmada([...small, binding({ clusterAffinities: terms, replicaScheduling: divided }, { replicas: 2 }, { schedulerObservedAffinityName: 'backup' })]);
    expect(steady.clusters).toEqual([expect.objectContaining({ name: 'a', replicas: 2 })]);
  });

  it('spread by region selects groups as Karmada does', async () => {
    const regional = [
      cluster('a', { spec: { region: 'r1' }, pods: 5 }),
      cluster('b', { spec: { region: 'r1' }, pods: 5 }),
      cluster('c', { spec: { region: 'r2' }, pods: 5 }),
      cluster('d', { spec: { region: 'r3' }, pods: 1 }),
    ];
    const d = await karmada([...regional, binding({ spreadConstraints: [{ spreadByField: 'region', minGroups: 2, maxGroups: 2 }], replicaScheduling: divided }, { replicas: 6 })]);
    expect(d.status).toBe('scheduled');
    const regions = new Set(d.clusters.map((c) => ({ a: 'r1', b: 'r1', c: 'r2', d: 'r3' })[c.name as 'a']));
    expect(regions.size).toBe(2);
    expect(d.clusters.reduce((s, c) => s + c.replicas, 0)).toBe(6);
  });
});
