import { EmplaceError, FormatError, createGraph, createPlacementModel } from '@emplace/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readAwsLatency,
  readDimacsMinCost,
  readEdgeList,
  readEmplaceJson,
  readGraphml,
  readMatrixMarket,
  readOrlibCap,
  readOrlibGap,
  readOrlibPmed,
  readSteinlib,
  writeEdgeList,
  writeEmplaceJson,
  writeGraphml,
  writeMatrixMarket,
  writeOrlibCap,
  writeOrlibGap,
  writeOrlibPmed,
  writeSteinlib,
} from '@emplace/io';

const g = createGraph({ nodes: ['a', 'b', 'c', 'd'], edges: [['a', 'b', 2], ['b', 'c', 3], ['c', 'd', 1], ['d', 'a', 4]] });
const placement = createPlacementModel({ sites: 2, clients: 3, cost: [1, 2, 3, 4, 5, 6], capacity: [10, 20], openingCost: [5, 6], demand: [1, 2, 3] });

/** A valid sample of every format and its reader. */
const samples: [string, string, (text: string) => unknown][] = [
  ['orlib-cap', writeOrlibCap(placement), (t) => readOrlibCap(t)],
  ['orlib-gap', writeOrlibGap([placement, placement]), (t) => readOrlibGap(t)],
  ['orlib-pmed', writeOrlibPmed(g, 2), (t) => readOrlibPmed(t)],
  ['steinlib', writeSteinlib(g, [0, 2]), (t) => readSteinlib(t)],
  ['graphml', writeGraphml(g, { nodes: g.ids.map((id) => ({ id, label: id, lat: 1, lon: 2 })) }), (t) => readGraphml(t, { weight: 'weight' })],
  ['matrix-market', writeMatrixMarket(g), (t) => readMatrixMarket(t)],
  ['edge-list', writeEdgeList(g), (t) => readEdgeList(t)],
  ['aws-latency', '{"metadata":{"unit":"ms"},"data":{"a":{"a":1,"b":2},"b":{"a":3,"b":1}}}', (t) => readAwsLatency(t)],
  ['emplace-json', writeEmplaceJson([g, placement]), (t) => readEmplaceJson(t)],
];

/** Random edits of a text: truncation, deletion, duplication or replacement of a slice. */
const mutation = fc.record({
  kind: fc.constantFrom('truncate', 'delete', 'duplicate', 'replace'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  len: fc.integer({ min: 1, max: 12 }),
  insert: fc.constantFrom('x', '-', '9', ' ', '\n', '<', '"', '}', '1e400', '.', '#', '%', 'E 1 2 3', 'NaN'),
});

function mutate(text: string, m: { kind: string; at: number; len: number; insert: string }): string {
  const k = Math.floor(m.at * text.length);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, k);
    case 'delete':
      return text.slice(0, k) + text.slice(k + m.len);
    case 'duplicate':
      return text.slice(0, k + m.len) + text.slice(k);
    default:
      return text.slice(0, k) + m.insert + text.slice(k + m.len);
  }
}

describe('readers on damaged input', () => {
  for (const [name, text, read] of samples) {
    it(`${name}: the valid sample reads, and every damaged copy reads or throws a FormatError`, () => {
      expect(() => read(text)).not.toThrow();
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (edits) => {
          let t = text;
          for (const e of edits) t = mutate(t, e);
          try {
            read(t);
          } catch (err) {
            if (!(err instanceof FormatError)) throw err;
            expect(err.message).not.toContain('\n');
            if (err.line !== undefined) expect(err.line).toBeGreaterThanOrEqual(1);
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('emplace JSON with random field values', () => {
  const fields: Record<string, string[]> = {
    placement: ['sites', 'clients', 'cost', 'dimensions', 'openingCost', 'capacity', 'demand', 'weight', 'siteDemand', 'allowed', 'affinity', 'antiAffinity'],
    graph: ['nodes', 'n', 'edges', 'duplicates', 'selfLoops', 'terminals'],
    game: ['players', 'table', 'weightedVoting', 'airport'],
    market: ['items', 'bidders', 'bids', 'sellers', 'asks', 'language'],
  };
  for (const [kind, keys] of Object.entries(fields)) {
    it(`${kind}: anything reads or throws a FormatError`, () => {
      const small = fc.oneof(fc.integer({ min: -2, max: 4 }), fc.constantFrom(null, 'a', 'b', true), fc.array(fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom(null, 'a')), { maxLength: 4 }));
      const value = fc.oneof(small, fc.array(small, { maxLength: 3 }), fc.dictionary(fc.constantFrom('id', 'capacity', 'demand', 'weights', 'quota', 'costs', 'bidder', 'items', 'amount'), small));
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...keys), value), (doc) => {
          try {
            readEmplaceJson(JSON.stringify({ kind, ...doc }));
          } catch (err) {
            if (!(err instanceof FormatError)) throw err;
            // A field-naming ModelError underneath, never a TypeError wrapped as "malformed".
            if (err.cause instanceof TypeError || err.cause instanceof RangeError) throw err.cause;
          }
        }),
        { numRuns: 1000 },
      );
    });
  }
});

describe('damaged counts in headers (fuzz finding: RangeError "Invalid typed array length")', () => {
  const typed = (read: () => unknown): Error => {
    try {
      read();
    } catch (err) {
      expect(err).toBeInstanceOf(EmplaceError);
      return err as Error;
    }
    throw new Error('expected a rejection');
  };
  it.each(['1e300', '9007199254740993', '3000000000', '1e15'])('a count of %s is a reasoned error, never an allocation failure', (count) => {
    expect(typed(() => readOrlibCap(`2 ${count}\n10 5\n10 5\n1 3 4\n`)).message).toMatch(/ends early|at least|integer/);
    expect(typed(() => readOrlibCap(`${count} 2\n10 5\n`)).message).toMatch(/ends early|integer/);
    expect(typed(() => readOrlibGap(`1\n2 ${count}\n1 2\n`)).message).toMatch(/ends early|integer/);
    expect(typed(() => readOrlibGap(`${count}\n1 1\n1 1 1\n`)).message).toMatch(/ends early|integer/);
    expect(typed(() => readOrlibPmed(`${count} 1 1\n1 2 5\n`)).message).toMatch(/too large|integer|exceeds/);
    expect(typed(() => readOrlibPmed(`3 ${count} 1\n1 2 5\n`)).message).toMatch(/ends early|integer/);
    expect(typed(() => readDimacsMinCost(`p min 2 ${count}\na 1 2 0 1 1\n`)).message).toMatch(/announces|integer/);
    expect(typed(() => readDimacsMinCost(`p min ${count} 1\na 1 2 0 1 1\n`)).message).toMatch(/too large|integer/);
    const stp = `33D32945 STP File, STP Format Version 1.0\nSECTION Graph\nNodes ${count}\nEdges 1\nE 1 2 4\nEND\nSECTION Terminals\nTerminals 1\nT 1\nEND\nEOF\n`;
    expect(typed(() => readSteinlib(stp)).message).toMatch(/too large|integer/);
  });
});
