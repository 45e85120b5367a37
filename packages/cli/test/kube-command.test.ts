import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '@emplace/cli';
import { readObjects } from '@emplace/kube';

const here = dirname(fileURLToPath(import.meta.url));
const fixturePath = (name: string) => join(here, '../../kube/test/fixtures', name);
const worked = readFileSync(fixturePath('karmada-worked.yaml'), 'utf8');

async function run(argv: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const streams = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), ...(stdin !== undefined ? { stdin: async () => stdin } : {}) };
  // runCli passes its streams on to the kube command, stdin included.
  const code = await runCli(argv, streams as Parameters<typeof runCli>[1]);
  return { code, out, err };
}

/** The worked List with one item changed. */
function damaged(change: (items: Record<string, any>[]) => void): string {
  const items = readObjects(worked).map((o) => structuredClone(o.raw) as Record<string, any>);
  change(items);
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

const binding = (items: Record<string, any>[]) => items.find((i) => i.kind === 'ResourceBinding')!;
const cluster = (items: Record<string, any>[], name: string) => items.find((i) => i.kind === 'Cluster' && i.metadata.name === name)!;

describe('emplace kube schedule', () => {
  it('-o json prints one line per binding in the shape of the issue', async () => {
    const r = await run(['kube', 'schedule', fixturePath('karmada-worked.yaml'), '--strategy', 'optimal', '-o', 'json']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(Object.keys(lines[0])).toEqual(['kind', 'namespace', 'name', 'status', 'clusters', 'objective', 'reason']);
    expect(lines[0]).toMatchObject({ kind: 'ResourceBinding', namespace: 'shop', name: 'web-deployment', status: 'optimal' });
    // min-available 12 after losing any one cluster: no cluster holds more than 24 - 12
    const clusters = lines[0].clusters as { name: string; replicas: number }[];
    expect(clusters.reduce((s, c) => s + c.replicas, 0)).toBe(24);
    for (const c of clusters) expect(c.replicas).toBeLessThanOrEqual(12);
    expect(lines[0].objective).toBeCloseTo(0.4644, 6);
  });

  it('--strategy karmada gives Karmada dynamic-weight division and costs more here', async () => {
    const r = await run(['kube', 'schedule', fixturePath('karmada-worked.yaml'), '--strategy', 'karmada']);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.out.trim());
    expect(line.clusters).toEqual([
      { name: 'aws-use1', replicas: 9 },
      { name: 'aws-usw2', replicas: 1 },
      { name: 'gcp-usc1', replicas: 14 },
    ]);
    expect(line.objective).toBeCloseTo(0.4708, 6);
  });

  it('-o yaml prints the written ResourceBinding with spec.clusters, the Scheduled condition and the explanation', async () => {
    const r = await run(['kube', 'schedule', '-', '-o', 'yaml'], worked);
    expect(r.code).toBe(0);
    const docs = readObjects(r.out).map((o) => o.raw as Record<string, any>);
    expect(docs).toHaveLength(1);
    const rb = docs[0]!;
    expect(rb.kind).toBe('ResourceBinding');
    expect(rb.spec.clusters.reduce((s: number, c: { replicas: number }) => s + c.replicas, 0)).toBe(24);
    expect(rb.status.conditions.find((c: { type: string }) => c.type === 'Scheduled')).toMatchObject({ status: 'True', reason: 'Success' });
    const why = JSON.parse(rb.metadata.annotations['placement.emplace.dev/explanation']);
    expect(why.map((w: { cluster: string }) => w.cluster)).toEqual(rb.spec.clusters.map((c: { name: string }) => c.name));
    for (const w of why) expect(typeof w.why).toBe('string');
  });

  it('a binding that cannot be placed: status infeasible, a reason, exit 2', async () => {
    const text = damaged((items) => {
      binding(items).spec.replicas = 5000;
    });
    for (const strategy of ['karmada', 'optimal']) {
      const r = await run(['kube', 'schedule', '-', '--strategy', strategy], text);
      expect(r.code).toBe(2);
      const line = JSON.parse(r.out.trim());
      expect(['infeasible', 'error']).toContain(line.status);
      expect(line.clusters).toEqual([]);
      expect(line.reason.length).toBeGreaterThan(0);
    }
  });

  it('unknown kinds are passed over with a note on stderr', async () => {
    const text = worked + '\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: 3}\n';
    const r = await run(['kube', 'schedule', '-'], text);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/passed over Deployment shop\/web/);
  });

  it.each([
    ['replicas not a number', (i: any[]) => void (binding(i).spec.replicas = 'abc'), /^emplace: ResourceBinding shop\/web-deployment: spec\.replicas is "abc"/],
    ['bad quantity', (i: any[]) => void (binding(i).spec.replicaRequirements.resourceRequest.cpu = '1Gb'), /ResourceBinding shop\/web-deployment: spec\.replicaRequirements\.resourceRequest\.cpu .*"1Gb"/],
    ['bad summary quantity', (i: any[]) => void (cluster(i, 'aws-use1').status.resourceSummary.allocated.memory = 'lots'), /Cluster aws-use1: status\.resourceSummary\.allocated\.memory/],
    ['unknown enum', (i: any[]) => void (i.find((x) => x.kind === 'PropagationPolicy').spec.placement.replicaScheduling.replicaDivisionPreference = 'Evenly'), /PropagationPolicy shop\/web: spec\.placement\.replicaScheduling\.replicaDivisionPreference is "Evenly"/],
    ['unknown selector operator', (i: any[]) => void (i.find((x) => x.kind === 'PropagationPolicy').spec.placement.clusterAffinity.labelSelector.matchExpressions[0].operator = 'Like'), /labelSelector\.matchExpressions\[0\]\.operator is "Like"/],
    ['price not JSON', (i: any[]) => void (cluster(i, 'gcp-usc1').metadata.annotations['placement.emplace.dev/price'] = 'cheap'), /Cluster gcp-usc1: metadata\.annotations\["placement\.emplace\.dev\/price"\] is not JSON/],
    ['min-available negative', (i: any[]) => void (binding(i).metadata.annotations['placement.emplace.dev/min-available'] = '-1'), /min-available"\] is "-1"/],
    ['failure domain unknown', (i: any[]) => void (binding(i).metadata.annotations['placement.emplace.dev/failure-domain'] = 'rack'), /failure-domain"\] is "rack"/],
    ['clusters not a list', (i: any[]) => void (binding(i).spec.clusters = 'aws-use1'), /spec\.clusters is "aws-use1", expected a list/],
    ['taint effect', (i: any[]) => void (cluster(i, 'aws-usw2').spec.taints = [{ key: 'k', effect: 'Sometimes' }]), /Cluster aws-usw2: spec\.taints\[0\]\.effect is "Sometimes"/],
    ['missing name', (i: any[]) => void delete cluster(i, 'aws-usw2').metadata.name, /Cluster \?: metadata\.name is missing/],
    ['spec missing', (i: any[]) => void delete binding(i).spec, /ResourceBinding shop\/web-deployment: spec is missing/],
  ])('malformed input (%s) exits 1 with one line naming object and field, nothing on stdout', async (_, change, message) => {
    const r = await run(['kube', 'schedule', '-', '-o', 'yaml'], damaged(change));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });

  it('usage errors exit 1', async () => {
    expect((await run(['kube', 'schedule', '--strategy', 'fastest'], worked)).code).toBe(1);
    expect((await run(['kube', 'schedule', '--bogus'], worked)).code).toBe(1);
    expect((await run(['kube', 'deploy'], worked)).code).toBe(1);
    expect((await run(['kube', 'schedule', '-o', 'table'], worked)).code).toBe(1);
  });
});
