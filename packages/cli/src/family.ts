import type { Result } from '@emplace/core';

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
  /** Any other `--name value` / `--flag` given on the command line. */
  extra: Readonly<Record<string, string | boolean>>;
}

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
  load(path: string, args: CliArgs): Promise<CliProblem[]>;
  solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>>;
  /** Extra fields for the JSON line and the human table (e.g. `open: 5`, `radius: 127`). */
  describe?(problem: CliProblem, result: Result<unknown>): Record<string, string | number | boolean | null>;
}
