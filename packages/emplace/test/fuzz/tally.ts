import { appendFileSync } from 'node:fs';
import type { CliOutcome } from './cli-harness.js';

/**
 * Counts outcomes per family (exit 1, and each status) so a run shows how many cases reached a
 * solver: with FUZZ_TALLY=<file> each case appends one line `family<TAB>outcome`.
 */
export function tally(family: string, outcome: CliOutcome): void {
  const file = process.env['FUZZ_TALLY'];
  if (file === undefined) return;
  const what = outcome.code === 1 ? 'exit1' : outcome.results.map((r) => r.status).join(',') || `exit${outcome.code}`;
  appendFileSync(file, `${family}\t${what}\n`);
}

/** With FUZZ_FAILURES=<file>, every failing case is appended there in full (vitest clips long diffs). */
export function recordFailures(title: string, failures: readonly string[]): void {
  const file = process.env['FUZZ_FAILURES'];
  if (file !== undefined && failures.length > 0) appendFileSync(file, failures.map((f) => `## ${title}\n${f}\n\n`).join(''));
}
