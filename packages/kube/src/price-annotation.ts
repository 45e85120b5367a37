import { ANNOTATIONS, readAnnotationJson } from './annotations.js';
import { KubeObjectError } from './errors.js';
import { optRecord } from './fields.js';
import { refOf, type KubeObject } from './objects.js';

/**
 * The price per resource unit an object's price annotation (ANNOTATIONS.price) gives, a
 * JSON object of finite non-negative numbers (`{"cpu": 0.031, "memory": 0.0042}`), or
 * undefined without the annotation. Read the same way on Karmada Clusters, OCM
 * ManagedClusters and MultiKueueClusters; errors name the object and the key at fault.
 */
export function priceAnnotation(obj: KubeObject): Record<string, number> | undefined {
  const ref = refOf(obj);
  return readAnnotationJson(obj, ANNOTATIONS.price, (v, path) => {
    const r = optRecord(ref, v, path);
    if (!r) throw new KubeObjectError(ref, path, 'is not a JSON object of prices per resource');
    const out: Record<string, number> = {};
    for (const [k, x] of Object.entries(r)) {
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new KubeObjectError(ref, `${path}.${k}`, `is ${JSON.stringify(x)}, expected a non-negative number`);
      out[k] = x;
    }
    return out;
  });
}
