/**
 * The generated instances of `pnpm bench compare --generated`: the families and sizes of the
 * held-out check of issue 17, drawn from the project's generators with seeds derived from one
 * base seed, written in the file formats the CLI reads (as the io writers write them).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGraph, Rng } from '@emplace/core';
import { generateGap, type ChuBeasleyType } from '@emplace/assignment';
import { writeOrlibCap, writeOrlibGap, writeSteinlib } from '@emplace/io';
import { generateCornuejols, generatePmedText } from '../facility/generate.js';

export type GeneratedFamily = 'cfl' | 'sscfl' | 'gap-bc' | 'gap-de' | 'pmedian' | 'pcenter' | 'steiner';
export const GENERATED_FAMILIES: readonly GeneratedFamily[] = ['cfl', 'sscfl', 'gap-bc', 'gap-de', 'pmedian', 'pcenter', 'steiner'];

/**
 * speed: the reference proves quickly; the time ratio is the measure (emplace should prove too).
 * quality: nobody proves quickly; emplace's value at its limit against the reference's best
 * or proved value after a longer limit.
 */
export type Measure = 'speed' | 'quality';

export interface Limits {
  /** Seconds of emplace's time limit (--time-limit of the CLI). */
  emplaceS: number;
  /** Seconds of the reference's time limit (HiGHS time_limit). */
  referenceS: number;
}

/** Per family: what is measured and both time limits (explicit in the results). */
export const FAMILY_PLAN: Readonly<Record<GeneratedFamily, { measure: Measure; limits: Limits }>> = {
  cfl: { measure: 'speed', limits: { emplaceS: 30, referenceS: 120 } },
  sscfl: { measure: 'quality', limits: { emplaceS: 30, referenceS: 120 } },
  'gap-bc': { measure: 'speed', limits: { emplaceS: 30, referenceS: 60 } },
  'gap-de': { measure: 'quality', limits: { emplaceS: 30, referenceS: 120 } },
  pmedian: { measure: 'speed', limits: { emplaceS: 30, referenceS: 60 } },
  pcenter: { measure: 'speed', limits: { emplaceS: 30, referenceS: 60 } },
  steiner: { measure: 'speed', limits: { emplaceS: 30, referenceS: 120 } },
};

export interface GeneratedCase {
  family: GeneratedFamily;
  name: string;
  /** How the instance was drawn (generator, size, parameters, seed). */
  params: string;
  file: string;
  cliArgs: string[];
  job: Record<string, unknown>;
}

/** The instance seed: the base seed, the family and the position in the family's list. */
const seedOf = (base: number, family: GeneratedFamily, k: number): number => base * 100 + GENERATED_FAMILIES.indexOf(family) * 10 + k;

function cflCases(family: 'cfl' | 'sscfl', dir: string, base: number): GeneratedCase[] {
  // Cornuejols-Sridharan-Thizy, capacity ratio 3-10 (tight to loose), 30-100 sites x 100-400 clients.
  const plan: [number, number, number][] =
    family === 'cfl'
      ? [[30, 100, 3], [30, 100, 10], [50, 100, 3], [50, 100, 5], [100, 200, 3], [100, 200, 10], [100, 400, 3], [100, 400, 5], [100, 400, 10]]
      : [[30, 100, 3], [30, 100, 5], [50, 100, 3], [50, 100, 10], [100, 200, 5], [100, 400, 5]];
  return plan.map(([m, n, ratio], k) => {
    const seed = seedOf(base, family, k);
    const name = `${family}-${m}x${n}-r${ratio}-s${seed}`;
    const file = join(dir, `${name}.txt`);
    writeFileSync(file, writeOrlibCap(generateCornuejols(m, n, ratio, seed)));
    return { family, name, params: `generateCornuejols(${m}, ${n}, ratio ${ratio}, seed ${seed})`, file, cliArgs: ['solve', family, file], job: { kind: 'cfl', file, singleSource: family === 'sscfl' } };
  });
}

function gapCases(family: 'gap-bc' | 'gap-de', dir: string, base: number): GeneratedCase[] {
  const sizes: [number, number][] = [[5, 100], [10, 200], [20, 200]];
  const types: ChuBeasleyType[] = family === 'gap-bc' ? ['B', 'C'] : ['D', 'E'];
  const plan = types.flatMap((type) => sizes.map(([m, n]) => [type, m, n] as const));
  // Type D and E also at 20 x 100, the size where the issue measured 2.5 % at 5 s.
  if (family === 'gap-de') plan.push(['D', 20, 100], ['E', 20, 100]);
  return plan.map(([type, m, n], k) => {
    const seed = seedOf(base, family, k);
    const name = `gap${type.toLowerCase()}-${m}x${n}-s${seed}`;
    const file = join(dir, `${name}.txt`);
    writeFileSync(file, writeOrlibGap([generateGap(type, m, n, seed)]));
    return { family, name, params: `generateGap('${type}', ${m}, ${n}, seed ${seed})`, file, cliArgs: ['solve', 'gap', file, '--sense', 'min'], job: { kind: 'gap', file, index: 0, sense: 'min' } };
  });
}

function pmedCases(family: 'pmedian' | 'pcenter', dir: string, base: number): GeneratedCase[] {
  // OR-Library pmed density (n^2 / 50 edges, integer lengths 1-100), p from 5 to n / 10.
  const plan: [number, number][] = [[300, 5], [300, 30], [500, 10], [500, 50], [700, 5], [700, 70]];
  return plan.map(([n, p], k) => {
    const seed = seedOf(base, family, k);
    const edges = Math.round((n * n) / 50);
    const name = `${family}-${n}-p${p}-s${seed}`;
    const file = join(dir, `${name}.txt`);
    writeFileSync(file, generatePmedText(n, edges, p, seed));
    const cli = family === 'pmedian' ? 'pmedian' : 'kcenter';
    return { family, name, params: `generatePmedText(${n}, ${edges}, p ${p}, seed ${seed})`, file, cliArgs: ['solve', cli, file], job: { kind: family, file } };
  });
}

/**
 * SteinLib B-like random graphs at 80-400 nodes: a random spanning tree plus random extra
 * edges (parallel ones keep the cheapest), integer weights 1-10, random terminals.
 */
function steinerCases(dir: string, base: number): GeneratedCase[] {
  const plan: [number, number, number][] = [[80, 160, 20], [100, 200, 50], [200, 400, 50], [300, 600, 30], [400, 800, 100], [400, 1600, 40]];
  return plan.map(([n, m, t], k) => {
    const seed = seedOf(base, 'steiner', k);
    const rng = new Rng(seed);
    const perm = rng.permutation(n);
    const edges: [number, number, number][] = [];
    for (let v = 1; v < n; v++) edges.push([perm[v]!, perm[rng.int(v)]!, 1 + rng.int(10)]);
    while (edges.length < m) {
      const a = rng.int(n);
      const b = rng.int(n);
      if (a !== b) edges.push([a, b, 1 + rng.int(10)]);
    }
    const graph = createGraph({ n, edges, duplicates: 'min' });
    const terminals = rng.permutation(n).slice(0, t);
    const name = `steiner-${n}-${m}-t${t}-s${seed}`;
    const file = join(dir, `${name}.stp`);
    writeFileSync(file, writeSteinlib(graph, terminals, { name }));
    return { family: 'steiner', name, params: `B-like random graph n ${n}, ${graph.m} edges (${m} drawn), ${t} terminals, weights 1-10, seed ${seed}`, file, cliArgs: ['solve', 'steiner', file], job: { kind: 'steiner', file } };
  });
}

/** Writes the instances of the families into `dir` and returns their cases. */
export function generateCases(families: readonly GeneratedFamily[], dir: string, base: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (const family of families) {
    if (family === 'cfl' || family === 'sscfl') out.push(...cflCases(family, dir, base));
    else if (family === 'gap-bc' || family === 'gap-de') out.push(...gapCases(family, dir, base));
    else if (family === 'pmedian' || family === 'pcenter') out.push(...pmedCases(family, dir, base));
    else out.push(...steinerCases(dir, base));
  }
  return out;
}
