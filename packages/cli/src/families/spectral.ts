import { ModelError, yieldToEventLoop, type Graph, type Result } from '@emplace/core';
import { csrComponentsSteps } from '@emplace/graph';
import { FIEDLER_TABLE, largestComponent, PARTITION_TABLE, type FiedlerSolution, type PartitionSolution } from '@emplace/spectral';
import type { CliArgs, CliFamily, CliOption, CliProblem } from '../family.js';
import { prepareJsonArray } from '../output.js';
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
  const problems: CliProblem[] = [];
  for (const { name, graph } of graphsOf(data)) problems.push(await componentProblem(name, graph, which));
  // The solution carries the graph's node ids: their JSON is made now, in slices, so that the
  // line of an aborted solve formats only the vector (200,000 ids: 25-35 ms after the signal).
  if (args.json) for (const p of problems) await prepareJsonArray((p.model as Graph).ids, args.signal);
  return problems;
}

/** The problem of one graph: the graph itself, or its largest component (see loadComponents). */
async function componentProblem(name: string, graph: Graph, which: 'largest' | 'all'): Promise<CliProblem> {
  if (which === 'all' || graph.n < 2) return { instance: name, model: graph, params: { component: 'all', components: undefined, wholeNodes: graph.n } };
  // A connected graph (the usual case) is its own largest component: a BFS over the edges of
  // positive weight (those the Laplacian sees) tells so, without largestComponent's Laplacian
  // build (over 100 ms, holding the event loop).
  if (await isConnected(graph)) return { instance: name, model: graph, params: { component: 'all', components: 1, wholeNodes: graph.n } };
  const lc = largestComponent(graph);
  return { instance: name, model: lc.graph, params: { component: lc.components > 1 ? 'largest' : 'all', components: lc.components, wholeNodes: graph.n } };
}

/** Adjacency entries scanned between two turns of the event loop (about a millisecond). */
const SCAN_STEP = 1 << 16;

/**
 * Whether the edges of positive weight connect every node: graph's components as steps, with
 * a turn of the event loop every SCAN_STEP entries (csrComponents in one go held the loop
 * 50-75 ms on a million edges, so a signal while loading was seen that late).
 */
export async function isConnected(graph: Graph): Promise<boolean> {
  const steps = csrComponentsSteps(graph.n, graph.offsets, graph.adjNode, graph.adjWeight, SCAN_STEP);
  let r = steps.next();
  while (!r.done) {
    await yieldToEventLoop();
    r = steps.next();
  }
  return r.value.count <= 1;
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
