import { FormatError } from '@emplace/core';
import { createReplicaModel, type ReplicaInput, type ReplicaModel } from './model.js';

/**
 * The emplace JSON replica-placement format (docs/replicas-format.md): one document
 * `{"kind": "replicas", "name"?, "dimensions", "clusters", "workloads", ...}` whose fields are
 * those of `ReplicaInput`, or an array of them. JSON has no Infinity: a free capacity of
 * `null` (or a missing dimension) is unlimited.
 */
export function readReplicaJson(text: string, name = 'replicas'): { name: string; model: ReplicaModel }[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`not valid JSON: ${(err as Error).message}`, {}, { cause: err });
  }
  const items = Array.isArray(doc) ? doc : [doc];
  return items.map((item, k) => {
    const where = Array.isArray(doc) ? `[${k}]` : 'document';
    if (item === null || typeof item !== 'object') throw new FormatError(`${where} must be an object`);
    const rec = { ...(item as Record<string, unknown>) };
    if (rec['kind'] !== undefined && rec['kind'] !== 'replicas') throw new FormatError(`${where}.kind must be "replicas", got ${JSON.stringify(rec['kind'])}`);
    const itemName = typeof rec['name'] === 'string' ? rec['name'] : items.length > 1 ? `${name}-${k + 1}` : name;
    delete rec['kind'];
    delete rec['name'];
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
