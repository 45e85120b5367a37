/**
 * In-thread abort latency of every GAP method (issue 13): an AbortSignal fired by a timer
 * at a random moment (setup included: from 1 ms on); latency = from the moment the abort
 * was due to the solve's promise settling. Also checks that an aborted run that had found
 * a plan returns it.
 *
 *   pnpm exec tsx --conditions=source benchmarks/assignment/abort.ts [--quick]
 */
import { Rng } from '@emplace/core';
import { gapAuto, gapBranchAndBoundSolve, gapLagrangian, gapMthg, gapTabuSearch, generateGap, type GapOptions } from '@emplace/assignment';
import { printTable, writeResults, type Cell } from '../lib/instances.js';

const quick = process.argv.includes('--quick');
const repeats = quick ? 8 : 25;
const rng = new Rng(13);
const methods = { auto: gapAuto, mthg: gapMthg, lagrangian: gapLagrangian, tabu: gapTabuSearch, 'branch-and-bound': gapBranchAndBoundSolve } as const;
const inputs = [
  { name: 'D 20x200', model: generateGap('D', 20, 200, 1) },
  { name: 'D 5x200', model: generateGap('D', 5, 200, 2) },
  { name: 'E 10x200', model: generateGap('E', 10, 200, 3) },
];

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const rows: Record<string, Cell>[] = [];
for (const input of inputs) {
  for (const [name, solve] of Object.entries(methods)) {
    const latencies: number[] = [];
    let withPlan = 0;
    let aborted = 0;
    for (let r = 0; r < repeats; r++) {
      const ctl = new AbortController();
      const delay = 1 + rng.int(1500);
      const options: GapOptions = { signal: ctl.signal, timeLimitMs: 60_000, seed: r };
      const start = performance.now();
      setTimeout(() => ctl.abort(), delay);
      const res = await solve(input.model, options);
      const end = performance.now();
      if (res.stoppedBy !== 'aborted') continue; // finished before the abort
      aborted++;
      latencies.push(Math.max(0, end - (start + delay)));
      if (res.status === 'feasible' || res.status === 'optimal') withPlan++;
    }
    rows.push({
      input: input.name,
      method: `gap:${name}`,
      aborted: `${aborted}/${repeats}`,
      'with plan': withPlan,
      'p50 ms': latencies.length ? Math.round(quantile(latencies, 0.5) * 10) / 10 : undefined,
      'p99 ms': latencies.length ? Math.round(quantile(latencies, 0.99) * 10) / 10 : undefined,
      'max ms': latencies.length ? Math.round(Math.max(...latencies) * 10) / 10 : undefined,
    });
  }
}
printTable(rows);
console.log('latencies include the load of a shared 2-core machine: treat them as upper bounds');
console.log(`wrote ${writeResults(`assignment-gap-abort${quick ? '-quick' : ''}`, { rows, summary: { repeats } })}`);
