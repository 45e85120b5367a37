/**
 * API bad-option audit (issue 13, "bad input must give a ModelError naming the field"): for
 * EVERY registered method, a valid small instance of its family (cases.ts) is solved through
 * `solve(model, { method, ...options })` with one bad value at a time in each option the
 * method's table declares and in the SolveOptions every method takes (timeLimitMs, seed,
 * signal, onProgress, tolerance, maxMemoryBytes). Values: NaN, -1, 1e308, -Infinity, 2.5,
 * '2', '', null, true, {}, [], a function.
 * The contract: either an EmplaceError (ModelError, ...) whose message names the option, or a
 * sound envelope (envelopeProblems); never a TypeError / RangeError, an unhandled rejection,
 * or a call that runs past 20 s (every call also gets timeLimitMs 3000 unless that is the
 * option under test).
 *
 * Run: cd /work/main && nice -n 10 npx tsx --conditions=source scripts/audit/api-options.ts
 *        [--seed N] [--only family[:method],...]
 * Bounded by counts: one instance per family, every (method, option, value) once.
 */
import '../../packages/emplace/src/index.ts';
import { EmplaceError, listSolvers, solve } from '../../packages/core/src/index.ts';
import { envelopeProblems } from '../../packages/emplace/test/fuzz/envelope.ts';
import { seeded } from '../../packages/emplace/test/fuzz/instances.ts';
import { CASES_BY_FAMILY } from './cases.ts';

const argv = process.argv.slice(2);
const arg = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const SEED = Number(arg('--seed') ?? 13);
const ONLY = arg('--only')?.split(',');
const CALL_LIMIT_MS = 20_000;

const BAD_VALUES: readonly unknown[] = [Number.NaN, -1, 1e308, -Infinity, 2.5, '2', '', null, true, {}, [], () => 1];
const COMMON = ['timeLimitMs', 'seed', 'signal', 'onProgress', 'tolerance', 'maxMemoryBytes', 'progressIntervalMs'];

const show = (v: unknown): string => (typeof v === 'function' ? 'a function' : typeof v === 'number' ? String(v) : JSON.stringify(v));

let unhandled: unknown[] = [];
process.on('unhandledRejection', (err) => unhandled.push(err));

async function call(model: unknown, options: Record<string, unknown>): Promise<{ error?: unknown; problems: string[] }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), CALL_LIMIT_MS);
  });
  try {
    const result = await Promise.race([solve(model as { kind: string }, options as never), hang]);
    if (result === 'hang') return { problems: [`no answer within ${CALL_LIMIT_MS} ms`] };
    return { problems: envelopeProblems(result) };
  } catch (error) {
    return { error, problems: [] };
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const r = seeded(SEED);
  let calls = 0;
  let failures = 0;
  const uncovered: string[] = [];
  for (const entry of listSolvers()) {
    const name = `${entry.family}:${entry.method}`;
    if (ONLY && !ONLY.some((o) => o === entry.family || o === name)) continue;
    const build = CASES_BY_FAMILY[entry.family];
    if (!build) {
      uncovered.push(name);
      continue;
    }
    // A baseline refusal (this instance is outside the method's scope) would hide the
    // option's: up to 12 instances are drawn until the method takes one.
    let c = build(r);
    let accepted = false;
    for (let attempt = 0; attempt < 12 && !accepted; attempt++) {
      if (attempt > 0) c = build(r);
      accepted = (await call(c.model, { timeLimitMs: 3000, seed: 1, ...c.options, method: name })).error === undefined;
    }
    if (!accepted) {
      uncovered.push(`${name} (refuses every drawn instance)`);
      continue;
    }
    const own = (entry.options ?? []).filter((o) => !o.methods || o.methods.includes(entry.method)).map((o) => o.name);
    for (const option of [...own, ...COMMON]) {
      for (const value of BAD_VALUES) {
        calls++;
        unhandled = [];
        const options: Record<string, unknown> = { timeLimitMs: 3000, seed: 1, ...c.options, [option]: value, method: name };
        const { error, problems } = await call(c.model, options);
        await new Promise((resolve) => setImmediate(resolve));
        if (error !== undefined && !(error instanceof EmplaceError)) problems.push(`threw ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`);
        if (error instanceof EmplaceError && !error.message.includes(option)) problems.push(`${error.constructor.name} does not name ${option}: ${error.message}`);
        if (unhandled.length > 0) problems.push(`unhandled rejection: ${String(unhandled[0])}`);
        if (problems.length > 0) {
          failures++;
          console.log(`FAIL ${name} ${option} = ${show(value)}: ${problems.join('; ').slice(0, 400)}`);
        }
      }
    }
  }
  console.log(`\nnot covered here: ${uncovered.join(' ') || '(none)'}`);
  console.log(`${calls} calls, ${failures} failures (seed ${SEED})`);
  process.exitCode = failures > 0 ? 1 : 0;
}

await main();
