import { KubeObjectError, type ObjectRef } from './errors.js';
import { isRecord } from './objects.js';
import { parseQuantity, QuantityError } from './quantity.js';

/**
 * Typed reads of one field of one object. Every reader takes the object's ref and the
 * field's path (as kubectl explain would spell it, with list indexes) so that a wrong
 * value is reported as `Kind ns/name: path is <value>, expected ...`.
 */

function shown(v: unknown): string {
  return v === undefined ? 'missing' : JSON.stringify(v);
}

function bad(ref: ObjectRef, path: string, v: unknown, expected: string): KubeObjectError {
  return new KubeObjectError(ref, path, v === undefined ? `is missing (expected ${expected})` : `is ${shown(v)}, expected ${expected}`);
}

export function child(v: unknown, key: string): unknown {
  return isRecord(v) ? v[key] : undefined;
}

export function optRecord(ref: ObjectRef, v: unknown, path: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw bad(ref, path, v, 'an object');
  return v;
}

export function reqRecord(ref: ObjectRef, v: unknown, path: string): Record<string, unknown> {
  const r = optRecord(ref, v, path);
  if (r === undefined) throw bad(ref, path, undefined, 'an object');
  return r;
}

export function optArray(ref: ObjectRef, v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(ref, path, v, 'a list');
  return v;
}

export function optString(ref: ObjectRef, v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(ref, path, v, 'a string');
  return v;
}

export function reqString(ref: ObjectRef, v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') throw bad(ref, path, v === '' ? undefined : v, 'a non-empty string');
  return v;
}

export function stringList(ref: ObjectRef, v: unknown, path: string): string[] {
  return optArray(ref, v, path).map((x, i) => {
    if (typeof x !== 'string') throw bad(ref, `${path}[${i}]`, x, 'a string');
    return x;
  });
}

export function optInt(ref: ObjectRef, v: unknown, path: string, min = -(2 ** 31), max = 2 ** 31 - 1): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(ref, path, v, 'an integer');
  if (v < min || v > max) throw new KubeObjectError(ref, path, `is ${v}, expected ${max === 2 ** 31 - 1 ? `at least ${min}` : `${min}..${max}`}`);
  return v;
}

export function reqInt(ref: ObjectRef, v: unknown, path: string, min?: number, max?: number): number {
  const n = optInt(ref, v, path, min, max);
  if (n === undefined) throw bad(ref, path, undefined, 'an integer');
  return n;
}

export function optBool(ref: ObjectRef, v: unknown, path: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw bad(ref, path, v, 'true or false');
  return v;
}

export function optEnum<T extends string>(ref: ObjectRef, v: unknown, path: string, values: readonly T[]): T | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw bad(ref, path, v, `one of ${values.join(', ')}`);
  return v as T;
}

export function quantity(ref: ObjectRef, v: unknown, path: string): bigint {
  if (typeof v !== 'string' && typeof v !== 'number') throw bad(ref, path, v, 'a quantity such as 500m or 1Gi');
  try {
    return parseQuantity(v);
  } catch (err) {
    if (err instanceof QuantityError) throw new KubeObjectError(ref, path, `${err.message.startsWith('is') ? '' : 'is '}${err.message}`);
    throw err;
  }
}

/** A ResourceList (`{cpu: 500m, memory: 1Gi}`) as nano-units per resource name. */
export function quantityMap(ref: ObjectRef, v: unknown, path: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const r = optRecord(ref, v, path);
  if (r) for (const [k, x] of Object.entries(r)) out.set(k, quantity(ref, x, `${path}.${k}`));
  return out;
}
