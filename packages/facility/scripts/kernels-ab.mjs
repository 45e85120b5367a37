#!/usr/bin/env node
// Cold A/B of the WebAssembly knapsack kernels against the TypeScript ones: every OR-Library cap
// file (or the files given) solved by solveCfl (`auto`) in a FRESH node process per run, kernels
// on and off alternately, from the built packages (run `npx tsc -b packages/facility packages/io`
// first). Prints the median solve ms of each and their ratio (wasm / js), and the same for the
// process CPU time of the solve (less sensitive to other jobs on a loaded machine).
//
//   node packages/facility/scripts/kernels-ab.mjs [--repeat 3] [--dir D] [cap41 cap64 ...]
// (--dir: the OR-Library-format files D/*.txt instead, e.g. the generated ones that
// benchmarks/facility/small.ts --generated leaves in a temporary directory)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => `file://${join(pkg, '..', p)}`;

if (process.argv[2] === '--child') {
  const [, , , file, mode] = process.argv;
  const kernels = await import(dist('facility/dist/kernels/wasm.js'));
  if (mode === 'js') kernels.useWasmKernels(false);
  const { readOrlibCap } = await import(dist('io/dist/index.js'));
  const { solveCfl } = await import(dist('facility/dist/index.js'));
  const { model } = readOrlibCap(readFileSync(file, 'utf8'));
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = await solveCfl(model);
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, objective: r.objective, status: r.status }));
  process.exit(0);
}

const args = process.argv.slice(2);
const ri = args.indexOf('--repeat');
const repeat = ri >= 0 ? Number(args.splice(ri, 2)[1]) : 3;
const di = args.indexOf('--dir');
const dirFlag = di >= 0 ? args.splice(di, 2)[1] : undefined;
const dir = dirFlag ? resolve(dirFlag) : process.env.EMPLACE_INSTANCES ? join(process.env.EMPLACE_INSTANCES, 'cflp') : resolve(pkg, '../../../shared/instances/cflp');
const names = args.length > 0 ? args : readdirSync(dir).filter((f) => (dirFlag ? f.endsWith('.txt') : /^cap\d+\.txt$/.test(f))).map((f) => f.slice(0, -4)).sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const load0 = loadavg()[0];
const ratios = [];
const cpuRatios = [];
const sums = { js: 0, wasm: 0 };
for (const name of names) {
  const ms = { js: [], wasm: [] };
  const cpu = { js: [], wasm: [] };
  const objective = {};
  for (let k = 0; k < repeat; k++) {
    for (const mode of k % 2 ? ['wasm', 'js'] : ['js', 'wasm']) {
      const out = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', join(dir, `${name}.txt`), mode], { encoding: 'utf8' }));
      ms[mode].push(out.ms);
      cpu[mode].push(out.cpuMs);
      objective[mode] = out.objective;
    }
  }
  const js = median(ms.js);
  const wasm = median(ms.wasm);
  sums.js += js;
  sums.wasm += wasm;
  ratios.push(wasm / js);
  const cj = median(cpu.js);
  const cw = median(cpu.wasm);
  cpuRatios.push(cw / cj);
  console.log(`${name}\tjs ${js.toFixed(1)} ms\twasm ${wasm.toFixed(1)} ms\tratio ${(wasm / js).toFixed(3)}\tcpu js ${cj.toFixed(1)} wasm ${cw.toFixed(1)} ratio ${(cw / cj).toFixed(3)}\t${objective.js === objective.wasm ? 'same objective' : `OBJECTIVE DIFFERS ${objective.js} ${objective.wasm}`}`);
}
const geomean = (xs) => Math.exp(xs.reduce((s, r) => s + Math.log(r), 0) / xs.length);
console.log(`total js ${sums.js.toFixed(0)} ms, wasm ${sums.wasm.toFixed(0)} ms; geomean ratio wasm/js ${geomean(ratios).toFixed(3)}, of cpu ${geomean(cpuRatios).toFixed(3)}; load ${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}`);
