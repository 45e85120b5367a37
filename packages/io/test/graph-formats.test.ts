import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readEdgeList,
  readGraphml,
  readMatrixMarket,
  readSteinlib,
  writeEdgeList,
  writeGraphml,
  writeMatrixMarket,
  writeSteinlib,
} from '@emplace/io';
import { arbitraryGraph, edgeSet, formatError } from './helpers.js';

describe('readEdgeList', () => {
  it('reads SNAP-style lists: comments, tabs, CRLF, arbitrary ids, both directions, self-loops', () => {
    const text = '# Directed graph\r\n# FromNodeId\tToNodeId\r\n3466\t937\r\n937\t3466\r\n3466\t3466\r\nabc  937\r\n\r\n% another comment\r\n';
    const r = readEdgeList(text, { name: 'snap' });
    expect(r.name).toBe('snap');
    expect(r.graph.ids).toEqual(['3466', '937', 'abc']);
    expect(r.graph.m).toBe(2);
    expect(r.selfLoops).toBe(1);
    expect(r.duplicates).toBe(1);
    expect(r.edgeLines).toBe(4);
    expect(r.weighted).toBe(false);
    expect(edgeSet(r.graph)).toEqual(['3466 937 1', '937 abc 1']);
  });

  it('reads weights, keeps the lightest duplicate by default, and other policies on request', () => {
    const text = 'a b 5\nb a 2\nb c 1.5\n';
    expect(edgeSet(readEdgeList(text).graph)).toEqual(['a b 2', 'b c 1.5']);
    expect(edgeSet(readEdgeList(text, { duplicates: 'sum' }).graph)).toEqual(['a b 7', 'b c 1.5']);
    expect(readEdgeList(text, { duplicates: 'keep' }).graph.m).toBe(3);
  });

  it('reports malformed lines with their number', () => {
    expect(formatError(() => readEdgeList('a b\nb c x\n', { source: 'g.txt' })).line).toBe(2);
    expect(formatError(() => readEdgeList('# c\na b 1 2\n')).line).toBe(2);
    expect(formatError(() => readEdgeList('a b -1\n')).message).toContain('negative');
  });

  it('round-trips random graphs, isolated nodes included', () => {
    fc.assert(
      fc.property(arbitraryGraph, (g) => {
        const back = readEdgeList(writeEdgeList(g)).graph;
        expect(new Set(back.ids)).toEqual(new Set(g.ids));
        expect(edgeSet(back)).toEqual(edgeSet(g));
      }),
      { numRuns: 100 },
    );
  });
});

const MM = `%%MatrixMarket matrix coordinate real symmetric
% a comment
4 4 5
1 1 9.0
2 1 0.5
3 2 2
4 3 1e1
4 1 3
`;

describe('readMatrixMarket', () => {
  it('reads a symmetric real matrix as a weighted graph, dropping the diagonal', () => {
    const r = readMatrixMarket(MM);
    expect(r.field).toBe('real');
    expect(r.symmetry).toBe('symmetric');
    expect(r.entries).toBe(5);
    expect(r.diagonal).toBe(1);
    expect(r.graph.n).toBe(4);
    expect(edgeSet(r.graph, true)).toEqual(['0 1 0.5', '0 3 3', '1 2 2', '2 3 10']);
  });

  it('reads general pattern and integer matrices, collapsing (i, j) and (j, i)', () => {
    const pattern = '%%MatrixMarket matrix coordinate pattern general\n3 3 3\n1 2\n2 1\n2 3\n';
    expect(edgeSet(readMatrixMarket(pattern).graph, true)).toEqual(['0 1 1', '1 2 1']);
    const integer = '%%MatrixMarket matrix coordinate integer general\n3 3 2\n1 2 4\n2 1 6\n';
    expect(edgeSet(readMatrixMarket(integer).graph, true)).toEqual(['0 1 4']);
    expect(edgeSet(readMatrixMarket(integer, { duplicates: 'max' }).graph, true)).toEqual(['0 1 6']);
    const negative = '%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n2 1 -1\n';
    expect(formatError(() => readMatrixMarket(negative)).line).toBe(3);
    expect(edgeSet(readMatrixMarket(negative, { weights: 'abs' }).graph, true)).toEqual(['0 1 1']);
  });

  it('rejects bad headers, counts and values with the line', () => {
    expect(formatError(() => readMatrixMarket('hello\n')).line).toBe(1);
    expect(formatError(() => readMatrixMarket('%%MatrixMarket matrix array real general\n2 2\n')).line).toBe(1);
    expect(formatError(() => readMatrixMarket(MM.replace('4 4 5', '4 3 5'))).line).toBe(3);
    expect(formatError(() => readMatrixMarket(MM.replace('3 2 2', '3 2 two'))).line).toBe(6);
    expect(formatError(() => readMatrixMarket(MM.replace('3 2 2', '3 7 2'))).line).toBe(6);
    expect(formatError(() => readMatrixMarket(MM.replace('4 4 5', '4 4 4'))).line).toBe(8);
    expect(formatError(() => readMatrixMarket(MM.replace('4 4 5', '4 4 6'))).message).toContain('truncated');
  });

  it('round-trips random graphs (indices kept, ids become 1..n)', () => {
    fc.assert(
      fc.property(arbitraryGraph, fc.constantFrom<'real' | 'pattern' | undefined>(undefined, 'real', 'pattern'), (g, field) => {
        const back = readMatrixMarket(writeMatrixMarket(g, field ? { field } : {})).graph;
        expect(back.n).toBe(g.n);
        if (field === 'pattern') expect(back.m).toBe(g.m);
        else expect(edgeSet(back, true)).toEqual(edgeSet(g, true));
      }),
      { numRuns: 100 },
    );
  });
});

const GRAPHML = `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE graphml>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key attr.name="label" attr.type="string" for="node" id="d0" />
  <key attr.name="Latitude" attr.type="double" for="node" id="d1" />
  <key attr.name="Longitude" attr.type="double" for="node" id="d2" />
  <key attr.name="Country" attr.type="string" for="node" id="d3"><default>Nowhere</default></key>
  <key attr.name="key" attr.type="int" for="edge" id="d4" />
  <key attr.name="Network" attr.type="string" for="graph" id="d5" />
  <key attr.name="speed" attr.type="double" for="edge" id="d6" />
  <graph edgedefault="undirected">
    <data key="d5">Tiny &amp; Co</data>
    <!-- a comment <node id="ghost"/> -->
    <node id="0"><data key="d0">New York</data><data key="d1">40.7</data><data key="d2">-74.0</data><data key="d3">USA</data></node>
    <node id="1"><data key="d0"><![CDATA[Z<rich]]></data></node>
    <node id="2" />
    <edge source="0" target="1"><data key="d4">0</data><data key="d6">10</data></edge>
    <edge source="1" target="0"><data key="d4">1</data><data key="d6">4</data></edge>
    <edge source="1" target="2" />
    <edge source="2" target="2" />
  </graph>
</graphml>
`;

describe('readGraphml', () => {
  it('reads nodes with typed attributes and defaults, collapses parallel edges, drops self-loops', () => {
    const r = readGraphml(GRAPHML);
    expect(r.name).toBe('Tiny & Co');
    expect(r.graph.n).toBe(3);
    expect(r.graph.m).toBe(2);
    expect(r.parallelEdges).toBe(1);
    expect(r.selfLoops).toBe(1);
    expect(r.edges).toHaveLength(3);
    expect(r.nodes[0]).toMatchObject({ id: '0', label: 'New York', lat: 40.7, lon: -74, Country: 'USA' });
    expect(r.nodes[1]).toMatchObject({ id: '1', label: 'Z<rich', Country: 'Nowhere' });
    expect(r.nodes[2]!.lat).toBeUndefined();
    expect([...r.graph.edgeW]).toEqual([1, 1]);
    expect(r.graphAttributes['Network']).toBe('Tiny & Co');
  });

  it('keeps parallel edges or reads weights from an attribute on request', () => {
    expect(readGraphml(GRAPHML, { parallel: 'keep' }).graph.m).toBe(3);
    expect(edgeSet(readGraphml(GRAPHML, { weight: 'speed' }).graph)).toEqual(['0 1 4', '1 2 1']);
  });

  it('reports malformed XML and GraphML with the line', () => {
    expect(formatError(() => readGraphml(GRAPHML.replace('</node>\n    <node id="1">', '</nod>\n    <node id="1">'))).line).toBe(14);
    expect(formatError(() => readGraphml(GRAPHML.replace('source="1" target="2"', 'source="1" target="9"'))).line).toBe(19);
    const truncated = GRAPHML.split('\n').slice(0, 16).join('\n');
    const e = formatError(() => readGraphml(truncated, { source: 'zoo.graphml' }));
    expect(e.message).toContain('truncated');
    expect(e.message).toContain('zoo.graphml');
    expect(formatError(() => readGraphml('<html></html>')).message).toContain('not a GraphML');
    expect(formatError(() => readGraphml(GRAPHML.replace('<node id="2" />', '<node id="2" x=1 />'))).line).toBe(16);
  });

  it('round-trips random graphs with weights and node attributes', () => {
    fc.assert(
      fc.property(arbitraryGraph, (g) => {
        const nodes = g.ids.map((id, i) => ({ id, label: `<${id} & "q">`, lat: i / 3, lon: -i - 0.5 }));
        const back = readGraphml(writeGraphml(g, { nodes, name: 'rt' }));
        expect(back.name).toBe('rt');
        expect(back.graph.ids).toEqual(g.ids);
        expect(edgeSet(back.graph)).toEqual(edgeSet(g));
        expect(readGraphml(writeGraphml(g), { weight: false }).graph.edgeW.every((w) => w === 1)).toBe(true);
        back.nodes.forEach((node, i) => expect(node).toMatchObject(nodes[i]!));
      }),
      { numRuns: 60 },
    );
  });
});

describe('SteinLib writer', () => {
  it('round-trips random graphs with random terminals', () => {
    fc.assert(
      fc.property(arbitraryGraph, fc.array(fc.nat(), { maxLength: 6 }), (g, picks) => {
        const terminals = [...new Set(picks.map((k) => k % g.n))];
        const back = readSteinlib(writeSteinlib(g, terminals));
        expect(back.graph.n).toBe(g.n);
        expect(edgeSet(back.graph, true)).toEqual(edgeSet(g, true));
        expect([...back.terminals]).toEqual(terminals);
      }),
      { numRuns: 100 },
    );
  });
});
