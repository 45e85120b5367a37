/**
 * `pnpm bench [family ...] [--quick]`: runs each family's benchmark (benchmarks/<family>/run.ts)
 * on the shared public instances, one after the other, with a progress line, keeps each
 * benchmark's full output in benchmarks/out/<family>.log, and regenerates
 * docs/benchmarks.md from benchmarks/results/*.json. With --quick the results and the
 * report go to benchmarks/out/ instead, leaving the committed full results alone.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './lib/instances.js';
import { writeBenchmarksReport } from './lib/report.js';

const argv = process.argv.slice(2);
const passThrough = argv.filter((a) => a.startsWith('--'));
const requested = argv.filter((a) => !a.startsWith('--'));
const benchDir = resolve(repoRoot, 'benchmarks');
const available = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(resolve(benchDir, d.name, 'run.ts')))
  .map((d) => d.name)
  .sort();
const unknown = requested.filter((f) => !available.includes(f));
if (unknown.length > 0) {
  console.error(`bench: unknown family ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(1);
}
const families = requested.length > 0 ? requested : available;
const outDir = resolve(benchDir, 'out');
mkdirSync(outDir, { recursive: true });
const tsx = resolve(repoRoot, 'node_modules/.bin/tsx');
// A quick run measures a subset: its results go to benchmarks/out, never over the full ones.
const quick = passThrough.includes('--quick');
if (quick) {
  process.env.EMPLACE_RESULTS_DIR = resolve(outDir, 'quick-results');
  mkdirSync(process.env.EMPLACE_RESULTS_DIR, { recursive: true });
}
const tty = process.stdout.isTTY === true;

function bar(done: number, total: number, width = 24): string {
  const filled = Math.round((width * done) / Math.max(1, total));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

let failures = 0;
const started = performance.now();
for (let k = 0; k < families.length; k++) {
  const family = families[k]!;
  const log = resolve(outDir, `${family}.log`);
  const stream = createWriteStream(log);
  const t0 = performance.now();
  let last = '';
  const show = (final = false) => {
    const secs = ((performance.now() - t0) / 1000).toFixed(0);
    const line = `${bar(k + (final ? 1 : 0), families.length)} ${k + 1}/${families.length} ${family} ${secs}s ${last.slice(0, 60)}`;
    if (tty) process.stdout.write(`\r\x1b[K${line}`);
    else if (final) console.log(line);
  };
  if (!tty) console.log(`${bar(k, families.length)} ${k + 1}/${families.length} ${family}: running (log: benchmarks/out/${family}.log)`);
  const code = await new Promise<number>((done) => {
    const child = spawn(tsx, ['--conditions=source', resolve(benchDir, family, 'run.ts'), ...passThrough], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (chunk: Buffer) => {
      stream.write(chunk);
      const lines = chunk.toString().split('\n').filter((l) => l.trim() !== '');
      if (lines.length > 0) last = lines[lines.length - 1]!.trim();
      show();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => show(), 1000);
    child.on('close', (c) => {
      clearInterval(timer);
      done(c ?? 1);
    });
  });
  stream.end();
  last = code === 0 ? 'done' : `FAILED (exit ${code}, see benchmarks/out/${family}.log)`;
  show(true);
  if (tty) process.stdout.write('\n');
  if (code !== 0) failures++;
}
const report = writeBenchmarksReport(quick ? resolve(outDir, 'benchmarks-quick.md') : undefined);
console.log(`\n${families.length} benchmark(s) in ${((performance.now() - started) / 1000).toFixed(0)} s; report: ${report}`);
if (failures > 0) {
  console.error(`${failures} benchmark(s) failed`);
  process.exit(1);
}
