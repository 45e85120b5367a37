import type { PlacementModel, Result } from '@emplace/core';
import { PLACEMENT_FRONT_TABLE, type PlacementFrontSolution } from '@emplace/pareto';
import { CAPACITY_OPTION, type CliFamily, type CliProblem } from '../family.js';
import { loadPlacements } from './placement-input.js';
import { methodsOf, tableFamily } from './table-family.js';

/** Default objectives: cost and max latency, and failure domains when the sites carry a domain, zone or region label. */
function defaultObjectives(problem: CliProblem): string[] {
  const m = problem.model as PlacementModel;
  const labelled = m.siteLabels.some((s) => s['domain'] !== undefined || s['zone'] !== undefined || s['region'] !== undefined);
  return labelled ? ['cost', 'latency', 'domains'] : ['cost', 'latency'];
}

/**
 * Placement fronts: emplace JSON placement models or an OR-Library cap file (objectives cost
 * and max latency, latency = the cost matrix).
 */
export const families: CliFamily[] = [
  tableFamily({
    name: 'pareto',
    description: 'Pareto front of placements: cost vs max latency (vs failure domains); exact epsilon-constraint or NSGA-II/III',
    formats: ['emplace-json', 'orlib-cap'],
    methods: methodsOf(PLACEMENT_FRONT_TABLE),
    inputOptions: [CAPACITY_OPTION],
    load: (path, args) => loadPlacements('pareto', path, args, ['emplace-json', 'orlib-cap']),
    problemOptions: (problem) => ({ objectives: defaultObjectives(problem) }),
    describe(problem: CliProblem, result: Result<unknown>) {
      const m = problem.model as PlacementModel;
      const out: Record<string, string | number | boolean | null> = { sites: m.nSites, clients: m.nClients };
      if (result.solution) {
        const s = result.solution as PlacementFrontSolution;
        out['objectives'] = s.objectiveNames.join(',');
        out['frontSize'] = s.points.length;
        out['hypervolume'] = s.hypervolume;
        out['referencePoint'] = s.referencePoint.map((v) => Number(v.toPrecision(8))).join(',');
        out['complete'] = s.complete;
      }
      return out;
    },
  }),
];
