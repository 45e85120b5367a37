/**
 * Small valid instances of every input format the CLI reads, as text, built from a seed.
 * The fuzz tests damage them (damage.ts) or solve them as they are; the status checks
 * (status-*.test.ts) build their own models so the truth can be computed by enumeration.
 */

/** A tiny deterministic generator (mulberry32): the instance depends on the seed only. */
export function seeded(seed: number): { int: (lo: number, hi: number) => number; pick: <T>(xs: readonly T[]) => T; chance: (p: number) => boolean } {
  let a = seed >>> 0 || 1;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  return { int, pick: (xs) => xs[int(0, xs.length - 1)]!, chance: (p) => next() < p };
}

export type Rand = ReturnType<typeof seeded>;

/** OR-Library capacitated warehouse location: `m n`, m x `capacity cost`, per customer `demand` + m costs. */
export function orlibCap(r: Rand): string {
  const m = r.int(2, 4);
  const n = r.int(2, 6);
  const lines = [`${m} ${n}`];
  for (let i = 0; i < m; i++) lines.push(`${r.int(5, 30)} ${r.int(0, 50)}`);
  for (let j = 0; j < n; j++) {
    lines.push(String(r.int(1, 8)));
    lines.push(Array.from({ length: m }, () => r.int(1, 60)).join(' '));
  }
  return lines.join('\n') + '\n';
}

/** A connected random graph on n vertices as edge triples (1-based), a spanning path plus extras. */
function randomEdges(r: Rand, n: number, maxW = 20): [number, number, number][] {
  const edges: [number, number, number][] = [];
  for (let v = 2; v <= n; v++) edges.push([r.int(1, v - 1), v, r.int(1, maxW)]);
  const extra = r.int(0, n);
  for (let e = 0; e < extra; e++) {
    const u = r.int(1, n);
    const v = r.int(1, n);
    if (u !== v) edges.push([u, v, r.int(1, maxW)]);
  }
  return edges;
}

/** OR-Library p-median: `n m p` then m lines `u v w`. */
export function orlibPmed(r: Rand): string {
  const n = r.int(3, 7);
  const edges = randomEdges(r, n);
  return [`${n} ${edges.length} ${r.int(1, Math.min(3, n))}`, ...edges.map((e) => e.join(' '))].join('\n') + '\n';
}

/** OR-Library GAP: `P`, then per problem `m n`, costs, resources, capacities. */
export function orlibGap(r: Rand): string {
  const m = r.int(2, 3);
  const n = r.int(2, 6);
  const row = (lo: number, hi: number): string => Array.from({ length: n }, () => r.int(lo, hi)).join(' ');
  const lines = ['1', `${m} ${n}`];
  for (let i = 0; i < m; i++) lines.push(row(1, 40));
  for (let i = 0; i < m; i++) lines.push(row(1, 10));
  lines.push(Array.from({ length: m }, () => r.int(8, 25)).join(' '));
  return lines.join('\n') + '\n';
}

/** SteinLib STP 1.0 with a few terminals. */
export function steinlib(r: Rand): string {
  const n = r.int(3, 7);
  const edges = randomEdges(r, n);
  const t = Math.min(n, r.int(2, 4));
  const terminals = Array.from({ length: t }, (_, i) => i + 1);
  return [
    '33D32945 STP File, STP Format Version 1.0',
    'SECTION Graph',
    `Nodes ${n}`,
    `Edges ${edges.length}`,
    ...edges.map(([u, v, w]) => `E ${u} ${v} ${w}`),
    'END',
    'SECTION Terminals',
    `Terminals ${t}`,
    ...terminals.map((v) => `T ${v}`),
    'END',
    'EOF',
  ].join('\n') + '\n';
}

export function edgeList(r: Rand): string {
  const n = r.int(3, 7);
  return ['# random graph', ...randomEdges(r, n).map(([u, v, w]) => `${u} ${v} ${w}`)].join('\n') + '\n';
}

export function matrixMarket(r: Rand): string {
  const n = r.int(3, 7);
  const edges = randomEdges(r, n);
  return ['%%MatrixMarket matrix coordinate real symmetric', `${n} ${n} ${edges.length}`, ...edges.map(([u, v, w]) => `${Math.max(u, v)} ${Math.min(u, v)} ${w}`)].join('\n') + '\n';
}

export function graphml(r: Rand): string {
  const n = r.int(3, 7);
  const edges = randomEdges(r, n);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '<key id="w" for="edge" attr.name="weight" attr.type="double"/>',
    '<graph edgedefault="undirected">',
    ...Array.from({ length: n }, (_, i) => `<node id="n${i + 1}"/>`),
    ...edges.map(([u, v, w]) => `<edge source="n${u}" target="n${v}"><data key="w">${w}</data></edge>`),
    '</graph>',
    '</graphml>',
  ].join('\n') + '\n';
}

export function graphJson(r: Rand): string {
  const n = r.int(3, 7);
  const edges = randomEdges(r, n).map(([u, v, w]) => [`v${u}`, `v${v}`, w]);
  return JSON.stringify({ kind: 'graph', name: 'g', nodes: Array.from({ length: n }, (_, i) => `v${i + 1}`), edges, terminals: ['v1', `v${n}`] });
}

/** An emplace JSON placement model: sites with capacity and opening cost, unit-ish demand. */
export function placementObject(r: Rand, options: { capacitated?: boolean } = {}): Record<string, unknown> {
  const m = r.int(2, 4);
  const n = r.int(2, 6);
  return {
    kind: 'placement',
    name: 'p',
    sites: Array.from({ length: m }, (_, i) => ({ id: `s${i}`, openingCost: r.int(0, 30), capacity: options.capacitated ? r.int(4, 20) : null, labels: { zone: `z${i % 2}` } })),
    clients: Array.from({ length: n }, (_, j) => ({ id: `c${j}`, demand: r.int(1, 4), weight: r.int(1, 3) })),
    cost: Array.from({ length: m }, () => Array.from({ length: n }, () => r.int(1, 50))),
  };
}

export function placementJson(r: Rand): string {
  return JSON.stringify(placementObject(r, { capacitated: r.chance(0.3) }));
}

export function awsLatency(r: Rand): string {
  const regions = Array.from({ length: r.int(2, 5) }, (_, i) => `r-${i}`);
  const data: Record<string, Record<string, number>> = {};
  for (const a of regions) data[a] = Object.fromEntries(regions.map((b) => [b, a === b ? r.int(1, 3) : r.int(10, 200)]));
  return JSON.stringify({ metadata: { percentile: 'p50', unit: 'ms' }, data });
}

export function scenariosJson(r: Rand): string {
  const model = placementObject(r);
  const sites = (model['sites'] as { id: string }[]).map((s) => s.id);
  const scenarios = Array.from({ length: r.int(1, 3) }, (_, s) => ({
    name: `s${s}`,
    probability: r.int(1, 5),
    ...(r.chance(0.4) ? { failed: [r.pick(sites)] } : {}),
    ...(r.chance(0.4) ? { costScale: 1 + r.int(0, 5) / 10 } : {}),
  }));
  return JSON.stringify({ kind: 'scenarios', name: 'sc', model, penalty: r.chance(0.5) ? 500 : null, scenarios });
}

/** DIMACS min-cost flow: a transportation problem with balanced supplies. */
export function dimacsMinCost(r: Rand): string {
  const plants = r.int(1, 3);
  const markets = r.int(1, 3);
  const demand = Array.from({ length: markets }, () => r.int(1, 9));
  const total = demand.reduce((a, b) => a + b, 0);
  const supply = Array.from({ length: plants }, () => 0);
  for (let u = 0; u < total; u++) supply[u % plants]!++;
  const arcs: string[] = [];
  for (let p = 1; p <= plants; p++) for (let q = 1; q <= markets; q++) arcs.push(`a ${p} ${plants + q} 0 ${r.chance(0.7) ? 'inf' : r.int(total, 2 * total)} ${r.int(1, 9)}`);
  return [
    'c fuzz transportation instance',
    `p min ${plants + markets} ${arcs.length}`,
    ...supply.map((s, i) => `n ${i + 1} ${s}`),
    ...demand.map((d, i) => `n ${plants + i + 1} ${-d}`),
    ...arcs,
  ].join('\n') + '\n';
}

export function trafficJson(r: Rand): string {
  const n = r.int(3, 5);
  const nodes = Array.from({ length: n }, (_, i) => `n${i}`);
  const edges = randomEdges(r, n, 10).map(([u, v, w]) => [`n${u - 1}`, `n${v - 1}`, w]);
  const commodities = Array.from({ length: r.int(1, 3) }, () => {
    const s = r.int(0, n - 1);
    const t = (s + r.int(1, n - 1)) % n;
    return { source: `n${s}`, sink: `n${t}`, demand: r.int(1, 4) };
  });
  return JSON.stringify({ graph: { nodes, edges }, commodities, unitCost: 1 });
}

export function gameJson(r: Rand): string {
  const n = r.int(2, 4);
  const players = Array.from({ length: n }, (_, i) => `p${i}`);
  const kind = r.int(0, 2);
  if (kind === 0) return JSON.stringify({ kind: 'game', name: 'g', players, table: Array.from({ length: 1 << n }, (_, m) => (m === 0 ? 0 : r.int(0, 20))) });
  if (kind === 1) return JSON.stringify({ kind: 'game', name: 'v', players, weightedVoting: { weights: players.map(() => r.int(0, 5)), quota: r.int(1, 8) } });
  return JSON.stringify({ kind: 'game', name: 'a', players, airport: { costs: players.map(() => r.int(1, 20)) } });
}

export function marketJson(r: Rand): string {
  const items = Array.from({ length: r.int(1, 3) }, (_, i) => `i${i}`);
  const bidders = Array.from({ length: r.int(1, 3) }, (_, i) => `b${i}`);
  const bids = Array.from({ length: r.int(1, 5) }, () => {
    const bundle = items.filter(() => r.chance(0.5));
    return { bidder: r.pick(bidders), items: bundle.length > 0 ? bundle : [items[0]], amount: r.int(0, 30) };
  });
  return JSON.stringify({ kind: 'market', name: 'm', items, bids });
}

export function scheduleJson(r: Rand): string {
  const placement = placementObject(r, { capacitated: true });
  delete placement['kind'];
  return JSON.stringify({ kind: 'schedule', name: 's', placement });
}

export function replicasJson(r: Rand): string {
  const clusters = Array.from({ length: r.int(1, 3) }, (_, i) => ({ id: `k${i}`, labels: { region: `r${i % 2}` }, free: { cpu: r.int(2, 12) }, price: { cpu: r.int(1, 5) } }));
  const workloads = Array.from({ length: r.int(1, 3) }, (_, w) => ({ id: `w${w}`, replicas: r.int(0, 6), request: { cpu: r.int(1, 2) } }));
  return JSON.stringify({ kind: 'replicas', name: 'r', dimensions: ['cpu'], clusters, workloads });
}

/** A valid file for each format name of `emplace formats`, for a family that reads `format`. */
export function instanceText(format: string, family: string, r: Rand): string {
  switch (format) {
    case 'orlib-cap':
      return orlibCap(r);
    case 'orlib-pmed':
      return orlibPmed(r);
    case 'orlib-gap':
      return orlibGap(r);
    case 'steinlib':
      return steinlib(r);
    case 'edge-list':
      return edgeList(r);
    case 'matrix-market':
      return matrixMarket(r);
    case 'graphml':
      return graphml(r);
    case 'aws-latency':
      return awsLatency(r);
    case 'emplace-scenarios':
      return scenariosJson(r);
    case 'dimacs-mincost':
      return dimacsMinCost(r);
    case 'traffic-json':
      return trafficJson(r);
    case 'emplace-json':
      return emplaceJsonFor(family, r);
    default:
      throw new Error(`no fuzz generator for format ${format}`);
  }
}

function emplaceJsonFor(family: string, r: Rand): string {
  if (family === 'shapley') return gameJson(r);
  if (family === 'vcg') return marketJson(r);
  if (family === 'schedule') return scheduleJson(r);
  if (family === 'replicas') return replicasJson(r);
  if (['mst', 'maxflow', 'gomoryhu', 'fiedler', 'partition', 'steiner'].includes(family)) return graphJson(r);
  return placementJson(r);
}

/** The file name extension a format's files usually carry (detection reads names too). */
export function extensionOf(format: string): string {
  const ext: Record<string, string> = {
    'orlib-cap': '.txt',
    'orlib-pmed': '.txt',
    'orlib-gap': '.txt',
    steinlib: '.stp',
    'edge-list': '.edges',
    'matrix-market': '.mtx',
    graphml: '.graphml',
    'dimacs-mincost': '.min',
  };
  return ext[format] ?? '.json';
}
