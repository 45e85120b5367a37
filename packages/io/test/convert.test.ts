import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertInstance, readInstance, type InstanceData } from '@emplace/io';
import { edgeSet, formatError } from './helpers.js';
import { instancesDir } from './instances-dir.js';

const STP = '33D32945 STP File, STP Format Version 1.0\nSECTION Graph\nNodes 3\nEdges 2\nE 1 2 4\nE 2 3 5\nEND\nSECTION Terminals\nTerminals 2\nT 1\nT 3\nEND\nEOF\n';

function graphOf(d: InstanceData) {
  if (d.format === 'steinlib' || d.format === 'edge-list' || d.format === 'graphml' || d.format === 'matrix-market') return d.data.graph;
  throw new Error(d.format);
}

describe('convertInstance', () => {
  it('converts a SteinLib graph to every graph format and back', () => {
    const src = readInstance(STP, 'tiny.stp');
    for (const to of ['edge-list', 'matrix-market', 'graphml', 'steinlib']) {
      const text = convertInstance(src, to);
      const back = readInstance(text, '', { format: to, name: 'back' });
      expect(edgeSet(graphOf(back), true)).toEqual(edgeSet(graphOf(src), true));
    }
    const json = readInstance(convertInstance(src, 'emplace-json'), 'x.json');
    if (json.format !== 'emplace-json') throw new Error(json.format);
    const item = json.data[0]!;
    expect(item.kind === 'graph' ? [...item.terminals!] : []).toEqual([0, 2]);
  });

  it('says when the target cannot hold the instance', () => {
    const edges = readInstance('a b 1\n', 'e.edges');
    expect(formatError(() => convertInstance(edges, 'steinlib')).message).toContain('terminals');
    expect(formatError(() => convertInstance(edges, 'orlib-cap')).message).toContain('placement');
    expect(formatError(() => convertInstance(edges, 'aws-latency')).message).toContain('read-only');
    expect(formatError(() => convertInstance(edges, 'pdf')).message).toContain('unknown format');
  });
});

describe.skipIf(!instancesDir)('convertInstance on public files', () => {
  const dir = instancesDir!;
  const read = (sub: string, f: string): InstanceData => readInstance(readFileSync(join(dir, sub, f), 'utf8'), f);

  it('gap and cap round-trip through the OR-Library writers and emplace JSON', () => {
    const gap = read('gap', 'gapa.txt');
    const again = readInstance(convertInstance(gap, 'orlib-gap'), 'gapa.txt');
    const json = readInstance(convertInstance(gap, 'emplace-json'), 'gapa.json');
    if (gap.format !== 'orlib-gap' || again.format !== 'orlib-gap' || json.format !== 'emplace-json') throw new Error('format');
    expect(again.data).toHaveLength(6);
    expect(json.data.map((i) => i.name)).toEqual(gap.data.map((p) => p.name));
    gap.data.forEach((p, k) => {
      expect(again.data[k]!.model.cost).toEqual(p.model.cost);
      expect(again.data[k]!.model.siteDemand).toEqual(p.model.siteDemand);
      const j = json.data[k]!;
      expect(j.kind === 'placement' && j.model.siteDemand).toEqual(p.model.siteDemand);
    });
    const cap = read('cflp', 'cap131.txt');
    const capAgain = readInstance(convertInstance(cap, 'orlib-cap'), 'cap131.txt');
    if (cap.format !== 'orlib-cap' || capAgain.format !== 'orlib-cap') throw new Error('format');
    expect(capAgain.data.model.cost).toEqual(cap.data.model.cost);
    expect(capAgain.data.model.capacity).toEqual(cap.data.model.capacity);
  });

  it('pmed keeps its distances through orlib-pmed (duplicates already collapsed)', () => {
    const pmed = read('pmed', 'pmed10.txt');
    const again = readInstance(convertInstance(pmed, 'orlib-pmed'), 'pmed10.txt');
    if (pmed.format !== 'orlib-pmed' || again.format !== 'orlib-pmed') throw new Error('format');
    expect(again.data.p).toBe(pmed.data.p);
    expect(again.data.distances).toEqual(pmed.data.distances);
  });

  it('the AWS latency matrix becomes a region-to-region placement model', () => {
    const lat = read('latency', 'aws-ping-p50-1y.json');
    const json = readInstance(convertInstance(lat, 'emplace-json'), 'aws.json');
    if (lat.format !== 'aws-latency' || json.format !== 'emplace-json') throw new Error('format');
    const item = json.data[0]!;
    expect(item.kind === 'placement' && item.model.cost).toEqual(lat.data.matrix);
  });
});
