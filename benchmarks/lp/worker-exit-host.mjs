// Host process for worker-exit.ts, from the built packages (npx tsc -b): plain Node, no loader
// thread of its own to wait for at exit (the TypeScript fixture runs under tsx, whose hooks
// thread process.exit also joins). Starts a market-split MIP (5 x 40, far longer than a run)
// in the HiGHS worker, prints `solving <worker pids>`, aborts on the next stdin line, prints
// `answered <status> <stoppedBy>` and exits at once, like the CLI after Ctrl-C.
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { LinearModel, solveLp, warmHighsWorker } from '../../packages/lp/dist/index.js';

/** The market-split model of packages/lp/test/market-split.ts (same generator and seed). */
function marketSplit(m, n, seed) {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const model = new LinearModel('min');
  const x0 = model.addVariables(n, { type: 'binary' });
  const slack0 = model.addVariables(2 * m, { obj: 1 });
  const idx = Array.from({ length: n }, (_, j) => x0 + j);
  for (let i = 0; i < m; i++) {
    const a = idx.map(() => Math.floor(rnd() * 100));
    model.addEq([...idx, slack0 + 2 * i, slack0 + 2 * i + 1], [...a, 1, -1], Math.floor(a.reduce((p, q) => p + q, 0) / 2));
  }
  return model;
}

const childPids = () =>
  readdirSync('/proc/self/task').flatMap((t) => readFileSync(`/proc/self/task/${t}/children`, 'utf8').trim().split(/\s+/).filter((p) => p !== ''));

await warmHighsWorker();
const controller = new AbortController();
const solving = solveLp(marketSplit(5, 40, 4), { offload: 'worker', signal: controller.signal });
await new Promise((r) => setTimeout(r, 300));
process.stdout.write(`solving ${childPids().join(' ')}\n`);
createInterface({ input: process.stdin }).once('line', () => controller.abort());
const sol = await solving;
process.stdout.write(`answered ${sol.status} ${sol.stoppedBy}\n`, () => process.exit(0));
