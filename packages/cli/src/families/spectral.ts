import { ModelError, type Graph, type Result } from '@emplace/core';
import { csrComponents } from '@emplace/graph';
import { FIEDLER_TABLE, largestComponent, PARTITION_TABLE, type FiedlerSolution, type PartitionSolution } from '@emplace/spectral';
import type { CliArgs, CliFamily, CliOption, CliProblem } from '../family.js';
import { describeGraph, GRAPH_FORMATS, graphsOf, readGraphFile, type Row } from './graph-input.js';
import { methodsOf, tableFamily } from './table-family.js';

/*
 * The spectral families (fiedler, partition), apart from the other graph families so that
 * `solve fiedler` does not load @emplace/flows.
 */

const COMPONENT: CliOption = { name: 'component', type: 'string', choices: ['largest', 'all'], description: 'largest connected component (default) or the whole graph' };

/**
 * The graphs of a file for the spectral families. `--component largest` (the default, as the
 * published algebraic-connectivity references use) keeps the largest connected component;
 * `--component all` keeps the whole graph (lambda2 = 0 when it is disconnected).
 */
async function loadComponents(path: string, args: CliArgs): Promise<CliProblem[]> {
  const data = await readGraphFile(path, args);
  const which = String(args.extra['component'] ?? 'largest');
  if (which !== 'largest' && which !== 'all') throw new ModelError('--component', `must be "largest" or "all", got ${JSON.stringify(which)}`);
  return graphsOf(data).map(({ name, graph }) => {
    if (which === 'all' || graph.n < 2) return { instance: name, model: graph, params: { component: 'all', components: undefined, wholeNodes: graph.n } };
    // A connected graph (the usual case) is its own largest component: a BFS over the edges of
    // positive weight (those the Laplacian sees) tells so in tens of ms for a million edges,
    // without largestComponent's Laplacian build (over 100 ms, holding the event loop).
    const connected = csrComponents(graph.n, graph.offsets, graph.adjNode, graph.adjWeight).count <= 1;
    if (connected) return { instance: name, model: graph, params: { component: 'all', components: 1, wholeNodes: graph.n } };
    const lc = largestComponent(graph);
    return { instance: name, model: lc.graph, params: { component: lc.components > 1 ? 'largest' : 'all', components: lc.components, wholeNodes: graph.n } };
  });
}

const componentOf = (problem: CliProblem): Row => ({ component: String(problem.params?.['component'] ?? 'all') });

export const families: CliFamily[] = [
  tableFamily({
    name: 'fiedler',
    description: 'Algebraic connectivity lambda2 and the Fiedler vector (largest component by default; --component all, --laplacian normalized, --tolerance)',
    formats: GRAPH_FORMATS,
    methods: methodsOf(FIEDLER_TABLE),
    inputOptions: [COMPONENT],
    load: loadComponents,
    describe(problem: CliProblem, result: Result<unknown>) {
      const head: Row = { ...componentOf(problem), componentsInFile: (problem.params?.['components'] as number | undefined) ?? null };
      const s = result.solution as FiedlerSolution | undefined;
      const g = problem.model as Graph;
      const out: Row = { nodes: g.n, edges: g.m, ...head };
      if (s) {
        const { lambda2, residual, relativeResidual, normL, laplacian, connected } = s;
        Object.assign(out, { lambda2, residual, relativeResidual, normL, laplacian, connected, eigenMethod: String(result.stats['eigenMethod'] ?? '') });
      }
      return out;
    },
  }),
  tableFamily({
    name: 'partition',
    description: 'Spectral partitioning into --k parts (default 2): least-conductance sweep cuts, Cheeger interval (largest component by default)',
    formats: GRAPH_FORMATS,
    methods: methodsOf(PARTITION_TABLE),
    inputOptions: [COMPONENT],
    load: loadComponents,
    describe: describeGraph<PartitionSolution>((s, problem) => ({
      ...componentOf(problem),
      parts: s.parts,
      sizes: Array.from(s.sizes).join('/'),
      cutWeight: s.cutWeight,
      conductance: s.maxConductance,
      balance: s.balance,
      cheegerLower: s.cheeger ? s.cheeger.lower : null,
      cheegerUpper: s.cheeger ? s.cheeger.upper : null,
    })),
  }),
];
