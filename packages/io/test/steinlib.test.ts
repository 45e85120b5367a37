import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSteinlib, writeSteinlib } from '@emplace/io';
import { formatError } from './helpers.js';
import { instancesDir } from './instances-dir.js';

const STP = `33D32945 STP File, STP Format Version 1.0

SECTION Comment
Name    "T1"
Remark  "tiny"
END

SECTION Graph
Nodes 4
Edges 4
E 1 2 3
E 2 3 4
E 3 4 5
E 1 2 2
END

SECTION Terminals
Terminals 2
T 1
T 4
END

SECTION Coordinates
DD 1 0 0
END

EOF
`;


describe('readSteinlib', () => {
  it('reads nodes, edges (parallel edges keep the lightest), terminals and skips unknown sections', () => {
    const r = readSteinlib(STP);
    expect(r.name).toBe('T1');
    expect(r.comment['Remark']).toBe('tiny');
    expect(r.graph.n).toBe(4);
    expect(r.graph.m).toBe(3);
    expect([...r.graph.edgeW]).toEqual([2, 4, 5]);
    expect([...r.terminals]).toEqual([0, 3]);
    expect(readSteinlib(STP, { duplicates: 'keep' }).graph.m).toBe(4);
    expect(readSteinlib(STP, { name: 'x' }).name).toBe('x');
  });

  it('reads A arcs as undirected edges', () => {
    const text = STP.replace('Edges 4\nE 1 2 3\nE 2 3 4\nE 3 4 5\nE 1 2 2', 'Arcs 4\nA 1 2 3\nA 2 1 4\nA 2 3 4\nA 3 4 5');
    const r = readSteinlib(text);
    expect(r.graph.m).toBe(3);
    expect([...r.graph.edgeW]).toEqual([3, 4, 5]);
  });

  it('rejects a wrong header, wrong counts, bad nodes and truncation with the line', () => {
    expect(formatError(() => readSteinlib('hello\n')).line).toBe(1);
    expect(formatError(() => readSteinlib(STP.replace('Edges 4', 'Edges 5'))).line).toBe(10);
    expect(formatError(() => readSteinlib(STP.replace('Terminals 2', 'Terminals 3'))).line).toBe(18);
    expect(formatError(() => readSteinlib(STP.replace('E 3 4 5', 'E 3 9 5'))).line).toBe(13);
    expect(formatError(() => readSteinlib(STP.replace('E 3 4 5', 'E 3 4 five'))).line).toBe(13);
    const truncated = STP.split('\n').slice(0, 13).join('\n');
    const e = formatError(() => readSteinlib(truncated, { source: 'b.stp' }));
    expect(e.message).toContain('truncated');
    expect(e.message).toContain('b.stp');
  });

  it('round-trips through writeSteinlib', () => {
    const a = readSteinlib(STP);
    const b = readSteinlib(writeSteinlib(a.graph, a.terminals, { name: a.name }));
    expect(b.name).toBe('T1');
    expect(b.graph.edgeU).toEqual(a.graph.edgeU);
    expect(b.graph.edgeV).toEqual(a.graph.edgeV);
    expect(b.graph.edgeW).toEqual(a.graph.edgeW);
    expect(b.terminals).toEqual(a.terminals);
  });
});

describe.skipIf(!instancesDir)('SteinLib public instances', () => {
  it('reads all 38 B and C files with their declared counts', () => {
    const dir = instancesDir!;
    let files = 0;
    for (const set of ['B', 'C']) {
      for (const f of readdirSync(join(dir, 'steinlib', set)).filter((x) => x.endsWith('.stp'))) {
        const text = readFileSync(join(dir, 'steinlib', set, f), 'utf8');
        const r = readSteinlib(text, { name: f.slice(0, -4) });
        const nodes = Number(/Nodes\s+(\d+)/.exec(text)![1]);
        const terms = Number(/Terminals\s+(\d+)/.exec(text)![1]);
        expect(r.graph.n).toBe(nodes);
        expect(r.terminals.length).toBe(terms);
        expect(r.graph.m).toBeGreaterThan(0);
        files++;
      }
    }
    expect(files).toBe(38);
  });
});
