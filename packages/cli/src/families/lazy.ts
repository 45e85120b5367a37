import type { CliFamily } from '../family.js';

/**
 * Each family's module, loaded on demand: `emplace solve cfl cap41.txt` loads the facility
 * module (and so @emplace/facility) only, not the dozen solver packages of the other
 * families, which take about half a second to load together.
 */
const MODULES: Record<string, () => Promise<{ families: CliFamily[] }>> = {
  assignment: () => import('./assignment.js'),
  coverage: () => import('./coverage.js'),
  facility: () => import('./facility.js'),
  flows: () => import('./flows.js'),
  graphs: () => import('./graphs.js'),
  mechanism: () => import('./mechanism.js'),
  online: () => import('./online.js'),
  pareto: () => import('./pareto.js'),
  scenarios: () => import('./scenarios.js'),
  spectral: () => import('./spectral.js'),
  steiner: () => import('./steiner.js'),
};

/** Which module defines each family (a test checks it against allFamilies). */
export const FAMILY_MODULE: Readonly<Record<string, string>> = {
  ufl: 'facility', cfl: 'facility', sscfl: 'facility', pmedian: 'facility',
  kcenter: 'coverage', lscp: 'coverage', mclp: 'coverage', pdispersion: 'coverage', survivable: 'coverage',
  stochastic: 'scenarios', robust: 'scenarios',
  'online-ufl': 'online', 'online-kcenter': 'online',
  gap: 'assignment', schedule: 'assignment', replicas: 'assignment',
  steiner: 'steiner',
  mst: 'graphs', maxflow: 'graphs', gomoryhu: 'graphs', fiedler: 'spectral', partition: 'spectral',
  mincostflow: 'flows', mcf: 'flows',
  shapley: 'mechanism', vcg: 'mechanism',
  pareto: 'pareto',
};

/** The families defined next to `name` (its module's), or undefined for a name no module defines. */
export async function loadFamilyModule(name: string): Promise<readonly CliFamily[] | undefined> {
  const module = Object.hasOwn(FAMILY_MODULE, name) ? FAMILY_MODULE[name] : undefined;
  const load = module !== undefined ? MODULES[module] : undefined;
  return load === undefined ? undefined : (await load()).families;
}
