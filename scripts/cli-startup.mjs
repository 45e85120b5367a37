#!/usr/bin/env node
// Start-up time of the built `emplace` binary: median and min wall time of N runs of
// `--help`, `--version` and `help cfl` (and of `node -e 0` for reference), plus the load average.
// Usage: node scripts/cli-startup.mjs [runs=15]   (after `pnpm build`)
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const cases = [['node -e 0', ['-e', '0']], ['emplace --help', [bin, '--help']], ['emplace --version', [bin, '--version']], ['emplace help cfl', [bin, 'help', 'cfl']]];
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${runs} runs each`);
for (const [name, args] of cases) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(20)} median ${times[Math.floor(runs / 2)].toFixed(0).padStart(5)} ms   min ${times[0].toFixed(0).padStart(5)} ms`);
}
