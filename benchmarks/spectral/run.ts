/**
 * Spectral benchmark: lambda2 (Fiedler value) on the Internet Topology Zoo (every graph,
 * against the dense oracle), the shared SNAP graph CA-GrQc, and generated
 * large graphs (a 1000 x 500 grid, a 1M-edge random geometric graph, a 200k-edge
 * power-law graph), each large graph in its own process so that its peak memory is its
 * own. Beside scipy (eigsh shift-invert and LOBPCG) when python3 + scipy are installed.
 *
 *   pnpm exec tsx --conditions=source benchmarks/spectral/run.ts [--quick] [--no-scipy]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Graph } from '@emplace/core';
import { readGraphml, readInstanceFile } from '@emplace/io';
import { fiedler, laplacian, largestComponent, symmetricEigen } from '@emplace/spectral';
import { instancePath, instancesDir, printTable, writeResults, type Cell } from '../lib/instances.js';
import { gridGraph, powerLawGraph, randomGeometricGraph } from './generators.js';

const here = fileURLToPath(import.meta.url);
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const noScipy = argv.includes('--no-scipy');
const oneAt = argv.indexOf('--one');

/** Published references (ANCHORS.md): unit weights, parallel edges collapsed, largest component. */
const ANCHORS: Record<string, number> = {
  Kdl: 0.00194302966593,
  Cogentco: 0.0086532224627,
  UsCarrier: 0.00565292498664,
  Colt: 0.00983712418301,
  GtsCe: 0.0109148425369,
  'CA-GrQc': 0.0353066895346,
};

interface LargeSpec {
  name: string;
  make: () => Promise<{ graph: Graph; exact?: number }>;
}

const LARGE: Record<string, LargeSpec> = {
  'CA-GrQc': {
    name: 'CA-GrQc',
    make: async () => {
      const data = await readInstanceFile(instancePath('graphs', 'CA-GrQc.txt.gz'), 'edge-list');
      if (data.format !== 'edge-list') throw new Error('unexpected format');
      return { graph: largestComponent(data.data.graph).graph, exact: ANCHORS['CA-GrQc']! };
    },
  },
  'grid-1000x500': { name: 'grid-1000x500', make: async () => ({ graph: gridGraph(1000, 500), exact: 2 * (1 - Math.cos(Math.PI / 1000)) }) },
  // n = 250,000 points, radius for mean degree ~8: about 1M edges; largest component.
  'rgg-250k': { name: 'rgg-250k', make: async () => ({ graph: largestComponent(randomGeometricGraph(250_000, Math.sqrt(8 / (Math.PI * 250_000)), 2026)).graph }) },
  'powerlaw-200k': { name: 'powerlaw-200k', make: async () => ({ graph: largestComponent(powerLawGraph(40_000, 200_000, 7)).graph }) },
};

function scipyAvailable(): boolean {
  if (noScipy) return false;
  const r = spawnSync('python3', ['-c', 'import scipy, numpy'], { stdio: 'ignore' });
  return r.status === 0;
}

function scipyReference(g: Graph, methods: string, timeoutS: number): Record<string, { lambda2: number; seconds: number; residual: number }> | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'emplace-spectral-'));
  try {
    const file = join(dir, 'edges.txt');
    const lines: string[] = [`${g.n} ${g.m}`];
    for (let e = 0; e < g.m; e++) lines.push(`${g.edgeU[e]} ${g.edgeV[e]}`);
    writeFileSync(file, lines.join('\n') + '\n');
    const out = execFileSync('python3', [resolve(here, '../scipy_ref.py'), file, methods], { timeout: timeoutS * 1000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(out) as Record<string, { lambda2: number; seconds: number; residual: number }>;
  } catch (err) {
    return { error: (err as { code?: string }).code === 'ETIMEDOUT' ? `timeout ${timeoutS}s` : String((err as Error).message).split('\n')[0]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Child mode: one large graph, one JSON line on stdout. */
async function runOne(key: string): Promise<void> {
  const spec = LARGE[key];
  if (!spec) throw new Error(`unknown large instance ${key}`);
  const { graph, exact } = await spec.make();
  const t0 = performance.now();
  // method auto: the factorization path (shift-invert) when its factor is predicted sparse, else LOBPCG.
  const f = fiedler(graph);
  const ms = performance.now() - t0;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  const row: Record<string, Cell> = {
    instance: spec.name,
    nodes: graph.n,
    edges: graph.m,
    method: f.method,
    lambda2: f.lambda2,
    reference: exact,
    relErr: exact !== undefined ? Math.abs(f.lambda2 - exact) / exact : undefined,
    relResidual: f.relativeResidual,
    iterations: f.iterations,
    ms,
    maxRssMiB,
  };
  if (argv.includes('--scipy')) {
    // Each scipy method in its own process and time budget (shift-invert can take minutes).
    const notes: string[] = [];
    const timeout = graph.m > 500_000 ? 180 : 90;
    const e = scipyReference(graph, 'eigsh', graph.m > 100_000 ? 60 : timeout);
    if ('error' in e) notes.push(`eigsh ${String(e.error)}`);
    else if (e['eigsh']) {
      row['eigshS'] = e['eigsh'].seconds;
      row['eigshLambda2'] = e['eigsh'].lambda2;
      row['ratioVsEigsh'] = ms / 1000 / e['eigsh'].seconds;
    }
    const l = scipyReference(graph, 'lobpcg', timeout);
    if ('error' in l) notes.push(`lobpcg ${String(l.error)}`);
    else if (l['lobpcg']) {
      row['lobpcgS'] = l['lobpcg'].seconds;
      row['scipyLobpcgLambda2'] = l['lobpcg'].lambda2;
      row['ratioVsScipyLobpcg'] = ms / 1000 / l['lobpcg'].seconds;
    }
    if (notes.length > 0) row['scipy'] = notes.join('; ');
  }
  console.log(JSON.stringify(row));
}

async function main(): Promise<void> {
  const withScipy = scipyAvailable();
  // 1. Topology Zoo: every graph, against the dense oracle.
  const zooDir = join(instancesDir(), 'topologyzoo');
  let files = readdirSync(zooDir).filter((f) => f.endsWith('.graphml')).sort();
  if (quick) files = files.filter((f) => ['Kdl', 'Cogentco', 'UsCarrier', 'Colt', 'GtsCe', 'Abilene', 'Geant2012'].includes(f.replace('.graphml', '')));
  const zoo: Record<string, Cell>[] = [];
  for (const file of files) {
    const name = file.replace('.graphml', '');
    const inst = readGraphml(readFileSync(join(zooDir, file), 'utf8'), { name });
    const g = largestComponent(inst.graph).graph;
    if (g.n < 2) {
      zoo.push({ instance: name, nodes: g.n, edges: g.m, method: 'skipped (< 2 nodes)' });
      continue;
    }
    const t0 = performance.now();
    // The iterative paths, not the dense oracle (auto would take it below 48 nodes).
    const f = fiedler(g, { denseMaxNodes: 0 });
    const ms = performance.now() - t0;
    const t1 = performance.now();
    const oracle = g.n <= 2000 ? symmetricEigen(laplacian(g).toDense(), g.n).values[1]! : undefined;
    const oracleMs = performance.now() - t1;
    const anchor = ANCHORS[name];
    zoo.push({
      instance: name,
      nodes: g.n,
      edges: g.m,
      method: f.method,
      lambda2: f.lambda2,
      oracle,
      relErr: oracle !== undefined ? Math.abs(f.lambda2 - oracle) / Math.max(oracle, 1e-300) : undefined,
      anchorRelErr: anchor !== undefined ? Math.abs(f.lambda2 - anchor) / anchor : undefined,
      relResidual: f.relativeResidual,
      ms,
      oracleMs,
    });
  }
  console.log(`Topology Zoo: ${zoo.length} graphs (largest component, unit weights, parallel edges collapsed); LOBPCG vs dense oracle`);
  const shown = quick ? zoo : [...zoo].sort((a, b) => (b['nodes'] as number) - (a['nodes'] as number)).slice(0, 15);
  printTable(shown, ['instance', 'nodes', 'edges', 'method', 'lambda2', 'oracle', 'relErr', 'anchorRelErr', 'relResidual', 'ms', 'oracleMs']);
  const solvedZoo = zoo.filter((r) => typeof r['relErr'] === 'number');
  const maxRelErr = Math.max(...solvedZoo.map((r) => r['relErr'] as number));
  const maxZooRes = Math.max(...solvedZoo.map((r) => r['relResidual'] as number));
  const worst = solvedZoo.reduce((a, b) => ((a['relErr'] as number) >= (b['relErr'] as number) ? a : b));
  console.log(`max relative error ${maxRelErr.toExponential(2)} (${worst['instance']}), max relative residual ${maxZooRes.toExponential(2)}, total LOBPCG time ${(solvedZoo.reduce((s, r) => s + (r['ms'] as number), 0) / 1000).toFixed(2)} s\n`);

  // 2. Large graphs, one process each.
  const keys = quick ? ['CA-GrQc', 'powerlaw-200k'] : Object.keys(LARGE);
  const large: Record<string, Cell>[] = [];
  for (const key of keys) {
    const args = ['--conditions=source', here, '--one', key, ...(withScipy ? ['--scipy'] : [])];
    const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8', timeout: 900_000, maxBuffer: 1 << 24 });
    const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    try {
      large.push(JSON.parse(line) as Record<string, Cell>);
    } catch {
      large.push({ instance: key, error: (r.stderr ?? '').split('\n').slice(0, 3).join(' ') });
    }
  }
  console.log(`Large graphs (LOBPCG + multilevel preconditioner; one process each)${withScipy ? ', beside scipy' : ' (scipy not installed: comparison skipped)'}`);
  printTable(large, ['instance', 'nodes', 'edges', 'method', 'lambda2', 'reference', 'relErr', 'relResidual', 'iterations', 'ms', 'maxRssMiB', ...(withScipy ? ['eigshS', 'lobpcgS', 'ratioVsEigsh', 'ratioVsScipyLobpcg', 'scipy'] : [])]);
  const summary = {
    zooGraphs: solvedZoo.length,
    zooMaxRelErr: maxRelErr,
    zooMaxRelResidual: maxZooRes,
    zooWorst: worst['instance'],
    largeMaxRelResidual: Math.max(...large.map((r) => (typeof r['relResidual'] === 'number' ? r['relResidual'] : 0))),
    large: Object.fromEntries(large.map((r) => [r['instance'] as string, { method: r['method'], ms: r['ms'], maxRssMiB: r['maxRssMiB'], lambda2: r['lambda2'], relErr: r['relErr'] }])),
    scipy: withScipy,
    note: 'Timings on a shared 2-core machine; other jobs running at the same time inflate them.',
  };
  const file = writeResults('spectral', { rows: [...zoo, ...large], summary });
  console.log(`\nwrote ${file}`);
}

if (oneAt >= 0) await runOne(argv[oneAt + 1]!);
else await main();
