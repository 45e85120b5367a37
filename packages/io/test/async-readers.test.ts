import { createGraph, createPlacementModel, type DuplicatePolicy, type Graph, type PlacementModel } from '@emplace/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readDimacsMinCost,
  readDimacsMinCostAsync,
  readEdgeList,
  readEdgeListAsync,
  detectFormat,
  readInstance,
  readInstanceAsync,
  ReadAbortedError,
  readMatrixMarket,
  readMatrixMarketAsync,
  readOrlibCap,
  readOrlibCapAsync,
  readOrlibGap,
  readOrlibGapAsync,
  readSteinlib,
  readSteinlibAsync,
  writeDimacsMinCost,
  writeEdgeList,
  writeMatrixMarket,
  writeOrlibCap,
  writeOrlibGap,
  writeSteinlib,
} from '@emplace/io';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEdgeListBytesAsync } from '../src/edge-list.js';
import { decodeUtf8, readInstanceFile } from '../src/read-file.js';
import { arbitraryGraph } from './helpers.js';

/** The graph as core's createGraph builds it from a naive reading of the list: what the fast reader must reproduce. */
function referenceEdgeList(text: string, duplicates: DuplicatePolicy): Graph {
  const ids: string[] = [];
  const index = new Map<string, number>();
  const node = (id: string) => {
    let k = index.get(id);
    if (k === undefined) {
      k = ids.length;
      ids.push(id);
      index.set(id, k);
    }
    return k;
  };
  const us: number[] = [];
  const vs: number[] = [];
  const ws: number[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split('\n')) {
    const t = line.replace(/^[ \t\r]+/, '');
    if (t.startsWith('#') || t.startsWith('%')) continue;
    const toks = line.split(/[ \t\r,;]+/).filter((x) => x !== '');
    if (toks.length === 0) continue;
    if (toks.length === 1) {
      node(toks[0]!);
      continue;
    }
    const u = node(toks[0]!);
    const v = node(toks[1]!);
    if (u === v) continue;
    us.push(u);
    vs.push(v);
    ws.push(toks.length === 3 ? Number(toks[2]) : 1);
  }
  return createGraph({ nodes: ids, edges: { u: us, v: vs, w: ws }, duplicates });
}

/** Edge-list lines with repeated pairs (both directions), self-loops, comments, isolated nodes, odd separators and ids. */
const arbitraryEdgeListText = fc
  .record({
    ids: fc.array(fc.constantFrom('0', '1', '2', '7', '10', '007', '12345678901234567', 'a', 'b-2', 'x_y', '99'), { minLength: 1, maxLength: 8 }),
    lines: fc.array(
      fc.oneof(
        fc.tuple(fc.nat(), fc.nat(), fc.option(fc.oneof(fc.integer({ min: 0, max: 99 }), fc.double({ min: 0, max: 1e3, noNaN: true })), { nil: undefined })),
        fc.constantFrom('# comment', '% comment', '', '  ', ' \t', '\r'),
        fc.nat(),
      ),
      { maxLength: 40 },
    ),
    sep: fc.constantFrom(' ', '\t', ',', ' ; ', '  '),
    crlf: fc.boolean(),
  })
  .map(({ ids, lines, sep, crlf }) => {
    const id = (k: number) => ids[k % ids.length]!;
    const out = lines.map((l) => {
      if (typeof l === 'string') return l;
      if (typeof l === 'number') return id(l);
      const [a, b, w] = l;
      return w === undefined ? `${id(a)}${sep}${id(b)}` : `${id(a)}${sep}${id(b)}${sep}${w}`;
    });
    return out.join(crlf ? '\r\n' : '\n');
  });

const policies: DuplicatePolicy[] = ['min', 'max', 'last', 'sum', 'keep'];

describe('readEdgeList (char-code scanner, bucketed duplicate collapse)', () => {
  it('builds exactly the graph createGraph builds from a naive reading, for every duplicate policy', () => {
    fc.assert(
      fc.property(arbitraryEdgeListText, fc.constantFrom(...policies), (text, duplicates) => {
        const got = readEdgeList(text, { duplicates }).graph;
        expect(got).toEqual(referenceEdgeList(text, duplicates));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same instance sync and async', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryEdgeListText, fc.constantFrom(...policies), async (text, duplicates) => {
        expect(await readEdgeListAsync(text, { duplicates })).toEqual(readEdgeList(text, { duplicates }));
      }),
      { numRuns: 100 },
    );
  });

  it("names the first repeated edge under duplicates: 'error', as createGraph does", () => {
    expect(() => readEdgeList('a b\nb c\nc b\n', { duplicates: 'error' })).toThrow(/edges\[2\] duplicates the edge \{b, c\}/);
  });
});

/** Random placement models with capacities (cap) or site-dependent demand (gap). */
const arbitraryPlacement = (kind: 'cap' | 'gap'): fc.Arbitrary<PlacementModel> =>
  fc
    .record({ m: fc.integer({ min: 1, max: 5 }), n: fc.integer({ min: 1, max: 8 }), seed: fc.integer({ min: 1, max: 1e6 }) })
    .map(({ m, n, seed }) => {
      let s = seed;
      const next = () => (s = (s * 48271) % 2147483647) % 100;
      const cost = Float64Array.from({ length: m * n }, next);
      return createPlacementModel({
        sites: Array.from({ length: m }, (_, i) => ({ id: kind === 'cap' ? `w${i + 1}` : `agent${i + 1}` })),
        clients: Array.from({ length: n }, (_, j) => ({ id: kind === 'cap' ? `c${j + 1}` : `job${j + 1}` })),
        cost,
        capacity: Float64Array.from({ length: m }, () => 50 + next()),
        ...(kind === 'cap' ? { openingCost: Float64Array.from({ length: m }, next), demand: Float64Array.from({ length: n }, () => 1 + next()) } : { siteDemand: Float64Array.from({ length: m * n }, () => 1 + next()) }),
      });
    });

describe('async readers', () => {
  it('give the same result as the sync ones (matrix-market, steinlib, dimacs-mincost, orlib-cap, orlib-gap)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryGraph, arbitraryPlacement('cap'), arbitraryPlacement('gap'), async (g, cap, gap) => {
        const mtx = writeMatrixMarket(g);
        expect(await readMatrixMarketAsync(mtx)).toEqual(readMatrixMarket(mtx));
        const stp = writeSteinlib(g, [0]);
        expect(await readSteinlibAsync(stp)).toEqual(readSteinlib(stp));
        const net = { n: g.n, m: g.m, tail: g.edgeU, head: g.edgeV, lower: new Float64Array(g.m), capacity: g.edgeW, cost: g.edgeW, supply: new Float64Array(g.n) };
        const min = writeDimacsMinCost(net);
        expect(await readDimacsMinCostAsync(min)).toEqual(readDimacsMinCost(min));
        const capText = writeOrlibCap(cap);
        expect(await readOrlibCapAsync(capText)).toEqual(readOrlibCap(capText));
        const gapText = writeOrlibGap([gap, gap]);
        expect(await readOrlibGapAsync(gapText)).toEqual(readOrlibGap(gapText));
        for (const [text, file] of [[mtx, 'g.mtx'], [stp, 'g.stp'], [min, 'g.min'], [capText, 'cap1.txt'], [gapText, 'gap1.txt'], [writeEdgeList(g), 'g.edges']] as const) {
          expect(await readInstanceAsync(text, file), file).toEqual(readInstance(text, file));
        }
      }),
      { numRuns: 60 },
    );
  });

  /** Large inputs of each format: several tens of ms of parsing, so an abort lands mid-parse. */
  function largeInputs(): { name: string; read: (signal: AbortSignal) => Promise<unknown> }[] {
    const n = 40_000;
    const us = new Int32Array(4 * n);
    const vs = new Int32Array(4 * n);
    for (let e = 0; e < us.length; e++) {
      us[e] = e % n;
      vs[e] = (e * 7919 + 1) % n === e % n ? (e + 1) % n : (e * 7919 + 1) % n;
    }
    const g = createGraph({ n, edges: { u: us, v: vs }, duplicates: 'min' });
    const big = createPlacementModel({
      sites: Array.from({ length: 100 }, (_, i) => ({ id: `w${i}` })),
      clients: Array.from({ length: 2000 }, (_, j) => ({ id: `c${j}` })),
      cost: Float64Array.from({ length: 200_000 }, (_, k) => k % 97),
      capacity: new Float64Array(100).fill(1e6),
      openingCost: new Float64Array(100).fill(10),
      demand: new Float64Array(2000).fill(1),
    });
    const edges = writeEdgeList(g);
    const mtx = writeMatrixMarket(g);
    const stp = writeSteinlib(g, [0, 1]);
    const capText = writeOrlibCap(big);
    const gapText = writeOrlibGap([big, big]);
    const min = writeDimacsMinCost({ n: g.n, m: g.m, tail: g.edgeU, head: g.edgeV, lower: new Float64Array(g.m), capacity: g.edgeW, cost: g.edgeW, supply: new Float64Array(g.n) });
    return [
      { name: 'edge-list', read: (signal) => readEdgeListAsync(edges, { signal }) },
      { name: 'matrix-market', read: (signal) => readMatrixMarketAsync(mtx, { signal }) },
      { name: 'steinlib', read: (signal) => readSteinlibAsync(stp, { signal }) },
      { name: 'dimacs-mincost', read: (signal) => readDimacsMinCostAsync(min, { signal }) },
      { name: 'orlib-cap', read: (signal) => readOrlibCapAsync(capText, { signal }) },
      { name: 'orlib-gap', read: (signal) => readOrlibGapAsync(gapText, { signal }) },
      { name: 'readInstanceAsync', read: (signal) => readInstanceAsync(edges, 'big.edges', { signal }) },
    ];
  }

  it('stop with a ReadAbortedError when the signal aborts mid-parse, or before they start', async () => {
    for (const { name, read } of largeInputs()) {
      const controller = new AbortController();
      const reading = read(controller.signal);
      // Fires at the reader's first turn of the event loop, inside the parse.
      setImmediate(() => controller.abort());
      await expect(reading, name).rejects.toBeInstanceOf(ReadAbortedError);
      await expect(read(AbortSignal.abort()), name).rejects.toBeInstanceOf(ReadAbortedError);
    }
  });
});

/** The layout detection as it was (a split of the whole text), the reference for the one-pass scan. */
function referenceLayout(text: string): string | undefined {
  const toks = text.trim().split(/\s+/);
  const [a, b, c] = toks.slice(0, 3).map(Number) as [number, number, number];
  const total = toks.length;
  if (Number.isInteger(a) && Number.isInteger(b) && Number.isInteger(c) && total === 3 + 3 * b && c <= a) return 'orlib-pmed';
  if (Number.isInteger(a) && Number.isInteger(b) && a > 0 && b > 0 && total === 2 + 2 * a + b * (1 + a)) return 'orlib-cap';
  if (Number.isInteger(a) && a > 0) {
    let k = 1;
    for (let p = 0; p < a && k + 1 < total; p++) {
      const m = Number(toks[k]);
      const n = Number(toks[k + 1]);
      if (!Number.isInteger(m) || !Number.isInteger(n) || m <= 0 || n <= 0) return undefined;
      k += 2 + 2 * m * n + m;
    }
    if (k === total) return 'orlib-gap';
  }
  return undefined;
}

describe('detectFormat by the OR-Library layout (no name hint)', () => {
  it('agrees with splitting the text into tokens, on whole and cut files of every layout', () => {
    fc.assert(
      fc.property(arbitraryPlacement('cap'), arbitraryPlacement('gap'), fc.nat(), fc.integer({ min: 1, max: 3 }), (cap, gap, cut, copies) => {
        const texts = [writeOrlibCap(cap), writeOrlibGap(Array.from({ length: copies }, () => gap)), `3 2 1\n1 2 5\n2 3 4\n`];
        for (const whole of texts) {
          for (const text of [whole, whole.slice(0, cut % (whole.length + 1)), `${whole} 7`]) {
            // Where the layouts do not match, detection goes on to its edge-list fallback (or fails).
            const expected = referenceLayout(text) ?? detectFormatOrUndefined(text, true);
            expect(detectFormatOrUndefined(text), JSON.stringify(text.slice(0, 40))).toBe(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** detectFormat for a name without hints; undefined when it cannot tell (or, with `fallbackOnly`, the non-layout fallback). */
function detectFormatOrUndefined(text: string, fallbackOnly = false): string | undefined {
  try {
    const f = detectFormat('x.dat', text);
    if (fallbackOnly) return f === 'edge-list' ? f : undefined;
    return f;
  } catch {
    return undefined;
  }
}

describe('decodeUtf8 (file text decoded in pieces)', () => {
  // Found by this property: EF 8F 8F BF 80 F0 in pieces of 4 was cut inside the character
  // EF 8F 8F (backing off over the stray continuation bytes after it).
  it('gives what TextDecoder gives, BOM dropped, for any bytes and any piece size', async () => {
    const utf8 = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }).map((s) => new TextEncoder().encode(s)),
      fc.uint8Array({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 30 }).map((s) => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(s)])),
    );
    await fc.assert(
      fc.asyncProperty(utf8, fc.integer({ min: 4, max: 16 }), async (bytes, chunk) => {
        expect(await decodeUtf8(bytes, chunk)).toBe(new TextDecoder('utf-8').decode(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decodeUtf8 regressions', () => {
  it('does not cut a complete character followed by stray continuation bytes', async () => {
    const bytes = new Uint8Array([0xef, 0x8f, 0x8f, 0xbf, 0x80, 0xf0]);
    expect(await decodeUtf8(bytes, 4)).toBe(new TextDecoder('utf-8').decode(bytes));
  });
});

describe('readEdgeListBytesAsync (a file edge list parsed from its bytes, a piece at a time)', () => {
  const bufferDecode = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8', start, end);
  // Edge-list texts with non-ASCII ids, a BOM, and stray bytes (malformed UTF-8) put anywhere.
  const arbitraryBytes = fc
    .record({
      text: arbitraryEdgeListText,
      extra: fc.array(fc.tuple(fc.nat(), fc.constantFrom('é', '日本', '😀', '\uFEFF')), { maxLength: 3 }),
      stray: fc.array(fc.tuple(fc.nat(), fc.constantFrom(0xff, 0xe2, 0x82, 0xef, 0xbb, 0xbf, 0x80, 0xc3)), { maxLength: 3 }),
      bom: fc.boolean(),
    })
    .map(({ text, extra, stray, bom }) => {
      let t = text;
      for (const [at, s] of extra) t = t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1));
      const bytes = [...(bom ? [0xef, 0xbb, 0xbf] : []), ...new TextEncoder().encode(t)];
      for (const [at, b] of stray) bytes.splice(at % (bytes.length + 1), 0, b);
      return Uint8Array.from(bytes);
    });

  /** The instance, or the error message. */
  const outcome = async (read: () => unknown): Promise<unknown> => {
    try {
      return await read();
    } catch (err) {
      return `error: ${(err as Error).message}`;
    }
  };

  it('gives what readEdgeList gives on the decoded text (TextDecoder), errors and their line numbers included, at any piece size', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryBytes, fc.constantFrom(...policies), fc.integer({ min: 1, max: 24 }), fc.boolean(), async (bytes, duplicates, pieceBytes, buffer) => {
        const want = await outcome(() => readEdgeList(new TextDecoder('utf-8').decode(bytes), { duplicates }));
        const got = await outcome(() => readEdgeListBytesAsync(bytes, { duplicates }, buffer ? bufferDecode : undefined, pieceBytes));
        expect(got).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });

  it('a line longer than a piece, and the last line without an LF', async () => {
    const text = `${'x'.repeat(50)} ${'y'.repeat(40)} 2\nb c\nc d`;
    const bytes = new TextEncoder().encode(text);
    expect(await readEdgeListBytesAsync(bytes, {}, undefined, 8)).toEqual(readEdgeList(text));
  });

  it('readInstanceFile reads edge lists from bytes (by extension or --format), other content under an edge-list name as before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emplace-edge-bytes-'));
    const text = '\uFEFF# g\né 日本 2\n日本 c\r\nc é\n';
    writeFileSync(join(dir, 'g.edges'), text);
    writeFileSync(join(dir, 'g.txt'), text);
    writeFileSync(join(dir, 'h.tsv'), '<?xml version="1.0"?>\n<graphml><graph edgedefault="undirected"><node id="a"/><node id="b"/><edge source="a" target="b"/></graph></graphml>\n');
    for (const [file, format] of [['g.edges', undefined], ['g.txt', 'snap']] as const) {
      const got = await readInstanceFile(join(dir, file), format);
      expect(got).toEqual(readInstance(text.slice(1), join(dir, file), format !== undefined ? { format } : {}));
      expect(got.format).toBe('edge-list');
    }
    expect((await readInstanceFile(join(dir, 'h.tsv'))).format).toBe('graphml');
  });
});
