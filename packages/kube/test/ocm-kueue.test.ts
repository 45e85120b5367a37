import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decisionRecord, formatYaml, MAX_DECISIONS_PER_OBJECT, PLACEMENT_LABEL, readObjects, reconcile } from '@emplace/kube';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => readObjects(readFileSync(join(here, 'fixtures', name), 'utf8'), name);
const now = new Date('2026-12-05T12:00:00Z');

describe('OCM Placement', () => {
  it('selects 3 prod clusters over both zones, cheapest first, writes PlacementDecision and AddOnPlacementScore', async () => {
    const { decisions } = await reconcile(fixture('ocm.yaml'), { strategy: 'optimal', now });
    expect(decisions).toHaveLength(1);
    const d = decisions[0]!;
    expect(decisionRecord(d)).toMatchObject({ kind: 'Placement', namespace: 'apps', name: 'web', status: 'scheduled' });
    // lab-1 is dev (predicate), east-2 is tainted but tolerated and cheapest; zone skew <= 1 forces one west cluster
    expect(d.clusters.map((c) => c.name).sort()).toEqual(['east-1', 'east-2', 'west-1']);
    const pd = d.written.filter((o) => o.kind === 'PlacementDecision') as any[];
    expect(pd).toHaveLength(1);
    expect(pd[0].metadata.labels[PLACEMENT_LABEL]).toBe('web');
    expect(pd[0].metadata.ownerReferences[0]).toMatchObject({ kind: 'Placement', name: 'web', uid: '3f1e9a62-4c1d-4b55-8a8e-1d2c3b4a5f60' });
    expect(pd[0].status.decisions.map((x: any) => x.clusterName)).toEqual(['east-1', 'east-2', 'west-1']);
    for (const x of pd[0].status.decisions) expect(x.reason).toMatch(/^emplace: rank \d+ of 4 eligible/);
    const scores = d.written.filter((o) => o.kind === 'AddOnPlacementScore') as any[];
    expect(scores.map((s) => s.metadata.namespace).sort()).toEqual(['east-1', 'east-2', 'west-1', 'west-2']);
    for (const s of scores) {
      expect(s.status.scores[0].value).toBeGreaterThanOrEqual(-100);
      expect(s.status.scores[0].value).toBeLessThanOrEqual(100);
      expect(s.status.validUntil).toBe('2026-12-05T12:10:00Z');
    }
    const byNs = Object.fromEntries(scores.map((s) => [s.metadata.namespace, s.status.scores[0].value]));
    expect(byNs['east-2']).toBe(100);
    expect(byNs['west-2']).toBe(-100);
  });

  it('without the toleration the tainted cluster is out', async () => {
    const objs = fixture('ocm.yaml');
    const p = objs.find((o) => o.kind === 'Placement')!;
    (p.raw as any).spec.tolerations = [];
    const { decisions } = await reconcile(objs, { strategy: 'optimal', now });
    expect(decisions[0]!.clusters.map((c) => c.name).sort()).toEqual(['east-1', 'west-1', 'west-2']);
  });

  it('splits more than 100 decisions into several PlacementDecision objects', async () => {
    const docs: Record<string, unknown>[] = [];
    for (let i = 0; i < 230; i++) docs.push({ apiVersion: 'cluster.open-cluster-management.io/v1', kind: 'ManagedCluster', metadata: { name: `c${String(i).padStart(3, '0')}`, labels: { 'cluster.open-cluster-management.io/clusterset': 'all' } } });
    docs.push({ apiVersion: 'cluster.open-cluster-management.io/v1beta2', kind: 'ManagedClusterSet', metadata: { name: 'all' } });
    docs.push({ apiVersion: 'cluster.open-cluster-management.io/v1beta2', kind: 'ManagedClusterSetBinding', metadata: { name: 'all', namespace: 'ns' }, spec: { clusterSet: 'all' } });
    docs.push({ apiVersion: 'cluster.open-cluster-management.io/v1beta1', kind: 'Placement', metadata: { name: 'everywhere', namespace: 'ns' }, spec: {} });
    const { decisions } = await reconcile(readObjects(formatYaml(docs), 'big.yaml'), { strategy: 'optimal', now });
    const pds = decisions[0]!.written.filter((o) => o.kind === 'PlacementDecision') as any[];
    expect(pds.map((p) => p.metadata.name)).toEqual(['everywhere-decision-1', 'everywhere-decision-2', 'everywhere-decision-3']);
    expect(pds.map((p) => p.status.decisions.length)).toEqual([MAX_DECISIONS_PER_OBJECT, MAX_DECISIONS_PER_OBJECT, 30]);
    const all = pds.flatMap((p) => p.status.decisions.map((x: any) => x.clusterName));
    expect(new Set(all).size).toBe(230);
    expect(all).toEqual([...all].sort());
  });

  it('a placement that cannot get its clusters is infeasible', async () => {
    const objs = fixture('ocm.yaml');
    (objs.find((o) => o.kind === 'Placement')!.raw as any).spec.numberOfClusters = 9;
    const { decisions } = await reconcile(objs, { strategy: 'optimal', now });
    expect(decisions[0]!.status).toBe('infeasible');
    expect(decisions[0]!.reason).toMatch(/of 9 clusters could be selected/);
  });
});

describe('Kueue MultiKueue', () => {
  it('nominates the cheapest worker with quota left, jointly, and writes status.nominatedClusterNames', async () => {
    const { decisions } = await reconcile(fixture('kueue.json'), { strategy: 'optimal', now });
    const by = Object.fromEntries(decisions.map((d) => [d.name, d]));
    // train-a: 16 cpu, 64Gi, 4 gpu: eu has 2 gpu left, so us
    expect(by['train-a']!.clusters).toEqual([expect.objectContaining({ name: 'worker-us', replicas: 4 })]);
    // eval-b: init container 6 cpu dominates 2; 2 gpu: eu is cheaper for gpu and has 2 left
    expect(by['eval-b']!.clusters.map((c) => c.name)).toEqual(['worker-eu']);
    expect(by['huge']!.status).toBe('infeasible');
    const written = by['train-a']!.written[0] as any;
    expect(written.status.nominatedClusterNames).toEqual(['worker-us']);
    expect(written.metadata.annotations['placement.emplace.dev/explanation']).toMatch(/cheapest of 1 worker/);
    const statusPatch = by['train-a']!.patches.find((p) => p.subresource === 'status')!;
    expect(statusPatch.body).toEqual({ status: { nominatedClusterNames: ['worker-us'] } });
  });
});

describe('Kueue in the controller', () => {
  it('decides only workloads with quota reserved on the manager', async () => {
    const objs = fixture('kueue.json');
    const wl = objs.find((o) => o.metadata.name === 'eval-b')!;
    (wl.raw as any).status = { conditions: [{ type: 'QuotaReserved', status: 'True', reason: 'QuotaReserved', message: '', lastTransitionTime: '2026-12-05T11:00:00Z' }] };
    const { decisions } = await reconcile(objs, { strategy: 'optimal', now, select: 'ours' });
    expect(decisions.map((d) => d.name)).toEqual(['eval-b']);
  });
});
