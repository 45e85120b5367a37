/**
 * Status audit (issue 13, "0 wrong statuses, 0 crashes"): plays the held-out harness against
 * EVERY registered method (core's registry, as `emplace methods` lists them). For each method it
 * builds seeded random small instances of its family with edge cases (one site / node, ties,
 * zero costs, 1e15 and 1e-12 magnitudes, zero demand, a client with no allowed site, every site
 * forbidden, tight and insufficient capacity, k = n, k > n, disconnected graphs, source = sink)
 * and checks:
 *   - the envelope by docs/concepts.md alone (envelopeProblems: finite objective for a
 *     solution, no `no-solution` + converged, bound on the right side, optimal => bound = obj);
 *   - the status and objective against the truth from enumeration or an independent MIP
 *     (HiGHS through @emplace/lp) where the family has one (truthProblems);
 *   - the solution itself with an independent evaluator (objective recomputed from the model,
 *     allowed pairs, capacities, k);
 *   - errors: a ModelError / EmplaceError is a refusal (listed, not a failure); any other throw
 *     (TypeError, RangeError, ...) or a run past 20 s is a crash.
 *   - progress: every event's incumbent is a plan the method has, so never better than the final
 *     objective; with status optimal no event's bound is past it (progressProblems; events
 *     collected with progressIntervalMs 0; events without an incumbent / bound are not checked).
 * Every case is run a second time with an AbortSignal fired at a seeded moment (0-15 ms,
 * --no-aborts skips it): the answer must still be sound and its incumbent valid.
 * Methods of families without a case here are listed as "not covered" at the end.
 *
 * Run: cd /work/main && nice -n 10 npx tsx --conditions=source scripts/audit/statuses.ts
 *        [--seed N] [--cases N] [--only family[:method],...] [--verbose]
 * (--conditions=source: every package is loaded from its TypeScript sources, once.)
 * Counts, not wall time, bound the run: --cases instances per family (default 25), every
 * method of the family on each. Exit 1 when any failure was found.
 */
import '../../packages/emplace/src/index.ts';
import { EmplaceError, listSolvers, type ProgressEvent, solve } from '../../packages/core/src/index.ts';
import { envelopeProblems } from '../../packages/emplace/test/fuzz/envelope.ts';
import { seeded } from '../../packages/emplace/test/fuzz/instances.ts';
import { truthProblems, type Truth } from '../../packages/emplace/test/fuzz/truth.ts';
import { CASES_BY_FAMILY, type AuditCase } from './cases.ts';

const argv = process.argv.slice(2);
const arg = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const SEED = Number(arg('--seed') ?? 13);
const CASES = Number(arg('--cases') ?? 25);
const ONLY = arg('--only')?.split(',');
const VERBOSE = argv.includes('--verbose');
const ABORTS = !argv.includes('--no-aborts');
const CALL_LIMIT_MS = 20_000;

/**
 * Progress events against the final Result: an incumbent better than result.objective, or (when
 * optimal) a bound past it, in the Result's sense, beyond 1e-9 relative (or the case's progressSlack).
 * Lists the first offender.
 */
function progressProblems(result: { sense: string; status: string; objective: number }, events: ProgressEvent[], absoluteSlack = 0): string[] {
  const obj = result.objective;
  if (!Number.isFinite(obj)) return [];
  const slack = Math.max(1e-9 * Math.max(1, Math.abs(obj)), absoluteSlack);
  const min = result.sense === 'min';
  const beats = (v: number): boolean => (min ? v < obj - slack : v > obj + slack);
  const problems: string[] = [];
  const badInc = events.filter((e) => e.incumbent !== undefined && Number.isFinite(e.incumbent) && beats(e.incumbent));
  if (badInc.length > 0) problems.push(`${badInc.length} progress incumbent(s) better than the objective ${obj} (${result.sense}), first ${JSON.stringify(badInc[0])}`);
  if (result.status === 'optimal') {
    const badBound = events.filter((e) => e.bound !== undefined && Number.isFinite(e.bound) && (min ? e.bound > obj + slack : e.bound < obj - slack));
    if (badBound.length > 0) problems.push(`${badBound.length} progress bound(s) past the optimal objective ${obj} (${result.sense}), first ${JSON.stringify(badBound[0])}`);
  }
  return problems;
}

/** Runs one method on one case; returns its problems ([] = sound) and whether it refused. */
async function audit(name: string, c: AuditCase, truth: Truth | undefined, abortAfterMs?: number): Promise<{ problems: string[]; refused?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), CALL_LIMIT_MS);
  });
  // With abortAfterMs: an AbortSignal fired at that moment (0 = already aborted); the answer
  // must still be a sound envelope whose solution (the incumbent) is valid.
  const controller = new AbortController();
  if (abortAfterMs === 0) controller.abort();
  const abortTimer = abortAfterMs !== undefined && abortAfterMs > 0 ? setTimeout(() => controller.abort(), abortAfterMs) : undefined;
  const signal = abortAfterMs === undefined ? {} : { signal: controller.signal };
  const events: ProgressEvent[] = [];
  const progress = { progressIntervalMs: 0, onProgress: (e: ProgressEvent) => events.push({ ...e }) };
  try {
    const result = await Promise.race([solve(c.model as { kind: string }, { ...c.options, method: name, timeLimitMs: 5000, seed: 1, ...signal, ...progress }), hang]);
    if (result === 'hang') return { problems: [`no answer within ${CALL_LIMIT_MS} ms (time limit 5 s)`] };
    const problems = [...envelopeProblems(result), ...progressProblems(result, events, c.progressSlack)];
    if (truth) problems.push(...truthProblems(result, truth, c.sense));
    if (c.check) problems.push(...(await c.check(result)));
    if (VERBOSE) console.log(`  ${name} ${result.status} ${result.objective} bound ${result.bound} ${result.stoppedBy}`);
    return { problems };
  } catch (err) {
    if (err instanceof EmplaceError) return { problems: [], refused: `${err.constructor.name}: ${err.message}` };
    return { problems: [`crash: ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`] };
  } finally {
    clearTimeout(timer);
    clearTimeout(abortTimer);
  }
}

let perMethodFailures = 0;

/** A method with its own question and truth (perMethod). */
async function runPerMethod(name: string, c: AuditCase, truthFn: () => Truth | Promise<Truth>, k: number): Promise<void> {
  let truth: Truth | undefined;
  try {
    truth = await truthFn();
  } catch (err) {
    console.log(`  (no reference for ${name} case ${k}: ${String(err)})`);
  }
  const { problems } = await audit(name, c, truth);
  if (problems.length > 0) {
    perMethodFailures++;
    console.log(`FAIL ${name} case ${k} truth ${JSON.stringify(truth)} options ${JSON.stringify(c.options)}: ${problems.join('; ')}\n  instance ${c.label}`);
  }
}

function selected(family: string, method: string): boolean {
  return !ONLY || ONLY.some((o) => o === family || o === `${family}:${method}`);
}

async function main(): Promise<void> {
  const entries = listSolvers();
  const families = [...new Set(entries.map((e) => e.family))];
  const uncovered: string[] = [];
  let calls = 0;
  let failures = 0;
  const refusals = new Map<string, number>();
  for (const family of families) {
    const build = CASES_BY_FAMILY[family];
    const methods = entries.filter((e) => e.family === family && selected(family, e.method)).map((e) => `${family}:${e.method}`);
    if (methods.length === 0) continue;
    if (!build) {
      uncovered.push(...methods);
      continue;
    }
    const r = seeded(SEED * 1000 + family.length * 7919 + family.charCodeAt(0));
    for (let k = 0; k < CASES; k++) {
      const c = build(r);
      let truth: Truth | undefined;
      try {
        truth = c.truth ? await c.truth() : undefined;
      } catch (err) {
        console.log(`  (no reference for ${family} case ${k}: ${String(err)})`);
      }
      for (const name of methods) {
        calls++;
        const own = c.perMethod?.[name];
        if (own) {
          await runPerMethod(name, { ...c, sense: own.sense }, own.truth, k);
          continue;
        }
        const { problems, refused } = await audit(name, c, truth);
        if (ABORTS && !refused) {
          // The same case aborted at a seeded moment: 0 (before it starts) to 15 ms.
          const aborted = await audit(name, c, truth, r.int(0, 15));
          problems.push(...aborted.problems.map((p) => `after an abort: ${p}`));
          calls++;
        }
        if (refused) refusals.set(`${name}: ${refused.slice(0, 140)}`, (refusals.get(`${name}: ${refused.slice(0, 140)}`) ?? 0) + 1);
        if (problems.length > 0) {
          failures++;
          console.log(`FAIL ${name} case ${k} truth ${JSON.stringify(truth)} options ${JSON.stringify(c.options)}: ${problems.join('; ')}\n  instance ${c.label}`);
        }
      }
    }
    console.log(`${family}: ${methods.length} methods x ${CASES} cases`);
  }
  console.log(`\nrefusals (ModelError etc., not counted as failures):`);
  for (const [k, v] of refusals) console.log(`  ${v} x ${k}`);
  console.log(`\nnot covered here: ${uncovered.join(' ') || '(none)'}`);
  failures += perMethodFailures;
  console.log(`\n${calls} calls, ${failures} failures (seed ${SEED}, ${CASES} cases per family)`);
  process.exitCode = failures > 0 ? 1 : 0;
}

await main();
