import { FormatError, createPlacementModel, type Graph, type PlacementModel } from '@emplace/core';
import { writeDimacsMinCost } from './dimacs-mincost.js';
import { writeEdgeList } from './edge-list.js';
import { writeEmplaceJson, type EmplaceJsonWritable } from './emplace-json.js';
import { findFormat, type InstanceData } from './formats.js';
import { writeGraphml } from './graphml.js';
import { writeMatrixMarket } from './matrix-market.js';
import { writeOrlibCap } from './orlib-cap.js';
import { writeOrlibGap } from './orlib-gap.js';
import { writeOrlibPmed } from './orlib-pmed.js';
import { writeSteinlib } from './steinlib.js';

/** The graphs, terminals and placement models an instance carries, whatever its format. */
export interface InstanceContent {
  graphs: { name: string; graph: Graph; terminals?: Int32Array; p?: number }[];
  placements: { name: string; model: PlacementModel }[];
}

/** What an instance read in any format contains, as graphs and placement models. */
export function instanceContent(data: InstanceData): InstanceContent {
  const out: InstanceContent = { graphs: [], placements: [] };
  switch (data.format) {
    case 'orlib-cap':
      out.placements.push({ name: data.name, model: data.data.model });
      break;
    case 'orlib-gap':
      out.placements.push(...data.data.map((p) => ({ name: p.name, model: p.model })));
      break;
    case 'orlib-pmed':
      out.graphs.push({ name: data.name, graph: data.data.graph, p: data.data.p });
      out.placements.push({ name: data.name, model: data.data.model });
      break;
    case 'steinlib':
      out.graphs.push({ name: data.name, graph: data.data.graph, terminals: data.data.terminals });
      break;
    case 'dimacs-mincost':
      // A directed network with supplies: neither an undirected graph nor a placement model.
      break;
    case 'graphml':
    case 'matrix-market':
    case 'edge-list':
      out.graphs.push({ name: data.name, graph: data.data.graph });
      break;
    case 'aws-latency': {
      // Regions serve regions: sites = clients = regions, cost = measured latency.
      const ids = data.data.regions;
      const model = createPlacementModel({ sites: ids.map((id) => ({ id })), clients: ids.map((id) => ({ id })), cost: data.data.matrix });
      out.placements.push({ name: data.name, model });
      break;
    }
    case 'emplace-json':
      for (const item of data.data) {
        if (item.kind === 'graph') out.graphs.push(item.terminals ? { name: item.name, graph: item.graph, terminals: item.terminals } : { name: item.name, graph: item.graph });
        else if (item.kind === 'placement') out.placements.push({ name: item.name, model: item.model });
      }
      break;
  }
  return out;
}

/**
 * Writes an instance read in one format in another (`emplace convert`): graphs to
 * edge-list / matrix-market / graphml / steinlib (needs terminals) / orlib-pmed (needs p)
 * / emplace-json, placement models to orlib-cap / orlib-gap / emplace-json. A
 * FormatError says when the target cannot hold what the instance carries.
 */
export function convertInstance(data: InstanceData, to: string): string {
  const target = findFormat(to).name;
  const { graphs, placements } = instanceContent(data);
  const one = <T>(list: T[], what: string): T => {
    if (list.length !== 1) throw new FormatError(`${target} holds exactly one ${what}, the ${data.format} input has ${list.length}`);
    return list[0]!;
  };
  switch (target) {
    case 'edge-list':
      return writeEdgeList(one(graphs, 'graph').graph);
    case 'matrix-market':
      return writeMatrixMarket(one(graphs, 'graph').graph);
    case 'graphml': {
      const g = one(graphs, 'graph');
      const nodes = data.format === 'graphml' ? data.data.nodes : undefined;
      return writeGraphml(g.graph, nodes ? { nodes, name: g.name } : { name: g.name });
    }
    case 'steinlib': {
      const g = one(graphs, 'graph');
      if (!g.terminals) throw new FormatError(`steinlib needs terminals, which the ${data.format} input does not have`);
      return writeSteinlib(g.graph, g.terminals, { name: g.name });
    }
    case 'orlib-pmed': {
      const g = one(graphs, 'graph');
      if (g.p === undefined) throw new FormatError(`orlib-pmed needs p, which the ${data.format} input does not have`);
      return writeOrlibPmed(g.graph, g.p);
    }
    case 'orlib-cap':
      return writeOrlibCap(one(placements, 'placement model').model);
    case 'orlib-gap':
      if (placements.length === 0) throw new FormatError(`the ${data.format} input has no placement model`);
      return writeOrlibGap(placements.map((p) => p.model));
    case 'emplace-json': {
      const items: EmplaceJsonWritable[] =
        data.format === 'emplace-json'
          ? data.data
          : [
              ...graphs.map((g) => (g.terminals ? { kind: 'graph' as const, name: g.name, graph: g.graph, terminals: g.terminals } : { kind: 'graph' as const, name: g.name, graph: g.graph })),
              ...placements.map((p) => ({ kind: 'placement' as const, name: p.name, model: p.model })),
            ];
      return items.length === 1 ? writeEmplaceJson(items[0]!) : writeEmplaceJson(items);
    }
    case 'dimacs-mincost':
      if (data.format !== 'dimacs-mincost') throw new FormatError(`dimacs-mincost holds a flow network with supplies, which the ${data.format} input does not have`);
      return writeDimacsMinCost(data.data.network, data.data.comments);
    case 'aws-latency':
      throw new FormatError('aws-latency is a read-only format');
  }
}
