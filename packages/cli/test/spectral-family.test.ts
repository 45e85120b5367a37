import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csrComponents } from '@emplace/graph';
import { readEdgeList } from '@emplace/io';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '@emplace/cli';
import { createGraph } from '@emplace/core';
import { isConnected } from '../src/families/spectral.js';

const dir = mkdtempSync(join(tmpdir(), 'emplace-cli-spectral-'));

/** The --json line of `solve fiedler` on an edge list (undefined when it exits without one: a 1-node largest component). */
async function fiedlerLine(text: string, extra: string[] = []): Promise<Record<string, unknown> | undefined> {
  const file = join(dir, `g${Math.random().toString(36).slice(2)}.edges`);
  writeFileSync(file, text);
  let out = '';
  const code = await runCli(['solve', 'fiedler', file, '--json', ...extra], { stdout: (t) => (out += t), stderr: () => {} });
  if (code !== 0) return undefined;
  expect(out.endsWith('\n') && out.indexOf('\n') === out.length - 1).toBe(true);
  return JSON.parse(out) as Record<string, unknown>;
}

describe('fiedler / partition loading (families/spectral.ts)', () => {
  it('keeps a connected graph whole and takes the largest component of a disconnected one (zero-weight edges do not connect), as csrComponents counts', async () => {
    // Random small graphs: edges among 2-9 nodes, some of weight 0; every node declared.
    const graph = fc.integer({ min: 2, max: 9 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom(0, 1, 2.5)), { maxLength: 14 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(graph, async ({ n, edges }) => {
        const lines = [...Array.from({ length: n }, (_, v) => `v${v}`), ...edges.filter(([u, v]) => u !== v).map(([u, v, w]) => `v${u} v${v} ${w}`)];
        const text = lines.join('\n') + '\n';
        const g = readEdgeList(text).graph;
        const count = csrComponents(g.n, g.offsets, g.adjNode, g.adjWeight).count;
        const rec = await fiedlerLine(text);
        if (count === 1) expect(rec).toBeDefined();
        if (rec === undefined) return;
        expect(rec['componentsInFile']).toBe(count);
        expect(rec['component']).toBe(count > 1 ? 'largest' : 'all');
        const solution = rec['solution'] as { ids: string[]; vector: number[] } | null;
        if (solution) expect(solution.ids.length).toBe(solution.vector.length);
      }),
      { numRuns: 40 },
    );
  });

  it('--component all keeps the whole graph; the printed ids are the graph ids in order', async () => {
    const rec = (await fiedlerLine('a b\nb c\nx y\n', ['--component', 'all']))!;
    expect(rec['component']).toBe('all');
    expect((rec['solution'] as { ids: string[] }).ids).toEqual(['a', 'b', 'c', 'x', 'y']);
  });

  it('isConnected over many event-loop turns (a 300,000-node path, then with one edge at weight 0)', async () => {
    const n = 300_000;
    const u = Int32Array.from({ length: n - 1 }, (_, i) => i);
    const v = Int32Array.from({ length: n - 1 }, (_, i) => i + 1);
    const w = new Float64Array(n - 1).fill(1);
    expect(await isConnected(createGraph({ n, edges: { u, v, w } }))).toBe(true);
    w[n >> 1] = 0;
    expect(await isConnected(createGraph({ n, edges: { u, v, w } }))).toBe(false);
  });
});
