import { KubeObjectError } from './errors.js';
import { child, optArray, optEnum, optInt, optRecord, optString, quantityMap, stringList } from './fields.js';
import { refOf, type KubeObject } from './objects.js';
import { priceAnnotation } from './price-annotation.js';
import { readLabelSelector, readRequirements, readTaints, readTolerations, type LabelSelector, type Requirement, type Taint, type Toleration } from './selector.js';

/** Open Cluster Management objects in: ManagedCluster, ManagedClusterSet, ManagedClusterSetBinding, Placement (and its PlacementDecisions). */

export const GROUP = 'cluster.open-cluster-management.io';
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
  const price = priceAnnotation(o) ?? {};
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

