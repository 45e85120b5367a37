/**
 * Karmada's general estimator (pkg/estimator/client/general_test.go), transcribed in
 * fixtures/karmada/estimator.json, and the scheduler's capping (pkg/scheduler/core/util.go
 * calAvailableReplicas).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelError } from '@emplace/core';
import {
  karmadaAvailableReplicas,
  karmadaEstimatedReplicas,
  karmadaQuantityToNano,
  type KarmadaEstimatorCluster,
  type KarmadaResourceList,
} from '@emplace/assignment';

interface EstimatorCase {
  test: string;
  name: string;
  cluster: KarmadaEstimatorCluster;
  request: KarmadaResourceList | null;
  want: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, 'fixtures/karmada/estimator.json'), 'utf8')) as { cases: EstimatorCase[] };

describe('karmadaAvailableReplicas on cases transcribed from general_test.go', () => {
  for (const c of fixture.cases) {
    it(`${c.test}: ${c.name}`, () => {
      expect(karmadaAvailableReplicas(c.cluster, c.request ?? undefined)).toBe(c.want);
    });
  }
});

describe('estimator rounding', () => {
  it('reads Kubernetes quantities exactly', () => {
    expect(karmadaQuantityToNano('500m')).toBe(500_000_000n);
    expect(karmadaQuantityToNano('1Gi')).toBe(1073741824n * 1_000_000_000n);
    expect(karmadaQuantityToNano('1.5Gi')).toBe(1610612736n * 1_000_000_000n);
    expect(karmadaQuantityToNano('2e3')).toBe(2000n * 1_000_000_000n);
    expect(karmadaQuantityToNano(0.1)).toBe(100_000_000n);
    expect(karmadaQuantityToNano('1n')).toBe(1n);
    expect(() => karmadaQuantityToNano('12 cores', 'request.cpu')).toThrow(ModelError);
    expect(() => karmadaQuantityToNano('12 cores', 'request.cpu')).toThrow(/request\.cpu/);
  });
  it('divides CPU in millicores and rounds other resources up to whole units, as Quantity.Value does', () => {
    const cluster = { resourceSummary: { allocatable: { cpu: '1', memory: '1000', pods: '100' } } };
    // 0.1 core as a number must not become 101 millicores.
    expect(karmadaAvailableReplicas(cluster, { cpu: 0.1 })).toBe(10);
    expect(karmadaAvailableReplicas(cluster, { cpu: '300m' })).toBe(3);
    // 0.5 byte of memory rounds up to 1 byte: 1000 replicas, then the 100 pods bind.
    expect(karmadaAvailableReplicas(cluster, { memory: '500m' })).toBe(100);
    // A requested resource the cluster does not report gives 0.
    expect(karmadaAvailableReplicas(cluster, { 'nvidia.com/gpu': '1' })).toBe(0);
    // A zero request does not limit.
    expect(karmadaAvailableReplicas(cluster, { cpu: '0', memory: '10' })).toBe(100);
  });
  it('counts allocating as used', () => {
    const cluster = { resourceSummary: { allocatable: { cpu: '4', pods: '10' }, allocating: { cpu: '3500m', pods: '9' } } };
    expect(karmadaAvailableReplicas(cluster, { cpu: '250m' })).toBe(1);
    expect(karmadaAvailableReplicas(cluster, { cpu: '100m' })).toBe(1);
  });
  it('resource models ignore the summary resources but keep the pod bound', () => {
    const cluster: KarmadaEstimatorCluster = {
      resourceModels: [{ grade: 0, ranges: [{ name: 'cpu', min: '2', max: '4' }] }],
      resourceSummary: { allocatable: { cpu: '1', pods: '5' }, allocatableModelings: [{ grade: 0, count: 10 }] },
    };
    expect(karmadaAvailableReplicas(cluster, { cpu: '1' })).toBe(5);
    expect(karmadaAvailableReplicas(cluster, { cpu: '1' }, { customizedClusterResourceModeling: false })).toBe(1);
  });
});

describe('karmadaEstimatedReplicas (calAvailableReplicas)', () => {
  const clusters: KarmadaEstimatorCluster[] = [
    { name: 'a', resourceSummary: { allocatable: { cpu: '4', pods: '100' } } },
    { name: 'b' },
  ];
  it('does not estimate a non-workload', () => {
    expect(karmadaEstimatedReplicas(clusters, { replicas: 0 })).toEqual([2147483647, 2147483647]);
  });
  it('estimates a workload and caps an unbounded answer at spec.replicas', () => {
    expect(karmadaEstimatedReplicas(clusters, { replicas: 3, request: { cpu: '1' } })).toEqual([4, 0]);
    const huge = [{ resourceSummary: { allocatable: { pods: '2147483647' } } }];
    expect(karmadaEstimatedReplicas(huge, { replicas: 7 })).toEqual([7]);
  });
});
