import { KubeObjectError } from './errors.js';
import { child, optArray, optEnum, optInt, optRecord, optString, quantity, quantityMap, reqInt, reqRecord, reqString, stringList } from './fields.js';
import { priceAnnotation } from './price-annotation.js';
import { refOf, type KubeObject } from './objects.js';
import { readFieldSelector, readLabelSelector, readTaints, readTolerations, type LabelSelector, type Requirement, type Taint, type Toleration } from './selector.js';
import { ANNOTATIONS } from './annotations.js';

/** Readers of Karmada's Cluster, PropagationPolicy / ClusterPropagationPolicy and (Cluster)ResourceBinding. */

export const KARMADA_TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export interface KarmadaCluster {
  object: KubeObject;
  name: string;
  labels: Readonly<Record<string, string>>;
  provider?: string;
  region?: string;
  zones: string[];
  taints: Taint[];
  /** The raw spec.resourceModels / status.resourceSummary (validated), as Karmada's estimator reads them. */
  estimator: { resourceSummary?: Record<string, unknown>; resourceModels?: { grade: number; ranges: { name: string; min: string | number; max?: string | number }[] }[] };
  /** status.resourceSummary; absent means the cluster has reported nothing (Karmada estimates 0 replicas). */
  summary?: { allocatable: Map<string, bigint>; allocated: Map<string, bigint>; allocating: Map<string, bigint> };
  /** Price per unit (cpu: core, memory: GiB, others: their unit) per replica-hour, from the price annotation. */
  price: Record<string, number>;
  deleting: boolean;
  /** status.apiEnablements as "group/version Kind" keys; undefined when the cluster lists none. */
  apis?: Set<string>;
}

export interface ClusterAffinity {
  clusterNames: string[];
  exclude: string[];
  labelSelector?: LabelSelector;
  fieldSelector?: Requirement[];
}

export interface AffinityTerm extends ClusterAffinity {
  affinityName: string;
  overflow: (ClusterAffinity & { affinityName: string })[];
}

export type SpreadField = 'cluster' | 'region' | 'zone' | 'provider';

export interface SpreadConstraint {
  spreadByField?: SpreadField;
  spreadByLabel?: string;
  minGroups: number;
  maxGroups: number;
}

export interface ReplicaScheduling {
  type: 'Duplicated' | 'Divided';
  divisionPreference?: 'Aggregated' | 'Weighted';
  /** weightPreference: absent, or static weights, or a dynamic factor. */
  weightPreference?: { staticWeightList: { targetCluster: ClusterAffinity; weight: number }[]; dynamicWeight?: 'AvailableReplicas' };
}

export interface KarmadaPlacement {
  clusterAffinity?: ClusterAffinity;
  clusterAffinities?: AffinityTerm[];
  clusterTolerations: Toleration[];
  spreadConstraints: SpreadConstraint[];
  replicaScheduling?: ReplicaScheduling;
}

export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  labelSelector?: LabelSelector;
}

export interface KarmadaPolicy {
  object: KubeObject;
  placement: KarmadaPlacement;
  schedulerName?: string;
  resourceSelectors: ResourceSelector[];
  /** spec.priority (explicit priority, default 0). */
  priority: number;
}

export type FailureDomain = 'cluster' | 'zone' | 'region';

export interface KarmadaBinding {
  object: KubeObject;
  replicas: number;
  /** spec.replicaRequirements.resourceRequest, nano-units per resource; undefined when the binding has none. */
  request?: Map<string, bigint>;
  /** The same request as written (quantities as text), for Karmada's estimator. */
  rawRequest?: Record<string, string | number>;
  placement?: KarmadaPlacement;
  clusters: { name: string; replicas: number }[];
  uid: string;
  /** spec.resource: what the binding propagates (to find its policy by resourceSelectors). */
  resource: { apiVersion: string; kind: string; namespace?: string; name: string };
  schedulerName?: string;
  /** RescheduleTriggeredAt later than the last scheduling: Karmada divides afresh. */
  fresh: boolean;
  /** Clusters named by spec.gracefulEvictionTasks[].fromCluster (ClusterEviction filter). */
  evicting: Set<string>;
  /** status.schedulerObservedAffinityName, for affinity terms. */
  observedAffinityName?: string;
  minAvailable?: number;
  failureDomain: FailureDomain;
  maxMoves?: number;
}

export function readCluster(obj: KubeObject): KarmadaCluster {
  const ref = refOf(obj);
  const spec = optRecord(ref, obj.raw.spec, 'spec') ?? {};
  const status = optRecord(ref, obj.raw.status, 'status') ?? {};
  const rs = optRecord(ref, status.resourceSummary, 'status.resourceSummary');
  const zone = optString(ref, spec.zone, 'spec.zone');
  const zones = stringList(ref, spec.zones, 'spec.zones');
  const price = priceAnnotation(obj);
  const c: KarmadaCluster = {
    object: obj,
    name: obj.metadata.name,
    labels: obj.metadata.labels,
    zones: zones.length > 0 ? zones : zone ? [zone] : [],
    taints: readTaints(ref, spec.taints, 'spec.taints', KARMADA_TAINT_EFFECTS),
    price: price ?? {},
    deleting: child(obj.raw.metadata, 'deletionTimestamp') !== undefined && child(obj.raw.metadata, 'deletionTimestamp') !== null,
    estimator: { name: obj.metadata.name, ...(rs ? { resourceSummary: rs } : {}) } as KarmadaCluster['estimator'],
  };
  const enablements = optArray(ref, status.apiEnablements, 'status.apiEnablements');
  if (enablements.length > 0) {
    c.apis = new Set();
    enablements.forEach((e, i) => {
      const gv = reqString(ref, child(e, 'groupVersion'), `status.apiEnablements[${i}].groupVersion`);
      optArray(ref, child(e, 'resources'), `status.apiEnablements[${i}].resources`).forEach((r, j) => {
        const kind = optString(ref, child(r, 'kind'), `status.apiEnablements[${i}].resources[${j}].kind`);
        if (kind) c.apis!.add(`${gv} ${kind}`);
      });
    });
  }
  const models = optArray(ref, spec.resourceModels, 'spec.resourceModels');
  if (models.length > 0) {
    c.estimator.resourceModels = models.map((m, i) => {
      const p = `spec.resourceModels[${i}]`;
      const r = optRecord(ref, m, p) ?? {};
      return {
        grade: reqInt(ref, r.grade, `${p}.grade`, 0),
        ranges: optArray(ref, r.ranges, `${p}.ranges`).map((x, j) => {
          const rp = `${p}.ranges[${j}]`;
          const rr = optRecord(ref, x, rp) ?? {};
          const name = reqString(ref, rr.name, `${rp}.name`);
          quantity(ref, rr.min, `${rp}.min`);
          if (rr.max !== undefined) quantity(ref, rr.max, `${rp}.max`);
          return { name, min: rr.min as string | number, ...(rr.max !== undefined ? { max: rr.max as string | number } : {}) };
        }),
      };
    });
  }
  const provider = optString(ref, spec.provider, 'spec.provider');
  const region = optString(ref, spec.region, 'spec.region');
  if (provider) c.provider = provider;
  if (region) c.region = region;
  if (rs) {
    c.summary = {
      allocatable: quantityMap(ref, rs.allocatable, 'status.resourceSummary.allocatable'),
      allocated: quantityMap(ref, rs.allocated, 'status.resourceSummary.allocated'),
      allocating: quantityMap(ref, rs.allocating, 'status.resourceSummary.allocating'),
    };
    optArray(ref, rs.allocatableModelings, 'status.resourceSummary.allocatableModelings').forEach((m, i) => {
      const p = `status.resourceSummary.allocatableModelings[${i}]`;
      const r = optRecord(ref, m, p) ?? {};
      reqInt(ref, r.grade, `${p}.grade`, 0);
      reqInt(ref, r.count, `${p}.count`, 0);
    });
  }
  return c;
}

function readAffinity(ref: ReturnType<typeof refOf>, v: unknown, path: string): ClusterAffinity {
  const r = optRecord(ref, v, path) ?? {};
  const a: ClusterAffinity = { clusterNames: stringList(ref, r.clusterNames, `${path}.clusterNames`), exclude: stringList(ref, r.exclude, `${path}.exclude`) };
  const ls = readLabelSelector(ref, r.labelSelector, `${path}.labelSelector`);
  const fs = readFieldSelector(ref, r.fieldSelector, `${path}.fieldSelector`);
  if (ls) a.labelSelector = ls;
  if (fs) a.fieldSelector = fs;
  return a;
}

const SPREAD_FIELDS: readonly SpreadField[] = ['cluster', 'region', 'zone', 'provider'];

export function readPlacement(obj: KubeObject, v: unknown, path: string): KarmadaPlacement {
  const ref = refOf(obj);
  const r = optRecord(ref, v, path) ?? {};
  const p: KarmadaPlacement = {
    clusterTolerations: readTolerations(ref, r.clusterTolerations, `${path}.clusterTolerations`, KARMADA_TAINT_EFFECTS),
    spreadConstraints: optArray(ref, r.spreadConstraints, `${path}.spreadConstraints`).map((s, i) => {
      const sp = `${path}.spreadConstraints[${i}]`;
      const sr = optRecord(ref, s, sp) ?? {};
      const byField = optEnum(ref, sr.spreadByField, `${sp}.spreadByField`, SPREAD_FIELDS);
      const byLabel = optString(ref, sr.spreadByLabel, `${sp}.spreadByLabel`);
      if (byField && byLabel) throw new KubeObjectError(ref, sp, 'sets both spreadByField and spreadByLabel');
      const minGroups = optInt(ref, sr.minGroups, `${sp}.minGroups`, 0) ?? 0;
      const maxGroups = optInt(ref, sr.maxGroups, `${sp}.maxGroups`, 0) ?? 0;
      if (maxGroups > 0 && minGroups > maxGroups) throw new KubeObjectError(ref, `${sp}.minGroups`, `is ${minGroups}, more than maxGroups ${maxGroups}`);
      const c: SpreadConstraint = { minGroups, maxGroups };
      // Karmada's defaulting: neither field nor label means by cluster.
      if (byField || !byLabel) c.spreadByField = byField ?? 'cluster';
      if (byLabel) c.spreadByLabel = byLabel;
      return c;
    }),
  };
  if (r.clusterAffinity !== undefined && r.clusterAffinity !== null) p.clusterAffinity = readAffinity(ref, r.clusterAffinity, `${path}.clusterAffinity`);
  if (r.clusterAffinities !== undefined && r.clusterAffinities !== null) {
    p.clusterAffinities = optArray(ref, r.clusterAffinities, `${path}.clusterAffinities`).map((t, i) => {
      const tp = `${path}.clusterAffinities[${i}]`;
      const tr = optRecord(ref, t, tp) ?? {};
      return {
        ...readAffinity(ref, tr, tp),
        affinityName: reqString(ref, tr.affinityName, `${tp}.affinityName`),
        overflow: optArray(ref, tr.overflowAffinities, `${tp}.overflowAffinities`).map((o, j) => ({
          ...readAffinity(ref, o, `${tp}.overflowAffinities[${j}]`),
          affinityName: reqString(ref, child(o, 'affinityName'), `${tp}.overflowAffinities[${j}].affinityName`),
        })),
      };
    });
    if (p.clusterAffinity) throw new KubeObjectError(ref, `${path}.clusterAffinities`, 'cannot be used together with clusterAffinity');
  }
  const rsv = optRecord(ref, r.replicaScheduling, `${path}.replicaScheduling`);
  if (rsv) {
    const rp = `${path}.replicaScheduling`;
    const type = optEnum(ref, rsv.replicaSchedulingType, `${rp}.replicaSchedulingType`, ['Duplicated', 'Divided'] as const) ?? 'Divided';
    const rsOut: ReplicaScheduling = { type };
    const pref = optEnum(ref, rsv.replicaDivisionPreference, `${rp}.replicaDivisionPreference`, ['Aggregated', 'Weighted'] as const);
    if (pref) rsOut.divisionPreference = pref;
    const wp = optRecord(ref, rsv.weightPreference, `${rp}.weightPreference`);
    if (wp) {
      const wpp = `${rp}.weightPreference`;
      rsOut.weightPreference = {
        staticWeightList: optArray(ref, wp.staticWeightList, `${wpp}.staticWeightList`).map((w, i) => {
          const sp = `${wpp}.staticWeightList[${i}]`;
          const wr = optRecord(ref, w, sp) ?? {};
          return { targetCluster: readAffinity(ref, reqRecord(ref, wr.targetCluster, `${sp}.targetCluster`), `${sp}.targetCluster`), weight: reqInt(ref, wr.weight, `${sp}.weight`, 1, Number.MAX_SAFE_INTEGER) };
        }),
      };
      const dyn = optEnum(ref, wp.dynamicWeight, `${wpp}.dynamicWeight`, ['AvailableReplicas'] as const);
      if (dyn) rsOut.weightPreference.dynamicWeight = dyn;
    }
    p.replicaScheduling = rsOut;
  }
  return p;
}

export function readPolicy(obj: KubeObject): KarmadaPolicy {
  const ref = refOf(obj);
  const spec = reqRecord(ref, obj.raw.spec, 'spec');
  const pol: KarmadaPolicy = {
    object: obj,
    placement: readPlacement(obj, spec.placement, 'spec.placement'),
    priority: optInt(ref, spec.priority, 'spec.priority') ?? 0,
    resourceSelectors: optArray(ref, spec.resourceSelectors, 'spec.resourceSelectors').map((r, i) => {
      const p = `spec.resourceSelectors[${i}]`;
      const rr = optRecord(ref, r, p) ?? {};
      const sel: ResourceSelector = { apiVersion: reqString(ref, rr.apiVersion, `${p}.apiVersion`), kind: reqString(ref, rr.kind, `${p}.kind`) };
      const ns = optString(ref, rr.namespace, `${p}.namespace`);
      const name = optString(ref, rr.name, `${p}.name`);
      const ls = readLabelSelector(ref, rr.labelSelector, `${p}.labelSelector`);
      if (ns) sel.namespace = ns;
      if (name) sel.name = name;
      if (ls) sel.labelSelector = ls;
      return sel;
    }),
  };
  const sn = optString(ref, spec.schedulerName, 'spec.schedulerName');
  if (sn) pol.schedulerName = sn;
  // Karmada's mutating webhook defaults every policy it admits; a policy printed by kubectl has
  // these already, a hand-written one gets them here (a binding's copy of the placement does not).
  const rs = pol.placement.replicaScheduling;
  if (rs && rs.type === 'Divided' && !rs.divisionPreference) rs.divisionPreference = 'Weighted';
  for (const c of pol.placement.spreadConstraints) if (c.minGroups === 0) c.minGroups = 1;
  return pol;
}

const FAILURE_DOMAINS: readonly FailureDomain[] = ['cluster', 'zone', 'region'];

export function readBinding(obj: KubeObject): KarmadaBinding {
  const ref = refOf(obj);
  const spec = reqRecord(ref, obj.raw.spec, 'spec');
  const status = optRecord(ref, obj.raw.status, 'status') ?? {};
  const replicas = optInt(ref, spec.replicas, 'spec.replicas', 0) ?? 0;
  const resource = optRecord(ref, spec.resource, 'spec.resource') ?? {};
  const clusters = optArray(ref, spec.clusters, 'spec.clusters').map((c, i) => {
    const p = `spec.clusters[${i}]`;
    const r = optRecord(ref, c, p) ?? {};
    return { name: reqString(ref, r.name, `${p}.name`), replicas: optInt(ref, r.replicas, `${p}.replicas`, 0) ?? 0 };
  });
  const triggered = optString(ref, spec.rescheduleTriggeredAt, 'spec.rescheduleTriggeredAt');
  const last = optString(ref, status.lastScheduledTime, 'status.lastScheduledTime');
  const b: KarmadaBinding = {
    object: obj,
    replicas,
    clusters,
    uid: optString(ref, resource.uid, 'spec.resource.uid') ?? '',
    resource: {
      apiVersion: optString(ref, resource.apiVersion, 'spec.resource.apiVersion') ?? '',
      kind: optString(ref, resource.kind, 'spec.resource.kind') ?? '',
      name: optString(ref, resource.name, 'spec.resource.name') ?? '',
      ...(typeof resource.namespace === 'string' && resource.namespace ? { namespace: resource.namespace } : {}),
    },
    // Karmada's RescheduleRequired: triggered and (never scheduled or triggered after the last time).
    fresh: triggered !== undefined && (last === undefined || Date.parse(triggered) > Date.parse(last)),
    failureDomain: 'cluster',
    evicting: new Set(
      optArray(ref, spec.gracefulEvictionTasks, 'spec.gracefulEvictionTasks').map((t, i) => reqString(ref, child(t, 'fromCluster'), `spec.gracefulEvictionTasks[${i}].fromCluster`)),
    ),
  };
  const req = optRecord(ref, spec.replicaRequirements, 'spec.replicaRequirements');
  if (req) {
    b.request = quantityMap(ref, req.resourceRequest, 'spec.replicaRequirements.resourceRequest');
    b.rawRequest = { ...((req.resourceRequest as Record<string, string | number> | undefined) ?? {}) };
  }
  if (spec.placement !== undefined && spec.placement !== null) b.placement = readPlacement(obj, spec.placement, 'spec.placement');
  const sn = optString(ref, spec.schedulerName, 'spec.schedulerName');
  if (sn) b.schedulerName = sn;
  const oan = optString(ref, status.schedulerObservedAffinityName, 'status.schedulerObservedAffinityName');
  if (oan) b.observedAffinityName = oan;
  const minAvailable = readAnnotationInt(obj, ANNOTATIONS.minAvailable, 0);
  if (minAvailable !== undefined) b.minAvailable = minAvailable;
  const maxMoves = readAnnotationInt(obj, ANNOTATIONS.maxMoves, 0);
  if (maxMoves !== undefined) b.maxMoves = maxMoves;
  const fd = obj.metadata.annotations[ANNOTATIONS.failureDomain];
  if (fd !== undefined) {
    if (!(FAILURE_DOMAINS as readonly string[]).includes(fd)) {
      throw new KubeObjectError(ref, `metadata.annotations["${ANNOTATIONS.failureDomain}"]`, `is ${JSON.stringify(fd)}, expected one of ${FAILURE_DOMAINS.join(', ')}`);
    }
    b.failureDomain = fd as FailureDomain;
  }
  return b;
}

function readAnnotationInt(obj: KubeObject, key: string, min: number): number | undefined {
  const raw = obj.metadata.annotations[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min) throw new KubeObjectError(refOf(obj), `metadata.annotations["${key}"]`, `is ${JSON.stringify(raw)}, expected an integer >= ${min}`);
  return n;
}

export function bindingKey(b: { object: KubeObject }): string {
  return `${b.object.kind}/${b.object.metadata.namespace ?? ''}/${b.object.metadata.name}`;
}

export { reqInt };
