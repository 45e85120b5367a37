import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createGraph, haversineKm } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import { baseName, detectFormat, findFormat, listFormats, readInstance, readInstanceFile, readTextFile, writeEdgeList } from '@emplace/io';
import * as nodeEntry from '../src/node.js';
import { formatError, formatErrorAsync } from './helpers.js';
import { instancesDir } from './instances-dir.js';

describe('formats registry', () => {
  it('lists every reader with extensions, kind and description', () => {
    const formats = listFormats();
    expect(formats.map((f) => f.name)).toEqual([
      'orlib-cap', 'orlib-gap', 'orlib-pmed', 'steinlib', 'dimacs-mincost', 'graphml', 'matrix-market', 'edge-list', 'aws-latency', 'emplace-json',
    ]);
    for (const f of formats) {
      expect(f.description.length).toBeGreaterThan(10);
      expect(f.extensions.length).toBeGreaterThan(0);
    }
    expect(findFormat('STP').name).toBe('steinlib');
    expect(findFormat('cap').name).toBe('orlib-cap');
    expect(formatError(() => findFormat('xls')).message).toContain('unknown format "xls"');
  });

  it('detects formats by extension, signature, OR-Library name and layout', () => {
    expect(detectFormat('x/b01.stp', '')).toBe('steinlib');
    expect(detectFormat('a.graphml.gz', '')).toBe('graphml');
    expect(detectFormat('m.mtx', '')).toBe('matrix-market');
    expect(detectFormat('noext', '33D32945 STP File')).toBe('steinlib');
    expect(detectFormat('f.txt', '<?xml version="1.0"?><graphml/>')).toBe('graphml');
    expect(detectFormat('f', '%%MatrixMarket matrix coordinate real general\n')).toBe('matrix-market');
    expect(detectFormat('a.json', '{"metadata":{},"data":{}}')).toBe('aws-latency');
    expect(detectFormat('a.json', '{"kind":"graph","n":1,"edges":[]}')).toBe('emplace-json');
    expect(detectFormat('cap41.txt', '')).toBe('orlib-cap');
    expect(detectFormat('capa.txt', '')).toBe('orlib-cap');
    expect(detectFormat('gapa.txt', '')).toBe('orlib-gap');
    expect(detectFormat('pmed3.txt', '')).toBe('orlib-pmed');
    expect(detectFormat('p.txt', ' 3 2 1\n 1 2 5\n 2 3 1\n')).toBe('orlib-pmed');
    expect(detectFormat('w.txt', ' 2 1\n 10 5\n 10 5\n 3 1 2\n')).toBe('orlib-cap');
    expect(detectFormat('g.txt', ' 1\n 1 2\n 1 2\n 3 4\n 9\n')).toBe('orlib-gap');
    expect(detectFormat('CA-GrQc.txt.gz', '# Directed graph\n1\t2\n')).toBe('edge-list');
    expect(detectFormat('e.csv', 'a,b\n')).toBe('edge-list');
    expect(baseName('/a/b/CA-GrQc.txt.gz')).toBe('CA-GrQc');
  });

  it('reads text in a detected or given format', () => {
    const r = readInstance('a b 2\n', 'edges.txt');
    expect(r.format).toBe('edge-list');
    expect(r.name).toBe('edges');
    const cap = readInstance(' 1 1\n capacity 5\n 2 7\n', 'capx.txt', { capacity: 9 });
    expect(cap.format === 'orlib-cap' && cap.data.model.capacity[0]).toBe(9);
    expect(formatError(() => readInstance(' 1 1\n capacity 5\n 2 7\n', 'capx.txt')).message).toContain('--capacity');
  });
});

describe('file reading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emplace-io-'));
  const g = createGraph({ nodes: ['x', 'y', 'z'], edges: [['x', 'y', 2], ['y', 'z', 3]] });

  it('reads plain and gzip-compressed files (detected by magic bytes, not by name)', async () => {
    const text = writeEdgeList(g);
    writeFileSync(join(dir, 'g.edges'), text);
    writeFileSync(join(dir, 'g.edges.gz'), gzipSync(text));
    writeFileSync(join(dir, 'hidden.edges'), gzipSync(text));
    expect(await readTextFile(join(dir, 'g.edges'))).toBe(text);
    expect(await readTextFile(join(dir, 'g.edges.gz'))).toBe(text);
    expect(await nodeEntry.readTextFile(join(dir, 'hidden.edges'))).toBe(text);
    const r = await readInstanceFile(join(dir, 'g.edges.gz'));
    expect(r.format).toBe('edge-list');
    expect(r.name).toBe('g');
    expect(r.format === 'edge-list' && r.data.graph.m).toBe(2);
    const forced = await readInstanceFile(join(dir, 'g.edges'), 'snap');
    expect(forced.format).toBe('edge-list');
  });

  it('gives FormatErrors for missing files, corrupt gzip and malformed content with the path', async () => {
    expect((await formatErrorAsync(() => readTextFile(join(dir, 'missing.txt')))).message).toContain('no such file');
    writeFileSync(join(dir, 'bad.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect((await formatErrorAsync(() => readTextFile(join(dir, 'bad.gz')))).message).toContain('gzip');
    writeFileSync(join(dir, 'broken.stp'), '33D32945 STP File, STP Format Version 1.0\nSECTION Graph\nNodes 2\nE 1 x 1\n');
    const e = await formatErrorAsync(() => readInstanceFile(join(dir, 'broken.stp')));
    expect(e.line).toBe(4);
    expect(e.source).toBe(join(dir, 'broken.stp'));
  });
});

describe.skipIf(!instancesDir)('every public instance of a supported format', () => {
  const dir = instancesDir!;

  it('reads all 276 Topology Zoo GraphML files (10,952 nodes, 13,976 edges in total)', async () => {
    const files = readdirSync(join(dir, 'topologyzoo')).filter((f) => f.endsWith('.graphml'));
    expect(files).toHaveLength(276);
    let nodes = 0;
    let edges = 0;
    for (const f of files) {
      const r = await readInstanceFile(join(dir, 'topologyzoo', f));
      if (r.format !== 'graphml') throw new Error(`${f} detected as ${r.format}`);
      nodes += r.data.graph.n;
      edges += r.data.edges.length + r.data.selfLoops;
      expect(r.name).toBe(f.slice(0, -8));
    }
    expect(nodes).toBe(10_952);
    expect(edges).toBe(13_976);
  });

  it('reads Abilene (11 nodes, 14 edges), Geant2012 (40, 61) and Kdl (754 nodes) with coordinates', async () => {
    const read = async (f: string) => {
      const r = await readInstanceFile(join(dir, 'topologyzoo', f));
      if (r.format !== 'graphml') throw new Error(f);
      return r.data;
    };
    const abilene = await read('Abilene.graphml');
    expect([abilene.graph.n, abilene.graph.m]).toEqual([11, 14]);
    const ny = abilene.nodes.find((n) => n.label === 'New York')!;
    const chicago = abilene.nodes.find((n) => n.label === 'Chicago')!;
    expect(haversineKm({ lat: ny.lat!, lon: ny.lon! }, { lat: chicago.lat!, lon: chicago.lon! })).toBeGreaterThan(1000);
    const geant = await read('Geant2012.graphml');
    expect([geant.graph.n, geant.edges.length]).toEqual([40, 61]);
    expect((await read('Kdl.graphml')).graph.n).toBe(754);
  });

  it('reads the AWS latency JSON: 32 regions, positive directional matrix', async () => {
    const r = await readInstanceFile(join(dir, 'latency', 'aws-ping-p50-1y.json'));
    if (r.format !== 'aws-latency') throw new Error(r.format);
    expect(r.data.regions).toHaveLength(32);
    expect(r.data.regions).toContain('us-east-1');
    expect(r.data.matrix.every((v) => v > 0)).toBe(true);
    expect(r.data.metadata['unit']).toBe('milliseconds');
  });

  it('reads the gzipped SNAP CA-GrQc graph: 5,242 nodes, 14,484 non-loop edges, 12 self-loops', async () => {
    const r = await readInstanceFile(join(dir, 'graphs', 'CA-GrQc.txt.gz'));
    if (r.format !== 'edge-list') throw new Error(r.format);
    expect(r.data.graph.n).toBe(5242);
    expect(r.data.graph.m).toBe(14_484);
    expect(r.data.selfLoops).toBe(12);
    expect(r.data.edgeLines).toBe(28_980);
  });

  it('detects the format of every OR-Library and SteinLib file from its path', () => {
    const expectFormat = (sub: string, pattern: RegExp, format: string, count: number): void => {
      const files = readdirSync(join(dir, sub)).filter((f) => pattern.test(f));
      expect(files).toHaveLength(count);
      for (const f of files) expect(detectFormat(join(dir, sub, f), readFileSync(join(dir, sub, f), 'utf8'))).toBe(format);
    };
    expectFormat('cflp', /^cap\d+\.txt$/, 'orlib-cap', 33);
    expectFormat('gap', /^gap\w+\.txt$/, 'orlib-gap', 14);
    expectFormat('pmed', /^pmed\d+\.txt$/, 'orlib-pmed', 25);
    expectFormat('steinlib/B', /\.stp$/, 'steinlib', 18);
    expectFormat('steinlib/C', /\.stp$/, 'steinlib', 20);
  });

  it('detects OR-Library layouts from content alone (renamed files)', () => {
    const content = (sub: string, f: string): string => readFileSync(join(dir, sub, f), 'utf8');
    expect(detectFormat('x.txt', content('cflp', 'cap41.txt'))).toBe('orlib-cap');
    expect(detectFormat('x.txt', content('gap', 'gapa.txt'))).toBe('orlib-gap');
    expect(detectFormat('x.txt', content('pmed', 'pmed7.txt'))).toBe('orlib-pmed');
  });
});
