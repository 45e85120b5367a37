/**
 * How long starting a child process blocks the host's event loop, by the host's memory (why
 * Node's HiGHS worker is a thread by default and a process only in the CLI: highs-thread.ts).
 * `child_process.fork` forks the host, and the fork copies its page tables: the call itself
 * is timed, five times at each resident size (typed arrays filled to hold the memory).
 *
 * Run: npx tsx benchmarks/lp/fork-cost.ts   (prints; writes no results file)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const child = join(mkdtempSync(join(tmpdir(), 'emplace-fork-')), 'idle-child.mjs');
writeFileSync(child, "process.on('disconnect', () => process.exit(0));\n");
const held: Float64Array[] = [];
let heldBytes = 0;
for (const mib of [0, 200, 800]) {
  while (heldBytes < mib * 2 ** 20) {
    const a = new Float64Array(2 ** 20);
    a.fill(1);
    held.push(a);
    heldBytes += a.byteLength;
  }
  const ms: string[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const c = fork(child, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    ms.push((performance.now() - t0).toFixed(1));
    c.kill('SIGKILL');
    await new Promise((done) => setTimeout(done, 50));
  }
  console.log(`RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB: fork() blocked the event loop ${ms.join(' ')} ms`);
}
process.exit(0);
