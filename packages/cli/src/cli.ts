import { EmplaceError, hasSolution, listSolvers, type ProgressEvent, type Result } from '@emplace/core';
import { convertInstance, listFormats, ReadAbortedError, readInstanceFile } from '@emplace/io';
import { writeFile } from 'node:fs/promises';
import { COMMANDS, parseCommandLine, suggest } from './args.js';
import { clip, cliVersion, familyHelp, familyList, MAX_WIDTH, USAGE } from './help.js';
import { CliUsageError } from './usage-error.js';
import { traceExit } from './exit-trace.js';
import { STOPPED_BEFORE_FIRST_SOLVE } from './signals.js';
import type { CliFamily, CliProblem } from './family.js';
import { loadFamilyModule } from './families/lazy.js';
import { formatTable, formatValue, resultRecord, writeJsonLine } from './output.js';

export interface CliStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit codes: 0 every problem got a solution, 1 bad input or usage, 2 a problem has no solution (infeasible, unbounded, limit hit first). */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_NO_SOLUTION = 2;

export interface RunCliOptions {
  /** Aborts the running solve: the incumbent is printed (`stoppedBy: aborted`) and later problems are skipped. */
  signal?: AbortSignal;
  /** The families to offer (default: every family); tests pass their own. */
  families?: readonly CliFamily[];
  /** Write a progress line to stderr for solves longer than a second (the bin sets it on a terminal without --json). */
  progress?: boolean;
  /**
   * Called once, when the first problem of the file starts solving (the file is read). The bin
   * uses it: a signal before it ends the process at once (exit 2, nothing to print), a signal
   * after it aborts the solve and prints the incumbent.
   */
  onSolveStart?: () => void;
}

/** Runs the command line; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], streams: CliStreams, options: RunCliOptions = {}): Promise<number> {
  try {
    // `emplace kube ...` parses its own options (kube-command.ts).
    // Loaded on demand: the Kubernetes client costs about a second of start-up that `--help` must not pay.
    if (argv[0] === 'kube') return await (await import('./kube-command.js')).runKubeCommand(argv.slice(1), streams);
    const families = options.families ?? (await familiesFor(argv));
    const line = parseCommandLine(argv, families);
    const { positional, args } = line;
    const command = positional[0];
    const info = informationCommand(line, families, streams);
    if (info !== undefined) return info;
    if (command === 'convert') return await convertCommand(positional, args, streams);
    if (command !== 'solve') {
      const guess = suggest(command ?? '', COMMANDS);
      throw new CliUsageError(`unknown command ${JSON.stringify(command)}${guess ? `; did you mean ${guess}?` : ''} (commands: ${COMMANDS.join(', ')}; see emplace --help)`);
    }
    return await solveCommand(positional, args, families, streams, options);
  } catch (err) {
    streams.stderr(`emplace: ${oneLine(err)}\n`);
    return EXIT_BAD_INPUT;
  }
}

/**
 * The families a command line needs: for `solve <family> ...` only the module defining that
 * family (its solver package), when the options check out against it; every family otherwise
 * (help, methods, an unknown family or option: their messages list or search all of them).
 */
async function familiesFor(argv: readonly string[]): Promise<readonly CliFamily[]> {
  try {
    const { positional } = parseCommandLine(argv);
    const some = positional[0] === 'solve' && positional[1] !== undefined ? await loadFamilyModule(positional[1]) : undefined;
    if (some !== undefined) {
      parseCommandLine(argv, some);
      return some;
    }
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
  }
  return (await import('./families/index.js')).allFamilies;
}

type CommandLine = ReturnType<typeof parseCommandLine>;
type CliArgs = CommandLine['args'];

/** --version, help, formats, methods: the commands that print and exit; undefined for the others. */
function informationCommand(line: CommandLine, families: readonly CliFamily[], streams: CliStreams): number | undefined {
  const { positional, args, help, version } = line;
  const command = positional[0];
  if (version) {
    streams.stdout(`${cliVersion()}\n`);
    return EXIT_OK;
  }
  if ((command === 'help' || (help && command === 'solve')) && positional[1] !== undefined) {
    streams.stdout(familyHelp(findFamily(positional[1], families)) + '\n');
    return EXIT_OK;
  }
  if (help || command === undefined || command === 'help') {
    streams.stdout(USAGE + familyList(families) + '\n');
    return command === undefined && !help ? EXIT_BAD_INPUT : EXIT_OK;
  }
  if (command === 'formats') {
    const rows = listFormats().map((f) => ({ format: f.name, extensions: f.extensions.join(' '), kind: f.kind, description: f.description }));
    streams.stdout(args.json ? rows.map((r) => JSON.stringify(r)).join('\n') + '\n' : formatTable(rows, MAX_WIDTH) + '\n');
    return EXIT_OK;
  }
  if (command === 'methods') {
    const rows = listSolvers(positional[1]).map((s) => ({ method: `${s.family}:${s.method}`, model: s.modelKind, guarantee: s.guarantee, description: s.description }));
    streams.stdout(args.json ? rows.map((r) => JSON.stringify(r)).join('\n') + '\n' : formatTable(rows, MAX_WIDTH) + '\n');
    return EXIT_OK;
  }
  return undefined;
}

async function convertCommand(positional: readonly string[], args: CliArgs, streams: CliStreams): Promise<number> {
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

/** `solve <family> <file>`: checks the method and format, then solves every problem of the file. */
async function solveCommand(positional: readonly string[], args: CliArgs, families: readonly CliFamily[], streams: CliStreams, options: RunCliOptions): Promise<number> {
  const familyName = positional[1];
  const file = positional[2];
  if (!familyName) throw new CliUsageError('solve needs a family and a file, e.g. `emplace solve cfl cap41.txt`');
  const family = findFamily(familyName, families);
  if (!file) throw new CliUsageError(`solve ${familyName} needs an input file`);
  if (positional.length > 3) throw new CliUsageError(`unexpected argument ${JSON.stringify(positional[3])}`);
  if (args.method !== undefined && args.method !== 'auto' && !family.methods.includes(args.method)) {
    throw new CliUsageError(`unknown method ${JSON.stringify(args.method)} for ${family.name}; methods: ${family.methods.join(', ')}`);
  }
  if (args.format !== undefined && !family.formats.includes(args.format)) {
    throw new CliUsageError(`${family.name} does not read format ${JSON.stringify(args.format)}; formats: ${family.formats.join(', ')}`);
  }
  const signal = options.signal;
  let problems: CliProblem[];
  try {
    problems = await family.load(file, { ...args, ...(signal !== undefined ? { signal } : {}) });
  } catch (error) {
    // A signal during a long read (a pmed closure) stops the reader: nothing was solved.
    if (!(error instanceof ReadAbortedError)) throw error;
    problems = [];
  }
  let exit = EXIT_OK;
  const rows: Record<string, string>[] = [];
  let solved = 0;
  for (const problem of problems) {
    if (signal?.aborted) break;
    if (solved === 0) {
      options.onSolveStart?.();
      traceExit('solving');
    }
    solved++;
    const progress = options.progress && !args.json ? startProgress(streams, family.name, problem.instance) : undefined;
    let result: Result<unknown>;
    try {
      result = await family.solve(problem, {
        ...args,
        ...(signal !== undefined ? { signal } : {}),
        ...(progress !== undefined ? { onProgress: progress.update } : {}),
      });
    } finally {
      progress?.stop();
    }
    traceExit('solved');
    const extra = family.describe ? family.describe(problem, result) : {};
    if (!hasSolution(result)) exit = EXIT_NO_SOLUTION;
    // In pieces (a long solution vector is formatted while the reader takes the text before it).
    if (args.json) writeJsonLine(resultRecord(problem.instance, family.name, result, extra), streams.stdout);
    else rows.push(tableRow(problem.instance, result, extra));
  }
  if (!args.json && rows.length > 0) streams.stdout(formatTable(rows, MAX_WIDTH) + '\n');
  if (signal?.aborted && solved === 0) {
    streams.stderr(STOPPED_BEFORE_FIRST_SOLVE);
    return EXIT_NO_SOLUTION;
  }
  return exit;
}

/** One row of the text table printed without --json. */
function tableRow(instance: string, result: Result<unknown>, extra: Record<string, string | number | boolean | null>): Record<string, string> {
  return {
    instance,
    status: result.status,
    objective: formatValue(result.objective),
    bound: formatValue(result.bound),
    'gap %': result.gap === undefined ? '' : (100 * result.gap).toFixed(4),
    'time ms': result.stats.elapsedMs.toFixed(1),
    method: result.stats.method,
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, formatValue(v)])),
  };
}

function findFamily(name: string, families: readonly CliFamily[]): CliFamily {
  const family = families.find((f) => f.name === name);
  if (!family) {
    const known = families.map((f) => f.name);
    const guess = suggest(name, known);
    throw new CliUsageError(`unknown family ${JSON.stringify(name)}${guess ? `; did you mean ${guess}?` : ''}; families: ${known.length > 0 ? known.join(', ') : '(none yet)'}`);
  }
  return family;
}

/**
 * The progress line of a terminal: after a second of solving, one line on stderr rewritten
 * in place (elapsed time, phase, incumbent, bound), erased when the solve ends.
 */
function startProgress(streams: CliStreams, family: string, instance: string): { update: (e: ProgressEvent) => void; stop: () => void } {
  const t0 = Date.now();
  let last: ProgressEvent | undefined;
  let shown = false;
  const draw = () => {
    const s = ((Date.now() - t0) / 1000).toFixed(1);
    const parts = [`emplace: ${family} ${instance} ${s} s`];
    if (last !== undefined) {
      parts.push(last.phase);
      if (last.incumbent !== undefined) parts.push(`incumbent ${formatValue(last.incumbent)}`);
      if (last.bound !== undefined) parts.push(`bound ${formatValue(last.bound)}`);
      if (last.fraction !== undefined) parts.push(`${Math.round(100 * last.fraction)} %`);
    }
    streams.stderr(`\r\x1b[K${clip(parts.join('  '), MAX_WIDTH - 1)}`);
    shown = true;
  };
  const timer = setInterval(() => {
    if (Date.now() - t0 >= 1000) draw();
  }, 250);
  timer.unref?.();
  return {
    update: (e) => {
      last = e;
    },
    stop: () => {
      clearInterval(timer);
      if (shown) streams.stderr('\r\x1b[K');
    },
  };
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
