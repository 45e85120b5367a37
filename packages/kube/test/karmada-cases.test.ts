import { describe, expect, it } from 'vitest';
import { decisionRecord, formatYaml, KubeObjectError, readObjects, reconcile } from '@emplace/kube';
import { caseObjects, divisionCases } from './karmada-cases.js';

const cases = divisionCases();

describe('Karmada unit-test cases as Kubernetes objects, --strategy karmada', () => {
  it.each(cases.map((c) => [`${c.test}: ${c.name}`, c] as const))('%s', async (_, c) => {
    const objects = readObjects(formatYaml(caseObjects(c)), 'case.yaml');
    if (c.input.strategy.type !== 'Duplicated' && c.input.strategy.type !== 'Divided') {
      // Karmada's CRD refuses an unknown replicaSchedulingType before its scheduler sees it: exit 1 naming the field.
      await expect(reconcile(objects, { strategy: 'karmada' })).rejects.toThrow(KubeObjectError);
      await expect(reconcile(objects, { strategy: 'karmada' })).rejects.toThrow(/spec\.placement\.replicaScheduling\.replicaSchedulingType is "UnsupportedType"/);
      return;
    }
    const { decisions } = await reconcile(objects, { strategy: 'karmada' });
    expect(decisions).toHaveLength(1);
    const d = decisionRecord(decisions[0]!);
    if (c.wantError !== undefined) {
      expect(d.status === 'infeasible' || d.status === 'error').toBe(true);
      if (typeof c.wantError === 'string') expect(d.reason).toContain(c.wantError);
      return;
    }
    expect(d.status, String(d.reason)).toBe('scheduled');
    const got = (d.clusters as { name: string; replicas: number }[]).map((x) => `${x.name}=${x.replicas}`);
    const want = (c.want ?? []).map((x) => `${x.name}=${x.replicas}`);
    if (c.ordered) expect(got).toEqual(want);
    else expect([...got].sort()).toEqual([...want].sort());
  });
});
