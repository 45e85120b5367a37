/**
 * gap:auto with its clock replaced by the process CPU time (performance.now is overridden
 * before the solver loads), so that a time limit means the same work on a loaded machine:
 * a development probe for comparing versions when the 2-core machine is shared (the
 * published numbers stay those of run.ts on wall-clock time). Prints the objective, the
 * bound and the time per phase (rootMs, tabuMs, branchMs, lnsMs, in CPU ms).
 *
 *   npx tsx --conditions=source benchmarks/assignment/gap-cpu-clock.ts TYPE M N SEED [CPU_SECONDS=15] [RNG_SEED=1]
 *
 * run.ts's instances are seed 1000 m + n + 7 (type D) / + 11 (type E); held-out ones any other seed.
 * TRACE=1 in the environment also prints each better plan with its CPU time and phase.
 */
const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
performance.now = cpuNow;
const { gapAuto, generateGap } = await import('@emplace/assignment');
const [type, m, n, seed, seconds, rngSeed] = process.argv.slice(2);
const model = generateGap(type as 'D', Number(m), Number(n), Number(seed));
const trace: string[] = [];
// Each better plan is read from onIncumbent (a progress event's incumbent can be a
// branch-and-bound probe's artificial cost) and named by the phase of the progress event
// that follows it (the phases report the plan first, then their progress).
let unnamed = -1;
const traced = Boolean(process.env.TRACE);
const r = await gapAuto(model, {
  timeLimitMs: 1000 * Number(seconds ?? 15),
  seed: Number(rngSeed ?? 1),
  ...(traced
    ? {
        onProgress: (e: { phase: string }): void => {
          if (unnamed < 0) return;
          for (let t = unnamed; t < trace.length; t++) trace[t] += ` ${e.phase}`;
          unnamed = -1;
        },
        onIncumbent: (_s: unknown, objective: number): void => {
          if (unnamed < 0) unnamed = trace.length;
          trace.push(`${(performance.now() / 1000).toFixed(1)}s ${objective}`);
        },
        progressIntervalMs: 0,
        incumbentIntervalMs: 0,
      }
    : {}),
});
if (trace.length > 0) console.log(trace.join(' | '));
console.log(`${type!.toLowerCase()}${m}-${n}-s${seed} cpu ${seconds ?? 15} s: ${r.status} ${r.objective} bound ${r.bound} ${JSON.stringify(r.stats)}`);
