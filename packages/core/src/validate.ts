import { ModelError } from './errors.js';

/**
 * Small input checks shared by every model constructor and solver. Each throws a
 * ModelError whose field names the exact position, e.g. `cost[3][17]`.
 */

export function requireInteger(field: string, value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ModelError(field, `must be an integer, got ${describe(value)}`);
  }
  if (value < min) throw new ModelError(field, `must be at least ${min}, got ${value}`);
  if (value > max) throw new ModelError(field, `must be at most ${max}, got ${value}`);
  return value;
}

export function requireFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ModelError(field, Number.isNaN(value) ? 'is NaN' : `must be a finite number, got ${describe(value)}`);
  }
  return value;
}

export function requireNonNegative(field: string, value: unknown, allowInfinity = false): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ModelError(field, typeof value === 'number' ? 'is NaN' : `must be a number, got ${describe(value)}`);
  }
  if (!allowInfinity && !Number.isFinite(value)) throw new ModelError(field, `must be finite, got ${value}`);
  if (value < 0) throw new ModelError(field, `is negative (${value})`);
  return value;
}

/** Checks every entry of a flat array; `name(i)` renders the field of entry i. */
export function checkArray(
  values: ArrayLike<number>,
  name: (i: number) => string,
  rule: 'finite' | 'non-negative' | 'non-negative-or-infinity',
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (rule === 'finite') {
      if (!Number.isFinite(v)) requireFinite(name(i), v);
    } else if (!(v >= 0) || (rule === 'non-negative' && v === Infinity)) {
      requireNonNegative(name(i), v, rule === 'non-negative-or-infinity');
    }
  }
}

/** Copies an array-like of numbers into a new Float64Array of the expected length. */
export function toFloat64(field: string, values: ArrayLike<number>, length: number): Float64Array {
  if (values.length !== length) {
    throw new ModelError(field, `must have ${length} entries, got ${values.length}`);
  }
  // A Float64Array holds numbers only: one copy, not a checked loop over a million entries
  // (41 ms for the 1.3M costs of a scenario UFL equivalent, in one stretch; issue 13).
  if (values instanceof Float64Array) return values.slice();
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw new ModelError(`${field}[${i}]`, `must be a number, got ${describe(v)}`);
    out[i] = v;
  }
  return out;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Ids must be unique non-empty strings; returns a map id -> index. */
export function indexIds(field: string, ids: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (typeof id !== 'string' || id.length === 0) throw new ModelError(`${field}[${i}]`, `must be a non-empty string, got ${describe(id)}`);
    if (map.has(id)) throw new ModelError(`${field}[${i}]`, `duplicates id ${JSON.stringify(id)} (also at index ${map.get(id)})`);
    map.set(id, i);
  }
  return map;
}
