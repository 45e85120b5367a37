import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, hasSolution } from '@emplace/core';
import type { FiedlerSolution } from '@emplace/spectral';
import { createSolverPool } from '../src/index.js';
import { decodeModel, decodeNow, decodeReceived, decodingWorks, encodeForPost, encodeNow, type Encoded } from '../src/transfer.js';

/** What crosses a thread: the encoded value and its records, buffers transferred (a structured clone stands in for postMessage). */
function send(e: Encoded): { value: unknown; packed: Encoded['packed']; parts: unknown[][] } {
  const parts = e.parts.map((p) => structuredClone(p.items, { transfer: p.transfer }));
  return { ...structuredClone({ value: e.value, packed: e.packed }, { transfer: e.transfer }), parts };
}

const names = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const never = (): boolean => false;

/*
 * Issue 13: a Fiedler result carries the graph's 90,000 node ids. They are the model's own
 * list: the worker sends a reference to the model instead of packing them (7-40 ms in the
 * worker per incumbent and result) and the host puts back the caller's list (no 5-48 ms
 * unpacking, no 20-35 ms stall on the kill path).
 */
describe('lists of the model go back by reference', () => {
  it("a result holding the model's lists carries only references; the host gets the caller's own lists", async () => {
    const graph = createGraph({ nodes: names(3000, 'v'), edges: { u: Int32Array.from({ length: 2999 }, (_, i) => i), v: Int32Array.from({ length: 2999 }, (_, i) => i + 1) } });
    const bids = Array.from({ length: 1500 }, (_, i) => ({ bidder: i % 7 }));
    const model = { ...graph, bids };
    const received = send(await encodeForPost(model, 'copy'));
    const decoded = await decodeModel(received.value, received.packed, received.parts, never);
    if (!decoded) throw new Error('stopped');
    const worker = decoded.model as typeof model;
    expect(worker.ids).toEqual(graph.ids);
    expect(worker.ids).not.toBe(graph.ids);
    const fresh = names(400, 'x');
    const result = { ids: worker.ids, again: worker.ids, bids: worker.bids, fresh, vector: new Float64Array(3000).fill(0.5) };
    const e = encodeNow(result, 'move', decoded.known);
    expect(e.packed.filter((p) => p.kind === 'model').map((p) => p.path)).toEqual([['ids'], ['again'], ['bids']]);
    expect(e.packed.filter((p) => p.kind !== 'model').map((p) => p.path)).toEqual([['fresh']]);
    const back = send(e);
    const got = (await decodeReceived(back.value, back.packed, back.parts, model)) as typeof result;
    expect(got.ids).toBe(graph.ids);
    expect(got.again).toBe(graph.ids);
    expect(got.bids).toBe(bids);
    expect(got.fresh).toEqual(fresh);
    expect(Array.from(got.vector)).toEqual(new Array(3000).fill(0.5));
    // The synchronous path (a killed worker's incumbent) reads the same references.
    const inc = send(encodeNow({ ids: worker.ids }, 'copy', decoded.known));
    expect(decodingWorks(inc.packed)).toBe(false);
    expect((decodeNow(inc.value, inc.packed, inc.parts, model) as { ids: unknown }).ids).toBe(graph.ids);
  });

  it('property: results mixing lists of the model and new lists decode equal to what the worker returned', async () => {
    const list = fc.oneof(fc.array(fc.string(), { minLength: 256, maxLength: 400 }), fc.array(fc.double({ noNaN: true }), { minLength: 256, maxLength: 400 }));
    await fc.assert(
      fc.asyncProperty(list, list, fc.array(fc.nat(3), { minLength: 1, maxLength: 6 }), async (a, b, picks) => {
        const model = { kind: 'probe', a, nested: { b } };
        const received = send(await encodeForPost(model, 'copy'));
        const decoded = await decodeModel(received.value, received.packed, received.parts, never);
        if (!decoded) throw new Error('stopped');
        const w = decoded.model as typeof model;
        const own = [...a].reverse();
        const pool = [w.a, w.nested.b, own, [1, 2, 3]];
        const result = picks.map((k) => pool[k]!);
        const back = send(encodeNow(result, 'move', decoded.known));
        const got = (await decodeReceived(back.value, back.packed, back.parts, model)) as unknown[];
        const expected = picks.map((k) => [a, b, own, [1, 2, 3]][k]!);
        expect(got).toEqual(expected);
        picks.forEach((k, i) => {
          if (k === 0) expect(got[i]).toBe(a);
          if (k === 1) expect(got[i]).toBe(b);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('a reference to a list the model no longer has is an error naming its path', async () => {
    const model = { kind: 'probe', ids: names(300, 'n') };
    const received = send(await encodeForPost(model, 'copy'));
    const decoded = await decodeModel(received.value, received.packed, received.parts, never);
    if (!decoded) throw new Error('stopped');
    const back = send(encodeNow({ ids: (decoded.model as typeof model).ids }, 'move', decoded.known));
    await expect(decodeReceived(back.value, back.packed, back.parts, { kind: 'probe' })).rejects.toThrow(/no list at ids/);
  });

  it("the worker's decoding of its model stops between steps once stopped() says so (an abort while the model arrives)", async () => {
    const model = { kind: 'probe', a: names(20_000, 'a'), b: names(20_000, 'b') };
    const received = send(await encodeForPost(model, 'copy'));
    let asked = 0;
    const stopped = await decodeModel(received.value, received.packed, received.parts, () => ++asked > 3);
    expect(stopped).toBeUndefined();
    expect(asked).toBe(4);
    const whole = await decodeModel(received.value, received.packed, received.parts, never);
    expect(whole?.model).toEqual(model);
  });
});

describe('a Fiedler solve through the pool', () => {
  const pool = createSolverPool({ size: 1, modules: ['@emplace/spectral'] });
  afterAll(() => pool.destroy());

  it("returns the caller's own node ids in the result and in every incumbent", async () => {
    const side = 30;
    const edges: [number, number][] = [];
    for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) {
      if (c + 1 < side) edges.push([r * side + c, r * side + c + 1]);
      if (r + 1 < side) edges.push([r * side + c, (r + 1) * side + c]);
    }
    const g = createGraph({ nodes: names(side * side, 'cell-'), edges: edges.map(([u, v]) => [`cell-${u}`, `cell-${v}`]) });
    const incumbents: FiedlerSolution[] = [];
    const r = await pool.solve<FiedlerSolution>(g, { method: 'fiedler:lobpcg', incumbentIntervalMs: 0, onIncumbent: (s) => incumbents.push(s as FiedlerSolution) });
    if (!hasSolution(r)) throw new Error(r.status);
    expect(r.solution.ids).toBe(g.ids);
    expect(r.solution.vector).toHaveLength(side * side);
    expect(incumbents.length).toBeGreaterThan(0);
    for (const s of incumbents) expect(s.ids).toBe(g.ids);
  });
});
