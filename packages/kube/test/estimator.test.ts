import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { estimateReplicas, formatYaml, freeCapacity, readCluster, readObjects } from '@emplace/kube';

const here = dirname(fileURLToPath(import.meta.url));
interface EstimatorCase {
  test: string;
  name: string;
  cluster: { resourceSummary?: Record<string, unknown>; resourceModels?: unknown[] };
  request: Record<string, string> | null;
  want: number;
}
const cases = (JSON.parse(readFileSync(join(here, '../../assignment/test/fixtures/karmada/estimator.json'), 'utf8')) as { cases: EstimatorCase[] }).cases;

describe("Karmada's general estimator on Cluster objects (cases transcribed from Karmada's tests)", () => {
  it.each(cases.map((c) => [`${c.test}: ${c.name}`, c] as const))('%s', (_, c) => {
    const obj = {
      apiVersion: 'cluster.karmada.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'member' },
      spec: { ...(c.cluster.resourceModels ? { resourceModels: c.cluster.resourceModels } : {}) },
      status: { ...(c.cluster.resourceSummary ? { resourceSummary: c.cluster.resourceSummary } : {}) },
    };
    const [o] = readObjects(formatYaml([obj]), 'cluster.yaml');
    expect(estimateReplicas(readCluster(o!), c.request ?? undefined)).toBe(c.want);
  });

  it('free capacity: allocatable - allocated - allocating, cpu in millicores, never negative', () => {
    const [o] = readObjects(
      formatYaml([
        {
          apiVersion: 'cluster.karmada.io/v1alpha1',
          kind: 'Cluster',
          metadata: { name: 'm' },
          status: { resourceSummary: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, allocated: { cpu: '1500m', memory: '9Gi', pods: '10' }, allocating: { cpu: '0.5', pods: '5' } } },
        },
      ]),
    );
    expect(freeCapacity(readCluster(o!), ['cpu', 'memory', 'pods', 'nvidia.com/gpu'])).toEqual({ cpu: 2000, memory: 0, pods: 95, 'nvidia.com/gpu': 0 });
  });
});
