import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { SOLVE_OPTIONS } from './args.js';
import type { CliFamily } from './family.js';

/*
 * Help text, without loading any solver: `emplace --help`, `emplace help <family>` and
 * `--version` are answered from dist/catalog.json (the families' names, descriptions,
 * formats, methods and options, written after the build by scripts/cli-catalog.mjs) when it
 * is at least as new as the compiled families; otherwise from the families themselves.
 */

/** What help needs of a family. */
export type FamilyInfo = Pick<CliFamily, 'name' | 'description' | 'formats' | 'methods' | 'options'>;

export const USAGE = `emplace: optimization solvers for global placement and allocation

Usage:
  emplace solve <family> <file> [options]   solve every problem of a file
  emplace help <family>                     a family's formats, methods and options
  emplace convert <in> <out> --to F         convert an instance between formats (out '-' = stdout)
  emplace formats                           the input formats and their readers
  emplace methods [family]                  the solver methods and their guarantees
  emplace --version | --help

Options of every solve:
  --format F       input format (default: detected from the file name and content)
  --method M       solver method of the family (default: auto)
  --time-limit S   wall-clock limit in seconds; the best solution so far is returned
  --seed N         seed of every random choice (same seed, same answer)
  --json           one JSON line per problem on stdout
Family options (--k, --sense, --source, ...): emplace help <family>.

Ctrl-C (SIGINT) or SIGTERM stops the solve and prints the best solution found so far;
a second one exits at once. Exit code: 0 every problem got a solution, 1 bad input or
usage (one-line reason on stderr), 2 a problem has no solution.`;

/** Width of help and tables. */
export const MAX_WIDTH = 100;

export function familyList(families: readonly FamilyInfo[]): string {
  if (families.length === 0) return '\n\nFamilies: (none registered)';
  const w = Math.max(...families.map((f) => f.name.length));
  const lines = families.map((f) => clip(`  ${f.name.padEnd(w)}  ${f.description}`, MAX_WIDTH));
  return `\n\nFamilies (emplace help <family> for details):\n${lines.join('\n')}`;
}

/** `emplace help <family>`: what the family reads, its methods and its own options. */
export function familyHelp(family: FamilyInfo): string {
  const out: string[] = [];
  out.push(`emplace solve ${family.name} <file> [options]`, '');
  out.push(...wrap(family.description, MAX_WIDTH));
  out.push('', ...wrap(`Formats: ${family.formats.join(', ')} (first = default when detection fails)`, MAX_WIDTH, '  '));
  out.push(...wrap(`Methods: ${family.methods.join(', ')} (--method, default auto)`, MAX_WIDTH, '  '));
  const own = family.options;
  const rows = [...(own ?? []), ...SOLVE_OPTIONS].map((o) => ({
    option: `--${o.name}${o.type === 'boolean' ? '' : ` ${o.value ?? (o.choices ? o.choices.join('|') : o.type === 'string' ? 'S' : 'N')}`}`,
    description: `${o.description}${o.required ? ' (required)' : ''}`,
  }));
  out.push('', own === undefined ? 'Options (this family does not declare its own; extra --name value pairs are passed on):' : 'Options:');
  const w = Math.max(...rows.map((r) => r.option.length));
  for (const r of rows) {
    const lines = wrap(r.description, MAX_WIDTH - w - 4);
    out.push(`  ${r.option.padEnd(w)}  ${lines[0] ?? ''}`, ...lines.slice(1).map((l) => `${' '.repeat(w + 4)}${l}`));
  }
  return out.join('\n');
}

export function clip(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, width - 3).trimEnd()}...`;
}

function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The version of @emplace/cli (read from its package.json, next to src/ and dist/). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The families as dist/catalog.json lists them, or undefined when it is missing or older than the compiled families. */
export function readCatalog(): FamilyInfo[] | undefined {
  try {
    const catalog = new URL('./catalog.json', import.meta.url);
    const familiesDir = new URL('./families/', import.meta.url);
    if (!existsSync(catalog) || !existsSync(familiesDir)) return undefined;
    const built = statSync(catalog).mtimeMs;
    for (const f of readdirSync(familiesDir)) if (f.endsWith('.js') && statSync(new URL(f, familiesDir)).mtimeMs > built) return undefined;
    return (JSON.parse(readFileSync(catalog, 'utf8')) as { families: FamilyInfo[] }).families;
  } catch {
    return undefined;
  }
}

/**
 * Answers `--version`, `--help`, `help [family]` and the bare command from the catalog;
 * returns undefined for anything else (or without a fresh catalog): the full CLI then runs.
 */
export function fastHelp(argv: readonly string[], out: (text: string) => void): number | undefined {
  const a = argv.filter((x) => x !== '--');
  if (a.length === 1 && (a[0] === '--version' || a[0] === '-V')) {
    out(`${cliVersion()}\n`);
    return 0;
  }
  const isHelp = a.length === 0 || (a.length === 1 && (a[0] === '--help' || a[0] === '-h' || a[0] === 'help')) || (a.length === 2 && a[0] === 'help');
  if (!isHelp) return undefined;
  const families = readCatalog();
  if (families === undefined) return undefined;
  if (a.length === 2) {
    const f = families.find((x) => x.name === a[1]);
    if (f === undefined) return undefined; // the full CLI reports it, with a suggestion
    out(familyHelp(f) + '\n');
    return 0;
  }
  out(USAGE + familyList(families) + '\n');
  return a.length === 0 ? 1 : 0;
}
