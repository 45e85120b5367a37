import { ModelError, UnknownMethodError } from './errors.js';
import type { OptionInfo } from './method-table.js';
import type { SolveOptions } from './options.js';
import type { Result } from './result.js';

/**
 * The method registry: every solver family registers its methods under
 * `family:method` (e.g. `ufl:local-search`), plus optionally `family:auto`. Then
 * `solve(model, { method: 'ufl:lagrangian' })` or `solve(model, { method: 'ufl' })`
 * (the family's auto) dispatches to it, after checking that the model is of the kind
 * the method takes.
 */
export interface SolverEntry {
  family: string;
  method: string;
  /** `kind` of the model the method takes: 'placement', 'graph', 'game', 'market', or a family's own. */
  modelKind: string;
  /** One line for listings. */
  description: string;
  /** One line: what the method promises (exact, 2-approximation, heuristic...). */
  guarantee: string;
  /** The options the method reads beyond SolveOptions (from its method table). */
  options?: readonly OptionInfo[] | undefined;
  solve: (model: unknown, options: SolveOptions & Record<string, unknown>) => Result<unknown> | Promise<Result<unknown>>;
}

const entries = new Map<string, SolverEntry>();

export function registerSolver(entry: SolverEntry): void {
  entries.set(`${entry.family}:${entry.method}`, entry);
}

/** Registered methods, optionally of one family, sorted by name. */
export function listSolvers(family?: string): SolverEntry[] {
  return [...entries.values()]
    .filter((e) => family === undefined || e.family === family)
    .sort((a, b) => `${a.family}:${a.method}`.localeCompare(`${b.family}:${b.method}`));
}

/** The families that have at least one registered method. */
export function listFamilies(): string[] {
  return [...new Set([...entries.values()].map((e) => e.family))].sort();
}

/** Finds the entry for `family:method`, or the family's `auto` when only the family is given. */
export function findSolver(name: string): SolverEntry {
  const key = name.includes(':') ? name : `${name}:auto`;
  const entry = entries.get(key);
  if (!entry) {
    const family = key.split(':')[0]!;
    const known = listSolvers(family).map((e) => e.method);
    throw new UnknownMethodError(
      known.length > 0
        ? `unknown method ${JSON.stringify(name)}; ${family} has: ${known.join(', ')}`
        : `unknown solver family ${JSON.stringify(family)}; registered: ${listFamilies().join(', ') || '(none: import a solver package first)'}`,
    );
  }
  return entry;
}

/**
 * Solves a model with a registered method. `options.method` is required here: there is
 * no global guess of the problem from the model alone (one PlacementModel is a UFL,
 * a p-median and a k-center instance at once).
 */
export async function solve<S = unknown>(
  model: { readonly kind: string },
  options: SolveOptions & Record<string, unknown>,
): Promise<Result<S>> {
  if (!options || typeof options.method !== 'string') {
    throw new ModelError('options.method', 'is required: a registered "family" or "family:method", e.g. "ufl" or "kcenter:gonzalez"');
  }
  const entry = findSolver(options.method);
  if (!model || model.kind !== entry.modelKind) {
    throw new UnknownMethodError(`${entry.family}:${entry.method} takes a ${entry.modelKind} model, got ${model ? `a ${String(model.kind)} model` : String(model)}`);
  }
  const { method: _drop, ...rest } = options;
  return (await entry.solve(model, rest)) as Result<S>;
}
