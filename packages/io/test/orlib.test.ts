import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { demandAt } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import { readOrlibCap, readOrlibGap, readOrlibPmed, readOrlibPmedAsync, ReadAbortedError, writeOrlibCap, writeOrlibGap, writeOrlibPmed } from '@emplace/io';
import { formatError } from './helpers.js';
import { instancesDir } from './instances-dir.js';

const CAP = ` 3 2 \n 100 10. \n 200 20. \n 300 30. \n 5 \n 1 2\n 3 \n 7\n 4 5 6 \n`;

describe('readOrlibCap', () => {
  it('reads warehouses, customers and whole-demand costs (values wrapping over lines)', () => {
    const { model, name } = readOrlibCap(CAP, { name: 'tiny' });
    expect(name).toBe('tiny');
    expect(model.nSites).toBe(3);
    expect(model.nClients).toBe(2);
    expect([...model.capacity]).toEqual([100, 200, 300]);
    expect([...model.openingCost]).toEqual([10, 20, 30]);
    expect([...model.demand]).toEqual([5, 7]);
    // cost[i * n + j]: customer 1 costs 1, 2, 3 from warehouses 1..3; customer 2 costs 4, 5, 6.
    expect([...model.cost]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('needs { capacity } when the capacity field is the word "capacity"', () => {
    const text = ' 2 1\n capacity 10\n capacity 20\n 5\n 1 2\n';
    const err = formatError(() => readOrlibCap(text, { source: 'capa.txt' }));
    expect(err.line).toBe(2);
    expect(err.message).toContain('--capacity');
    expect(err.message).toContain('capa.txt');
    const { model } = readOrlibCap(text, { capacity: 8000 });
    expect([...model.capacity]).toEqual([8000, 8000]);
  });

  it('reports truncation, bad tokens and extra tokens with the line', () => {
    expect(formatError(() => readOrlibCap(CAP.split('\n').slice(0, 6).join('\n'))).message).toContain('ends early');
    const bad = CAP.replace(' 3 \n', ' x3 \n');
    const e = formatError(() => readOrlibCap(bad));
    expect(e.line).toBe(7);
    expect(e.message).toContain('"x3"');
    expect(formatError(() => readOrlibCap(CAP + ' 9\n')).line).toBe(10);
  });

  it('round-trips through writeOrlibCap', () => {
    const a = readOrlibCap(CAP).model;
    const b = readOrlibCap(writeOrlibCap(a)).model;
    expect(b.cost).toEqual(a.cost);
    expect(b.capacity).toEqual(a.capacity);
    expect(b.openingCost).toEqual(a.openingCost);
    expect(b.demand).toEqual(a.demand);
  });
});

const GAP = ` 2\n 2 3\n 1 2 3\n 4 5 6\n 7 8 9\n 10 11 12\n 20 30\n 1 2\n 5 6\n 1 1\n 9\n`;

describe('readOrlibGap', () => {
  it('reads every problem of a file with agents as sites and r_ij as siteDemand', () => {
    const problems = readOrlibGap(GAP, { name: 'g' });
    expect(problems.map((p) => p.name)).toEqual(['g-1', 'g-2']);
    const a = problems[0]!.model;
    expect(a.nSites).toBe(2);
    expect(a.nClients).toBe(3);
    expect([...a.cost]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...a.siteDemand!]).toEqual([7, 8, 9, 10, 11, 12]);
    expect(demandAt(a, 1, 2)).toBe(12);
    expect([...a.demand]).toEqual([7, 8, 9]);
    expect([...a.capacity]).toEqual([20, 30]);
    const b = problems[1]!.model;
    expect([...b.cost]).toEqual([5, 6]);
    expect([...b.siteDemand!]).toEqual([1, 1]);
    expect([...b.capacity]).toEqual([9]);
  });

  it('rejects wrong counts with the line', () => {
    const e = formatError(() => readOrlibGap(GAP.replace(' 2\n 2 3', ' 3\n 2 3')));
    expect(e.message).toContain('problem 3');
    expect(formatError(() => readOrlibGap(GAP.replace(' 1 2\n 5 6', ' 1 3\n 5 6'))).line).toBeGreaterThanOrEqual(10);
  });

  it('round-trips through writeOrlibGap', () => {
    const a = readOrlibGap(GAP).map((p) => p.model);
    const b = readOrlibGap(writeOrlibGap(a)).map((p) => p.model);
    for (let k = 0; k < a.length; k++) {
      expect(b[k]!.cost).toEqual(a[k]!.cost);
      expect(b[k]!.siteDemand).toEqual(a[k]!.siteDemand);
      expect(b[k]!.capacity).toEqual(a[k]!.capacity);
    }
  });
});

describe('readOrlibPmed', () => {
  it('lets the last occurrence of a duplicated edge win, then takes shortest paths', () => {
    const text = ' 4 5 2\n 1 2 10\n 2 3 1\n 3 4 1\n 2 1 3\n 1 2 7\n';
    const r = readOrlibPmed(text, { name: 'small' });
    expect(r.n).toBe(4);
    expect(r.p).toBe(2);
    expect(r.graph.m).toBe(3);
    expect(r.distances[0 * 4 + 1]).toBe(7);
    expect(r.distances[0 * 4 + 3]).toBe(9);
    expect(r.distances[3 * 4 + 0]).toBe(9);
    expect(r.model.nSites).toBe(4);
    expect(r.model.cost).toEqual(r.distances);
    const w01 = [...r.graph.edgeW].find((_, e) => r.graph.edgeU[e]! + r.graph.edgeV[e]! === 1);
    expect(w01).toBe(7);
  });

  it('rejects a disconnected graph naming a pair, and a wrong edge count with the line', () => {
    const e = formatError(() => readOrlibPmed(' 3 1 1\n 1 2 5\n'));
    expect(e.message).toMatch(/vertices 1 and 3/);
    expect(formatError(() => readOrlibPmed(' 3 3 1\n 1 2 5\n 2 3 1\n')).message).toContain('ends early');
    expect(formatError(() => readOrlibPmed(' 3 1 1\n 1 2 5\n 2 3 1\n')).line).toBe(3);
    expect(formatError(() => readOrlibPmed(' 3 2 1\n 1 4 5\n 2 3 1\n')).line).toBe(2);
  });

  it('round-trips through writeOrlibPmed', () => {
    const a = readOrlibPmed(' 4 5 2\n 1 2 10\n 2 3 1\n 3 4 1\n 2 1 3\n 1 2 7\n');
    const b = readOrlibPmed(writeOrlibPmed(a.graph, a.p));
    expect(b.distances).toEqual(a.distances);
    expect(b.p).toBe(a.p);
  });
});

describe.skipIf(!instancesDir)('OR-Library public instances', () => {
  const dir = instancesDir!;
  it('reads all 33 cap files with the published sizes', () => {
    const files = readdirSync(join(dir, 'cflp')).filter((f) => /^cap\d+\.txt$/.test(f));
    expect(files).toHaveLength(33);
    for (const f of files) {
      const { model } = readOrlibCap(readFileSync(join(dir, 'cflp', f), 'utf8'), { name: f });
      const k = Number(f.slice(3, -4));
      expect(model.nSites).toBe(k < 80 ? 16 : k < 110 ? 25 : 50);
      expect(model.nClients).toBe(50);
    }
  });

  it('reads all 14 gap files = 72 problems, named as in optima.json', () => {
    const optima = JSON.parse(readFileSync(join(dir, 'gap', 'optima.json'), 'utf8')) as Record<string, unknown>;
    const files = readdirSync(join(dir, 'gap')).filter((f) => /^gap\w+\.txt$/.test(f));
    expect(files).toHaveLength(14);
    const names: string[] = [];
    for (const f of files) {
      const problems = readOrlibGap(readFileSync(join(dir, 'gap', f), 'utf8'), { name: f.slice(0, -4) });
      expect(problems).toHaveLength(f === 'gapa.txt' || f === 'gapb.txt' ? 6 : 5);
      names.push(...problems.map((p) => p.name));
    }
    expect(names).toHaveLength(72);
    expect(new Set(names)).toEqual(new Set(Object.keys(optima)));
  });

  it('reads all 25 pmed files with the header n and p', () => {
    const files = readdirSync(join(dir, 'pmed')).filter((f) => /^pmed\d+\.txt$/.test(f));
    expect(files).toHaveLength(25);
    for (const f of files) {
      const text = readFileSync(join(dir, 'pmed', f), 'utf8');
      const [n, , p] = text.trim().split(/\s+/, 3).map(Number);
      const r = readOrlibPmed(text, { name: f.slice(0, -4) });
      expect(r.n).toBe(n);
      expect(r.p).toBe(p);
      expect(r.distances.every((d) => Number.isFinite(d))).toBe(true);
    }
  });

  it('reports corrupted public files with the right line', () => {
    const cap = readFileSync(join(dir, 'cflp', 'cap41.txt'), 'utf8').split('\n');
    const truncated = cap.slice(0, 30).join('\n');
    const e1 = formatError(() => readOrlibCap(truncated, { source: 'cap41.txt' }));
    expect(e1.message).toContain('ends early');
    expect(e1.message).toContain('cap41.txt');
    const bad = [...cap];
    bad[19] = bad[19]!.replace(/\d+/, 'NaN');
    expect(formatError(() => readOrlibCap(bad.join('\n'))).line).toBe(20);
    const capa = [...cap];
    capa[1] = ' capacity 7500. ';
    expect(formatError(() => readOrlibCap(capa.join('\n'))).line).toBe(2);
    const gap = readFileSync(join(dir, 'gap', 'gap1.txt'), 'utf8').split('\n');
    const g = [...gap];
    g[2] = g[2]!.replace(/\d+/, '1x');
    expect(formatError(() => readOrlibGap(g.join('\n'))).line).toBe(3);
    const pmed = readFileSync(join(dir, 'pmed', 'pmed1.txt'), 'utf8').replace(' 100 200 5', ' 100 199 5');
    expect(formatError(() => readOrlibPmed(pmed)).line).toBe(201);
  });
});

describe('readOrlibPmedAsync (audit finding: the CLI could not see Ctrl-C during the closure)', () => {
  const text = ['6 6 2', '1 2 4', '2 3 1', '3 4 7', '4 5 2', '5 6 3', '1 2 9'].join('\n') + '\n';

  it('gives the same instance as readOrlibPmed', async () => {
    const sync = readOrlibPmed(text, { name: 'p' });
    const async = await readOrlibPmedAsync(text, { name: 'p', signal: new AbortController().signal });
    expect(Array.from(async.distances)).toEqual(Array.from(sync.distances));
    expect(async.p).toBe(2);
  });

  it('throws a ReadAbortedError when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readOrlibPmedAsync(text, { signal: controller.signal })).rejects.toBeInstanceOf(ReadAbortedError);
  });
});
