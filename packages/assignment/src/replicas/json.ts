import { readJsonDocuments } from '@emplace/core';
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
      rec['clusters'] = (rec['clusters'] as unknown[]).map((c) => {
        if (c === null || typeof c !== 'object') return c;
        const cl = { ...(c as Record<string, unknown>) };
        const free = cl['free'];
        if (free !== null && typeof free === 'object') {
          cl['free'] = Object.fromEntries(Object.entries(free as Record<string, unknown>).map(([d, v]) => [d, v === null ? Infinity : v]));
        }
        return cl;
      });
    }
    return { name: itemName, model: createReplicaModel(rec as unknown as ReplicaInput) };
  });
}

/** The JSON text of an input (Infinity written as null), readable by `readReplicaJson`. */
export function writeReplicaJson(input: ReplicaInput, name?: string): string {
  const doc = { kind: 'replicas', ...(name !== undefined ? { name } : {}), ...input };
  return JSON.stringify(doc, (_k, v: unknown) => (v === Infinity ? null : v), 2);
}
