import { ModelError, UnknownMethodError } from './errors.js';
import { checkModelShapeSteps, withShapeChecked } from './model-shape.js';
import type { SolveOptions } from './options.js';
import { registerSolver, type SolverEntry } from './registry.js';
import { validateOptions } from './run.js';
import type { Result } from './result.js';
import { yieldToEventLoop } from './yield.js';

/**
 * checkModelShape giving the event loop a turn every ~8 ms of scanning (a million-edge graph's
 * scan is 30-40 ms of cold code), and once at the end when it took a few milliseconds: the scan
 * and the solver's first stretch before its first checkpoint would otherwise be one stretch of
 * the caller's event loop (issue 13).
 */
async function checkShapeThenYield(model: unknown): Promise<void> {
  let t = performance.now();
  const steps = checkModelShapeSteps(model);
  for (let r = steps.next(); !r.done; r = steps.next()) {
    if (performance.now() - t >= 8) {
      await yieldToEventLoop();
      t = performance.now();
    }
  }
  if (performance.now() - t >= 2) await yieldToEventLoop();
}

/**
 * The method table of a family: the one place a method is declared (name, description,
 * guarantee, the options it reads, its implementation). Everything else is derived from it:
 * the core registry entries (`registerMethods`), the family's uniform entry (`table.solve`),
 * the CLI family's `--method` list and option flags, `emplace methods` and the README's
 * generated "Methods and guarantees" table (scripts/methods-table.mjs).
 */

/** Value type of an option, as the command line parses it (`list`: comma-separated strings, `--objectives cost,latency`). */
export type OptionType = 'string' | 'number' | 'integer' | 'boolean' | 'list';

/** One family option beyond SolveOptions: documented once, read by the CLI and the README. */
export interface OptionInfo {
  /** The solver option's key (`evaluationSamples`); the CLI flag is its kebab-case (`--evaluation-samples`). */
  name: string;
  type: OptionType;
  /** One line: what it does. */
  description: string;
  /** The value the solver uses when the option is absent (documentation only: the solver applies it). */
  default?: string | number | boolean | undefined;
  /** Command-line spelling when it is not the kebab-case of the name (`evaluations` for maxEvaluations). */
  flag?: string | undefined;
  /** Placeholder of the value in help (`--source <node>`); default from the type or the choices. */
  value?: string | undefined;
  /** Accepted values of a string option (of each element of a list). */
  choices?: readonly string[] | undefined;
  /** Smallest accepted value of a number / integer option. */
  min?: number | undefined;
  /** The method cannot run without it. */
  required?: boolean | undefined;
  /** The methods that read it (default: every method of the family); other methods refuse it on the command line. */
  methods?: readonly string[] | undefined;
}

/** An option of the table's options type `O`: its name is a key of `O`. */
export interface OptionSpec<O> extends OptionInfo {
  name: Extract<keyof O, string>;
}

/** One method: its registry name, what it does, what it promises, and its implementation. */
export interface MethodSpec<M, O, S, K extends string = string> {
  method: K;
  /** One line for listings. */
  description: string;
  /** One line: what the result is proven to be (exact, 2-approximation, heuristic with a bound...). */
  guarantee: string;
  solve: (model: M, options: O) => Promise<Result<S>> | Result<S>;
}

/** What every table shares, whatever its model, options and solution types (for listings and documentation). */
export interface MethodTableInfo {
  readonly family: string;
  /** `kind` of the model the methods take. */
  readonly modelKind: string;
  /** One line on the problem the family solves. */
  readonly summary: string;
  readonly methods: readonly Pick<MethodSpec<never, never, unknown>, 'method' | 'description' | 'guarantee'>[];
  readonly options: readonly OptionInfo[];
  /** The registry entries of every method (erased types; the model kind is checked before each call). */
  entries(): SolverEntry[];
}

/** A family's typed table: `solve(model, { method })` dispatches to a method (default `auto`). */
export interface MethodTable<M extends { readonly kind: string }, O extends SolveOptions, S, K extends string = string> extends MethodTableInfo {
  readonly methods: readonly MethodSpec<M, O, S, K>[];
  readonly options: readonly OptionSpec<O>[];
  /** Method names, in table order. */
  readonly names: readonly K[];
  /** The method named `method` (default `auto`), or an UnknownMethodError naming the family's methods. */
  find(method?: string): MethodSpec<M, O, S, K>;
  /** Solves with `options.method` (default `auto`); the method does not see `options.method`. */
  solve(model: M, options?: O & { method?: K | undefined }): Promise<Result<S>>;
}

export interface MethodTableSpec<M, O, S, K extends string> {
  family: string;
  modelKind: string;
  summary: string;
  options?: readonly OptionSpec<O>[];
  methods: readonly MethodSpec<M, O, S, K>[];
}

/**
 * Declares a family's table with its model, options and solution types fixed first and the
 * method names inferred: `defineMethods<PlacementModel, GapOptions, GapSolution>()({...})`.
 */
export function defineMethods<M extends { readonly kind: string }, O extends SolveOptions, S>() {
  return <const K extends string>(spec: MethodTableSpec<M, O, S, K>): MethodTable<M, O, S, K> => createTable(spec);
}

function createTable<M extends { readonly kind: string }, O extends SolveOptions, S, K extends string>(spec: MethodTableSpec<M, O, S, K>): MethodTable<M, O, S, K> {
  const names = spec.methods.map((m) => m.method);
  if (new Set(names).size !== names.length) throw new Error(`${spec.family}: a method is declared twice in ${names.join(', ')}`);
  const options = spec.options ?? [];
  for (const o of options) {
    for (const m of o.methods ?? []) if (!names.includes(m as K)) throw new Error(`${spec.family}: option ${o.name} names unknown method ${m}`);
  }
  const find = (method = 'auto'): MethodSpec<M, O, S, K> => {
    const row = spec.methods.find((m) => m.method === method);
    if (row === undefined) throw new UnknownMethodError(`unknown method ${JSON.stringify(method)}; ${spec.family} has: ${names.join(', ')}`);
    return row;
  };
  const table: MethodTable<M, O, S, K> = {
    family: spec.family,
    modelKind: spec.modelKind,
    summary: spec.summary,
    methods: spec.methods,
    options,
    names,
    find,
    async solve(model, opts) {
      // The uniform entry validates its options like any input: a ModelError naming the field.
      const method: string = opts?.method ?? 'auto';
      if (!(names as readonly string[]).includes(method)) throw new ModelError('options.method', `unknown method ${JSON.stringify(method)}; ${spec.family} has: ${names.join(', ')}`);
      const row = find(method);
      validateOptions(opts ?? {});
      await checkShapeThenYield(model);
      return withShapeChecked(model, () => row.solve(model, { ...(opts ?? ({} as O)), method: undefined }));
    },
    entries() {
      return spec.methods.map((row) => ({
        family: spec.family,
        method: row.method,
        modelKind: spec.modelKind,
        description: row.description,
        guarantee: row.guarantee,
        options: options.filter((o) => o.methods === undefined || o.methods.includes(row.method)),
        solve: async (model: unknown, opts: SolveOptions & Record<string, unknown>) => {
          if (!isModelOf<M>(model, spec.modelKind)) throw new ModelError('model', `${spec.family}:${row.method} takes a ${spec.modelKind} model`);
          // SolveOptions first (signal, callbacks, limits): some methods hand them on before their SolveRun exists.
          validateOptions(opts);
          await checkShapeThenYield(model);
          // The registry's options are untyped by nature (a record from the caller); the method validates what it reads.
          return withShapeChecked(model, () => row.solve(model, { ...(opts as O), method: undefined }));
        },
      }));
    },
  };
  return table;
}

/** The registry checks the kind before it calls a method; this is the one place that turns the checked model into the table's type. */
function isModelOf<M extends { readonly kind: string }>(model: unknown, kind: string): model is M {
  return typeof model === 'object' && model !== null && (model as { kind?: unknown }).kind === kind;
}

/** Registers every method of the tables with the core registry (`solve(model, { method: 'family:method' })`). */
export function registerMethods(...tables: readonly MethodTableInfo[]): void {
  for (const table of tables) for (const entry of table.entries()) registerSolver(entry);
}

/** `evaluationSamples` -> `evaluation-samples`: the command-line spelling of an option. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
