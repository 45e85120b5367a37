import { createGame, createGraph, createMarket, createPlacementModel, type PlacementModel } from '@emplace/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAwsLatency, readEmplaceJson, writeEmplaceJson, type EmplaceJsonItem } from '@emplace/io';
import { arbitraryGraph, edgeSet, formatError } from './helpers.js';

function only<K extends EmplaceJsonItem['kind']>(items: EmplaceJsonItem[], kind: K): Extract<EmplaceJsonItem, { kind: K }> {
  expect(items).toHaveLength(1);
  expect(items[0]!.kind).toBe(kind);
  return items[0] as Extract<EmplaceJsonItem, { kind: K }>;
}

function samePlacement(a: PlacementModel, b: PlacementModel): void {
  expect(b.siteIds).toEqual(a.siteIds);
  expect(b.clientIds).toEqual(a.clientIds);
  expect(b.dimensions).toEqual(a.dimensions);
  expect(b.cost).toEqual(a.cost);
  expect(b.capacity).toEqual(a.capacity);
  expect(b.demand).toEqual(a.demand);
  expect(b.weight).toEqual(a.weight);
  expect(b.openingCost).toEqual(a.openingCost);
  expect(b.siteDemand).toEqual(a.siteDemand);
  expect(b.allowed).toEqual(a.allowed);
  expect(b.mustOpen).toEqual(a.mustOpen);
  expect(b.forbidden).toEqual(a.forbidden);
  expect(b.siteLabels).toEqual(a.siteLabels);
  expect(b.affinity).toEqual(a.affinity);
  expect(b.antiAffinity).toEqual(a.antiAffinity);
}

describe('emplace JSON', () => {
  it('reads a placement document with null meaning an infinite capacity', () => {
    const text = JSON.stringify({
      kind: 'placement',
      name: 'demo',
      sites: [{ id: 'eu', openingCost: 5, capacity: null, labels: { jurisdiction: 'EU' } }, { id: 'us', capacity: 3 }],
      clients: [{ id: 'a', demand: 2 }, { id: 'b' }],
      cost: [[1, 2], [3, 4]],
      capacity: undefined,
    });
    const { name, model } = only(readEmplaceJson(text), 'placement');
    expect(name).toBe('demo');
    expect([...model.capacity]).toEqual([Infinity, 3]);
    expect([...model.cost]).toEqual([1, 2, 3, 4]);
    expect(model.siteLabels[0]).toEqual({ jurisdiction: 'EU' });
    const flat = readEmplaceJson('{"kind":"placement","sites":2,"clients":1,"cost":[1,2],"capacity":[null,4]}');
    expect([...only(flat, 'placement').model.capacity]).toEqual([Infinity, 4]);
  });

  it('round-trips placement models with every optional field', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        fc.infiniteStream(fc.integer({ min: 0, max: 100 })),
        (nSites, nClients, rich, stream) => {
          const it = stream[Symbol.iterator]();
          const next = (): number => it.next().value as number;
          const model = createPlacementModel({
            sites: Array.from({ length: nSites }, (_, i) => ({ id: `s${i}`, openingCost: next(), capacity: i === 0 ? [Infinity, next()] : [next(), next()], labels: { zone: `z${i % 2}` }, mustOpen: rich && i === 0 })),
            clients: Array.from({ length: nClients }, (_, j) => ({ id: `c${j}`, demand: [next(), next()], weight: next() / 7 })),
            dimensions: ['cpu', 'mem'],
            cost: Array.from({ length: nSites * nClients }, () => next() / 3),
            ...(rich
              ? {
                  siteDemand: Array.from({ length: nSites * nClients * 2 }, () => next()),
                  allowed: Array.from({ length: nSites * nClients }, () => next() % 2),
                  affinity: nClients >= 2 ? [['c0', 'c1']] : [],
                  antiAffinity: nClients >= 2 ? [{ clients: ['c0', 'c1'], domain: 'zone' }] : [],
                }
              : {}),
          });
          samePlacement(model, only(readEmplaceJson(writeEmplaceJson(model, { name: 'x' })), 'placement').model);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('round-trips graphs with terminals', () => {
    fc.assert(
      fc.property(arbitraryGraph, (g) => {
        const terminals = g.n > 1 ? [0, g.n - 1] : [0];
        const item = only(readEmplaceJson(writeEmplaceJson({ kind: 'graph', graph: g, terminals })), 'graph');
        expect(item.graph.ids).toEqual(g.ids);
        expect(edgeSet(item.graph)).toEqual(edgeSet(g));
        expect([...item.terminals!]).toEqual(terminals);
      }),
      { numRuns: 60 },
    );
  });

  it('round-trips games (table, weighted voting, airport) and markets', () => {
    const table = createGame({ players: ['a', 'b', 'c'], value: (s) => s.length ** 2 });
    const t = only(readEmplaceJson(writeEmplaceJson(table)), 'game').game;
    expect(t.players).toEqual(['a', 'b', 'c']);
    expect(t.value([0, 2])).toBe(4);
    expect(t.value([0, 1, 2])).toBe(9);
    const voting = only(readEmplaceJson('{"kind":"game","players":["x","y","z"],"weightedVoting":{"weights":[3,2,1],"quota":4}}'), 'game').game;
    expect(voting.value([0, 2])).toBe(1);
    expect(voting.value([1, 2])).toBe(0);
    expect(voting.structure?.type).toBe('weighted-voting');
    const again = only(readEmplaceJson(writeEmplaceJson(voting)), 'game').game;
    expect(again.structure).toEqual(voting.structure);
    const airport = only(readEmplaceJson('{"kind":"game","players":3,"airport":{"costs":[1,5,2]}}'), 'game').game;
    expect(airport.value([0, 2])).toBe(2);
    const market = createMarket({
      items: ['cpu', { id: 'gpu', units: 2 }],
      bidders: ['alice', { id: 'bob', language: 'or' }],
      bids: [{ bidder: 'alice', items: ['cpu', { item: 'gpu', units: 2 }], amount: 10 }, { bidder: 'bob', items: ['gpu'], amount: 4 }],
      asks: [{ seller: 'sam', item: 'cpu', units: 1, price: 2 }],
    });
    const back = only(readEmplaceJson(writeEmplaceJson(market)), 'market').market;
    expect(back).toEqual(market);
  });

  it('reads arrays and collections, naming items', () => {
    const g = createGraph({ n: 2, edges: [[0, 1, 3]] });
    const text = writeEmplaceJson([g, g], { name: 'pair' });
    const items = readEmplaceJson(text);
    expect(items.map((i) => i.name)).toEqual(['pair-1', 'pair-2']);
    const coll = readEmplaceJson('{"kind":"collection","items":[{"kind":"graph","n":2,"edges":[[0,1]]},{"kind":"graph","n":1,"edges":[]}]}', { name: 'c' });
    expect(coll.map((i) => i.name)).toEqual(['c-1', 'c-2']);
  });

  it('gives FormatErrors: syntax errors with the line, bad kinds and fields by name', () => {
    const e = formatError(() => readEmplaceJson('{\n  "kind": "graph",\n  "n": 2,\n  "edges": [[0, 1],]\n}', { source: 'g.json' }));
    expect(e.line).toBe(4);
    expect(e.message).toContain('g.json');
    expect(e.message).not.toContain('\n');
    expect(formatError(() => readEmplaceJson('{"kind":"nope"}')).message).toContain('unknown kind');
    expect(formatError(() => readEmplaceJson('{"kind":"placement","sites":[null],"clients":1,"cost":[1]}')).message).toMatch(/document: sites\[0\] must be an object/);
    expect(formatError(() => readEmplaceJson('{"kind":"market","items":[null],"bids":[]}')).message).toMatch(/document: items\[0\] must be an id/);
    expect(formatError(() => readEmplaceJson('{"kind":"graph","edges":[[0,1]]}')).message).toContain('n');
    expect(formatError(() => readEmplaceJson('{"kind":"placement","sites":1,"clients":1,"cost":[-1]}')).message).toContain('cost[0][0]');
    expect(formatError(() => readEmplaceJson('[{"kind":"graph","n":1,"edges":[]},{"kind":"graph","n":2,"edges":[[0,5]]}]')).message).toContain('items[1]');
  });
});

describe('readAwsLatency', () => {
  it('reads regions in file order and the directional matrix', () => {
    const text = '{"metadata":{"unit":"milliseconds"},"data":{"a":{"a":1,"b":10},"b":{"b":2,"a":12}}}';
    const r = readAwsLatency(text);
    expect(r.regions).toEqual(['a', 'b']);
    expect([...r.matrix]).toEqual([1, 10, 12, 2]);
    expect(r.metadata['unit']).toBe('milliseconds');
  });

  it('rejects missing pairs, unknown regions and bad values', () => {
    expect(formatError(() => readAwsLatency('{"data":{"a":{"a":1,"b":10},"b":{"b":2}}}')).message).toContain('no latency from "b" to "a"');
    expect(formatError(() => readAwsLatency('{"data":{"a":{"a":1,"c":10}}}')).message).toContain('"c"');
    expect(formatError(() => readAwsLatency('{"data":{"a":{"a":"x"}}}')).message).toContain('non-negative number');
    expect(formatError(() => readAwsLatency('{"data":\n{"a":{"a":1}\n')).line).toBeGreaterThanOrEqual(2);
  });
});

describe('README examples', () => {
  it('every ```json block of packages/io/README.md reads', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const block of blocks) expect(readEmplaceJson(block).length).toBe(1);
  });
});
