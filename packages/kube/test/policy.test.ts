import { describe, expect, it } from 'vitest';
import { formatYaml, placementOf, readKarmadaWorld, readObjects, reconcile } from '@emplace/kube';

function policy(kind: 'PropagationPolicy' | 'ClusterPropagationPolicy', name: string, selectors: Record<string, unknown>[], clusterNames: string[], priority?: number) {
  return {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind,
    metadata: { name, ...(kind === 'PropagationPolicy' ? { namespace: 'shop' } : {}) },
    spec: { ...(priority !== undefined ? { priority } : {}), resourceSelectors: selectors, placement: { clusterAffinity: { clusterNames } } },
  };
}

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
function world(policies: Record<string, unknown>[], bindingAnnotations: Record<string, string> = {}, labels: Record<string, string> = {}) {
  const binding = {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'shop', annotations: bindingAnnotations, labels },
    spec: { replicas: 2, resource: { ...deployment, namespace: 'shop', name: 'web' } },
  };
  return readKarmadaWorld(readObjects(formatYaml([...policies, binding])));
}
const chosen = (w: ReturnType<typeof world>) => placementOf(w.bindings[0]!, w.policies).clusterAffinity!.clusterNames[0];

describe("a binding's placement", () => {
  it('the policy named by the binding annotations', () => {
    const w = world([policy('PropagationPolicy', 'a', [{ ...deployment, name: 'web' }], ['A']), policy('PropagationPolicy', 'b', [deployment], ['B'])], {
      'propagationpolicy.karmada.io/name': 'b',
      'propagationpolicy.karmada.io/namespace': 'shop',
    });
    expect(chosen(w)).toBe('B');
  });
  it('else by resourceSelectors: name match over label selector over kind only; explicit priority first', () => {
    expect(chosen(world([policy('PropagationPolicy', 'a-all', [deployment], ['ALL']), policy('PropagationPolicy', 'z-name', [{ ...deployment, name: 'web' }], ['NAME'])]))).toBe('NAME');
    expect(chosen(world([policy('PropagationPolicy', 'a-all', [deployment], ['ALL']), policy('PropagationPolicy', 'b-label', [{ ...deployment, labelSelector: { matchLabels: { app: 'web' } } }], ['LABEL'])], {}, { app: 'web' }))).toBe('LABEL');
    expect(chosen(world([policy('PropagationPolicy', 'a-all', [deployment], ['ALL'], 5), policy('PropagationPolicy', 'z-name', [{ ...deployment, name: 'web' }], ['NAME'])]))).toBe('ALL');
    expect(chosen(world([policy('PropagationPolicy', 'b', [deployment], ['B']), policy('PropagationPolicy', 'a', [deployment], ['A'])]))).toBe('A');
    expect(chosen(world([policy('ClusterPropagationPolicy', 'c', [deployment], ['CLUSTER']), policy('PropagationPolicy', 'other', [{ apiVersion: 'v1', kind: 'Service' }], ['SVC'])]))).toBe('CLUSTER');
  });
  it('no placement anywhere is an error naming the binding and field', () => {
    const w = world([policy('PropagationPolicy', 'svc', [{ apiVersion: 'v1', kind: 'Service' }], ['S'])]);
    expect(() => placementOf(w.bindings[0]!, w.policies)).toThrow(/^ResourceBinding shop\/web-deployment: spec\.placement is missing and no PropagationPolicy/);
  });
});

describe("Karmada's policy webhook defaults", () => {
  const clusters = ['a', 'b'].map((name) => ({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name }, status: { resourceSummary: { allocatable: { pods: '10' } } } }));
  const rb = (placement?: Record<string, unknown>) => ({
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'shop' },
    spec: { replicas: 4, resource: { ...deployment, namespace: 'shop', name: 'web' }, ...(placement ? { placement } : {}) },
  });
  it('a policy dividing without a preference divides by weight (the webhook sets Weighted)', async () => {
    const pp = { ...policy('PropagationPolicy', 'p', [deployment], ['a', 'b']), spec: { resourceSelectors: [deployment], placement: { replicaScheduling: { replicaSchedulingType: 'Divided' } } } };
    const { decisions } = await reconcile(readObjects(formatYaml([...clusters, pp, rb()])), { strategy: 'karmada' });
    expect(decisions[0]!.clusters.map((c) => [c.name, c.replicas])).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });
  it("a binding's own placement is taken as written: Karmada's scheduler refuses the missing preference", async () => {
    const { decisions } = await reconcile(readObjects(formatYaml([...clusters, rb({ replicaScheduling: { replicaSchedulingType: 'Divided' } })])), { strategy: 'karmada' });
    expect(decisions[0]!.status).toBe('error');
    expect(decisions[0]!.reason).toContain('unsupported replica scheduling strategy');
  });
});
