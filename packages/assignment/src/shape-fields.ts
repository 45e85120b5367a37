import { checkArray, describe, ModelError } from '@emplace/core';

/*
 * Field checks for the compiled models this package owns (schedule, replicas): a model is a
 * plain object, so a hand-built or mutated one (a field deleted, a number where a typed array
 * belongs, a NaN written into a weight) must end in a ModelError naming `model.<field>`, not in
 * a TypeError deep in a solver or an `optimal` result with objective NaN (fuzz findings F3, F6).
 * Core's `checkModelShape` covers the nested placement model; these cover the rest.
 */

type TypedClass = Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
type Rule = 'finite' | 'non-negative' | 'non-negative-or-infinity';

/** The typed array `model[key]` of `length` entries (any length when undefined; absent allowed when `optional`), its values checked by `rule`. */
export function typedField<T extends TypedClass>(model: object, key: string, type: T, length: number | undefined, rule?: Rule, optional = false, at = 'model'): InstanceType<T> | undefined {
  const v = (model as Record<string, unknown>)[key];
  if (v === undefined && optional) return undefined;
  if (!(v instanceof type)) throw new ModelError(`${at}.${key}`, `must be a ${type.name}, got ${describe(v)}`);
  if (length !== undefined && v.length !== length) throw new ModelError(`${at}.${key}`, `must have ${length} entries, got ${v.length}`);
  if (rule !== undefined) checkArray(v, (i) => `${at}.${key}[${i}]`, rule);
  return v as InstanceType<T>;
}

/** The number `model[key]`, checked by `rule`. */
export function numberField(model: object, key: string, rule: Rule, at = 'model'): number {
  const v = (model as Record<string, unknown>)[key];
  if (typeof v !== 'number') throw new ModelError(`${at}.${key}`, `must be a number, got ${describe(v)}`);
  checkArray([v], () => `${at}.${key}`, rule);
  return v;
}

/** Every entry lies in [min, max). */
export function indexRange(values: ArrayLike<number>, field: string, min: number, max: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min || v >= max) throw new ModelError(`${field}[${i}]`, `must be in [${min}, ${max}), got ${v}`);
  }
}

/** `model[key]` is an array of `length` entries. */
export function arrayField(model: object, key: string, length: number | undefined): readonly unknown[] {
  const v = (model as Record<string, unknown>)[key];
  if (!Array.isArray(v)) throw new ModelError(`model.${key}`, `must be an array, got ${describe(v)}`);
  if (length !== undefined && v.length !== length) throw new ModelError(`model.${key}`, `must have ${length} entries, got ${v.length}`);
  return v;
}

/** An optional integer option is a safe integer >= min (`options.<name>`). */
export function integerOption(options: object, name: string, min: number): void {
  const v = (options as Record<string, unknown>)[name];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new ModelError(`options.${name}`, `must be an integer >= ${min}, got ${describe(v)}`);
}
