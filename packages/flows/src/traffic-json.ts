import { createGraph, graphInputFromJson, ModelError, type Graph } from '@emplace/core';
import { createMcfProblem, type Commodity, type McfProblem } from './traffic.js';

/**
 * The traffic-matrix JSON document of the `mcf` CLI family (docs/formats.md): a graph
 * (a file in any graph format, or inline) and the demands on it.
 *
 * ```json
 * { "graph": "abilene.graphml",
 *   "capacity": 100,            // optional: one capacity for every link (default: edge weights)
 *   "cost": "hops",             // "hops" (default) | "weight" (edge weights as cost per unit)
 *   "classes": { "control": { "weight": 10 }, "data": { "weight": 1 } },
 *   "traffic": { "control": { "A": { "B": 2 } } },          // class -> source -> sink -> demand
 *   "commodities": [ { "source": "A", "sink": "B", "demand": 5, "class": "data" } ],
 *   "unitCost": 1,              // upgrade planning: cost per unit of added capacity (number or per edge)
 *   "moduleSize": 10 }          // upgrade planning: capacity modules (optional)
 * ```
 */
export interface TrafficDocument {
  graph?: string | { nodes?: string[]; n?: number; edges: [string | number, string | number, number?][] };
  graphFormat?: string;
  capacity?: number;
  cost?: 'hops' | 'weight';
  classes?: Record<string, { weight?: number }>;
  traffic?: Record<string, Record<string, Record<string, number>>>;
  commodities?: Commodity[];
  unitCost?: number | number[];
  moduleSize?: number;
}

export interface TrafficSpec {
  problem: McfProblem;
  /** Per-edge upgrade cost when the document gives one. */
  unitCost?: Float64Array;
  moduleSize?: number;
}

/** Parses a traffic document (already JSON-parsed) on a graph; ModelErrors name the JSON field. */
export function trafficFromDocument(doc: TrafficDocument, graph?: Graph): TrafficSpec {
  if (!doc || typeof doc !== 'object') throw new ModelError('traffic document', 'must be a JSON object');
  let g = graph;
  if (!g) {
    if (!doc.graph || typeof doc.graph !== 'object') throw new ModelError('graph', 'must be an inline graph {nodes, edges} here (a file name is resolved by the caller)');
    // Core's graph-document check names the bad field (edges, edges[0], nodes); here it sits under `graph`.
    const input = underGraph(() => graphInputFromJson(doc.graph));
    g = underGraph(() => createGraph(input.nodes !== undefined || input.n !== undefined ? input : { ...input, n: 0 }));
  }
  const m = g.m;
  let capacity: Float64Array | undefined;
  if (doc.capacity !== undefined) {
    if (!(doc.capacity >= 0) || !Number.isFinite(doc.capacity)) throw new ModelError('capacity', `must be a finite number >= 0, got ${JSON.stringify(doc.capacity)}`);
    capacity = new Float64Array(m).fill(doc.capacity);
  }
  const costKind = doc.cost ?? 'hops';
  if (costKind !== 'hops' && costKind !== 'weight') throw new ModelError('cost', `must be "hops" or "weight", got ${JSON.stringify(costKind)}`);
  const cost = costKind === 'weight' ? Float64Array.from(g.edgeW) : new Float64Array(m).fill(1);
  if (costKind === 'weight' && !capacity) throw new ModelError('capacity', 'is required when "cost" is "weight" (the edge weights cannot be both)');
  const classes = doc.classes ?? {};
  const weightOf = (cls: string | undefined, field: string): number | undefined => {
    if (cls === undefined) return undefined;
    const c = classes[cls];
    if (c === undefined) {
      if (Object.keys(classes).length > 0) throw new ModelError(field, `names class ${JSON.stringify(cls)}, not in "classes" (${Object.keys(classes).join(', ')})`);
      return undefined;
    }
    return c.weight;
  };
  const commodities: Commodity[] = [];
  (doc.commodities ?? []).forEach((c, k) => {
    const w = c.weight ?? weightOf(c.class, `commodities[${k}].class`);
    commodities.push({ ...c, ...(w !== undefined ? { weight: w } : {}) });
  });
  for (const [cls, bySource] of Object.entries(doc.traffic ?? {})) {
    const w = weightOf(cls, `traffic.${cls}`);
    for (const [s, bySink] of Object.entries(bySource)) {
      for (const [t, d] of Object.entries(bySink)) {
        if (d === 0) continue;
        commodities.push({ source: s, sink: t, demand: d, class: cls, ...(w !== undefined ? { weight: w } : {}) });
      }
    }
  }
  if (commodities.length === 0) throw new ModelError('commodities', 'the document has no demands ("commodities" or "traffic")');
  const problem = createMcfProblem({ graph: g, commodities, cost, ...(capacity ? { capacity } : {}) });
  const spec: TrafficSpec = { problem };
  if (doc.unitCost !== undefined) {
    const u = doc.unitCost;
    spec.unitCost = typeof u === 'number' ? new Float64Array(m).fill(u) : Float64Array.from(u);
    if (spec.unitCost.length !== m) throw new ModelError('unitCost', `must be a number or ${m} numbers (one per edge), got ${spec.unitCost.length}`);
  }
  if (doc.moduleSize !== undefined) spec.moduleSize = doc.moduleSize;
  return spec;
}

/** Runs a graph check on the document's inline graph, prefixing the field it names with `graph.`. */
function underGraph<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof ModelError) || err.field.startsWith('graph')) throw err;
    throw new ModelError(`graph.${err.field}`, err.message.slice(err.field.length + 1), { cause: err });
  }
}
