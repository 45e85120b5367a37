import { FormatError, ModelError, createGraph, type Graph } from '@emplace/core';
import { sourceOf, type ReadOptions } from './read-options.js';
import { sourceAt } from './tokens.js';
import { escapeXml, localName, parseXml, type XmlElement } from './xml.js';

export type AttributeValue = string | number;

/** A GraphML node: its id, the common geographic fields, and every other data attribute by name. */
export interface GraphmlNode {
  id: string;
  label?: string;
  lat?: number;
  lon?: number;
  [attr: string]: AttributeValue | undefined;
}

export interface GraphmlEdge {
  /** Node indices. */
  u: number;
  v: number;
  /** Data attributes by name (LinkLabel, LinkType, key, ...). */
  attrs: Record<string, AttributeValue>;
}

export interface GraphmlOptions extends ReadOptions {
  /**
   * Parallel edges (Topology Zoo marks them with a `key` attribute): `'collapse'` (the
   * default) keeps one edge per node pair, `'keep'` keeps them all (a multigraph).
   */
  parallel?: 'collapse' | 'keep';
  /**
   * Name of a numeric edge attribute to use as the weight (e.g. `'LinkSpeedRaw'`); edges
   * without it weigh 1. Default: the edge attribute named `weight` when the file declares
   * one (as writeGraphml does), else every edge weighs 1 (Topology Zoo files). `false`
   * forces unit weights. Collapsed parallel edges keep the smallest weight.
   */
  weight?: string | false;
}

export interface GraphmlInstance {
  name: string;
  /** Undirected graph, node ids from the file, self-loops dropped. */
  graph: Graph;
  /** Nodes in file order (graph index = array index). */
  nodes: GraphmlNode[];
  /** Every `<edge>` of the file that is not a self-loop, in file order, before parallel edges are collapsed. */
  edges: GraphmlEdge[];
  /** Graph-level data (Network, GeoLocation, Type, ...). */
  graphAttributes: Record<string, AttributeValue>;
  /** Whether the file declared `edgedefault="directed"` (edges are read as undirected anyway). */
  directed: boolean;
  /** Self-loop edges dropped. */
  selfLoops: number;
  /** Parallel edges merged (0 with `parallel: 'keep'`). */
  parallelEdges: number;
}

interface KeyDef {
  name: string;
  type: string;
  /** node, edge, graph or all. */
  for: string;
  default?: string;
}

/**
 * Reads a GraphML document (e.g. an Internet Topology Zoo file) as an undirected graph.
 * `<key>` declarations give data attribute names and types (int/long/float/double become
 * numbers) and defaults; node attributes `Latitude`/`Longitude` (or `lat`/`lon`) are
 * exposed as `lat`/`lon`. Only the first `<graph>` is read; nested graphs, ports and
 * hyperedges are ignored. A node data attribute literally named `id` is stored as
 * `data:id` so it never hides the node's XML id.
 */
export function readGraphml(text: string, options: GraphmlOptions = {}): GraphmlInstance {
  const source = sourceOf(options);
  const fail = (message: string, line?: number): FormatError => new FormatError(message, sourceAt(source, line));
  const root = parseXml(text, source);
  if (localName(root.name) !== 'graphml') throw fail(`not a GraphML document: the root element is <${root.name}>`, root.line);
  const keys = new GraphmlKeys(root, fail);
  const graphEl = root.children.find((c) => localName(c.name) === 'graph');
  if (!graphEl) throw fail('no <graph> element', root.line);
  const graphAttributes = { ...keys.defaults('graph'), ...keys.dataOf(graphEl) };
  const { nodes, index, rawEdges } = readNodes(graphEl, keys, fail);
  const { edges, lines, selfLoops } = readEdges(rawEdges, index, keys, fail);
  const weightAttr =
    options.weight === false ? undefined : options.weight ?? ([...keys.defs.values()].some((d) => d.name === 'weight' && (d.for === 'edge' || d.for === 'all')) ? 'weight' : undefined);
  const us = new Int32Array(edges.length);
  const vs = new Int32Array(edges.length);
  const ws = new Float64Array(edges.length);
  edges.forEach((e, k) => {
    us[k] = e.u;
    vs[k] = e.v;
    let w = 1;
    if (weightAttr !== undefined && e.attrs[weightAttr] !== undefined) {
      const x = e.attrs[weightAttr];
      if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x)) throw fail(`edge attribute ${weightAttr} must be a non-negative number, got ${JSON.stringify(x)}`, lines[k]);
      w = x;
    }
    ws[k] = w;
  });
  let graph: Graph;
  try {
    graph = createGraph({ nodes: nodes.map((n) => n.id), edges: { u: us, v: vs, w: ws }, duplicates: (options.parallel ?? 'collapse') === 'collapse' ? 'min' : 'keep' });
  } catch (err) {
    if (err instanceof ModelError) throw new FormatError(err.message, sourceAt(source), { cause: err });
    throw err;
  }
  const network = graphAttributes['Network'] ?? graphAttributes['label'];
  return {
    name: options.name ?? (network !== undefined && String(network) !== '' ? String(network) : 'graphml'),
    graph,
    nodes,
    edges,
    graphAttributes,
    directed: graphEl.attrs['edgedefault'] === 'directed',
    selfLoops,
    parallelEdges: edges.length - graph.m,
  };
}

type Fail = (message: string, line?: number) => FormatError;

/** The `<key>` declarations: attribute names, types (numbers converted) and defaults. */
class GraphmlKeys {
  readonly defs = new Map<string, KeyDef>();

  constructor(
    root: XmlElement,
    private readonly fail: Fail,
  ) {
    for (const el of root.children) {
      if (localName(el.name) !== 'key') continue;
      const id = el.attrs['id'];
      if (id === undefined) throw fail('<key> without an id', el.line);
      const def: KeyDef = { name: el.attrs['attr.name'] ?? id, type: (el.attrs['attr.type'] ?? 'string').toLowerCase(), for: el.attrs['for'] ?? 'all' };
      const d = el.children.find((c) => localName(c.name) === 'default');
      if (d) def.default = d.text;
      this.defs.set(id, def);
    }
  }

  private static convert(def: KeyDef, raw: string): AttributeValue {
    if (def.type === 'int' || def.type === 'integer' || def.type === 'long' || def.type === 'float' || def.type === 'double') {
      const t = raw.trim();
      const v = Number(t);
      if (t !== '' && Number.isFinite(v)) return v;
    }
    return raw;
  }

  /** The `<data>` children of an element, by attribute name. */
  dataOf(el: XmlElement): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const c of el.children) {
      if (localName(c.name) !== 'data') continue;
      const keyId = c.attrs['key'];
      if (keyId === undefined) throw this.fail('<data> without a key attribute', c.line);
      const def = this.defs.get(keyId) ?? { name: keyId, type: 'string', for: 'all' };
      out[def.name] = GraphmlKeys.convert(def, c.text);
    }
    return out;
  }

  /** The `<default>` values of the keys declared for elements of this kind (or for all). */
  defaults(kind: string): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const def of this.defs.values()) {
      if (def.default !== undefined && (def.for === kind || def.for === 'all')) out[def.name] = GraphmlKeys.convert(def, def.default);
    }
    return out;
  }
}

interface RawEdge {
  el: XmlElement;
  source: string;
  target: string;
}

function readNodes(graphEl: XmlElement, keys: GraphmlKeys, fail: Fail): { nodes: GraphmlNode[]; index: Map<string, number>; rawEdges: RawEdge[] } {
  const nodeDefaults = keys.defaults('node');
  const nodes: GraphmlNode[] = [];
  const index = new Map<string, number>();
  const rawEdges: RawEdge[] = [];
  for (const el of graphEl.children) {
    const kind = localName(el.name);
    if (kind === 'node') {
      const id = el.attrs['id'];
      if (id === undefined) throw fail('<node> without an id', el.line);
      if (index.has(id)) throw fail(`node id ${JSON.stringify(id)} is declared twice`, el.line);
      index.set(id, nodes.length);
      const node: GraphmlNode = { id };
      const attrs = { ...nodeDefaults, ...keys.dataOf(el) };
      for (const [name, value] of Object.entries(attrs)) node[name === 'id' ? 'data:id' : name] = value;
      const lat = pick(attrs, ['Latitude', 'latitude', 'lat']);
      const lon = pick(attrs, ['Longitude', 'longitude', 'lon', 'lng']);
      if (typeof lat === 'number') node.lat = lat;
      if (typeof lon === 'number') node.lon = lon;
      if (attrs['label'] !== undefined) node.label = String(attrs['label']);
      nodes.push(node);
    } else if (kind === 'edge') {
      const s = el.attrs['source'];
      const t = el.attrs['target'];
      if (s === undefined || t === undefined) throw fail('<edge> needs source and target attributes', el.line);
      rawEdges.push({ el, source: s, target: t });
    }
  }
  return { nodes, index, rawEdges };
}

/** Edges between declared nodes (self-loops counted and dropped), with their attributes and lines. */
function readEdges(rawEdges: readonly RawEdge[], index: ReadonlyMap<string, number>, keys: GraphmlKeys, fail: Fail): { edges: GraphmlEdge[]; lines: number[]; selfLoops: number } {
  const edgeDefaults = keys.defaults('edge');
  const edges: GraphmlEdge[] = [];
  const lines: number[] = [];
  let selfLoops = 0;
  for (const { el, source: s, target: t } of rawEdges) {
    const u = index.get(s);
    const v = index.get(t);
    if (u === undefined) throw fail(`edge source ${JSON.stringify(s)} is not a declared node`, el.line);
    if (v === undefined) throw fail(`edge target ${JSON.stringify(t)} is not a declared node`, el.line);
    if (u === v) {
      selfLoops++;
      continue;
    }
    edges.push({ u, v, attrs: { ...edgeDefaults, ...keys.dataOf(el) } });
    lines.push(el.line);
  }
  return { edges, lines, selfLoops };
}

function pick(attrs: Record<string, AttributeValue>, names: readonly string[]): AttributeValue | undefined {
  for (const n of names) if (attrs[n] !== undefined) return attrs[n];
  return undefined;
}

/**
 * Writes a graph as GraphML: node ids, an edge `weight` (double), and optional node
 * attributes (label, lat/lon as Latitude/Longitude, any other string or number field).
 */
export function writeGraphml(graph: Graph, options: { nodes?: readonly GraphmlNode[]; name?: string } = {}): string {
  const nodeAttrs = new Map<string, 'double' | 'string'>();
  const attrName = (k: string): string => (k === 'lat' ? 'Latitude' : k === 'lon' ? 'Longitude' : k);
  for (const node of options.nodes ?? []) {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'id' || v === undefined) continue;
      const name = attrName(k);
      const type = typeof v === 'number' ? 'double' : 'string';
      if (nodeAttrs.get(name) === 'string') continue;
      nodeAttrs.set(name, type);
    }
  }
  const keyIds = new Map<string, string>();
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
  let k = 0;
  for (const [name, type] of nodeAttrs) {
    const id = `n${k++}`;
    keyIds.set(name, id);
    out.push(`  <key attr.name="${escapeXml(name)}" attr.type="${type}" for="node" id="${id}" />`);
  }
  out.push('  <key attr.name="Network" attr.type="string" for="graph" id="g0" />');
  out.push('  <key attr.name="weight" attr.type="double" for="edge" id="w" />');
  out.push('  <graph edgedefault="undirected">');
  out.push(`    <data key="g0">${escapeXml(options.name ?? 'emplace')}</data>`);
  for (let v = 0; v < graph.n; v++) {
    const node = options.nodes?.[v];
    const data: string[] = [];
    if (node) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'id' || value === undefined) continue;
        data.push(`      <data key="${keyIds.get(attrName(key))}">${escapeXml(String(value))}</data>`);
      }
    }
    const open = `    <node id="${escapeXml(graph.ids[v]!)}"`;
    if (data.length === 0) out.push(`${open} />`);
    else out.push(`${open}>`, ...data, '    </node>');
  }
  for (let e = 0; e < graph.m; e++) {
    out.push(`    <edge source="${escapeXml(graph.ids[graph.edgeU[e]!]!)}" target="${escapeXml(graph.ids[graph.edgeV[e]!]!)}">`);
    out.push(`      <data key="w">${graph.edgeW[e]}</data>`);
    out.push('    </edge>');
  }
  out.push('  </graph>', '</graphml>');
  return out.join('\n') + '\n';
}
