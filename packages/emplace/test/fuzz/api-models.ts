import { familyByName } from './cli-harness.js';
import { extensionOf, instanceText, seeded } from './instances.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Which CLI family and format produce a valid model of each registry model kind. */
const SOURCES: Readonly<Record<string, { family: string; format: string }[]>> = {
  placement: [
    { family: 'ufl', format: 'orlib-cap' },
    { family: 'kcenter', format: 'emplace-json' },
    { family: 'gap', format: 'orlib-gap' },
  ],
  graph: [
    { family: 'mst', format: 'edge-list' },
    { family: 'fiedler', format: 'emplace-json' },
  ],
  steiner: [{ family: 'steiner', format: 'steinlib' }],
  game: [{ family: 'shapley', format: 'emplace-json' }],
  market: [{ family: 'vcg', format: 'emplace-json' }],
  mcf: [{ family: 'mcf', format: 'traffic-json' }],
  'flow-network': [{ family: 'mincostflow', format: 'dimacs-mincost' }],
  scenarios: [{ family: 'stochastic', format: 'emplace-scenarios' }],
  schedule: [{ family: 'schedule', format: 'emplace-json' }],
  replicas: [{ family: 'replicas', format: 'emplace-json' }],
};

const dir = mkdtempSync(join(tmpdir(), 'emplace-api-fuzz-'));
let counter = 0;

/**
 * A valid model of `kind` (as the CLI reads it from a generated file), or undefined when no
 * CLI family yields that kind. `seed` picks the instance and the source.
 */
export async function validModel(kind: string, seed: number): Promise<{ kind: string } | undefined> {
  const sources = SOURCES[kind];
  if (sources === undefined) return undefined;
  const r = seeded(seed);
  const { family, format } = r.pick(sources);
  const file = join(dir, `${counter++}${extensionOf(format)}`);
  writeFileSync(file, instanceText(format, family, r));
  const problems = await familyByName(family).load(file, { json: true, extra: {}, format });
  const model = problems[0]?.model as { kind: string } | undefined;
  return model?.kind === kind ? model : undefined;
}

export const MODEL_KINDS = Object.keys(SOURCES);

/** A copy deep enough to corrupt without touching the original: arrays, typed arrays and plain objects are copied, functions kept. */
export function copyModel<T>(value: T, depth = 0): T {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return (value as unknown as Float64Array).slice() as unknown as T;
  if (Array.isArray(value)) return value.map((v) => copyModel(v, depth + 1)) as unknown as T;
  if (value instanceof Map || value instanceof Set) return value;
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = copyModel(v, depth + 1);
  return out as T;
}

/** Every place of a model that can be corrupted: typed-array entries, numbers, arrays, fields. */
export interface Slot {
  path: string;
  parent: Record<string, unknown> | unknown[];
  key: string | number;
}

export function slotsOf(model: unknown): Slot[] {
  const slots: Slot[] = [];
  const walk = (node: unknown, path: string, depth: number): void => {
    if (depth > 5 || node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return;
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [k, v] of entries.slice(0, 40)) {
      const p = `${path}${typeof k === 'number' ? `[${k}]` : `.${k}`}`;
      if (k === 'kind') continue;
      slots.push({ path: p, parent: node as Record<string, unknown>, key: k });
      walk(v, p, depth + 1);
    }
  };
  walk(model, 'model', 0);
  return slots;
}
