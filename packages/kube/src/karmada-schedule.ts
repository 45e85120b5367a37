import { hasSolution } from '@emplace/core';
import { KubeObjectError } from './errors.js';
import type { Decision, DecisionStatus } from './decision.js';
import { solveReplicaInput } from './engines.js';
import { readBinding, readCluster, readPolicy, type KarmadaBinding, type KarmadaCluster, type KarmadaPlacement, type KarmadaPolicy } from './karmada.js';
import { scheduleKarmada } from './karmada-strategy.js';
import { writeBinding } from './karmada-write.js';
import { refOf, type KubeObject } from './objects.js';
import { selectorMatches } from './selector.js';
import { buildReplicaInput, replicaPrice, workloadId, type OptimalBinding } from './optimal.js';

export type Strategy = 'karmada' | 'optimal';

export interface KarmadaScheduleOptions {
  strategy: Strategy;
  timeLimitMs?: number;
  signal?: AbortSignal;
  now?: Date;
}

export const KARMADA_KINDS = ['Cluster', 'PropagationPolicy', 'ClusterPropagationPolicy', 'ResourceBinding', 'ClusterResourceBinding'] as const;

export function isKarmadaObject(o: KubeObject): boolean {
  const group = o.apiVersion.split('/')[0]!;
  return (KARMADA_KINDS as readonly string[]).includes(o.kind) && group.endsWith('karmada.io');
}

export interface KarmadaWorld {
  clusters: KarmadaCluster[];
  policies: KarmadaPolicy[];
  bindings: KarmadaBinding[];
}

/** Reads every Karmada object (bindings: those `decideBinding` keeps); any bad field throws (the CLI exits 1, nothing is written). */
export function readKarmadaWorld(objects: readonly KubeObject[], decideBinding: (o: KubeObject) => boolean = () => true): KarmadaWorld {
  const w: KarmadaWorld = { clusters: [], policies: [], bindings: [] };
  const seen = new Set<string>();
  for (const o of objects) {
    if (!isKarmadaObject(o)) continue;
    const key = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(key)) throw new KubeObjectError(refOf(o), 'metadata.name', 'appears twice in the input');
    seen.add(key);
    if (o.kind === 'Cluster') w.clusters.push(readCluster(o));
    else if (o.kind === 'PropagationPolicy' || o.kind === 'ClusterPropagationPolicy') w.policies.push(readPolicy(o));
    // A binding emplace does not decide is not read: another scheduler's bad object is not ours to refuse.
    else if (decideBinding(o)) w.bindings.push(readBinding(o));
  }
  return w;
}

/**
 * The placement a binding follows: its own spec.placement (Karmada copies the policy's into
 * the binding), else the (Cluster)PropagationPolicy its annotations or labels name.
 */
export function placementOf(b: KarmadaBinding, policies: readonly KarmadaPolicy[]): KarmadaPlacement {
  if (b.placement) return b.placement;
  const m = b.object.metadata;
  const pick = (k: string): string | undefined => m.annotations[k] ?? m.labels[k];
  const ppName = pick('propagationpolicy.karmada.io/name');
  const ppNs = pick('propagationpolicy.karmada.io/namespace') ?? m.namespace;
  const cppName = pick('clusterpropagationpolicy.karmada.io/name');
  const found =
    (ppName !== undefined ? policies.find((p) => p.object.kind === 'PropagationPolicy' && p.object.metadata.name === ppName && (p.object.metadata.namespace ?? '') === (ppNs ?? '')) : undefined) ??
    (cppName !== undefined ? policies.find((p) => p.object.kind === 'ClusterPropagationPolicy' && p.object.metadata.name === cppName) : undefined);
  if (found) return found.placement;
  if (ppName === undefined && cppName === undefined) {
    const matched = matchingPolicy(b, policies);
    if (matched) return matched.placement;
  }
  const named = ppName !== undefined ? `PropagationPolicy ${ppNs ? `${ppNs}/` : ''}${ppName}` : cppName !== undefined ? `ClusterPropagationPolicy ${cppName}` : undefined;
  throw new KubeObjectError(refOf(b.object), 'spec.placement', named ? `is missing and ${named} is not in the input` : 'is missing and no PropagationPolicy is named by the binding');
}

/**
 * The policy Karmada's detector would bind the resource to, by its resourceSelectors: a
 * PropagationPolicy of the resource's namespace before any ClusterPropagationPolicy; among
 * those, the highest spec.priority, then the best implicit match (name over label selector over
 * apiVersion/kind only), then the name first in alphabetical order. Label selectors are matched
 * against the binding's labels (emplace does not see the resource template itself).
 */
function matchingPolicy(b: KarmadaBinding, policies: readonly KarmadaPolicy[]): KarmadaPolicy | undefined {
  const r = b.resource;
  if (!r.kind) return undefined;
  const implicit = (p: KarmadaPolicy): number => {
    let best = 0;
    for (const s of p.resourceSelectors) {
      if (s.apiVersion !== r.apiVersion || s.kind !== r.kind || (s.namespace && s.namespace !== (r.namespace ?? ''))) continue;
      if (s.name) {
        if (s.name === r.name) best = Math.max(best, 3);
        continue;
      }
      if (!s.labelSelector) best = Math.max(best, 1);
      else if (selectorMatches(s.labelSelector, b.object.metadata.labels)) best = Math.max(best, 2);
    }
    return best;
  };
  const rank = (kind: string): KarmadaPolicy | undefined =>
    policies
      .filter((p) => p.object.kind === kind && (kind === 'ClusterPropagationPolicy' || (p.object.metadata.namespace ?? '') === (r.namespace ?? '')))
      .map((p) => ({ p, m: implicit(p) }))
      .filter((x) => x.m > 0)
      .sort((a, c) => c.p.priority - a.p.priority || c.m - a.m || (a.p.object.metadata.name < c.p.object.metadata.name ? -1 : 1))[0]?.p;
  return (r.namespace ? rank('PropagationPolicy') : undefined) ?? rank('ClusterPropagationPolicy');
}

function price(b: KarmadaBinding, clusters: readonly KarmadaCluster[], shares: readonly { name: string; replicas: number }[]): number {
  const byName = new Map(clusters.map((c) => [c.name, c]));
  let s = 0;
  for (const sh of shares) {
    const c = byName.get(sh.name);
    if (c) s += sh.replicas * replicaPrice(b, c);
  }
  return s;
}

function decision(b: KarmadaBinding, status: DecisionStatus, clusters: Decision['clusters'], objective: number | null, reason: string, strategy: Strategy, now: Date, affinityName?: string): Decision {
  const ok = status === 'optimal' || status === 'feasible' || status === 'scheduled';
  const { object, patches } = writeBinding(b, {
    ok,
    clusters,
    message: ok ? `Binding has been scheduled successfully by emplace (${strategy}).` : reason,
    conditionReason: ok ? 'Success' : status === 'infeasible' ? 'NoClusterFit' : 'SchedulerError',
    strategy,
    now,
    ...(affinityName ? { affinityName } : {}),
  });
  const m = b.object.metadata;
  return {
    kind: b.object.kind,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    name: m.name,
    status,
    clusters,
    objective,
    reason,
    source: b.object,
    written: [object],
    patches,
  };
}

/** Decides every binding of the world with the chosen strategy. */
export async function scheduleKarmadaWorld(world: KarmadaWorld, options: KarmadaScheduleOptions): Promise<Decision[]> {
  const now = options.now ?? new Date();
  const items: OptimalBinding[] = world.bindings.map((binding) => ({ binding, placement: placementOf(binding, world.policies) }));
  if (items.length === 0) return [];
  const byKarmada = ({ binding, placement }: OptimalBinding): Decision => {
    const out = scheduleKarmada(binding, placement, world.clusters);
    if (!out.ok) return decision(binding, out.unschedulable ? 'infeasible' : 'error', [], null, out.error ?? 'not scheduled', 'karmada', now);
    const total = out.clusters.reduce((s, c) => s + c.replicas, 0);
    return decision(binding, 'scheduled', out.clusters, price(binding, world.clusters, out.clusters), `karmada: ${total} replicas on ${out.clusters.length} clusters`, 'karmada', now, out.affinityName);
  };
  if (options.strategy === 'karmada') return items.map(byKarmada);
  // A non-workload (a Service, a ConfigMap: no replicas, no requirements) has nothing to price or
  // divide: it goes to every candidate, as Karmada propagates it, under either strategy.
  const isNonWorkload = (b: KarmadaBinding): boolean => b.replicas === 0 && b.request === undefined;
  const fixed = new Map(items.filter((i) => isNonWorkload(i.binding)).map((i) => [i.binding, byKarmada(i)]));
  const solved = await solveOptimal(items.filter((i) => !isNonWorkload(i.binding)), world, options, now);
  return items.map((i) => fixed.get(i.binding) ?? solved.get(i.binding)!);
}

async function solveOptimal(items: OptimalBinding[], world: KarmadaWorld, options: KarmadaScheduleOptions, now: Date): Promise<Map<KarmadaBinding, Decision>> {
  const out = new Map<KarmadaBinding, Decision>();
  if (items.length === 0) return out;
  const live = world.clusters.filter((c) => !c.deleting);
  if (live.length === 0) {
    for (const { binding } of items) out.set(binding, decision(binding, 'infeasible', [], null, 'no clusters in the input', 'optimal', now));
    return out;
  }
  const input = buildReplicaInput(items, world.clusters);
  const result = await solveReplicaInput(input, { ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const plans = hasSolution(result) ? result.solution.workloads : [];
  const certificate = result.status === 'infeasible' && 'certificate' in result ? (result as { certificate?: { reason?: string } }).certificate?.reason : undefined;
  // The solver speaks of workloads[k] and clusters[i]; the user wrote ResourceBindings and Clusters.
  const inTermsOfObjects = (text: string): string =>
    text
      .replace(/workloads\[(\d+)\]/g, (m, k: string) => {
        const b = items[Number(k)]?.binding;
        return b ? `${b.object.kind} ${b.object.metadata.namespace ? `${b.object.metadata.namespace}/` : ''}${b.object.metadata.name}` : m;
      })
      .replace(/clusters\[(\d+)\]/g, (m, i: string) => (input.clusters[Number(i)] ? `Cluster ${input.clusters[Number(i)]!.id}` : m));
  for (const { binding } of items) out.set(binding, planDecision(binding));
  return out;

  function planDecision(binding: KarmadaBinding): Decision {
    const plan = plans.find((p) => p.id === workloadId(binding));
    if (!plan) {
      const why = result.status === 'infeasible' ? `infeasible${certificate ? `: ${inTermsOfObjects(certificate)}` : ''}` : `the solver stopped (${result.status}, ${result.stoppedBy}) before it found a placement`;
      return decision(binding, result.status === 'infeasible' ? 'infeasible' : 'error', [], null, why, 'optimal', now);
    }
    if (plan.status !== 'placed') {
      // Proven (the workload cannot be placed, or the proven-optimal plan had to leave it out) is
      // infeasible; left out of a plan cut short by the time limit is not proven: error.
      const proven = plan.status === 'infeasible' || result.status === 'optimal';
      return decision(binding, proven ? 'infeasible' : 'error', [], null, inTermsOfObjects(plan.reason ?? `not placed (${plan.status})`), 'optimal', now);
    }
    const clusters = plan.clusters.filter((c) => c.replicas > 0).map((c) => ({ name: c.cluster, replicas: c.replicas, why: c.why }));
    const status: DecisionStatus = result.status === 'optimal' ? 'optimal' : 'feasible';
    const gap = result.gap !== undefined && result.status !== 'optimal' ? `, gap ${(100 * result.gap).toFixed(3)}%` : '';
    const warn = result.warnings && result.warnings.length > 0 ? `; ${result.warnings.join('; ')}` : '';
    return decision(binding, status, clusters, price(binding, world.clusters, clusters), `optimal strategy: ${result.status}${gap} (${result.stats.method})${warn}`, 'optimal', now);
  }
}
