import { ModelError, hasSolution, type Result } from '@emplace/core';
import { readScenarioJson, solveSaa, solveStochastic, STOCHASTIC_METHODS, type SaaOptions, type SaaSolution, type ScenarioFile, type ScenarioSolution, type StochasticMethod } from '@emplace/facility';
import { readTextFile } from '@emplace/io';
import { solveOptions, type CliArgs, type CliFamily, type CliProblem } from '../family.js';
import { instanceName } from './ufl.js';

const METHODS = [...STOCHASTIC_METHODS, 'saa'] as const;

/** Reads a scenario file (docs/formats.md, "Scenario files") as one problem. */
export async function loadScenarios(path: string): Promise<CliProblem[]> {
  const text = await readTextFile(path);
  const file = readScenarioJson(text, { name: instanceName(path), source: path });
  return [{ instance: file.name, model: file, params: {} }];
}

function intExtra(args: CliArgs, name: string): number | undefined {
  const v = args.extra[name];
  return v === undefined ? undefined : Number(v);
}

/** Table / JSON fields shared by the scenario families. */
export function describeScenarios(problem: CliProblem, result: Result<unknown>): Record<string, string | number | boolean | null> {
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

/**
 * `emplace solve stochastic scenarios.json [--method auto|extensive|ufl-equivalent|local-search|saa]
 * [--samples N] [--replications M] [--evaluation-samples N'] [--confidence C]`: two-stage
 * placement. SAA samples the file's generator when it has one, its listed scenarios otherwise.
 */
export const families: CliFamily[] = [
  {
    name: 'stochastic',
    description: 'two-stage stochastic placement over a scenario file (extensive form, UFL equivalent, SAA with statistical bounds)',
    formats: ['emplace-scenarios'],
    methods: METHODS,
    options: [
      { name: 'samples', type: 'integer', min: 1, description: 'SAA: scenarios per sample problem (default 50)' },
      { name: 'replications', type: 'integer', min: 2, description: 'SAA: number of sample problems (default 10)' },
      { name: 'evaluation-samples', type: 'integer', min: 2, description: 'SAA: scenarios that estimate the chosen set\'s cost (default 5000)' },
      { name: 'confidence', type: 'number', min: 0, description: 'SAA: confidence of the bracket (default 0.95)' },
    ],
    load: loadScenarios,
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const file = problem.model as ScenarioFile;
      const method = args.method ?? 'auto';
      const saaFlags = ['samples', 'replications', 'evaluation-samples', 'confidence'].filter((f) => args.extra[f] !== undefined);
      if (method !== 'saa' && saaFlags.length > 0) throw new ModelError(`--${saaFlags[0]}`, 'applies to --method saa only');
      if (method === 'saa') {
        const options: SaaOptions = { ...solveOptions(args) };
        const samples = intExtra(args, 'samples');
        const replications = intExtra(args, 'replications');
        const evaluationSamples = intExtra(args, 'evaluation-samples');
        const confidence = intExtra(args, 'confidence');
        if (samples !== undefined) options.samples = samples;
        if (replications !== undefined) options.replications = replications;
        if (evaluationSamples !== undefined) options.evaluationSamples = evaluationSamples;
        if (confidence !== undefined) {
          if (!(confidence > 0 && confidence < 1)) throw new ModelError('--confidence', `must be in (0, 1), got ${confidence}`);
          options.confidence = confidence;
        }
        const source = file.sampler ? { kind: 'generator' as const, model: file.model, sampler: file.sampler, ...file.options } : file.set;
        return solveSaa(source, options);
      }
      return solveStochastic(file.set, { ...solveOptions(args), method: method as StochasticMethod });
    },
    describe: describeScenarios,
  },
];
