import { kebabCase, type MethodTableInfo, type OptionInfo, type Result, type SolverEntry } from '@emplace/core';
import { solveOptions, type CliArgs, type CliFamily, type CliOption, type CliProblem } from '../family.js';
import { CliUsageError } from '../usage-error.js';

/*
 * A CLI family driven by its packages' method tables (@emplace/core defineMethods): the
 * `--method` list, the method options (flags, types, defaults, help lines) and the dispatch
 * all come from the tables, so a method added to a table appears here with no CLI edit.
 * The family itself only says how to read its files and what to show of a result.
 */

/** One `--method` value: a method of a table, under its table name unless renamed. */
export interface CliMethod {
  name: string;
  table: MethodTableInfo;
  entry: SolverEntry;
}

/** The methods of `table` as `--method` values: all of them, or those in `only`; `rename` gives CLI names. */
export function methodsOf(table: MethodTableInfo, pick: { only?: readonly string[]; rename?: Readonly<Record<string, string>> } = {}): CliMethod[] {
  return table
    .entries()
    .filter((entry) => pick.only === undefined || pick.only.includes(entry.method))
    .map((entry) => ({ name: pick.rename?.[entry.method] ?? entry.method, table, entry }));
}

export interface TableFamilySpec {
  name: string;
  /** One line for `emplace --help`. */
  description: string;
  /** Input formats (first = default). */
  formats: readonly string[];
  /** The `--method` values, from the tables (methodsOf); `auto` (else the first) is the default. */
  methods: readonly CliMethod[];
  /** Options of reading the file (`--capacity`, `--component`, `--sense`), not of the methods; a table option of the same name yields to them. */
  inputOptions?: readonly CliOption[];
  /** Table options the file may give (p of a pmed file): required by the method, but not on the command line. */
  fromFile?: readonly string[];
  /** Table options not offered as flags (set through an input option, e.g. `--uncapacitated` for capacitated). */
  hidden?: readonly string[];
  load(path: string, args: CliArgs): Promise<CliProblem[]>;
  /** Method options from the problem and the input options (the file's p, the game's denominator); the command line's method options win. */
  problemOptions?(problem: CliProblem, args: CliArgs): Readonly<Record<string, unknown>>;
  /** The model the methods take, when the problem holds more (default: problem.model). */
  model?(problem: CliProblem): unknown;
  describe?: CliFamily['describe'];
  /** Runs the chosen method on the checked options (default: its registry entry on `model(problem)`); for input only the file has, e.g. a scenario generator. */
  run?(method: CliMethod, problem: CliProblem, options: Readonly<Record<string, unknown>>): Promise<Result<unknown>> | Result<unknown>;
}

/** A table option as the command line offers it: its flag and the CLI methods that read it. */
interface Flag {
  flag: string;
  option: OptionInfo;
  users: string[];
}

function flagOf(option: OptionInfo): string {
  return option.flag ?? kebabCase(option.name);
}

function usedBy(option: OptionInfo, method: CliMethod): boolean {
  return option.methods === undefined || option.methods.includes(method.entry.method);
}

/** The table options of the family's methods, one per flag, with the methods that read each. */
function tableFlags(spec: TableFamilySpec): Flag[] {
  const shadowed = new Set([...(spec.inputOptions ?? []).map((o) => o.name), ...(spec.hidden ?? []).map(kebabCase)]);
  const flags = new Map<string, Flag>();
  for (const method of spec.methods) {
    for (const option of method.table.options) {
      const flag = flagOf(option);
      if (shadowed.has(flag) || !usedBy(option, method)) continue;
      const known = flags.get(flag) ?? { flag, option, users: [] };
      known.users.push(method.name);
      flags.set(flag, known);
    }
  }
  return [...flags.values()];
}

function cliOption(f: Flag, spec: TableFamilySpec): CliOption {
  const o = f.option;
  const everyMethod = f.users.length === spec.methods.length;
  const fromFile = (spec.fromFile ?? []).includes(o.name);
  const notes = [
    fromFile ? "default: the file's, when it gives one" : o.default !== undefined ? `default ${String(o.default)}` : '',
    everyMethod ? '' : `--method ${f.users.join('|')}`,
  ].filter(Boolean);
  const required = o.required === true && everyMethod && !fromFile;
  return {
    name: f.flag,
    type: o.type === 'list' ? 'string' : o.type,
    description: notes.length > 0 ? `${o.description} (${notes.join('; ')})` : o.description,
    ...(o.choices !== undefined && o.type !== 'list' ? { choices: o.choices } : {}),
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.value !== undefined ? { value: o.value } : o.type === 'list' && o.choices ? { value: o.choices.join(',') } : {}),
    ...(required ? { required } : {}),
  };
}

/** The raw command-line value of a flag (`--k`, `--outliers` and `--capacity` are parsed into CliArgs fields). */
function rawValue(args: CliArgs, flag: string): string | boolean | number | undefined {
  if (flag === 'k') return args.k;
  if (flag === 'outliers') return args.outliers;
  if (flag === 'capacity') return args.capacity;
  return args.extra[flag];
}

/** A flag's value in the option's type (args.ts has checked numbers, integers and choices). */
function typedValue(f: Flag, raw: string | boolean | number): unknown {
  const o = f.option;
  switch (o.type) {
    case 'boolean':
      return raw === true || raw === 'true';
    case 'number':
    case 'integer':
      return Number(raw);
    case 'list':
      return String(raw)
        .split(',')
        .map((s, k) => {
          const v = s.trim();
          if (o.choices !== undefined && !o.choices.includes(v)) throw new CliUsageError(`--${f.flag}[${k}] must be one of ${o.choices.join(', ')}, got ${JSON.stringify(v)}`);
          return v;
        });
    case 'string':
      return String(raw);
  }
}

/** The CliFamily of a spec: methods and method options from the tables, dispatch through their registry entries. */
export function tableFamily(spec: TableFamilySpec): CliFamily {
  const flags = tableFlags(spec);
  const methods = spec.methods.map((m) => m.name);
  // `auto` is the default (listed first); a family without one runs its first method.
  const fallback = methods.includes('auto') ? 'auto' : methods[0];
  if (fallback === undefined) throw new Error(`CLI family ${spec.name} has no method`);
  return {
    name: spec.name,
    description: spec.description,
    formats: spec.formats,
    methods: [fallback, ...methods.filter((m) => m !== fallback)],
    options: [...(spec.inputOptions ?? []), ...flags.map((f) => cliOption(f, spec))],
    load: spec.load,
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const name = args.method === undefined || (args.method === 'auto' && fallback !== 'auto') ? fallback : args.method;
      const method = spec.methods.find((m) => m.name === name);
      if (method === undefined) throw new CliUsageError(`unknown method ${JSON.stringify(name)} for ${spec.name}; methods: ${methods.join(', ')}`);
      const given: Record<string, unknown> = {};
      for (const f of flags) {
        const raw = rawValue(args, f.flag);
        if (raw === undefined) continue;
        if (!f.users.includes(name)) throw new CliUsageError(`--${f.flag} applies to --method ${f.users.join('|')} only`);
        given[f.option.name] = typedValue(f, raw);
      }
      const options: Record<string, unknown> = { ...solveOptions(args), ...spec.problemOptions?.(problem, args), ...given };
      for (const o of method.table.options) {
        if (o.required && usedBy(o, method) && options[o.name] === undefined) {
          throw new CliUsageError(`${spec.name} needs --${flagOf(o)}${o.value ? ` ${o.value}` : ''} for ${problem.instance} (${o.description})`);
        }
      }
      if (spec.run) return await spec.run(method, problem, options);
      return await method.entry.solve(spec.model ? spec.model(problem) : problem.model, options);
    },
    ...(spec.describe !== undefined ? { describe: spec.describe } : {}),
  };
}
