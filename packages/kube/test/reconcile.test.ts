import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backoffMs, formatYaml, pendingPatches, readObjects, reconcile, runController, SCHEDULER_NAME } from '@emplace/kube';

const here = dirname(fileURLToPath(import.meta.url));
const text = (name: string) => readFileSync(join(here, 'fixtures', name), 'utf8');
const now = new Date('2026-12-05T12:00:00Z');

/** The worked example as the API server would list it, plus a binding for the default scheduler. */
function recorded(): string {
  const other = {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'batch-job', namespace: 'shop', generation: 1 },
    spec: { schedulerName: 'default-scheduler', replicas: 2, placement: { clusterAffinity: { clusterNames: ['aws-use1'] } }, resource: { apiVersion: 'batch/v1', kind: 'Job', name: 'batch', namespace: 'shop' } },
  };
  return text('karmada-worked.yaml') + '\n---\n' + formatYaml([other]);
}

describe('reconcile (the pure step of the controller)', () => {
  it('the controller decides only bindings whose schedulerName is emplace-scheduler', async () => {
    const objects = readObjects(recorded(), 'recorded.yaml');
    const all = await reconcile(objects, { strategy: 'optimal', now });
    const ours = await reconcile(objects, { strategy: 'optimal', now, select: 'ours' });
    expect(all.decisions.map((d) => d.name).sort()).toEqual(['batch-job', 'web-deployment']);
    expect(ours.decisions.map((d) => d.name)).toEqual(['web-deployment']);
    expect(SCHEDULER_NAME).toBe('emplace-scheduler');
  });

  it('patches: spec (clusters + explanation) and the status subresource (Scheduled condition)', async () => {
    const { decisions } = await reconcile(readObjects(recorded(), 'recorded.yaml'), { strategy: 'optimal', now, select: 'ours' });
    const patches = pendingPatches(decisions[0]!);
    expect(patches).toHaveLength(2);
    const [spec, status] = patches as [any, any];
    expect(spec).toMatchObject({ kind: 'ResourceBinding', namespace: 'shop', name: 'web-deployment', action: 'merge' });
    expect(spec.subresource).toBeUndefined();
    expect(spec.body.spec.clusters.reduce((s: number, c: any) => s + c.replicas, 0)).toBe(24);
    expect(spec.body.metadata.annotations['placement.emplace.dev/strategy']).toBe('optimal');
    expect(status.subresource).toBe('status');
    expect(status.body.status.conditions).toEqual([
      { type: 'Scheduled', status: 'True', reason: 'Success', message: 'Binding has been scheduled successfully by emplace (optimal).', lastTransitionTime: '2026-12-05T12:00:00Z', observedGeneration: 3 },
    ]);
    expect(status.body.status.schedulerObservedGeneration).toBe(3);
  });

  it('is idempotent: the written objects reconcile to no patch', async () => {
    const first = await reconcile(readObjects(recorded(), 'recorded.yaml'), { strategy: 'optimal', now, select: 'ours' });
    const rewritten = readObjects(recorded(), 'recorded.yaml');
    // replace the binding by what emplace wrote
    const written = first.decisions[0]!.written[0]!;
    const objects = [...rewritten.filter((o) => o.metadata.name !== 'web-deployment'), ...readObjects(formatYaml([written]), 'written.yaml')];
    const second = await reconcile(objects, { strategy: 'optimal', now, select: 'ours' });
    const counts = (d: typeof first.decisions[number]) => d.clusters.map((c) => [c.name, c.replicas]);
    expect(counts(second.decisions[0]!)).toEqual(counts(first.decisions[0]!));
    expect(pendingPatches(second.decisions[0]!)).toEqual([]);
  });

  it('a bad object stops the round before any decision', async () => {
    const bad = recorded().replace('replicas: 24', 'replicas: "24x"');
    await expect(reconcile(readObjects(bad, 'bad.yaml'), { strategy: 'optimal', now })).rejects.toThrow(/ResourceBinding shop\/web-deployment: spec\.replicas is "24x"/);
  });

  it('backs off exponentially up to a minute', () => {
    expect([1, 2, 3, 4, 7, 20].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 60000, 60000]);
  });
});

const kubeconfig = process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
describe.skipIf(!existsSync(kubeconfig))('live controller (only with a reachable kubeconfig)', () => {
  it('one dry-run round against the API server', async () => {
    const lines: string[] = [];
    const code = await runController({ strategy: 'optimal', dryRun: true, once: true, log: (l) => lines.push(l), out: (l) => lines.push(l), timeLimitMs: 5000 });
    expect(code, lines.join('\n')).toBe(0);
  });
});

describe('the controller and other schedulers', () => {
  it("a malformed binding of another scheduler does not stop emplace's own", async () => {
    const bad = recorded().replace(/(schedulerName: default-scheduler\n\s+)replicas: 2/, '$1replicas: "two"');
    expect(bad).not.toBe(recorded());
    const objects = readObjects(bad, 'recorded.yaml');
    const ours = await reconcile(objects, { strategy: 'optimal', now, select: 'ours' });
    expect(ours.decisions.map((d) => d.name)).toEqual(['web-deployment']);
    await expect(reconcile(objects, { strategy: 'optimal', now })).rejects.toThrow(/ResourceBinding shop\/batch-job: spec\.replicas is "two"/);
  });
});
