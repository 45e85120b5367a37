import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The command's exit (exit.ts: process.exit once the output is flushed, issue 13).
 * Regression tests: the exit code is the one asked for, nothing written before it is lost,
 * no warning reaches stderr, and the built command turns SIGINT / SIGTERM during a real solve
 * into one JSON line with stoppedBy aborted and exit 0. No timing is asserted.
 */

const here = dirname(fileURLToPath(import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');
const exitModule = join(here, '..', 'src', 'exit.ts');
const bin = join(here, '..', 'dist', 'bin.js');

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

function ended(child: ReturnType<typeof spawn>, onErr?: (err: string) => void): Promise<Ended> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    onErr?.(err);
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err })));
}

/** A script that writes `lines` lines on stdout, registers an 'exit' listener, then calls exitWhenFlushed(code). */
function exitScript(code: number, lines: number): Promise<Ended> {
  const script = `
    import { exitWhenFlushed } from ${JSON.stringify(exitModule)};
    process.on('exit', () => process.stderr.write('exit event\\n'));
    for (let i = 0; i < ${lines}; i++) process.stdout.write('line ' + i + ' ' + 'x'.repeat(200) + '\\n');
    exitWhenFlushed(${code});
  `;
  const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return ended(child);
}

describe('the exit once flushed', () => {
  it('ends with the code asked for, after everything written, through process.exit (its exit event runs)', async () => {
    for (const code of [0, 1, 2]) {
      // 20,000 lines (4 MB): more than a pipe holds, so the writes queue behind the reader.
      const r = await exitScript(code, 20_000);
      expect(r.code, `code ${code}`).toBe(code);
      expect(r.signal).toBeNull();
      const lines = r.out.split('\n');
      expect(lines).toHaveLength(20_001);
      expect(lines[19_999]).toMatch(/^line 19999 x+$/);
      expect(r.err).toBe('exit event\n');
    }
  });
});

/** A p-median file (OR-Library pmed format) whose solve takes seconds: 900 nodes, 16,200 edges, p = 90. */
function slowPmedFile(): string {
  const n = 900;
  const m = 16_200;
  let seed = 12345;
  const next = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  const lines = [`${n} ${m} 90`];
  for (let v = 1; v < n; v++) lines.push(`${v} ${v + 1} ${1 + next(100)}`);
  while (lines.length <= m) {
    const a = 1 + next(n);
    const b = 1 + next(n);
    if (a !== b) lines.push(`${a} ${b} ${1 + next(100)}`);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'emplace-bin-exit-')), 'pmed-slow.txt');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe.skipIf(!existsSync(bin))('the built command after SIGINT / SIGTERM (needs tsc -b)', () => {
  it('prints the incumbent as one JSON line with stoppedBy aborted and exits 0', async () => {
    const file = slowPmedFile();
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, [bin, 'solve', 'pmedian', file, '--json', '--time-limit', '60'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, EMPLACE_TRACE_EXIT: '1' },
      });
      // The trace line `emplace-trace solving` says the first problem is being solved.
      let sent = false;
      const r = await ended(child, (err) => {
        if (!sent && /^emplace-trace solving /m.test(err)) {
          sent = true;
          setTimeout(() => child.kill(sig), 300);
        }
      });
      expect(sent, sig).toBe(true);
      expect(r.signal, sig).toBeNull();
      expect(r.code, sig).toBe(0);
      const lines = r.out.split('\n');
      expect(lines, sig).toHaveLength(2);
      expect(lines[1]).toBe('');
      const rec = JSON.parse(lines[0]!) as { stoppedBy: string; family: string; solution: unknown; objective: number };
      expect(rec.stoppedBy, sig).toBe('aborted');
      expect(rec.family).toBe('pmedian');
      expect(rec.solution).not.toBeNull();
      expect(Number.isFinite(rec.objective)).toBe(true);
      // Only the trace lines on stderr: no warning.
      expect(r.err.split('\n').filter((l) => l.length > 0 && !l.startsWith('emplace-trace ')), sig).toEqual([]);
      expect(r.err, sig).toMatch(/^emplace-trace signal /m);
      expect(r.err, sig).toMatch(/^emplace-trace exit /m);
    }
  }, 60_000);
});
