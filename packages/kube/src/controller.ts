import { hostname } from 'node:os';
import type { Decision, ObjectPatch } from './decision.js';
import { readObjects, type KubeObject } from './objects.js';
import { reconcile } from './reconcile.js';
import { pendingPatches } from './up-to-date.js';
import type { Strategy } from './karmada-schedule.js';

/**
 * `emplace kube controller`: the live mode. Lists the objects emplace reads from the API
 * server named by the kubeconfig, runs the same pure `reconcile` as the CLI (select: ours),
 * and writes the patches that change something. Only the holder of the Lease
 * `emplace-scheduler` writes (leader election); a conflict or a server error backs off
 * exponentially; `--dry-run` prints the patches instead of sending them.
 *
 * @kubernetes/client-node is loaded only here, so the schedule command starts fast.
 */

export interface ControllerOptions {
  strategy: Strategy;
  timeLimitMs?: number;
  kubeconfig?: string;
  /** Restrict the namespaced lists to one namespace. */
  namespace?: string;
  leaseNamespace?: string;
  dryRun: boolean;
  /** One reconcile round, then exit (for scripts and the live test). */
  once: boolean;
  /** Seconds between full resyncs (default 30). Watches trigger rounds in between. */
  resyncSeconds?: number;
  log: (line: string) => void;
  out: (line: string) => void;
  signal?: AbortSignal;
}

/** The resources the controller lists and watches (a missing CRD is skipped). */
export const WATCHED: readonly { group: string; version: string; plural: string; kind: string; namespaced: boolean }[] = [
  { group: 'cluster.karmada.io', version: 'v1alpha1', plural: 'clusters', kind: 'Cluster', namespaced: false },
  { group: 'policy.karmada.io', version: 'v1alpha1', plural: 'propagationpolicies', kind: 'PropagationPolicy', namespaced: true },
  { group: 'policy.karmada.io', version: 'v1alpha1', plural: 'clusterpropagationpolicies', kind: 'ClusterPropagationPolicy', namespaced: false },
  { group: 'work.karmada.io', version: 'v1alpha2', plural: 'resourcebindings', kind: 'ResourceBinding', namespaced: true },
  { group: 'work.karmada.io', version: 'v1alpha2', plural: 'clusterresourcebindings', kind: 'ClusterResourceBinding', namespaced: false },
  { group: 'cluster.open-cluster-management.io', version: 'v1', plural: 'managedclusters', kind: 'ManagedCluster', namespaced: false },
  { group: 'cluster.open-cluster-management.io', version: 'v1beta2', plural: 'managedclustersets', kind: 'ManagedClusterSet', namespaced: false },
  { group: 'cluster.open-cluster-management.io', version: 'v1beta2', plural: 'managedclustersetbindings', kind: 'ManagedClusterSetBinding', namespaced: true },
  { group: 'cluster.open-cluster-management.io', version: 'v1beta1', plural: 'placements', kind: 'Placement', namespaced: true },
  { group: 'cluster.open-cluster-management.io', version: 'v1beta1', plural: 'placementdecisions', kind: 'PlacementDecision', namespaced: true },
  { group: 'kueue.x-k8s.io', version: 'v1beta1', plural: 'workloads', kind: 'Workload', namespaced: true },
  { group: 'kueue.x-k8s.io', version: 'v1beta1', plural: 'multikueueconfigs', kind: 'MultiKueueConfig', namespaced: false },
  { group: 'kueue.x-k8s.io', version: 'v1beta1', plural: 'multikueueclusters', kind: 'MultiKueueCluster', namespaced: false },
  { group: 'kueue.x-k8s.io', version: 'v1beta1', plural: 'clusterqueues', kind: 'ClusterQueue', namespaced: false },
];

const PLURALS: Record<string, string> = {
  ResourceBinding: 'resourcebindings',
  ClusterResourceBinding: 'clusterresourcebindings',
  PlacementDecision: 'placementdecisions',
  AddOnPlacementScore: 'addonplacementscores',
  Workload: 'workloads',
};

const LEASE_NAME = 'emplace-scheduler';
const LEASE_SECONDS = 15;

function statusCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown; response?: { statusCode?: unknown } };
  const c = e?.code ?? e?.statusCode ?? e?.response?.statusCode;
  return typeof c === 'number' ? c : undefined;
}

/** Exponential back-off with a cap: 1 s, 2 s, 4 s ... 60 s. */
export function backoffMs(failures: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, failures - 1));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

type K8s = typeof import('@kubernetes/client-node');

/** The API clients of one controller run and its identity in the Lease. */
interface ApiContext {
  readonly k8s: K8s;
  readonly kc: InstanceType<K8s['KubeConfig']>;
  readonly custom: InstanceType<K8s['CustomObjectsApi']>;
  readonly coordination: InstanceType<K8s['CoordinationV1Api']>;
  readonly objects: ReturnType<K8s['KubernetesObjectApi']['makeApiClient']>;
  readonly merge: ReturnType<K8s['setHeaderOptions']>;
  readonly identity: string;
  readonly leaseNamespace: string;
}

async function connect(options: ControllerOptions): Promise<ApiContext> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else kc.loadFromDefault();
  return {
    k8s,
    kc,
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(kc),
    merge: k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    identity: `${hostname()}-${process.pid}`,
    leaseNamespace: options.leaseNamespace ?? 'default',
  };
}

/** Every watched resource the cluster has (a missing CRD is skipped), as kube objects. */
async function listWatched(api: ApiContext, namespace: string | undefined): Promise<KubeObject[]> {
  const items: unknown[] = [];
  for (const r of WATCHED) {
    try {
      const res = (r.namespaced && namespace
        ? await api.custom.listNamespacedCustomObject({ group: r.group, version: r.version, namespace, plural: r.plural })
        : await api.custom.listClusterCustomObject({ group: r.group, version: r.version, plural: r.plural })) as { items?: Record<string, unknown>[] };
      for (const it of res.items ?? []) items.push({ apiVersion: `${r.group}/${r.version}`, kind: r.kind, ...it });
    } catch (err) {
      if (statusCode(err) === 404) continue; // CRD not installed: that control plane is not here
      throw err;
    }
  }
  return readObjects(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), 'api-server');
}

/** Takes or renews the Lease; true while this process leads. */
async function lead(api: ApiContext): Promise<boolean> {
  const { k8s, coordination, identity, leaseNamespace } = api;
  const now = new Date();
  // Lease times are MicroTime: the API server wants six fractional digits (V1MicroTime writes them).
  const spec = { holderIdentity: identity, leaseDurationSeconds: LEASE_SECONDS, renewTime: new k8s.V1MicroTime(now.getTime()) };
  try {
    const lease = await coordination.readNamespacedLease({ name: LEASE_NAME, namespace: leaseNamespace });
    const holder = lease.spec?.holderIdentity;
    const renewed = lease.spec?.renewTime ? new Date(lease.spec.renewTime).getTime() : 0;
    const expired = renewed + 1000 * (lease.spec?.leaseDurationSeconds ?? LEASE_SECONDS) < now.getTime();
    if (holder && holder !== identity && !expired) return false;
    const transitions = (lease.spec?.leaseTransitions ?? 0) + (holder === identity ? 0 : 1);
    const acquired = holder === identity && lease.spec?.acquireTime ? new k8s.V1MicroTime(new Date(lease.spec.acquireTime).getTime()) : spec.renewTime;
    await coordination.replaceNamespacedLease({
      name: LEASE_NAME,
      namespace: leaseNamespace,
      // resourceVersion from the read makes a concurrent renewal by another replica a 409.
      body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: lease.metadata ?? { name: LEASE_NAME, namespace: leaseNamespace }, spec: { ...spec, acquireTime: acquired, leaseTransitions: transitions } },
    });
    return true;
  } catch (err) {
    const code = statusCode(err);
    if (code === 404) {
      await coordination.createNamespacedLease({ namespace: leaseNamespace, body: { metadata: { name: LEASE_NAME, namespace: leaseNamespace }, spec: { ...spec, acquireTime: spec.renewTime, leaseTransitions: 0 } } });
      return true;
    }
    if (code === 409) return false; // someone else renewed first
    throw err;
  }
}

async function send(api: ApiContext, p: ObjectPatch): Promise<void> {
  const { custom, merge } = api;
  const [group, version] = p.apiVersion.includes('/') ? (p.apiVersion.split('/') as [string, string]) : ['', p.apiVersion];
  const plural = PLURALS[p.kind] ?? `${p.kind.toLowerCase()}s`;
  if (p.action === 'apply') {
    // Create-or-update the object, then its status subresource (apply ignores status).
    const { status, ...rest } = p.body as { status?: unknown } & Record<string, unknown>;
    await api.objects.patch(rest as never, undefined, undefined, 'emplace', true, api.k8s.PatchStrategy.ServerSideApply);
    if (status !== undefined) {
      const body = { status };
      if (p.namespace) await custom.patchNamespacedCustomObjectStatus({ group, version, namespace: p.namespace, plural, name: p.name, body }, merge);
      else await custom.patchClusterCustomObjectStatus({ group, version, plural, name: p.name, body }, merge);
    }
    return;
  }
  if (p.subresource === 'status') {
    if (p.namespace) await custom.patchNamespacedCustomObjectStatus({ group, version, namespace: p.namespace, plural, name: p.name, body: p.body }, merge);
    else await custom.patchClusterCustomObjectStatus({ group, version, plural, name: p.name, body: p.body }, merge);
  } else if (p.namespace) await custom.patchNamespacedCustomObject({ group, version, namespace: p.namespace, plural, name: p.name, body: p.body }, merge);
  else await custom.patchClusterCustomObject({ group, version, plural, name: p.name, body: p.body }, merge);
}

/** One reconcile: list, decide, write (or print, in a dry run) the patches that change something. */
async function round(api: ApiContext, options: ControllerOptions, signal: AbortSignal): Promise<Decision[]> {
  const objs = await listWatched(api, options.namespace);
  const { decisions } = await reconcile(objs, { strategy: options.strategy, select: 'ours', ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}), signal });
  for (const d of decisions) {
    const patches = pendingPatches(d);
    if (patches.length === 0) continue;
    options.log(`emplace: ${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}: ${d.status} ${d.clusters.map((c) => `${c.name}=${c.replicas}`).join(' ')}${options.dryRun ? ' (dry run)' : ''}`);
    for (const p of patches) {
      if (options.dryRun) options.out(JSON.stringify(p));
      else await send(api, p);
    }
  }
  return decisions;
}

/** Watches only wake the loop up (every round re-lists, so a missed event costs one resync). */
function startWatches(api: ApiContext, signal: AbortSignal, wake: () => void): AbortController[] {
  const watches: AbortController[] = [];
  const watch = new api.k8s.Watch(api.kc);
  const start = (path: string): void => {
    if (signal.aborted) return;
    watch
      // A watch that ends (server timeout, network) is started again after a pause; a missing CRD just ends.
      .watch(path, {}, wake, () => void sleep(5000, signal).then(() => start(path)))
      .then((c) => watches.push(c))
      .catch(() => undefined);
  };
  for (const r of WATCHED) start(`/apis/${r.group}/${r.version}/${r.plural}`);
  return watches;
}

export async function runController(options: ControllerOptions): Promise<number> {
  const api = await connect(options);
  const abort = new AbortController();
  options.signal?.addEventListener('abort', () => abort.abort());
  const onInt = (): void => abort.abort();
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onInt);
  let wake: (() => void) | undefined;
  const watches = options.once ? [] : startWatches(api, abort.signal, () => wake?.());
  // Renew the Lease between rounds too, well inside its 15 s, so leadership does not lapse while waiting.
  const renew = options.dryRun || options.once ? undefined : setInterval(() => void lead(api).catch(() => undefined), 5000);
  let failures = 0;
  try {
    while (!abort.signal.aborted) {
      try {
        const leader = options.dryRun || (await lead(api));
        if (leader) await round(api, options, abort.signal);
        else options.log(`emplace: not the leader (Lease ${api.leaseNamespace}/${LEASE_NAME}); waiting`);
        failures = 0;
        if (options.once) return 0;
        await new Promise<void>((resolve) => {
          wake = resolve;
          void sleep(1000 * (options.resyncSeconds ?? 30), abort.signal).then(resolve);
        });
        // Debounce a burst of watch events into one round.
        await sleep(500, abort.signal);
      } catch (err) {
        failures++;
        const code = statusCode(err);
        const wait = backoffMs(failures);
        options.log(`emplace: round failed${code ? ` (HTTP ${code}${code === 409 ? ', conflict' : ''})` : ''}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}; retrying in ${wait / 1000} s`);
        if (options.once) return 1;
        await sleep(wait, abort.signal);
      }
    }
    return 0;
  } finally {
    if (renew) clearInterval(renew);
    for (const w of watches) w.abort();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onInt);
  }
}
