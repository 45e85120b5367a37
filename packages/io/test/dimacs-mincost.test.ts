import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '@emplace/core';
import { readDimacsMinCost, writeDimacsMinCost } from '@emplace/io';

const SAMPLE = `c tiny transportation problem
p min 4 5
n 1 10
n 2 -4
n 4 -6
a 1 2 0 8 3
a 1 3 0 inf 1
a 3 2 1 5 1
a 3 4 0 7 2
a 2 4 0 4 6
`;

describe('DIMACS min-cost flow reader', () => {
  it('reads nodes, supplies and arcs (0-based ends, lower bounds, infinite capacity)', () => {
    const inst = readDimacsMinCost(SAMPLE, { name: 'tiny' });
    const net = inst.network;
    expect(inst.name).toBe('tiny');
    expect(inst.comments).toEqual(['tiny transportation problem']);
    expect(net.n).toBe(4);
    expect(net.m).toBe(5);
    expect(Array.from(net.supply)).toEqual([10, -4, 0, -6]);
    expect(Array.from(net.tail)).toEqual([0, 0, 2, 2, 1]);
    expect(Array.from(net.head)).toEqual([1, 2, 1, 3, 3]);
    expect(net.capacity[1]).toBe(Infinity);
    expect(net.lower[2]).toBe(1);
    expect(Array.from(net.cost)).toEqual([3, 1, 1, 2, 6]);
  });

  it('round-trips through the writer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.nat(4), fc.oneof(fc.nat(20), fc.constant(Infinity)), fc.integer({ min: -9, max: 9 })), { maxLength: 10 }),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 6, maxLength: 6 }),
        (n, arcs, sup) => {
          const as = arcs.map(([u, v, lo, cap, c]) => [u % n, v % n, Math.min(lo, cap), cap, c] as const);
          const net = {
            n,
            m: as.length,
            tail: Int32Array.from(as.map((a) => a[0])),
            head: Int32Array.from(as.map((a) => a[1])),
            lower: Float64Array.from(as.map((a) => a[2])),
            capacity: Float64Array.from(as.map((a) => a[3])),
            cost: Float64Array.from(as.map((a) => a[4])),
            supply: Float64Array.from(sup.slice(0, n)),
          };
          const back = readDimacsMinCost(writeDimacsMinCost(net)).network;
          for (const key of ['tail', 'head', 'lower', 'capacity', 'cost', 'supply'] as const) expect(Array.from(back[key])).toEqual(Array.from(net[key]));
        },
      ),
    );
  });

  it('reports bad input with the line', () => {
    const at = (text: string): FormatError => {
      try {
        readDimacsMinCost(text);
      } catch (e) {
        if (e instanceof FormatError) return e;
        throw e;
      }
      throw new Error('no error');
    };
    expect(at('a 1 2 0 1 1\n').line).toBe(1);
    expect(at('p min 2 1\na 1 3 0 1 1\n').line).toBe(2);
    expect(at('p min 2 1\na 1 2 0 x 1\n').message).toMatch(/capacity/);
    expect(at('p min 2 2\na 1 2 0 1 1\n').message).toMatch(/announces 2 arcs/);
    expect(at('p max 2 2\n').message).toMatch(/min/);
    expect(at('p min 2 1\na 1 2 3 1 1\n').message).toMatch(/low/);
  });
});

describe('DIMACS min-cost flow in the format registry', () => {
  it('is detected from the problem line (after comments) and from .min, and converts to itself', async () => {
    const { convertInstance, detectFormat, listFormats, readInstance } = await import('@emplace/io');
    expect(listFormats().some((f) => f.name === 'dimacs-mincost' && f.kind === 'flow-network')).toBe(true);
    expect(detectFormat('', SAMPLE)).toBe('dimacs-mincost');
    expect(detectFormat('net.min', 'p min 2 0\n')).toBe('dimacs-mincost');
    const read = readInstance(SAMPLE, 'tiny.txt');
    expect(read.format).toBe('dimacs-mincost');
    const again = readInstance(convertInstance(read, 'dimacs'), 'x.min');
    if (read.format !== 'dimacs-mincost' || again.format !== 'dimacs-mincost') throw new Error('not read as DIMACS');
    expect(Array.from(again.data.network.cost)).toEqual(Array.from(read.data.network.cost));
    expect(Array.from(again.data.network.supply)).toEqual(Array.from(read.data.network.supply));
    expect(() => convertInstance(read, 'edge-list')).toThrow(FormatError);
  });
});
