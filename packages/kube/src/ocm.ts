import { ANNOTATIONS } from './annotations.js';
import type { ClusterShare, Decision, ObjectPatch } from './decision.js';
import { KubeObjectError } from './errors.js';
import { child, optArray, optEnum, optInt, optRecord, optString, quantityMap, stringList } from './fields.js';
import { refOf, type KubeObject } from './objects.js';
import { quantityToNumber } from './quantity.js';
import { readLabelSelector, readRequirements, readTaints, readTolerations, requirementMatches, selectorMatches, tolerates, type LabelSelector, type Requirement, type Taint, type Toleration } from './selector.js';

/**
 * Open Cluster Management: ManagedCluster, ManagedClusterSet, ManagedClusterSetBinding and
 * Placement in; PlacementDecision (at most 100 decisions per object, a reason on each) and
 * AddOnPlacementScore (scores -100..100 with validUntil) out.
 */

const GROUP = 'cluster.open-cluster-management.io';
export const OCM_KINDS = ['ManagedCluster', 'ManagedClusterSet', 'ManagedClusterSetBinding', 'Placement', 'PlacementDecision', 'AddOnPlacementScore'] as const;
export const OCM_TAINT_EFFECTS = ['NoSelect', 'PreferNoSelect', 'NoSelectIfNew'] as const;
export const PLACEMENT_LABEL = `${GROUP}/placement`;
export const CLUSTERSET_LABEL = `${GROUP}/clusterset`;
/** OCM splits a placement's decisions into objects of at most this many clusters. */
export const MAX_DECISIONS_PER_OBJECT = 100;
/** How long a written AddOnPlacementScore stays valid. */
export const SCORE_VALIDITY_MS = 10 * 60 * 1000;

export function isOcmObject(o: KubeObject): boolean {
  return (OCM_KINDS as readonly string[]).includes(o.kind) && o.apiVersion.split('/')[0] === GROUP;
}

export interface ManagedCluster {
  object: KubeObject;
  name: string;
  labels: Readonly<Record<string, string>>;
  claims: Record<string, string>;
  taints: Taint[];
  allocatable: Map<string, bigint>;
  capacity: Map<string, bigint>;
  price: Record<string, number>;
}

export interface ClusterSet {
  name: string;
  selectorType: 'ExclusiveClusterSetLabel' | 'LabelSelector';
  labelSelector?: LabelSelector;
}

export interface OcmPlacement {
  object: KubeObject;
  clusterSets: string[];
  numberOfClusters?: number;
  predicates: { labelSelector?: LabelSelector; claims: Requirement[] }[];
  spread: { topologyKey: string; topologyKeyType: 'Label' | 'Claim'; maxSkew: number; whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway' }[];
  tolerations: Toleration[];
  /** Clusters of the placement's current PlacementDecisions (NoSelectIfNew keeps them). */
  current: Set<string>;
  /** A predicate uses celSelector, which emplace does not evaluate. */
  usesCel: boolean;
}

export interface OcmWorld {
  clusters: ManagedCluster[];
  sets: ClusterSet[];
  /** namespace -> bound cluster set names */
  bindings: Map<string, Set<string>>;
  placements: OcmPlacement[];
}

function readManagedCluster(o: KubeObject): ManagedCluster {
  const ref = refOf(o);
  const spec = optRecord(ref, o.raw.spec, 'spec') ?? {};
  const status = optRecord(ref, o.raw.status, 'status') ?? {};
  const claims: Record<string, string> = {};
  optArray(ref, status.clusterClaims, 'status.clusterClaims').forEach((c, i) => {
    const name = optString(ref, child(c, 'name'), `status.clusterClaims[${i}].name`);
    if (!name) throw new KubeObjectError(ref, `status.clusterClaims[${i}].name`, 'is missing');
    claims[name] = optString(ref, child(c, 'value'), `status.clusterClaims[${i}].value`) ?? '';
  });
  let price: Record<string, number> = {};
  const raw = o.metadata.annotations[ANNOTATIONS.price];
  if (raw !== undefined) {
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      throw new KubeObjectError(ref, `metadata.annotations["${ANNOTATIONS.price}"]`, `is not JSON (${JSON.stringify(raw)})`);
    }
    const r = optRecord(ref, v, `metadata.annotations["${ANNOTATIONS.price}"]`) ?? {};
    price = {};
    for (const [k, x] of Object.entries(r)) {
      if (typeof x !== 'number' || !(x >= 0)) throw new KubeObjectError(ref, `metadata.annotations["${ANNOTATIONS.price}"].${k}`, `is ${JSON.stringify(x)}, expected a non-negative number`);
      price[k] = x;
    }
  }
  return {
    object: o,
    name: o.metadata.name,
    labels: o.metadata.labels,
    claims,
    taints: readTaints(ref, spec.taints, 'spec.taints', OCM_TAINT_EFFECTS),
    allocatable: quantityMap(ref, status.allocatable, 'status.allocatable'),
    capacity: quantityMap(ref, status.capacity, 'status.capacity'),
    price,
  };
}

function readPlacement(o: KubeObject): OcmPlacement {
  const ref = refOf(o);
  const spec = optRecord(ref, o.raw.spec, 'spec') ?? {};
  const p: OcmPlacement = {
    object: o,
    clusterSets: stringList(ref, spec.clusterSets, 'spec.clusterSets'),
    predicates: optArray(ref, spec.predicates, 'spec.predicates').map((pr, i) => {
      const path = `spec.predicates[${i}].requiredClusterSelector`;
      const sel = optRecord(ref, child(pr, 'requiredClusterSelector'), path) ?? {};
      const ls = readLabelSelector(ref, sel.labelSelector, `${path}.labelSelector`);
      return { ...(ls ? { labelSelector: ls } : {}), claims: readRequirements(ref, sel.claimSelector, `${path}.claimSelector`) };
    }),
    spread: optArray(ref, child(optRecord(ref, spec.spreadPolicy, 'spec.spreadPolicy'), 'spreadConstraints'), 'spec.spreadPolicy.spreadConstraints').map((s, i) => {
      const path = `spec.spreadPolicy.spreadConstraints[${i}]`;
      const r = optRecord(ref, s, path) ?? {};
      const topologyKey = optString(ref, r.topologyKey, `${path}.topologyKey`);
      if (!topologyKey) throw new KubeObjectError(ref, `${path}.topologyKey`, 'is missing');
      return {
        topologyKey,
        topologyKeyType: optEnum(ref, r.topologyKeyType, `${path}.topologyKeyType`, ['Label', 'Claim'] as const) ?? 'Label',
        maxSkew: optInt(ref, r.maxSkew, `${path}.maxSkew`, 1) ?? 1,
        whenUnsatisfiable: optEnum(ref, r.whenUnsatisfiable, `${path}.whenUnsatisfiable`, ['DoNotSchedule', 'ScheduleAnyway'] as const) ?? 'ScheduleAnyway',
      };
    }),
    tolerations: readTolerations(ref, spec.tolerations, 'spec.tolerations', OCM_TAINT_EFFECTS),
    current: new Set(),
    usesCel: optArray(ref, spec.predicates, 'spec.predicates').some((pr) => stringList(ref, child(child(child(pr, 'requiredClusterSelector'), 'celSelector'), 'celExpressions'), 'celExpressions').length > 0),
  };
  const n = optInt(ref, spec.numberOfClusters, 'spec.numberOfClusters', 0);
  if (n !== undefined) p.numberOfClusters = n;
  // Validate the prioritizer policy's enum even though emplace scores by its own objective.
  optEnum(ref, child(spec.prioritizerPolicy, 'mode'), 'spec.prioritizerPolicy.mode', ['Additive', 'Exact'] as const);
  return p;
}

export function readOcmWorld(objects: readonly KubeObject[]): OcmWorld {
  const w: OcmWorld = { clusters: [], sets: [], bindings: new Map(), placements: [] };
  const decisions: KubeObject[] = [];
  for (const o of objects) {
    if (!isOcmObject(o)) continue;
    const ref = refOf(o);
    if (o.kind === 'ManagedCluster') w.clusters.push(readManagedCluster(o));
    else if (o.kind === 'ManagedClusterSet') {
      const sel = optRecord(ref, child(o.raw.spec, 'clusterSelector'), 'spec.clusterSelector') ?? {};
      const selectorType = optEnum(ref, sel.selectorType, 'spec.clusterSelector.selectorType', ['ExclusiveClusterSetLabel', 'LabelSelector'] as const) ?? 'ExclusiveClusterSetLabel';
      const ls = readLabelSelector(ref, sel.labelSelector, 'spec.clusterSelector.labelSelector');
      w.sets.push({ name: o.metadata.name, selectorType, ...(ls ? { labelSelector: ls } : {}) });
    } else if (o.kind === 'ManagedClusterSetBinding') {
      const set = optString(ref, child(o.raw.spec, 'clusterSet'), 'spec.clusterSet');
      if (!set) throw new KubeObjectError(ref, 'spec.clusterSet', 'is missing');
      const ns = o.metadata.namespace ?? '';
      if (!w.bindings.has(ns)) w.bindings.set(ns, new Set());
      w.bindings.get(ns)!.add(set);
    } else if (o.kind === 'Placement') w.placements.push(readPlacement(o));
    else if (o.kind === 'PlacementDecision') decisions.push(o);
  }
  for (const d of decisions) {
    const owner = d.metadata.labels[PLACEMENT_LABEL];
    const p = w.placements.find((x) => x.object.metadata.name === owner && x.object.metadata.namespace === d.metadata.namespace);
    if (!p) continue;
    optArray(refOf(d), child(d.raw.status, 'decisions'), 'status.decisions').forEach((x) => {
      const n = child(x, 'clusterName');
      if (typeof n === 'string') p.current.add(n);
    });
  }
  return w;
}

function setMembers(set: ClusterSet, clusters: readonly ManagedCluster[]): ManagedCluster[] {
  if (set.selectorType === 'LabelSelector') return clusters.filter((c) => !set.labelSelector || selectorMatches(set.labelSelector, c.labels));
  return clusters.filter((c) => c.labels[CLUSTERSET_LABEL] === set.name);
}

/** The clusters a placement may select, and why each other cluster is out. */
export function eligibleClusters(p: OcmPlacement, w: OcmWorld): { eligible: ManagedCluster[]; rejected: Map<string, string> } {
  const ns = p.object.metadata.namespace ?? '';
  const bound = w.bindings.get(ns) ?? new Set<string>();
  const sets = (p.clusterSets.length > 0 ? p.clusterSets.filter((s) => bound.has(s)) : [...bound]).map((n) => w.sets.find((s) => s.name === n)).filter((s): s is ClusterSet => s !== undefined);
  const inSets = new Set(sets.flatMap((s) => setMembers(s, w.clusters)).map((c) => c.name));
  const rejected = new Map<string, string>();
  const eligible: ManagedCluster[] = [];
  for (const c of w.clusters) {
    if (!inSets.has(c.name)) {
      rejected.set(c.name, 'not in a cluster set bound to the namespace');
      continue;
    }
    const pred = p.predicates.length === 0 || p.predicates.some((pr) => (!pr.labelSelector || selectorMatches(pr.labelSelector, c.labels)) && pr.claims.every((r) => requirementMatches(r, c.claims)));
    if (!pred) {
      rejected.set(c.name, 'does not match any predicate');
      continue;
    }
    const taint = c.taints.find((t) => (t.effect === 'NoSelect' || (t.effect === 'NoSelectIfNew' && !p.current.has(c.name))) && !p.tolerations.some((tol) => tolerates(tol, t)));
    if (taint) {
      rejected.set(c.name, `untolerated taint ${taint.key}:${taint.effect}`);
      continue;
    }
    eligible.push(c);
  }
  return { eligible, rejected };
}

/**
 * emplace's score of a cluster for a placement: cheaper first when clusters carry prices
 * (price of one cpu core + one GiB), else more allocatable cpu and memory (the fraction of
 * capacity that is allocatable, as OCM's ResourceAllocatable prioritizers), PreferNoSelect
 * taints last, clusters already chosen kept on ties (steady).
 */
function clusterScore(c: ManagedCluster, p: OcmPlacement, priced: boolean): number {
  const penalty = c.taints.some((t) => t.effect === 'PreferNoSelect' && !p.tolerations.some((tol) => tolerates(tol, t))) ? 1e6 : 0;
  const steady = p.current.has(c.name) ? -1e-9 : 0;
  if (priced) return -((c.price.cpu ?? 0) + (c.price.memory ?? 0)) - penalty + steady * -1;
  const frac = (r: string): number => {
    const a = c.allocatable.get(r);
    const cap = c.capacity.get(r);
    return a === undefined || cap === undefined || cap === 0n ? 0 : quantityToNumber(a) / quantityToNumber(cap);
  };
  return frac('cpu') + frac('memory') - penalty - steady;
}

function groupOf(c: ManagedCluster, s: OcmPlacement['spread'][number]): string | undefined {
  return s.topologyKeyType === 'Claim' ? c.claims[s.topologyKey] : c.labels[s.topologyKey];
}

/**
 * Picks numberOfClusters clusters (all eligible when unset) by score, keeping every
 * spread constraint's skew (largest minus smallest group count over its groups) within
 * maxSkew: at each step it takes the best cluster among the groups with the fewest chosen.
 */
export function selectClusters(p: OcmPlacement, eligible: readonly ManagedCluster[]): { chosen: { cluster: ManagedCluster; reason: string }[]; unsatisfied?: string } {
  const priced = eligible.some((c) => Object.keys(c.price).length > 0);
  const scored = eligible.map((c) => ({ c, score: clusterScore(c, p, priced) })).sort((a, b) => b.score - a.score || (a.c.name < b.c.name ? -1 : 1));
  const want = p.numberOfClusters ?? scored.length;
  const hard = p.spread.filter((s) => s.whenUnsatisfiable === 'DoNotSchedule');
  const pool = hard.length > 0 || p.spread.length > 0 ? scored.filter((x) => p.spread.filter((s) => s.whenUnsatisfiable === 'DoNotSchedule').every((s) => groupOf(x.c, s) !== undefined)) : scored;
  const counts = p.spread.map(() => new Map<string, number>());
  p.spread.forEach((s, k) => {
    for (const x of pool) {
      const g = groupOf(x.c, s);
      if (g !== undefined) counts[k]!.set(g, 0);
    }
  });
  const chosen: { cluster: ManagedCluster; reason: string }[] = [];
  const left = [...pool];
  while (chosen.length < want && left.length > 0) {
    // Skew after adding x: for each constraint, max minus min group count.
    let best = -1;
    let bestKey: [number, number] = [Infinity, -Infinity];
    left.forEach((x, i) => {
      let excess = 0;
      p.spread.forEach((s, k) => {
        const g = groupOf(x.c, s);
        if (g === undefined) return;
        const m = counts[k]!;
        const after = [...m.entries()].map(([key, v]) => (key === g ? v + 1 : v));
        const skew = Math.max(...after) - Math.min(...after);
        if (skew > s.maxSkew) excess += s.whenUnsatisfiable === 'DoNotSchedule' ? 1e6 : skew - s.maxSkew;
      });
      if (excess < bestKey[0] || (excess === bestKey[0] && x.score > bestKey[1])) {
        best = i;
        bestKey = [excess, x.score];
      }
    });
    if (bestKey[0] >= 1e6) break;
    const [x] = left.splice(best, 1);
    p.spread.forEach((s, k) => {
      const g = groupOf(x!.c, s);
      if (g !== undefined) counts[k]!.set(g, (counts[k]!.get(g) ?? 0) + 1);
    });
    const spreadNote = p.spread.map((s) => `${s.topologyKey}=${groupOf(x!.c, s) ?? '-'}`).join(', ');
    const price = priced ? `price ${((x!.c.price.cpu ?? 0) + (x!.c.price.memory ?? 0)).toFixed(4)}/core+GiB/h` : `allocatable score ${x!.score.toFixed(3)}`;
    chosen.push({ cluster: x!.c, reason: `emplace: rank ${chosen.length + 1} of ${scored.length} eligible by ${price}${spreadNote ? `; spread ${spreadNote}` : ''}` });
  }
  const short = chosen.length < want ? `${chosen.length} of ${want} clusters could be selected (${eligible.length} eligible${hard.length > 0 ? ', spread constraints with DoNotSchedule' : ''})` : undefined;
  return { chosen, ...(short ? { unsatisfied: short } : {}) };
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** PlacementDecision objects for a placement: decisions sorted by cluster name, 100 per object. */
export function placementDecisions(p: OcmPlacement, chosen: readonly { cluster: ManagedCluster; reason: string }[]): Record<string, unknown>[] {
  const m = p.object.metadata;
  const sorted = [...chosen].sort((a, b) => (a.cluster.name < b.cluster.name ? -1 : a.cluster.name > b.cluster.name ? 1 : 0));
  const chunks: (typeof sorted)[] = [];
  for (let i = 0; i < sorted.length; i += MAX_DECISIONS_PER_OBJECT) chunks.push(sorted.slice(i, i + MAX_DECISIONS_PER_OBJECT));
  if (chunks.length === 0) chunks.push([]);
  return chunks.map((chunk, i) => ({
    apiVersion: `${GROUP}/v1beta1`,
    kind: 'PlacementDecision',
    metadata: {
      name: `${m.name}-decision-${i + 1}`,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      labels: { [PLACEMENT_LABEL]: m.name, [`${GROUP}/decision-group-index`]: '0', [`${GROUP}/decision-group-name`]: '' },
      ...(m.uid ? { ownerReferences: [{ apiVersion: p.object.apiVersion, kind: 'Placement', name: m.name, uid: m.uid, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    status: { decisions: chunk.map((c) => ({ clusterName: c.cluster.name, reason: c.reason })) },
  }));
}

/** AddOnPlacementScore per eligible cluster: emplace's score mapped linearly onto -100..100. */
export function placementScores(scored: readonly { cluster: ManagedCluster; score: number }[], now: Date): Record<string, unknown>[] {
  if (scored.length === 0) return [];
  const lo = Math.min(...scored.map((s) => s.score));
  const hi = Math.max(...scored.map((s) => s.score));
  return scored.map((s) => {
    const value = hi === lo ? 0 : Math.round(-100 + (200 * (s.score - lo)) / (hi - lo));
    return {
      apiVersion: `${GROUP}/v1alpha1`,
      kind: 'AddOnPlacementScore',
      metadata: { name: 'emplace', namespace: s.cluster.name },
      status: {
        conditions: [{ type: 'ScoreUpdated', status: 'True', reason: 'EmplaceScored', message: 'scored by emplace', lastTransitionTime: isoSeconds(now) }],
        scores: [{ name: 'emplace', value: Math.max(-100, Math.min(100, value)) }],
        validUntil: isoSeconds(new Date(now.getTime() + SCORE_VALIDITY_MS)),
      },
    };
  });
}

export async function scheduleOcmWorld(w: OcmWorld, options: { now?: Date; select?: 'all' | 'ours' }): Promise<Decision[]> {
  const now = options.now ?? new Date();
  const placements = options.select === 'ours' ? w.placements.filter((p) => p.object.metadata.annotations[ANNOTATIONS.ocmScheduler] === 'true') : w.placements;
  const out: Decision[] = [];
  for (const p of placements) {
    const m0 = p.object.metadata;
    if (p.usesCel) {
      // Selecting without the CEL predicate would pick clusters it excludes: decide nothing.
      out.push({ kind: 'Placement', ...(m0.namespace ? { namespace: m0.namespace } : {}), name: m0.name, status: 'error', clusters: [], objective: null, reason: 'spec.predicates use celSelector, which emplace does not evaluate', source: p.object, written: [], patches: [] });
      continue;
    }
    const { eligible, rejected } = eligibleClusters(p, w);
    const { chosen, unsatisfied } = selectClusters(p, eligible);
    const priced = eligible.some((c) => Object.keys(c.price).length > 0);
    const written = [...placementDecisions(p, chosen), ...placementScores(eligible.map((c) => ({ cluster: c, score: clusterScore(c, p, priced) })), now)];
    const patches: ObjectPatch[] = written.map((o) => {
      const meta = o.metadata as { name: string; namespace?: string };
      return { apiVersion: o.apiVersion as string, kind: o.kind as string, name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}), action: 'apply', body: o };
    });
    const m = p.object.metadata;
    const clusters: ClusterShare[] = chosen.map((c) => ({ name: c.cluster.name, replicas: 1, why: c.reason }));
    const ok = chosen.length > 0 && unsatisfied === undefined;
    const rejectedNote = rejected.size > 0 ? `; ${rejected.size} cluster(s) not eligible (${[...new Set(rejected.values())].join('; ')})` : '';
    out.push({
      kind: 'Placement',
      ...(m.namespace ? { namespace: m.namespace } : {}),
      name: m.name,
      status: ok ? 'scheduled' : 'infeasible',
      clusters,
      objective: ok ? chosen.reduce((s, c) => s + (c.cluster.price.cpu ?? 0) + (c.cluster.price.memory ?? 0), 0) : null,
      reason: ok ? `${chosen.length} cluster(s) selected${rejectedNote}` : `${unsatisfied ?? 'no eligible cluster'}${rejectedNote}`,
      source: p.object,
      written,
      patches,
    });
  }
  return out;
}
