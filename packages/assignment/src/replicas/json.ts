import { ModelError, describe, readJsonDocuments } from '@emplace/core';
import { createReplicaModel, type ReplicaInput, type ReplicaModel } from './model.js';

/**
 * The emplace JSON replica-placement format (docs/replicas-format.md): one document
 * `{"kind": "replicas", "name"?, "dimensions", "clusters", "workloads", ...}` whose fields are
 * those of `ReplicaInput`, or an array of them. JSON has no Infinity: a free capacity of
 * `null` (or a missing dimension) is unlimited.
 */
export function readReplicaJson(text: string, name = 'replicas'): { name: string; model: ReplicaModel }[] {
  return readJsonDocuments(text, 'replicas', name).map(({ name: itemName, fields: rec }) => {
    if (Array.isArray(rec['clusters'])) {
      rec['clusters'] = rec['clusters'].map((c: unknown) => {
        if (c === null || typeof c !== 'object') return c;
        const cl: Record<string, unknown> = { ...c };
        const free = cl['free'];
        if (free !== null && typeof free === 'object') {
          cl['free'] = Object.fromEntries(Object.entries(free).map(([d, v]: [string, unknown]) => [d, v === null ? Infinity : v]));
        }
        return cl;
      });
    }
    assertReplicaInput(rec);
    return { name: itemName, model: createReplicaModel(rec) };
  });
}

/**
 * The fields a ReplicaInput cannot do without, checked at the top level (errors name the
 * field); createReplicaModel checks every entry and names the one at fault.
 */
function assertReplicaInput(rec: Record<string, unknown>): asserts rec is Record<string, unknown> & ReplicaInput {
  for (const field of ['dimensions', 'clusters', 'workloads']) {
    if (!Array.isArray(rec[field])) throw new ModelError(field, `must be an array, got ${describe(rec[field])}`);
  }
}

/** The JSON text of an input (Infinity written as null), readable by `readReplicaJson`. */
export function writeReplicaJson(input: ReplicaInput, name?: string): string {
  const doc = { kind: 'replicas', ...(name !== undefined ? { name } : {}), ...input };
  return JSON.stringify(doc, (_k, v: unknown) => (v === Infinity ? null : v), 2);
}
