import type { CliArgs, CliFamily, CliOption } from './family.js';
import { CliUsageError } from './usage-error.js';

/** Options of the command line itself, valid with any command. */
export const GLOBAL_OPTIONS: readonly CliOption[] = [
  { name: 'help', type: 'boolean', description: 'help (`emplace help <family>` for one family)' },
  { name: 'version', type: 'boolean', description: 'print the version' },
];

/** Options every `solve <family>` takes. */
export const SOLVE_OPTIONS: readonly CliOption[] = [
  { name: 'format', type: 'string', value: 'F', description: 'input format (default: detected from the file name and content)' },
  { name: 'method', type: 'string', value: 'M', description: 'solver method of the family (default: auto)' },
  { name: 'time-limit', type: 'number', min: 0, value: 'S', description: 'wall-clock limit in seconds; the best solution so far is returned' },
  { name: 'seed', type: 'integer', min: -(2 ** 31), value: 'N', description: 'seed of every random choice (same seed, same answer)' },
  { name: 'json', type: 'boolean', description: 'one JSON line per problem on stdout' },
];

/** Options of the other commands. */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly CliOption[]>> = {
  formats: [{ name: 'json', type: 'boolean', description: 'one JSON line per format' }],
  methods: [{ name: 'json', type: 'boolean', description: 'one JSON line per method' }],
  convert: [
    { name: 'to', type: 'string', value: 'F', required: true, description: 'output format (see `emplace formats`)' },
    { name: 'format', type: 'string', value: 'F', description: 'input format (default: detected)' },
    { name: 'capacity', type: 'number', min: 0, value: 'N', description: 'capacity for OR-Library capa/capb/capc' },
  ],
  help: [],
};

/** Commands of `emplace`, for suggestions. */
export const COMMANDS = ['solve', 'convert', 'formats', 'methods', 'help', 'kube'] as const;

export interface ParsedCommandLine {
  positional: string[];
  args: CliArgs;
  help: boolean;
  version: boolean;
}

/** One option as given; `off` marks a flag spelled `--name=false` (validated like the others, then dropped). */
type Given = { name: string; value: string | true; spelled: string; off?: boolean };

/**
 * Parses `emplace` arguments: positionals, `--name value`, `--name=value`, boolean `--flag`,
 * `-h` and `-V`. With `families` the options are checked against what the command (and, for
 * `solve`, the family) accepts: an unknown or misspelled option is a `CliUsageError` with a
 * suggestion, a value of the wrong type fails before any file is read. Without `families`
 * (or for `kube`, which parses its own options) unknown options land in `args.extra`.
 */
export function parseCommandLine(argv: readonly string[], families?: readonly CliFamily[]): ParsedCommandLine {
  const { positional, given } = tokenize(argv, optionTable(families ?? []));
  const command = positional[0];
  if (families !== undefined && command !== 'kube') validate(command, positional, given, families);
  return { positional, ...readOptions(given) };
}

/** Splits argv into positionals and options (each value checked against its spec when the option is known). */
function tokenize(argv: readonly string[], known: ReadonlyMap<string, CliOption>): { positional: string[]; given: Given[] } {
  const positional: string[] = [];
  const given: Given[] = [];
  const lenientCommand = argv.find((a) => !a.startsWith('-')) === 'kube';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '-V') {
      given.push({ name: a === '-h' ? 'help' : 'version', value: true, spelled: a });
      continue;
    }
    if (!a.startsWith('--') || a === '-') {
      if (a.length > 1 && a.startsWith('-') && !lenientCommand && !/^-\d/.test(a)) {
        throw new CliUsageError(`unknown option ${a} (options are spelled --name; see emplace --help)`);
      }
      positional.push(a);
      continue;
    }
    const option = readOption(a, argv[i + 1], known);
    if (option.tookNext) i++;
    if (option.given) given.push(option.given);
  }
  return { positional, given };
}

/** One `--name[=value]` token, taking the next token as its value when it needs one. */
function readOption(a: string, next: string | undefined, known: ReadonlyMap<string, CliOption>): { given: Given | undefined; tookNext: boolean } {
  const eq = a.indexOf('=');
  const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
  let value: string | true | undefined = eq >= 0 ? a.slice(eq + 1) : undefined;
  const spec = known.get(name);
  let tookNext = false;
  if (spec !== undefined && spec.type === 'boolean') {
    if (value !== undefined && value !== 'true' && value !== 'false') throw new CliUsageError(`--${name} is a flag and takes no value, got ${JSON.stringify(value)}`);
    // `--flag=false` is the flag's absence, but its name is still checked against the family
    // (a `--merge=false` given to a family without --merge was silently accepted).
    if (value === 'false') return { given: { name, value: true, spelled: `--${name}`, off: true }, tookNext };
    value = true;
  } else if (value === undefined) {
    // A value option takes the next token; an unknown one does too unless it looks like an option.
    if (spec !== undefined) {
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new CliUsageError(`--${name} needs a value${spec.value ? ` (--${name} ${spec.value})` : ''}`);
      value = next;
      tookNext = true;
    } else if (next !== undefined && !next.startsWith('-')) {
      value = next;
      tookNext = true;
    } else value = true;
  }
  if (spec !== undefined) checkValue(spec, value);
  return { given: { name, value, spelled: `--${name}` }, tookNext };
}

/** The parsed arguments: the known options typed, the others in `extra`. */
function readOptions(given: readonly Given[]): { args: CliArgs; help: boolean; version: boolean } {
  const extra: Record<string, string | boolean> = {};
  const args: CliArgs = { json: false, extra };
  let help = false;
  let version = false;
  for (const { name, value, off } of given) {
    if (off) continue;
    const v = value === true ? 'true' : value;
    switch (name) {
      case 'help':
        help = true;
        break;
      case 'version':
        version = true;
        break;
      case 'json':
        args.json = true;
        break;
      case 'format':
        args.format = v;
        break;
      case 'method':
        args.method = v;
        break;
      case 'time-limit':
        args.timeLimitMs = 1000 * numberValue('--time-limit', v, 0);
        break;
      case 'seed':
        args.seed = integerValue('--seed', v, -(2 ** 31));
        break;
      case 'capacity':
        args.capacity = numberValue('--capacity', v, 0);
        break;
      case 'k':
        args.k = integerValue('--k', v, 0);
        break;
      case 'outliers':
        args.outliers = integerValue('--outliers', v, 0);
        break;
      default:
        extra[name] = value;
    }
  }
  return { args, help, version };
}

/** Every option name any command or family declares, with its spec (value options win over flags of the same name). */
function optionTable(families: readonly CliFamily[]): Map<string, CliOption> {
  const table = new Map<string, CliOption>();
  const add = (o: CliOption) => {
    const prev = table.get(o.name);
    if (prev === undefined || (prev.type === 'boolean' && o.type !== 'boolean')) table.set(o.name, o);
  };
  for (const o of [...GLOBAL_OPTIONS, ...SOLVE_OPTIONS, ...Object.values(COMMAND_OPTIONS).flat()]) add(o);
  // Names the solve commands have always understood (also when no family list is given).
  for (const o of LEGACY_VALUE_OPTIONS) add(o);
  for (const f of families) {
    for (const o of f.options ?? []) {
      const { choices: _choices, min: _min, max: _max, ...plain } = o;
      add(plain);
    }
  }
  return table;
}

const LEGACY_VALUE_OPTIONS: readonly CliOption[] = [
  { name: 'capacity', type: 'number', min: 0, description: '' },
  { name: 'k', type: 'integer', min: 0, description: '' },
  { name: 'outliers', type: 'integer', min: 0, description: '' },
];

/** The options `command` (and its family) accepts; undefined when anything goes (a family that declares none). */
export function acceptedOptions(command: string | undefined, family: CliFamily | undefined): readonly CliOption[] | undefined {
  if (command === 'solve') {
    if (family !== undefined && family.options === undefined) return undefined;
    return [...GLOBAL_OPTIONS, ...SOLVE_OPTIONS, ...(family?.options ?? [])];
  }
  return [...GLOBAL_OPTIONS, ...(COMMAND_OPTIONS[command ?? 'help'] ?? [])];
}

function validate(command: string | undefined, positional: readonly string[], given: readonly Given[], families: readonly CliFamily[]): void {
  const family = command === 'solve' ? families.find((f) => f.name === positional[1]) : undefined;
  // An unknown family is reported by the command itself (with its own suggestion).
  if (command === 'solve' && positional[1] !== undefined && family === undefined) return;
  const accepted = acceptedOptions(command, family);
  if (accepted === undefined) return;
  const byName = new Map(accepted.map((o) => [o.name, o]));
  const where = command === 'solve' ? (family ? `solve ${family.name}` : 'solve') : command === undefined ? 'emplace' : command;
  for (const g of given) {
    const spec = byName.get(g.name);
    if (spec === undefined) {
      const elsewhere = families.some((f) => (f.options ?? []).some((o) => o.name === g.name)) || SOLVE_OPTIONS.some((o) => o.name === g.name) || LEGACY_VALUE_OPTIONS.some((o) => o.name === g.name);
      const guess = suggest(g.name, accepted.map((o) => o.name));
      const hint = guess !== undefined ? `; did you mean --${guess}?` : family ? `; see emplace help ${family.name}` : '; see emplace --help';
      if (elsewhere && family !== undefined) throw new CliUsageError(`${family.name} does not use --${g.name}${hint}`);
      throw new CliUsageError(`unknown option --${g.name} for ${where}${hint}`);
    }
    checkValue(spec, g.value);
  }
  const helpOnly = given.some((g) => g.name === 'help' || g.name === 'version');
  for (const o of accepted) {
    if (o.required && !helpOnly && !given.some((g) => g.name === o.name)) {
      throw new CliUsageError(`${family ? family.name : where} needs --${o.name}${o.value ? ` ${o.value}` : o.choices ? ` ${o.choices.join('|')}` : ''}${family ? ` (see emplace help ${family.name})` : ''}`);
    }
  }
}

function checkValue(spec: CliOption, value: string | true): void {
  const name = `--${spec.name}`;
  if (spec.type === 'boolean') return;
  if (value === true) throw new CliUsageError(`${name} needs a value`);
  if (spec.type === 'number') numberValue(name, value, spec.min ?? -Infinity);
  else if (spec.type === 'integer') integerValue(name, value, spec.min ?? -Infinity);
  if ((spec.type === 'number' || spec.type === 'integer') && spec.max !== undefined && Number(value) > spec.max) {
    throw new CliUsageError(`${name} must be at most ${spec.max}, got ${value}`);
  }
  else if (spec.choices !== undefined && !spec.choices.includes(value)) {
    const guess = suggest(value, spec.choices);
    throw new CliUsageError(`${name} must be one of ${spec.choices.join(', ')}, got ${JSON.stringify(value)}${guess ? `; did you mean ${guess}?` : ''}`);
  }
}

function numberValue(name: string, raw: string, min: number): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new CliUsageError(`${name} must be a number, got ${JSON.stringify(raw)}`);
  if (v < min) throw new CliUsageError(`${name} must be at least ${min}, got ${v}`);
  return v;
}

function integerValue(name: string, raw: string, min: number): number {
  const v = numberValue(name, raw, min);
  if (!Number.isInteger(v)) throw new CliUsageError(`${name} must be an integer, got ${raw}`);
  // 1e308 is an integer to JavaScript but no count or seed: beyond 2^53 integers are not exact.
  if (!Number.isSafeInteger(v)) throw new CliUsageError(`${name} must be an integer of at most ${Number.MAX_SAFE_INTEGER}, got ${raw}`);
  return v;
}

/** The candidate closest to `word` (edit distance, prefixes), if it is close enough to be a typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(word) && word.length >= 2 ? 1 : editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.min(3, Math.floor(best.length / 3))) ? best : undefined;
}

/** Damerau-Levenshtein distance (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
