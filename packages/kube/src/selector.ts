import { KubeObjectError, type ObjectRef } from './errors.js';
import { child, optArray, optEnum, optRecord, optString, stringList } from './fields.js';

/**
 * Label selectors (metav1.LabelSelector), Karmada field selectors, and taint/toleration
 * matching, with the semantics of apimachinery and Karmada's filter plugins.
 */

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export interface Requirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

/** A parsed label selector. Absent (`undefined` where it is used) and empty differ: empty matches everything. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: Requirement[];
}

function requirement(ref: ObjectRef, v: unknown, path: string, ops: readonly SelectorOperator[] = OPERATORS): Requirement {
  const r = optRecord(ref, v, path) ?? {};
  const key = optString(ref, r.key, `${path}.key`);
  if (!key) throw new KubeObjectError(ref, `${path}.key`, 'is missing');
  const operator = optEnum(ref, r.operator, `${path}.operator`, ops);
  if (!operator) throw new KubeObjectError(ref, `${path}.operator`, `is missing (expected one of ${ops.join(', ')})`);
  const values = stringList(ref, r.values, `${path}.values`);
  // The API server refuses these combinations (LabelSelectorAsSelector fails on them).
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) throw new KubeObjectError(ref, `${path}.values`, `must be non-empty for operator ${operator}`);
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) throw new KubeObjectError(ref, `${path}.values`, `must be empty for operator ${operator}`);
  return { key, operator, values };
}

export function readLabelSelector(ref: ObjectRef, v: unknown, path: string): LabelSelector | undefined {
  const r = optRecord(ref, v, path);
  if (r === undefined) return undefined;
  const labels = optRecord(ref, r.matchLabels, `${path}.matchLabels`) ?? {};
  const matchLabels: Record<string, string> = {};
  for (const [k, x] of Object.entries(labels)) {
    if (typeof x !== 'string') throw new KubeObjectError(ref, `${path}.matchLabels.${k}`, `is ${JSON.stringify(x)}, expected a string`);
    matchLabels[k] = x;
  }
  const matchExpressions = optArray(ref, r.matchExpressions, `${path}.matchExpressions`).map((e, i) => requirement(ref, e, `${path}.matchExpressions[${i}]`));
  return { matchLabels, matchExpressions };
}

/** Reads only `matchExpressions` (OCM claim selectors, Karmada field selectors). */
export function readRequirements(ref: ObjectRef, v: unknown, path: string): Requirement[] {
  return optArray(ref, child(optRecord(ref, v, path), 'matchExpressions'), `${path}.matchExpressions`).map((e, i) => requirement(ref, e, `${path}.matchExpressions[${i}]`));
}

export function requirementMatches(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In':
      return has && req.values.includes(labels[req.key]!);
    case 'NotIn':
      // apimachinery: a missing label satisfies NotIn.
      return !has || !req.values.includes(labels[req.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function selectorMatches(sel: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  return sel.matchExpressions.every((r) => requirementMatches(r, labels));
}

/** Karmada's field selector keys: provider and region match the cluster's spec fields, zone its zones. */
export type ClusterField = 'provider' | 'region' | 'zone';
export const CLUSTER_FIELDS: readonly ClusterField[] = ['provider', 'region', 'zone'];

export function readFieldSelector(ref: ObjectRef, v: unknown, path: string): Requirement[] | undefined {
  const r = optRecord(ref, v, path);
  if (r === undefined) return undefined;
  const reqs = readRequirements(ref, r, path);
  reqs.forEach((q, i) => {
    if (!(CLUSTER_FIELDS as readonly string[]).includes(q.key)) throw new KubeObjectError(ref, `${path}.matchExpressions[${i}].key`, `is ${JSON.stringify(q.key)}, expected one of ${CLUSTER_FIELDS.join(', ')}`);
  });
  return reqs;
}

/**
 * Karmada's field matching: `zone` against the cluster's zones (In: any overlap, NotIn: no
 * overlap, Exists: some zone, DoesNotExist: none); provider and region as labels whose
 * key is absent when the field is empty.
 */
export function fieldSelectorMatches(reqs: readonly Requirement[], fields: { provider?: string; region?: string; zones: readonly string[] }): boolean {
  const others: Record<string, string> = {};
  if (fields.provider) others.provider = fields.provider;
  if (fields.region) others.region = fields.region;
  for (const r of reqs) {
    if (r.key === 'zone') {
      const z = fields.zones;
      const ok =
        r.operator === 'In' ? z.some((x) => r.values.includes(x)) : r.operator === 'NotIn' ? !z.some((x) => r.values.includes(x)) : r.operator === 'Exists' ? z.length > 0 : z.length === 0;
      if (!ok) return false;
    } else if (!requirementMatches(r, others)) return false;
  }
  return true;
}

export interface Taint {
  key: string;
  value: string;
  effect: string;
}

export interface Toleration {
  key: string;
  operator: 'Exists' | 'Equal';
  value: string;
  effect: string;
}

export function readTaints(ref: ObjectRef, v: unknown, path: string, effects: readonly string[]): Taint[] {
  return optArray(ref, v, path).map((t, i) => {
    const p = `${path}[${i}]`;
    const r = optRecord(ref, t, p) ?? {};
    const key = optString(ref, r.key, `${p}.key`);
    if (!key) throw new KubeObjectError(ref, `${p}.key`, 'is missing');
    const effect = optEnum(ref, r.effect, `${p}.effect`, effects);
    if (!effect) throw new KubeObjectError(ref, `${p}.effect`, `is missing (expected one of ${effects.join(', ')})`);
    return { key, value: optString(ref, r.value, `${p}.value`) ?? '', effect };
  });
}

export function readTolerations(ref: ObjectRef, v: unknown, path: string, effects: readonly string[]): Toleration[] {
  return optArray(ref, v, path).map((t, i) => {
    const p = `${path}[${i}]`;
    const r = optRecord(ref, t, p) ?? {};
    const operator = optEnum(ref, r.operator, `${p}.operator`, ['Exists', 'Equal'] as const) ?? 'Equal';
    const value = optString(ref, r.value, `${p}.value`) ?? '';
    const key = optString(ref, r.key, `${p}.key`) ?? '';
    if (operator === 'Exists' && value !== '') throw new KubeObjectError(ref, `${p}.value`, 'must be empty when operator is Exists');
    if (key === '' && operator !== 'Exists') throw new KubeObjectError(ref, `${p}.operator`, 'must be Exists when key is empty');
    return { key, operator, value, effect: optEnum(ref, r.effect, `${p}.effect`, effects) ?? '' };
  });
}

/** corev1 ToleratesTaint: an empty effect or key in the toleration matches any; Exists ignores the value. */
export function tolerates(tol: Toleration, taint: Taint): boolean {
  if (tol.effect !== '' && tol.effect !== taint.effect) return false;
  if (tol.key !== '' && tol.key !== taint.key) return false;
  return tol.operator === 'Exists' || tol.value === taint.value;
}

/** The first taint with one of `effects` that no toleration tolerates, if any. */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly string[]): Taint | undefined {
  return taints.find((t) => effects.includes(t.effect) && !tolerations.some((tol) => tolerates(tol, t)));
}

export function describeRequirement(r: Requirement): string {
  return r.operator === 'Exists' || r.operator === 'DoesNotExist' ? `${r.operator === 'DoesNotExist' ? '!' : ''}${r.key}` : `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`;
}
