import { allFamilies, runCli, type CliFamily } from '@emplace/cli';
import type { Result } from '@emplace/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envelopeProblems, messageProblems } from './envelope.js';

/** Wall-clock ceiling of one CLI case: every case also passes --time-limit, so this means a hang. */
export const CASE_TIMEOUT_MS = 20_000;

export interface CliCase {
  family: string;
  /** File contents: the file is written under a fresh directory with this name. */
  fileName: string;
  text: string;
  args: string[];
}

export interface CliOutcome {
  code: number;
  out: string;
  err: string;
  /** The raw envelopes the family returned (captured before the JSON replacer turns Infinity into null). */
  results: Result<unknown>[];
  /** Something thrown by family.solve (the CLI turns it into exit 1). */
  solveError?: unknown;
}

const dir = mkdtempSync(join(tmpdir(), 'emplace-fuzz-'));
let fileCounter = 0;

/** The family with its solve wrapped so the test sees each raw Result. */
function capturing(family: CliFamily, outcome: CliOutcome): CliFamily {
  return {
    ...family,
    solve: async (problem, args) => {
      try {
        const result = await family.solve(problem, args);
        outcome.results.push(result);
        return result;
      } catch (err) {
        outcome.solveError = err;
        throw err;
      }
    },
  };
}

/** Runs `emplace solve <family> <file> ...args --json` in-process with a hang guard. */
export async function runCliCase(c: CliCase): Promise<CliOutcome> {
  const file = join(dir, `${fileCounter++}-${c.fileName}`);
  writeFileSync(file, c.text);
  const outcome: CliOutcome = { code: -1, out: '', err: '', results: [] };
  const families = allFamilies.map((f) => (f.name === c.family ? capturing(f, outcome) : f));
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(-2), CASE_TIMEOUT_MS);
  });
  const argv = ['solve', c.family, file, '--json', ...c.args];
  outcome.code = await Promise.race([
    runCli(argv, { stdout: (t) => (outcome.out += t), stderr: (t) => (outcome.err += t) }, { families }),
    hang,
  ]);
  clearTimeout(timer);
  return outcome;
}

/**
 * The contract of one CLI run: exit 1 with one line that gives a reason (never an internal
 * error), or exit 0 / 2 with one JSON line per problem whose envelopes are sound.
 */
export function cliProblems(outcome: CliOutcome): string[] {
  if (outcome.code === -2) return [`no answer within ${CASE_TIMEOUT_MS} ms (hang)`];
  if (outcome.code === 1) {
    const problems = messageProblems(outcome.err).map((p) => `exit 1: ${p}: ${outcome.err.trim().slice(0, 300)}`);
    if (!outcome.err.startsWith('emplace: ')) problems.push(`exit 1 without the emplace: prefix: ${outcome.err.slice(0, 200)}`);
    return problems;
  }
  if (outcome.code !== 0 && outcome.code !== 2) return [`exit code ${outcome.code}`];
  const problems: string[] = [];
  const lines = outcome.out.trim().split('\n').filter((l) => l.length > 0);
  if (lines.length !== outcome.results.length) problems.push(`${lines.length} JSON lines for ${outcome.results.length} results`);
  for (const line of lines) {
    try {
      JSON.parse(line);
    } catch {
      problems.push(`not a JSON line: ${line.slice(0, 120)}`);
    }
  }
  for (const result of outcome.results) problems.push(...envelopeProblems(result));
  const anyUnsolved = outcome.results.some((r) => r.status !== 'optimal' && r.status !== 'feasible');
  if (outcome.code === 0 && anyUnsolved) problems.push('exit 0 with a problem that has no solution');
  if (outcome.code === 2 && !anyUnsolved && outcome.results.length > 0) problems.push('exit 2 although every problem has a solution');
  if (outcome.err.length > 0 && /internal error|TypeError|RangeError/.test(outcome.err)) problems.push(`stderr: ${outcome.err.slice(0, 200)}`);
  return problems;
}

export function familyByName(name: string): CliFamily {
  const family = allFamilies.find((f) => f.name === name);
  if (family === undefined) throw new Error(`no CLI family ${name}`);
  return family;
}
