import type { ProgressEvent, Result, SolveOptions } from '@emplace/core';

/** Parsed command-line options shared by every family (`emplace solve <family> <file> ...`). */
export interface CliArgs {
  format?: string;
  method?: string;
  timeLimitMs?: number;
  seed?: number;
  /** Fills files whose capacities are given separately (OR-Library capa/capb/capc). */
  capacity?: number;
  /** Overrides p / k. */
  k?: number;
  /** k-center with outliers: number of clients that may be ignored. */
  outliers?: number;
  json: boolean;
  /**
   * The family's own options given on the command line (`--sense max` -> `{ sense: 'max' }`,
   * a boolean flag -> `true`), already checked against `CliFamily.options`: values are the
   * strings as typed (numbers validated), so `Number(extra.roots)` is safe.
   */
  extra: Readonly<Record<string, string | boolean>>;
  /** Fired by SIGINT / SIGTERM: pass it to the solver (`solveOptions(args)` does) so it returns its incumbent. */
  signal?: AbortSignal;
  /** Progress of the running solve (drives the CLI's progress line on a terminal). */
  onProgress?: (event: ProgressEvent) => void;
}

/** The options every solver takes, from the command line: time limit, seed, abort signal, progress. */
export function solveOptions(args: CliArgs): Pick<SolveOptions, 'timeLimitMs' | 'seed' | 'signal' | 'onProgress'> {
  return {
    ...(args.timeLimitMs !== undefined ? { timeLimitMs: args.timeLimitMs } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.signal !== undefined ? { signal: args.signal } : {}),
    ...(args.onProgress !== undefined ? { onProgress: args.onProgress } : {}),
  };
}

/**
 * An option of one family (`emplace solve <family> ... --<name> <value>`). Options common to
 * every family (`--format`, `--method`, `--time-limit`, `--seed`, `--json`) are not declared.
 */
export interface CliOption {
  /** Name without the dashes: `sense` for `--sense`. `k`, `capacity` and `outliers` fill `CliArgs.k/capacity/outliers`. */
  name: string;
  /** `boolean` options are flags (`--directed`); the others take a value (`--k 5` or `--k=5`). */
  type: 'string' | 'number' | 'integer' | 'boolean';
  /** One line for `emplace help <family>`. */
  description: string;
  /** Accepted values of a string option (`['min', 'max']`). */
  choices?: readonly string[];
  /** Smallest accepted value of a number / integer option. */
  min?: number;
  /** Largest accepted value of a number / integer option. */
  max?: number;
  /** Placeholder in help: `--source <node>`; default from the type or the choices. */
  value?: string;
  /** The command line must give it. */
  required?: boolean;
}

/** `--k N`: overrides p / k of the file. */
export const K_OPTION: CliOption = { name: 'k', type: 'integer', min: 0, description: 'number of sites to open (overrides p / k of the file)' };
/** `--capacity N`: for OR-Library capa/capb/capc files, which leave the capacity to the caller. */
export const CAPACITY_OPTION: CliOption = { name: 'capacity', type: 'number', min: 0, description: 'site capacity for files that leave it to the caller (OR-Library capa/capb/capc)' };

/** One problem read from an input file (a file may hold several, e.g. OR-Library GAP). */
export interface CliProblem {
  /** Instance name shown in tables and JSON (`gap1-3`, `cap41`, `b01`...). */
  instance: string;
  model: unknown;
  /** Family-specific parameters read from the file (p, k, sense...). */
  params?: Readonly<Record<string, unknown>>;
}

/**
 * A solver family as the CLI sees it. Each family package's owner writes one of these
 * in `src/families/<family>.ts`; `src/families/index.ts` lists them.
 */
export interface CliFamily {
  name: string;
  /** One line for `emplace --help`. */
  description: string;
  /** Input formats accepted (names of @emplace/io readers); the first is the default. */
  formats: readonly string[];
  /** Methods accepted by `--method` (first = default). */
  methods: readonly string[];
  /**
   * The family's own options, listed by `emplace help <family>`; any other option is refused
   * with a one-line error (and a suggestion when it looks misspelled). Leaving it undefined
   * keeps the old lenient parsing (every `--name value` lands in `args.extra`): declare it.
   */
  options?: readonly CliOption[];
  load(path: string, args: CliArgs): Promise<CliProblem[]>;
  solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>>;
  /** Extra fields for the JSON line and the human table (e.g. `open: 5`, `radius: 127`). */
  describe?(problem: CliProblem, result: Result<unknown>): Record<string, string | number | boolean | null>;
}
