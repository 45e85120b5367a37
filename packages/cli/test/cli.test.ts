import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allFamilies, parseCommandLine, runCli } from '@emplace/cli';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('emplace CLI', () => {
  it('prints help with exit 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/emplace solve <family> <file>/);
    expect(r.err).toBe('');
  });

  it('lists formats', async () => {
    const r = await run('formats');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/stp/i);
  });

  it('rejects an unknown family with one line and exit 1', async () => {
    const r = await run('solve', 'no-such-family', 'x.txt');
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/unknown family "no-such-family"/);
  });

  it('rejects an unknown command and bad numbers', async () => {
    expect((await run('frobnicate')).code).toBe(1);
    const r = await run('solve', 'x', 'y', '--k', 'three');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--k must be a number/);
  });

  it('reports a missing file in one line for every family', async () => {
    for (const family of allFamilies) {
      const r = await run('solve', family.name, '/definitely/not/here.txt', '--json');
      expect(r.code, family.name).toBe(1);
      expect(r.out, family.name).toBe('');
      expect(r.err.trim().split('\n'), family.name).toHaveLength(1);
    }
  });

  it('reports a malformed file in one line for every family', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emplace-cli-'));
    const file = join(dir, 'garbage.txt');
    writeFileSync(file, 'this is not\nany format 1 2 x\n');
    for (const family of allFamilies) {
      const r = await run('solve', family.name, file);
      expect(r.code, family.name).toBe(1);
      expect(r.err.trim().split('\n'), family.name).toHaveLength(1);
      expect(r.err, family.name).toMatch(/^emplace: /);
    }
  });

  it('parses options', () => {
    const p = parseCommandLine(['solve', 'cfl', 'f.txt', '--time-limit', '2.5', '--seed=3', '--json', '--k', '4', '--sense', 'max']);
    expect(p.positional).toEqual(['solve', 'cfl', 'f.txt']);
    expect(p.args.timeLimitMs).toBe(2500);
    expect(p.args.seed).toBe(3);
    expect(p.args.k).toBe(4);
    expect(p.args.json).toBe(true);
    expect(p.args.extra.sense).toBe('max');
  });
});

describe('emplace convert', () => {
  it('converts a SteinLib instance to an edge list and back to emplace JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emplace-convert-'));
    const stp = join(dir, 'tiny.stp');
    writeFileSync(
      stp,
      '33D32945 STP File, STP Format Version 1.0\nSECTION Graph\nNodes 3\nEdges 2\nE 1 2 4\nE 2 3 5\nEND\nSECTION Terminals\nTerminals 2\nT 1\nT 3\nEND\nEOF\n',
    );
    const r = await run('convert', stp, '-', '--to', 'emplace-json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { kind: string };
    expect(doc.kind).toBe('graph');
    const bad = await run('convert', stp, '-');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--to/);
  });
});

describe('family usage errors', () => {
  it('say what is wrong without calling it an internal error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emplace-usage-'));
    const file = join(dir, 'g.edges');
    writeFileSync(file, '0 1 2\n1 2 3\n');
    const r = await run('solve', 'maxflow', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^emplace: maxflow needs --source/);
    const s = await run('solve', 'steiner', file);
    expect(s.code).toBe(1);
    expect(s.err).not.toMatch(/internal error/);
  });
});
