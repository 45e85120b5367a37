import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { createGame, createGraph, ModelError, reviveGame, type GameModel } from '@emplace/core';
import { decodeNow, decodeReceived, encodeForPost, encodeNow, type Encoded, type TransferMode } from '../src/transfer.js';

/** Sends an encoded value through a real MessagePort (parts first, each its own message; structured clone + transfer) and decodes it. */
async function roundTrip(value: unknown, mode: TransferMode): Promise<unknown> {
  const e = await encodeForPost(value, mode);
  const { port1, port2 } = new MessageChannel();
  const parts: unknown[][] = [];
  const got = new Promise<{ value: unknown; packed: Encoded['packed'] }>((ok) =>
    (port2 as MessagePort).on('message', (m: { part?: unknown[]; value: unknown; packed: Encoded['packed'] }) => {
      if (m.part) parts.push(m.part);
      else ok(m);
    }),
  );
  for (const part of e.parts) port1.postMessage({ part: part.items }, part.transfer);
  port1.postMessage({ value: e.value, packed: e.packed }, e.transfer);
  const m = await got;
  port1.close();
  return decodeReceived(m.value, m.packed, parts);
}

function tableOf(game: GameModel): Float64Array {
  const s = game.structure;
  if (s?.type !== 'table') throw new Error('not a table game');
  return s.table;
}

const ids = (n: number, prefix = 'node-'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('transfer encoding (copy / move / clone)', () => {
  it('copy: the receiver gets equal data, the caller keeps its arrays, big buffers go in the transfer list', async () => {
    const g = createGraph({ n: 2000, edges: { u: Int32Array.from({ length: 1999 }, (_, i) => i), v: Int32Array.from({ length: 1999 }, (_, i) => i + 1) } });
    const before = structuredClone(g);
    const e = await encodeForPost(g, 'copy');
    expect(e.transfer.length).toBeGreaterThan(0);
    for (const b of e.transfer) for (const a of Object.values(g)) if (ArrayBuffer.isView(a)) expect(a.buffer).not.toBe(b);
    expect(e.packed.map((p) => p.path)).toEqual([['ids']]);
    expect(await roundTrip(g, 'copy')).toEqual(before);
    expect(g).toEqual(before);
  });

  it('move: the caller\'s buffers are detached (zero copy), the receiver has the data', async () => {
    const table = Float64Array.from({ length: 1 << 10 }, (_, m) => m % 7);
    const game = createGame({ players: 10, value: { table } });
    const got = (await roundTrip(game, 'move')) as { structure: { table: Float64Array }; players: string[] };
    expect(Array.from(got.structure.table)).toEqual(Array.from({ length: 1 << 10 }, (_, m) => m % 7));
    expect(got.players).toEqual(game.players);
    expect(tableOf(game).length).toBe(0);
  });

  it('clone: nothing to transfer, the value itself', async () => {
    const v = { a: new Float64Array(10_000) };
    const e = await encodeForPost(v, 'clone');
    expect(e.value).toBe(v);
    expect(e.transfer).toEqual([]);
  });

  it('shared references stay shared, a packed list at the root and at two places comes back', async () => {
    const names = ids(1000);
    const shared = new Float64Array(5000).fill(2);
    const v = { a: names, b: { again: names, x: shared, y: shared } };
    const got = (await roundTrip(v, 'copy')) as typeof v;
    expect(got).toEqual(v);
    expect(got.b.x).toBe(got.b.y);
    expect(await roundTrip(names, 'copy')).toEqual(names);
  });

  it('lists with lone surrogates, mixed types or holes are cloned as they are', async () => {
    const bad = ids(300);
    bad[7] = 'x\ud800y';
    const mixed: unknown[] = [...ids(299), 5];
    const holey = new Array<number>(400);
    holey[3] = 1;
    const v = { bad, mixed, holey };
    const e = await encodeForPost(v, 'copy');
    expect(e.packed).toEqual([]);
    expect(await roundTrip(v, 'copy')).toEqual(v);
  });

  it('property: any nesting of typed arrays, string and number lists round-trips in every mode, copy leaves the input intact', async () => {
    const leaf = fc.oneof(
      fc.float64Array({ minLength: 0, maxLength: 1200 }),
      fc.array(fc.string({ unit: 'grapheme' }), { minLength: 250, maxLength: 600 }),
      fc.array(fc.double(), { minLength: 250, maxLength: 600 }),
      fc.array(fc.integer(), { maxLength: 5 }),
      fc.string(),
      fc.integer(),
      fc.constant(null),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie('node'), { maxKeys: 3 })),
    })).node;
    await fc.assert(
      fc.asyncProperty(tree, fc.constantFrom<TransferMode>('copy', 'clone'), async (value, mode) => {
        const before = structuredClone(value);
        expect(await roundTrip(value, mode)).toEqual(before);
        expect(value).toEqual(before);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(tree, async (value) => {
        const expected = structuredClone(value);
        expect(await roundTrip(value, 'move')).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });

  it('long lists of objects (market bids) go as parts: same data back, a buffer shared across parts moved once and copied elsewhere', async () => {
    const shared = new Int32Array(2000).fill(7);
    const bids = Array.from({ length: 3000 }, (_, i) => ({ bidder: i % 17, items: Int32Array.of(i % 50, (i + 1) % 50), units: Int32Array.of(1, 2), amount: i / 3, tags: i === 5 ? ids(300) : [] }));
    bids[10]!.items = shared;
    bids[2900]!.items = shared;
    const market = { kind: 'market', bids, same: bids, note: shared };
    const before = structuredClone(market);
    for (const mode of ['copy', 'move'] as const) {
      const input = mode === 'copy' ? market : structuredClone(market);
      const e = await encodeForPost(input, mode);
      expect(e.parts.length).toBe(Math.ceil(3000 / 256));
      const got = (await roundTrip(input, mode)) as typeof market;
      expect(got).toEqual(before);
      expect(got.same).toBe(got.bids);
    }
    expect(market).toEqual(before);
  });

  it('encodeNow / decodeNow: the synchronous path (incumbents) gives the same result', () => {
    const v = { open: ids(500), cost: new Float64Array(3000).fill(1.5) };
    const e = encodeNow(v, 'copy');
    const received = structuredClone({ value: e.value, packed: e.packed }, { transfer: e.transfer });
    expect(e.parts).toEqual([]);
    expect(decodeNow(received.value, received.packed)).toEqual(v);
  });

  it('a table game that crossed a thread is rebuilt over its own table (no second copy); a non-finite entry is refused naming the coalition', async () => {
    const table = Float64Array.from({ length: 1 << 12 }, (_, m) => m % 5);
    const sent = (await roundTrip(createGame({ players: 12, value: { table } }), 'copy')) as GameModel;
    const game = reviveGame(sent);
    expect(tableOf(game)).toBe(tableOf(sent));
    expect(game.valueOfMask!(0b1011)).toBe(0b1011 % 5);
    expect(game.value([0, 1, 3])).toBe(0b1011 % 5);
    const bad = Float64Array.from(table);
    bad[6] = Number.NaN;
    const hand = { kind: 'game', n: 12, players: sent.players, structure: { type: 'table', table: bad } } as unknown as GameModel;
    expect(() => reviveGame(hand)).toThrow(ModelError);
    expect(() => reviveGame(hand)).toThrow('value({p1, p2})');
  });
});
