/**
 * `--strategy karmada` against `--strategy optimal` on generated Karmada inputs: clusters in
 * four regions with prices, bindings with region / zone spread, gold-then-all affinity tiers,
 * min-available and max-moves. Prints one row per size and writes the inputs it used, so
 * `emplace kube schedule <file> --strategy ...` reproduces each row.
 *
 *   pnpm exec tsx --conditions=source packages/kube/scripts/compare.ts [outdir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeCapacity, readBinding, readCluster, readObjects, reconcile, type Decision, type KarmadaCluster } from '@emplace/kube';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generate(seed: number, C: number, B: number): string {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-south-1'];
  const items: unknown[] = [];
  for (let i = 0; i < C; i++) {
    const region = pick(regions);
    items.push({
      apiVersion: 'cluster.karmada.io/v1alpha1',
      kind: 'Cluster',
      metadata: {
        name: `m${i}`,
        labels: { tier: pick(['gold', 'silver']) },
        annotations: { 'placement.emplace.dev/price': JSON.stringify({ cpu: Math.round((0.02 + 0.04 * r()) * 1e4) / 1e4, memory: Math.round((0.002 + 0.006 * r()) * 1e4) / 1e4 }) },
      },
      spec: { provider: 'aws', region, zones: [`${region}${pick(['a', 'b', 'c'])}`] },
      status: { resourceSummary: { allocatable: { cpu: String(int(16, 96)), memory: `${int(64, 384)}Gi`, pods: '300' }, allocated: { cpu: String(int(0, 12)), memory: `${int(0, 48)}Gi`, pods: '20' } } },
    });
  }
  for (let j = 0; j < B; j++) {
    const n = int(4, 30);
    const placement: Record<string, unknown> = { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } } };
    const k = r();
    if (k < 0.3) placement.spreadConstraints = [{ spreadByField: 'region', minGroups: 2, maxGroups: 3 }];
    else if (k < 0.5)
      placement.clusterAffinities = [
        { affinityName: 'gold', labelSelector: { matchLabels: { tier: 'gold' } } },
        { affinityName: 'all', labelSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } },
      ];
    else if (k < 0.7) placement.spreadConstraints = [{ spreadByField: 'cluster', minGroups: 3, maxGroups: 5 }];
    const annotations: Record<string, string> = {};
    if (r() < 0.5) {
      annotations['placement.emplace.dev/min-available'] = String(Math.floor(n / 2));
      annotations['placement.emplace.dev/failure-domain'] = pick(['cluster', 'zone', 'region']);
    }
    const spec: Record<string, unknown> = {
      replicas: n,
      replicaRequirements: { resourceRequest: { cpu: pick(['250m', '500m', '1']), memory: pick(['512Mi', '1Gi', '2Gi']) } },
      placement,
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: `app${j}`, uid: `uid-${seed}-${j}` },
    };
    if (r() < 0.3) {
      const on = new Set<number>();
      while (on.size < 3) on.add(int(0, C - 1));
      spec.clusters = [...on].map((c) => ({ name: `m${c}`, replicas: Math.floor(n / 3) }));
      annotations['placement.emplace.dev/max-moves'] = String(int(0, 4));
    }
    items.push({ apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', metadata: { name: `app${j}`, namespace: 'default', annotations }, spec });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** Broken promises of a set of decisions: bindings below min-available after their worst domain loss, clusters over capacity. */
function audit(objects: ReturnType<typeof readObjects>, ds: Decision[]): { survivability: number; overcommitted: number } {
  const clusters = new Map<string, KarmadaCluster>(objects.filter((o) => o.kind === 'Cluster').map((o) => [o.metadata.name, readCluster(o)]));
  const bindings = new Map(objects.filter((o) => o.kind === 'ResourceBinding').map((o) => [o.metadata.name, readBinding(o)]));
  let survivability = 0;
  const used = new Map<string, Record<string, number>>();
  for (const d of ds) {
    const b = bindings.get(d.name)!;
    if (b.minAvailable !== undefined && d.clusters.length > 0) {
      const lost = new Map<string, number>();
      for (const c of d.clusters) {
        const cl = clusters.get(c.name)!;
        const key = b.failureDomain === 'cluster' ? c.name : b.failureDomain === 'zone' ? cl.zones.join(',') : (cl.region ?? c.name);
        lost.set(key, (lost.get(key) ?? 0) + c.replicas);
      }
      if (b.replicas - Math.max(...lost.values()) < b.minAvailable) survivability++;
    }
    for (const c of d.clusters) {
      const u = used.get(c.name) ?? { cpu: 0, memory: 0, pods: 0 };
      u.cpu! += c.replicas * Number(b.request!.get('cpu')! / 1_000_000n); // millicores
      u.memory! += c.replicas * Number(b.request!.get('memory')! / 1_000_000_000n); // bytes
      u.pods! += c.replicas;
      used.set(c.name, u);
    }
  }
  let overcommitted = 0;
  for (const [name, u] of used) {
    const free = freeCapacity(clusters.get(name)!, ['cpu', 'memory', 'pods']);
    if (u.cpu! > free.cpu! || u.memory! > free.memory! || u.pods! > free.pods!) overcommitted++;
  }
  return { survivability, overcommitted };
}

function summary(ds: Decision[]): Map<string, number | null> {
  return new Map(ds.map((d) => [d.name, d.objective]));
}

const out = process.argv[2] ?? 'packages/kube/scripts/out';
mkdirSync(out, { recursive: true });
console.log('| clusters | bindings | placed by karmada | placed by optimal | both placed | karmada $/h | optimal $/h | saving | karmada: below min-available / clusters over capacity | optimal: same | optimal status | optimal time |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const [seed, C, B] of [
  [1, 20, 10],
  [2, 50, 50],
  [3, 100, 200],
] as const) {
  const text = generate(seed, C, B);
  const file = join(out, `karmada-${C}x${B}.json`);
  writeFileSync(file, text);
  const objects = readObjects(text, file);
  const k = (await reconcile(objects, { strategy: 'karmada' })).decisions;
  const t0 = performance.now();
  const o = (await reconcile(objects, { strategy: 'optimal', timeLimitMs: 60_000 })).decisions;
  const ms = performance.now() - t0;
  const ks = summary(k);
  const os = summary(o);
  const both = [...ks.keys()].filter((n) => ks.get(n) !== null && os.get(n) !== null && os.get(n) !== undefined);
  const kc = both.reduce((s, n) => s + ks.get(n)!, 0);
  const oc = both.reduce((s, n) => s + os.get(n)!, 0);
  const statuses = [...new Set(o.map((d) => d.status))].sort().join('/');
  const ka = audit(objects, k);
  const oa = audit(objects, o);
  console.log(
    `| ${C} | ${B} | ${k.filter((d) => d.objective !== null).length} | ${o.filter((d) => d.objective !== null).length} | ${both.length} | ${kc.toFixed(4)} | ${oc.toFixed(4)} | ${((100 * (kc - oc)) / kc).toFixed(1)} % | ${ka.survivability} / ${ka.overcommitted} | ${oa.survivability} / ${oa.overcommitted} | ${statuses} | ${(ms / 1000).toFixed(1)} s |`,
  );
}
