import type { CliFamily } from '../family.js';
import { families as assignment } from './assignment.js';
import { families as coverage } from './coverage.js';
import { families as facility } from './facility.js';
import { families as flows } from './flows.js';
import { families as graphs } from './graphs.js';
import { families as mechanism } from './mechanism.js';
import { families as online } from './online.js';
import { families as pareto } from './pareto.js';
import { families as scenarios } from './scenarios.js';
import { families as spectral } from './spectral.js';
import { families as steiner } from './steiner.js';

const byName = new Map([...facility, ...coverage, ...scenarios, ...online, ...assignment, ...steiner, ...graphs, ...spectral, ...flows, ...mechanism, ...pareto].map((f) => [f.name, f]));

/** The order of `emplace --help`. */
const ORDER = [
  'ufl', 'cfl', 'sscfl', 'pmedian', 'kcenter', 'lscp', 'mclp', 'pdispersion', 'survivable', 'stochastic', 'robust', 'online-ufl', 'online-kcenter', 'gap', 'schedule', 'replicas',
  'steiner', 'mst', 'maxflow', 'mincostflow', 'mcf', 'gomoryhu', 'fiedler', 'partition', 'shapley', 'vcg', 'pareto',
];

/** Every family the CLI knows, in `--help` order. */
export const allFamilies: readonly CliFamily[] = ORDER.map((name) => {
  const family = byName.get(name);
  if (family === undefined) throw new Error(`CLI family ${name} is listed but not defined`);
  return family;
});
