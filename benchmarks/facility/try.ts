import { readFileSync } from 'node:fs';
import { readOrlibCap, readOrlibPmed } from '@emplace/io';
import { solveCfl, solveUfl, solvePMedian } from '@emplace/facility';
const dir = '/work/shared/instances/';
const opt = JSON.parse(readFileSync(dir + 'cflp/optima.json', 'utf8'));
const optu = JSON.parse(readFileSync(dir + 'cflp/optima_ufl.json', 'utf8'));
const which = process.argv[2] ?? 'cap41';
const method = process.argv[3] ?? 'auto';
const fam = process.argv[4] ?? 'cfl';
if (fam === 'pmedian') {
  const inst = readOrlibPmed(readFileSync(dir + 'pmed/' + which + '.txt', 'utf8'));
  const po = JSON.parse(readFileSync(dir + 'pmed/optima.json', 'utf8'));
  const t0 = performance.now();
  const r = await solvePMedian(inst.model, { p: inst.p, method, timeLimitMs: 20000 });
  console.log(which, inst.n, inst.p, r.status, r.objective, r.bound, po[which].value, (performance.now() - t0).toFixed(0), 'ms', JSON.stringify(r.stats));
} else {
  const { model } = readOrlibCap(readFileSync(dir + 'cflp/' + which + '.txt', 'utf8'));
  const t0 = performance.now();
  const r = await (fam === 'cfl' ? solveCfl : solveUfl)(model, { method, timeLimitMs: 20000 });
  console.log(which, fam, r.status, r.objective, r.bound, (fam === 'cfl' ? opt : optu)[which].value, (performance.now() - t0).toFixed(0), 'ms', JSON.stringify(r.stats));
}
