import { ModelError } from '@emplace/core';
import type { CliArgs } from './family.js';

/** Options that take a value; anything else starting with `--` is a boolean flag or an extra. */
const VALUE_OPTIONS = new Set(['format', 'method', 'time-limit', 'seed', 'capacity', 'k', 'outliers', 'to']);

export interface ParsedCommandLine {
  positional: string[];
  args: CliArgs;
  help: boolean;
}

/**
 * Parses `emplace` arguments: positionals, `--name value`, `--name=value` and boolean
 * `--flag`. Numbers are checked here so that a bad `--k` fails before any file is read.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const positional: string[] = [];
  const extra: Record<string, string | boolean> = {};
  const values: Record<string, string> = {};
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') {
      help = true;
      continue;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    let value: string | undefined = eq >= 0 ? a.slice(eq + 1) : undefined;
    if (name === 'json') {
      json = true;
      continue;
    }
    const next = argv[i + 1];
    // Positionals come first (`solve <family> <file>`), so a token after an option that
    // does not start with `--` is that option's value; an option with none is a flag.
    if (value === undefined && (VALUE_OPTIONS.has(name) || (next !== undefined && !next.startsWith('--')))) {
      if (next === undefined) throw new ModelError(`--${name}`, 'needs a value');
      value = next;
      i++;
    }
    if (VALUE_OPTIONS.has(name)) values[name] = value!;
    else extra[name] = value ?? true;
  }
  const args: CliArgs = { json, extra };
  if (values.format !== undefined) args.format = values.format;
  if (values.method !== undefined) args.method = values.method;
  if (values['time-limit'] !== undefined) args.timeLimitMs = 1000 * numberOption('--time-limit', values['time-limit'], 0);
  if (values.seed !== undefined) args.seed = integerOption('--seed', values.seed, -(2 ** 31));
  if (values.capacity !== undefined) args.capacity = numberOption('--capacity', values.capacity, 0);
  if (values.k !== undefined) args.k = integerOption('--k', values.k, 0);
  if (values.outliers !== undefined) args.outliers = integerOption('--outliers', values.outliers, 0);
  if (values.to !== undefined) (args.extra as Record<string, string | boolean>).to = values.to;
  return { positional, args, help };
}

function numberOption(name: string, raw: string, min: number): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new ModelError(name, `must be a number, got ${JSON.stringify(raw)}`);
  if (v < min) throw new ModelError(name, `must be at least ${min}, got ${v}`);
  return v;
}

function integerOption(name: string, raw: string, min: number): number {
  const v = numberOption(name, raw, min);
  if (!Number.isInteger(v)) throw new ModelError(name, `must be an integer, got ${raw}`);
  return v;
}
