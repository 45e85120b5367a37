import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allFamilies, MAX_WIDTH, parseCommandLine, runCli, suggest, type CliOption, type RunCliOptions } from '@emplace/cli';
import { bigVector, fakeFamilies } from './fixtures/fake-families.js';
import { familyHelp, familyList, fastHelp, USAGE, type FamilyInfo } from '../src/help.js';

const here = dirname(fileURLToPath(import.meta.url));

async function run(argv: string[], options: RunCliOptions = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) }, options);
  return { code, out, err };
}

function widest(text: string): number {
  return Math.max(...text.split('\n').map((l) => l.length));
}

describe('options are checked', () => {
  it('rejects a misspelled option with a suggestion, before reading the file', async () => {
    const r = await run(['solve', 'cfl', '/not/here.txt', '--time-limt', '3']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('emplace: unknown option --time-limt for solve cfl; did you mean --time-limit?\n');
  });

  it('rejects an option the family does not use', async () => {
    const r = await run(['solve', 'ufl', '/not/here.txt', '--k', '3']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^emplace: ufl does not use --k/);
    const s = await run(['solve', 'steiner', '/not/here.txt', '--sense', 'max']);
    expect(s.err).toMatch(/^emplace: steiner does not use --sense/);
  });

  it('checks --flag=false against the family too, and refuses integers beyond 2^53 and above a maximum (fuzz findings)', async () => {
    const merge = await run(['solve', 'online-ufl', '/not/here.txt', '--merge=false']);
    expect(merge.err).toMatch(/^emplace: online-ufl does not use --merge/);
    // --runs 1e308 passed as an integer and the replay loop grew until the process died.
    const huge = await run(['solve', 'online-ufl', '/not/here.txt', '--runs', '1e308']);
    expect(huge.err).toMatch(/^emplace: --runs must be an integer of at most 9007199254740991, got 1e308/);
    const many = await run(['solve', 'online-kcenter', '/not/here.txt', '--runs', '10001']);
    expect(many.err).toMatch(/^emplace: --runs must be at most 10000/);
    expect((await run(['solve', 'kcenter', '/not/here.txt', '--k', '1e308'])).err).toMatch(/--k must be an integer of at most/);
    for (const r of [merge, huge, many]) expect(r.code).toBe(1);
  });

  it('rejects unknown options of the other commands and single-dash options', async () => {
    expect((await run(['formats', '--jsno'])).err).toMatch(/unknown option --jsno for formats; did you mean --json\?/);
    expect((await run(['methods', '-x'])).err).toMatch(/unknown option -x/);
    expect((await run(['--frobnicate'])).code).toBe(1);
  });

  it('checks values against the family declaration', async () => {
    const r = await run(['solve', 'fiedler', '/not/here.txt', '--laplacian', 'normalised']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--laplacian must be one of combinatorial, normalized, got "normalised"; did you mean normalized\?/);
    expect((await run(['solve', 'kcenter', '/not/here.txt', '--k', '2.5'])).err).toMatch(/--k must be an integer/);
    expect((await run(['solve', 'cfl', '/not/here.txt', '--time-limit'])).err).toMatch(/--time-limit needs a value/);
  });

  it('suggests commands and families', async () => {
    expect((await run(['solv'])).err).toMatch(/did you mean solve\?/);
    expect((await run(['solve', 'kcentre', 'f.txt'])).err).toMatch(/unknown family "kcentre"; did you mean kcenter\?/);
    expect(suggest('sedd', ['seed', 'method'])).toBe('seed');
    expect(suggest('zzzzzz', ['seed', 'method'])).toBeUndefined();
  });

  it('keeps the family options in args.extra and the shared ones typed', () => {
    const gap = allFamilies.find((f) => f.name === 'gap')!;
    const p = parseCommandLine(['solve', 'gap', 'f.txt', '--sense=max', '--seed', '-3', '--json'], [gap]);
    expect(p.positional).toEqual(['solve', 'gap', 'f.txt']);
    expect(p.args.extra).toEqual({ sense: 'max' });
    expect(p.args.seed).toBe(-3);
    expect(p.args.json).toBe(true);
  });

  it('makes every declared family option valid for that family only', () => {
    for (const family of allFamilies) {
      const sampleValue = (o: CliOption) => (o.type === 'boolean' ? [] : [o.choices?.[0] ?? (o.type === 'string' ? 'x' : String(Math.max(1, o.min ?? 1)))]);
      const required = (family.options ?? []).filter((o) => o.required).flatMap((o) => [`--${o.name}`, ...sampleValue(o)]);
      for (const o of family.options ?? []) {
        if (o.required) continue;
        const argv = ['solve', family.name, 'f', ...required, `--${o.name}`, ...sampleValue(o)];
        expect(() => parseCommandLine(argv, allFamilies), argv.join(' ')).not.toThrow();
      }
    }
  });
});

describe('gap needs --sense', () => {
  it('refuses to guess the sense of an OR-Library gap file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emplace-gap-'));
    const file = join(dir, 'tiny.txt');
    // 1 problem, 2 agents, 3 jobs: costs, requests, capacities.
    writeFileSync(file, '1\n2 3\n1 9 2\n8 2 7\n1 1 1\n1 1 1\n2 2\n');
    const r = await run(['solve', 'gap', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^emplace: gap needs --sense min\|max/);
    const min = await run(['solve', 'gap', file, '--sense', 'min', '--json']);
    expect(min.err).toBe('');
    expect(JSON.parse(min.out).objective).toBe(5);
    const max = await run(['solve', 'gap', file, '--sense', 'max', '--json']);
    expect(JSON.parse(max.out).objective).toBe(24);
  });
});

describe('help and version', () => {
  it('renders the same help from the catalog (dist/catalog.json) as from the families', async () => {
    const info = JSON.parse(JSON.stringify(allFamilies.map((f) => ({ name: f.name, description: f.description, formats: f.formats, methods: f.methods, options: f.options })))) as FamilyInfo[];
    let out = '';
    expect(fastHelp(['help', 'nope'], (t) => (out += t))).toBeUndefined();
    expect(USAGE + familyList(info) + '\n').toBe((await run(['--help'])).out);
    for (const f of info) expect(familyHelp(f) + '\n', f.name).toBe((await run(['help', f.name])).out);
  });

  it('prints the version of @emplace/cli', async () => {
    const pkg = JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`${pkg.version}\n`);
    }
  });

  it('fits help, every family help, methods and formats in 100 columns', async () => {
    const outputs = [await run(['--help']), await run(['methods']), await run(['formats'])];
    for (const f of allFamilies) outputs.push(await run(['help', f.name]));
    for (const r of outputs) {
      expect(r.code).toBe(0);
      expect(widest(r.out)).toBeLessThanOrEqual(MAX_WIDTH);
    }
  });

  it('lists a family\'s own options under emplace help <family> and solve <family> --help', async () => {
    const r = await run(['help', 'maxflow']);
    expect(r.out).toMatch(/--source <node>\s+source node/);
    expect(r.out).toMatch(/--directed/);
    const s = await run(['solve', 'gap', '--help']);
    expect(s.out).toMatch(/--sense min\|max/);
    expect((await run(['help', 'nope'])).code).toBe(1);
  });
});

describe('progress line', () => {
  it('shows a progress line on stderr for a solve over a second, erased at the end; never with --json', async () => {
    const r = await run(['solve', 'slow', 'f'], { progress: true, families: fakeFamilies() });
    expect(r.code).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the progress line is drawn with a terminal escape
    expect(r.err).toMatch(/^\r\x1b\[Kemplace: slow p1 \d+\.\d s {2}search {2}incumbent 42/);
    expect(r.err.endsWith('\r\x1b[K')).toBe(true);
    expect(r.out).toMatch(/p1/);
    const j = await run(['solve', 'slow', 'f', '--json'], { progress: true, families: fakeFamilies() });
    expect(j.err).toBe('');
    expect(JSON.parse(j.out)).toMatchObject({ objective: 42 });
  });
});

describe('abort (SIGINT / SIGTERM)', () => {
  it('prints the incumbent with stoppedBy aborted as one JSON line, skips the rest, exit 0', async () => {
    const controller = new AbortController();
    const r = await run(['solve', 'wait', 'f', '--json'], { signal: controller.signal, families: fakeFamilies(() => controller.abort()) });
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(rec).toMatchObject({ instance: 'p1', status: 'feasible', objective: 42, stoppedBy: 'aborted' });
  });

  it('exits 2 when the solve was aborted before any solution', async () => {
    const controller = new AbortController();
    const r = await run(['solve', 'wait-empty', 'f'], { signal: controller.signal, families: fakeFamilies(() => controller.abort()) });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/no-solution/);
  });

  it('exits 2 with a one-line reason when the signal came before the first solve', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await run(['solve', 'wait', 'f', '--json'], { signal: controller.signal, families: fakeFamilies() });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('emplace: interrupted before the first problem was solved\n');
  });

  it('a signal during the read of a pmed file stops its distance closure: exit 2 at once (audit finding)', async () => {
    // Before: the O(n^3) closure ran in one stretch (0.55 s for pmed25 after the signal).
    const n = 120;
    const lines = [`${n} ${n - 1} 5`, ...Array.from({ length: n - 1 }, (_, v) => `${v + 1} ${v + 2} ${1 + (v % 7)}`)];
    const file = join(mkdtempSync(join(tmpdir(), 'emplace-pmed-')), 'pmed99.txt');
    writeFileSync(file, lines.join('\n') + '\n');
    for (const family of ['pmedian', 'kcenter']) {
      const controller = new AbortController();
      setImmediate(() => controller.abort());
      const r = await run(['solve', family, file, '--json'], { signal: controller.signal });
      expect(r.code, family).toBe(2);
      expect(r.err, family).toBe('emplace: interrupted before the first problem was solved\n');
    }
  });

  const tsx = createRequire(import.meta.url).resolve('tsx');
  function spawnCli(argv: string[]) {
    const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, join(here, 'fixtures', 'signal-cli.ts'), ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const waiting: { marker: string; resolve: () => void }[] = [];
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      for (const w of waiting) if (err.split('\n').includes(w.marker)) w.resolve();
    });
    /** Resolves once the fixture has written the line `marker` on stderr. */
    const stderrLine = (marker: string) => new Promise<void>((resolve) => waiting.push({ marker, resolve }));
    const started = stderrLine('started');
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    return { child, started, stderrLine, exited, output: () => out, errors: () => err };
  }

  it('a signal before the first problem starts solving ends the process at once: exit 2, nothing on stdout', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const p = spawnCli(['solve', 'slow-load', 'f', '--json']);
      await p.stderrLine('reading');
      p.child.kill(sig);
      const end = await p.exited;
      expect(end.code, sig).toBe(2);
      expect(p.output(), sig).toBe('');
      // The same line as runCli's for a signal aborted while the file loads (one wording, docs/cli.md).
      expect(p.errors().split('\n'), sig).toContain('emplace: interrupted before the first problem was solved');
      expect(p.errors(), sig).not.toMatch(/aborted before/);
      expect(p.errors().split('\n'), sig).not.toContain('read');
    }
  });

  it('a signal while a large edge list is parsed is handled during the parse (the reader yields): exit 2, file never finished', async () => {
    // 600,000 edges: the parse takes a good part of a second, far longer than the signal's way.
    const dir = mkdtempSync(join(tmpdir(), 'emplace-big-edges-'));
    const file = join(dir, 'big.edges');
    const lines: string[] = [];
    for (let e = 0; e < 600_000; e++) lines.push(`${e % 100_003}\t${(e * 7919) % 100_019}`);
    writeFileSync(file, lines.join('\n') + '\n');
    const p = spawnCli(['solve', 'read-graph', file, '--json']);
    await p.stderrLine('reading');
    p.child.kill('SIGINT');
    const end = await p.exited;
    expect(end.code).toBe(2);
    expect(p.output()).toBe('');
    expect(p.errors().split('\n')).not.toContain('read');
  });

  it('turns a real SIGINT into an abort that prints the incumbent', async () => {
    const p = spawnCli(['solve', 'wait', 'f', '--json']);
    await p.started;
    p.child.kill('SIGINT');
    const { code } = await p.exited;
    expect(code).toBe(0);
    expect(JSON.parse(p.output().trim())).toMatchObject({ stoppedBy: 'aborted', objective: 42 });
  });

  it('an aborted solve with a 300,000-entry vector prints it whole through a slow pipe before exiting (issue 13)', async () => {
    const p = spawnCli(['solve', 'wait-vector', 'f', '--json']);
    await p.started;
    // The reader stalls: the line is written in pieces and must still be complete at exit.
    p.child.stdout.pause();
    p.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    p.child.stdout.resume();
    const { code } = await p.exited;
    expect(code).toBe(0);
    const lines = p.output().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const rec = JSON.parse(lines[0]!) as { stoppedBy: string; solution: { vector: number[] } };
    expect(rec.stoppedBy).toBe('aborted');
    const want = bigVector();
    const got = rec.solution.vector;
    expect(got.length).toBe(want.length);
    let same = 0;
    for (let i = 0; i < want.length; i++) if (got[i] === (Object.is(want[i], -0) ? 0 : want[i])) same++;
    expect(same).toBe(want.length);
  });

  it('treats SIGTERM the same way, and a second signal ends a solver that ignores the first', async () => {
    const t = spawnCli(['solve', 'wait', 'f']);
    await t.started;
    t.child.kill('SIGTERM');
    expect((await t.exited).code).toBe(0);
    expect(t.output()).toMatch(/aborted|42/);

    const s = spawnCli(['solve', 'stubborn', 'f']);
    await s.started;
    s.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    s.child.kill('SIGINT');
    const end = await s.exited;
    expect(end.signal).toBe('SIGINT');
  });
});

describe('damaged OR-Library files', () => {
  it('name the format they were meant to be, with the line, for kcenter and pareto', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emplace-damaged-'));
    // A pmed file cut short: header "n edges p", then fewer edges than announced.
    const pmed = join(dir, 'cut.txt');
    writeFileSync(pmed, '5 6 2\n1 2 3\n2 3 4\n3 4 5\n');
    const k = await run(['solve', 'kcenter', pmed]);
    expect(k.code).toBe(1);
    expect(k.err).toMatch(/no valid orlib-pmed \(.*line 5: file ends early/);
    // A cap file cut inside the warehouse lines.
    const cap = join(dir, 'cut2.txt');
    writeFileSync(cap, '3 4\n10 5\n10 5\n');
    for (const family of ['kcenter', 'pareto']) {
      const r = await run(['solve', family, cap]);
      expect(r.code, family).toBe(1);
      expect(r.err, family).toMatch(/no valid orlib-cap \(.*line 4: file ends early: expected the capacity of warehouse 3/);
      expect(r.err.trim().split('\n'), family).toHaveLength(1);
    }
  });
});
