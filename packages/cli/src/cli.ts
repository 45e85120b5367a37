import { EmplaceError, hasSolution, listSolvers } from '@emplace/core';
import { convertInstance, listFormats, readInstanceFile } from '@emplace/io';
import { writeFile } from 'node:fs/promises';
import { parseCommandLine } from './args.js';
import { CliUsageError } from './usage-error.js';
import { runKubeCommand } from './kube-command.js';
import type { CliFamily } from './family.js';
import { allFamilies } from './families/index.js';
import { formatTable, formatValue, jsonReplacer, resultRecord } from './output.js';

export interface CliStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit codes: 0 every problem got a solution, 1 bad input or usage, 2 a problem has no solution (infeasible, unbounded, limit hit first). */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_NO_SOLUTION = 2;

const USAGE = `emplace: optimization solvers for global placement and allocation

Usage:
  emplace solve <family> <file> [--format F] [--method M] [--time-limit S] [--seed N]
                                [--capacity N] [--k N] [--outliers Z] [--json]
  emplace convert <in> <out> --to F [--format F] [--capacity N]
                             convert an instance between formats (out '-' = stdout)
  emplace formats            list the input formats and their readers
  emplace methods [family]   list the registered solver methods and their guarantees
  emplace --help             this text

Options:
  --format F       input format (default: detected from the file name and content)
  --method M       solver method of the family (default: auto)
  --time-limit S   wall-clock limit in seconds; the best solution so far is returned
  --seed N         seed of every random choice (same seed, same answer)
  --capacity N     capacity for files that leave it to the caller (OR-Library capa/capb/capc)
  --k N            overrides p / k given in the file
  --outliers Z     k-center: number of clients that may be left out
  --json           one JSON line per problem on stdout (instance, status, objective, bound, ...)

Exit code: 0 when every problem got a solution, 1 on bad input (one-line reason on stderr),
2 when a problem has no solution (proven infeasible, or the limit came first).`;

function familyHelp(): string {
  const rows = allFamilies.map((f) => ({ family: f.name, formats: f.formats.join(', '), methods: f.methods.join(', '), description: f.description }));
  return rows.length > 0 ? `\n\nFamilies:\n${formatTable(rows)}` : '\n\nFamilies: (none registered)';
}

/** Runs the command line; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  try {
    // `emplace kube ...` parses its own options (kube-command.ts).
    if (argv[0] === 'kube') return await runKubeCommand(argv.slice(1), streams);
    const { positional, args, help } = parseCommandLine(argv);
    const command = positional[0];
    if (help || command === undefined || command === 'help') {
      streams.stdout(USAGE + familyHelp() + '\n');
      return command === undefined && !help ? EXIT_BAD_INPUT : EXIT_OK;
    }
    if (command === 'formats') {
      const rows = listFormats().map((f) => ({ format: f.name, extensions: f.extensions.join(' '), kind: f.kind, description: f.description }));
      streams.stdout(args.json ? rows.map((r) => JSON.stringify(r)).join('\n') + '\n' : formatTable(rows) + '\n');
      return EXIT_OK;
    }
    if (command === 'methods') {
      const rows = listSolvers(positional[1]).map((s) => ({ method: `${s.family}:${s.method}`, model: s.modelKind, guarantee: s.guarantee, description: s.description }));
      streams.stdout(args.json ? rows.map((r) => JSON.stringify(r)).join('\n') + '\n' : formatTable(rows) + '\n');
      return EXIT_OK;
    }
    if (command === 'convert') {
      const [, input, output] = positional;
      const to = args.extra.to;
      if (!input || !output) throw new CliUsageError('convert needs an input and an output file, e.g. `emplace convert b01.stp b01.json --to emplace-json`');
      if (typeof to !== 'string') throw new CliUsageError('convert needs --to <format> (see `emplace formats`)');
      const data = await readInstanceFile(input, { ...(args.format !== undefined ? { format: args.format } : {}), ...(args.capacity !== undefined ? { capacity: args.capacity } : {}) });
      const text = convertInstance(data, to);
      if (output === '-') streams.stdout(text.endsWith('\n') ? text : text + '\n');
      else await writeFile(output, text);
      return EXIT_OK;
    }
    if (command !== 'solve') throw new CliUsageError(`unknown command ${JSON.stringify(command)} (try: solve, convert, formats, methods, --help)`);
    const familyName = positional[1];
    const file = positional[2];
    if (!familyName) throw new CliUsageError('solve needs a family and a file, e.g. `emplace solve cfl cap41.txt`');
    const family = findFamily(familyName);
    if (!file) throw new CliUsageError(`solve ${familyName} needs an input file`);
    if (positional.length > 3) throw new CliUsageError(`unexpected argument ${JSON.stringify(positional[3])}`);
    if (args.method !== undefined && args.method !== 'auto' && !family.methods.includes(args.method)) {
      throw new CliUsageError(`unknown method ${JSON.stringify(args.method)} for ${family.name}; methods: ${family.methods.join(', ')}`);
    }
    if (args.format !== undefined && !family.formats.includes(args.format)) {
      throw new CliUsageError(`${family.name} does not read format ${JSON.stringify(args.format)}; formats: ${family.formats.join(', ')}`);
    }
    const problems = await family.load(file, args);
    let exit = EXIT_OK;
    const rows: Record<string, string>[] = [];
    for (const problem of problems) {
      const result = await family.solve(problem, args);
      const extra = family.describe ? family.describe(problem, result) : {};
      if (!hasSolution(result)) exit = EXIT_NO_SOLUTION;
      if (args.json) {
        streams.stdout(JSON.stringify(resultRecord(problem.instance, family.name, result, extra), jsonReplacer) + '\n');
      } else {
        rows.push({
          instance: problem.instance,
          status: result.status,
          objective: formatValue(result.objective),
          bound: formatValue(result.bound),
          'gap %': result.gap === undefined ? '' : (100 * result.gap).toFixed(4),
          'time ms': result.stats.elapsedMs.toFixed(1),
          method: result.stats.method,
          ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, formatValue(v)])),
        });
      }
    }
    if (!args.json) streams.stdout(formatTable(rows) + '\n');
    return exit;
  } catch (err) {
    streams.stderr(`emplace: ${oneLine(err)}\n`);
    return EXIT_BAD_INPUT;
  }
}


function findFamily(name: string): CliFamily {
  const family = allFamilies.find((f) => f.name === name);
  if (!family) {
    const known = allFamilies.map((f) => f.name);
    throw new CliUsageError(`unknown family ${JSON.stringify(name)}; families: ${known.length > 0 ? known.join(', ') : '(none yet)'}`);
  }
  return family;
}

/** One line a person can act on: the error's own message, or what the system said of a file. */
function oneLine(err: unknown): string {
  if (err instanceof EmplaceError || err instanceof CliUsageError) return err.message.split('\n')[0]!;
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    if (e.code === 'ENOENT') return `cannot read ${e.path ?? 'file'}: no such file`;
    if (e.code === 'EISDIR') return `cannot read ${e.path ?? 'file'}: it is a directory`;
    if (e.code === 'EACCES') return `cannot read ${e.path ?? 'file'}: permission denied`;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return `internal error: ${msg.split('\n')[0]}`;
}
