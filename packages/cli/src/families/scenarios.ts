import { hasSolution, type Result } from '@emplace/core';
import { readScenarioJson, ROBUST_TABLE, solveSaa, STOCHASTIC_TABLE, type RobustSolution, type SaaOptions, type SaaSolution, type ScenarioFile, type ScenarioSolution } from '@emplace/facility';
import { readTextFile } from '@emplace/io';
import type { CliFamily, CliProblem } from '../family.js';
import { instanceName } from './placement-input.js';
import { methodsOf, tableFamily } from './table-family.js';

/** Reads a scenario file (docs/formats.md, "Scenario files") as one problem. */
async function loadScenarios(path: string): Promise<CliProblem[]> {
  const text = await readTextFile(path);
  const file = readScenarioJson(text, { name: instanceName(path), source: path });
  return [{ instance: file.name, model: file, params: {} }];
}

/** The methods take the file's scenario set. */
const scenarioSet = (problem: CliProblem) => (problem.model as ScenarioFile).set;

/** Table / JSON fields shared by the scenario families. */
function describeScenarios(problem: CliProblem, result: Result<unknown>): Record<string, string | number | boolean | null> {
  const file = problem.model as ScenarioFile;
  const out: Record<string, string | number | boolean | null> = { sites: file.model.nSites, clients: file.model.nClients, scenarios: file.set.scenarios.length };
  if (hasSolution(result)) {
    const s = result.solution as ScenarioSolution;
    out['open'] = s.open.join(',');
    out['openingCost'] = s.openingCost;
    out['expectedRecourse'] = s.expectedRecourse;
    out['worstCase'] = s.worstCase;
    const st = (s as Partial<SaaSolution>).statistics;
    if (st) {
      out['lowerBound'] = st.lowerBound;
      out['upperBound'] = st.upperBound;
      out['saaGap %'] = 100 * st.relativeGap;
      out['confidence'] = st.confidence;
    }
  }
  return out;
}

export const families: CliFamily[] = [
  tableFamily({
    name: 'stochastic',
    description: 'two-stage stochastic placement over a scenario file (extensive form, UFL equivalent, SAA with statistical bounds)',
    formats: ['emplace-scenarios'],
    methods: methodsOf(STOCHASTIC_TABLE),
    load: loadScenarios,
    // SAA samples the file's generator when it has one (a source the scenario-set table does not take), its listed scenarios otherwise.
    run(method, problem, options) {
      const file = problem.model as ScenarioFile;
      if (method.entry.method === 'saa' && file.sampler) return solveSaa({ kind: 'generator', model: file.model, sampler: file.sampler, ...file.options }, options as SaaOptions);
      return method.entry.solve(file.set, options);
    },
    describe: describeScenarios,
  }),
  tableFamily({
    name: 'robust',
    description: 'robust placement over a scenario file: min-max cost or min-max regret (exact MIP, local search)',
    formats: ['emplace-scenarios'],
    methods: methodsOf(ROBUST_TABLE),
    load: loadScenarios,
    model: scenarioSet,
    describe(problem: CliProblem, result: Result<unknown>) {
      const out = describeScenarios(problem, result);
      if (hasSolution(result)) {
        const s = result.solution as RobustSolution;
        out['worstScenario'] = s.worstScenario;
        if (s.regret) out['maxRegret'] = Math.max(...s.regret);
      }
      return out;
    },
  }),
];
