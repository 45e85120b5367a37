import { ANNOTATIONS } from './annotations.js';
import type { Decision, ObjectPatch } from './decision.js';
import type { KueueWorker, KueueWorkload, KueueWorld } from './kueue-read.js';
import { quantityToNumber } from './quantity.js';

/** Kueue MultiKueue decisions: the worker each pending workload is nominated to (`status.nominatedClusterNames`). */

export * from './kueue-read.js';

function workloadPrice(w: KueueWorkload, worker: KueueWorker): number {
  let s = 0;
  for (const [k, v] of w.request) {
    const p = worker.price[k];
    if (p === undefined) continue;
    const units = quantityToNumber(v);
    s += k === 'memory' ? (units / 2 ** 30) * p : units * p;
  }
  return s;
}

/**
 * Nominates, for each pending workload (highest priority first, then creation order), the
 * cheapest worker whose remaining quota holds the whole workload, and takes that quota, so
 * workloads of one input do not count the same room twice.
 */
export async function scheduleKueueWorld(world: KueueWorld, options: { now?: Date; select?: 'all' | 'ours' }): Promise<Decision[]> {
  const free = new Map(world.workers.map((w) => [w.name, w.free ? new Map(w.free) : undefined]));
  // The controller nominates for the workloads MultiKueue would dispatch now (quota reserved on
  // the manager); the CLI decides every workload it is given.
  const workloads = options.select === 'ours' ? world.workloads.filter((w) => w.quotaReserved || w.dispatchedTo) : world.workloads;
  const order = workloads.map((w, i) => ({ w, i })).sort((a, b) => b.w.priority - a.w.priority || a.i - b.i);
  const decisions = new Map<KueueWorkload, Decision>();
  for (const { w } of order) {
    const m = w.object.metadata;
    const base = { kind: 'Workload', ...(m.namespace ? { namespace: m.namespace } : {}), name: m.name, source: w.object };
    if (w.dispatchedTo) {
      decisions.set(w, { ...base, status: 'scheduled', clusters: [{ name: w.dispatchedTo, replicas: w.pods, why: 'already dispatched (status.clusterName)' }], objective: null, reason: `already running on ${w.dispatchedTo}`, written: [], patches: [] });
      continue;
    }
    const fits = world.workers
      .filter((wk) => {
        const f = free.get(wk.name);
        if (!f) return true;
        for (const [k, v] of w.request) if (v > 0n && (f.get(k) ?? 0n) < v) return false;
        return true;
      })
      .map((wk) => ({ wk, price: workloadPrice(w, wk) }))
      .sort((a, b) => a.price - b.price || (a.wk.name < b.wk.name ? -1 : 1));
    if (fits.length === 0) {
      const reason = world.workers.length === 0 ? 'no MultiKueue worker clusters in the input' : `no worker has quota left for ${[...w.request].map(([k, v]) => `${k}=${quantityToNumber(v)}`).join(', ')}`;
      decisions.set(w, { ...base, status: 'infeasible', clusters: [], objective: null, reason, written: [], patches: [] });
      continue;
    }
    const best = fits[0]!;
    const f = free.get(best.wk.name);
    if (f) for (const [k, v] of w.request) f.set(k, (f.get(k) ?? 0n) - v);
    const why = `cheapest of ${fits.length} worker(s) with quota left (price ${best.price.toFixed(4)}/h${best.wk.free ? '' : ', quota not reported'})`;
    const obj = structuredClone(w.object.raw) as Record<string, unknown>;
    const meta = { ...(obj.metadata as Record<string, unknown>) };
    meta.annotations = { ...((meta.annotations as Record<string, string> | undefined) ?? {}), [ANNOTATIONS.explanation]: why };
    obj.metadata = meta;
    obj.status = { ...((obj.status as Record<string, unknown> | undefined) ?? {}), nominatedClusterNames: [best.wk.name] };
    const target = { apiVersion: w.object.apiVersion, kind: 'Workload', name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}) };
    const patches: ObjectPatch[] = [
      { ...target, action: 'merge', body: { metadata: { annotations: { [ANNOTATIONS.explanation]: why } } } },
      { ...target, subresource: 'status', action: 'merge', body: { status: { nominatedClusterNames: [best.wk.name] } } },
    ];
    decisions.set(w, { ...base, status: 'scheduled', clusters: [{ name: best.wk.name, replicas: w.pods, why }], objective: best.price, reason: why, written: [obj], patches });
  }
  return workloads.map((w) => decisions.get(w)!);
}
