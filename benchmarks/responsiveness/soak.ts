/**
 * Soak: 10,000 consecutive HiGHS solves in one process (the npm highs build is known to
 * crash after about 4,000 when models are not disposed), a forced runtime failure every
 * 1,000 solves to exercise the re-creation path, memory printed every 1,000 solves.
 * Run: pnpm exec tsx --conditions=source benchmarks/responsiveness/soak.ts [solves]
 */
import { writeResults } from '../lib/instances.js';
import { childrenRssMiB, soak } from './soak-core.js';

const solves = Number(process.argv[2] ?? 10_000);
const report = await soak(solves, 1000, (done, r) => {
  const mem = process.memoryUsage();
  const mib = (x: number): string => (x / 2 ** 20).toFixed(0);
  console.log(`${done} solves  rss ${mib(mem.rss)} MiB (heap ${mib(mem.heapUsed)}, external ${mib(mem.external)}, array buffers ${mib(mem.arrayBuffers)}; worker process ${childrenRssMiB().toFixed(0)} MiB)  failures forced ${r.forcedFailures} recovered ${r.recovered}  unexpected ${r.unexpectedErrors}`);
});
console.log(JSON.stringify(report, null, 2));
if (solves >= 10_000) {
  const { elapsedMs, rssSamplesMiB, ...rest } = report;
  writeResults('responsiveness-soak', {
    rows: [{ ...rest, 'RSS every tenth of the solves (MiB)': rssSamplesMiB.join(' '), 'elapsed s': Math.round(elapsedMs / 1000) }],
    summary: { command: `pnpm exec tsx --conditions=source benchmarks/responsiveness/soak.ts ${solves}` },
    notes: ['Every 10th model is a MIP, the others LPs of 24 nonzeros; all run in the one HiGHS worker (offload auto: small LPs go to an idle worker, and the in-thread runtime is dropped after each worker solve). Every 1,000th model has a matrix entry of 1e16, which HiGHS refuses (passModel fails), alternately as a MIP (the HiGHS worker drops its runtime and loads a fresh one for its next solve; the worker is kept) and as an LP forced in-thread (offload: thread; the runtime is dropped, and re-created for the next solve, also forced in-thread). RSS (this process, its worker threads, plus a HiGHS worker process if EMPLACE_HIGHS_WORKER=process, read from /proc) is sampled after every tenth of the solves; the first sample is the warm-up reference.'],
  });
}
if (report.unexpectedErrors > 0 || report.recovered !== report.forcedFailures - (solves % 1000 === 0 ? 1 : 0)) process.exitCode = 1;
