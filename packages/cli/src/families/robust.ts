import { hasSolution, type Result } from '@emplace/core';
import { ROBUST_METHODS, solveRobust, type RobustCriterion, type RobustMethod, type RobustSolution, type ScenarioFile } from '@emplace/facility';
import { solveOptions, type CliArgs, type CliFamily, type CliProblem } from '../family.js';
import { describeScenarios, loadScenarios } from './stochastic.js';

/**
 * `emplace solve robust scenarios.json [--criterion min-max|min-max-regret] [--method auto|mip|local-search]`:
 * the open set whose worst scenario (or worst regret against each scenario's own optimum) is smallest.
 */
export const families: CliFamily[] = [
  {
    name: 'robust',
    description: 'robust placement over a scenario file: min-max cost or min-max regret (exact MIP, local search)',
    formats: ['emplace-scenarios'],
    methods: ROBUST_METHODS,
    options: [{ name: 'criterion', type: 'string', choices: ['min-max', 'min-max-regret'], description: 'worst-case cost (default) or worst regret' }],
    load: loadScenarios,
    solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const file = problem.model as ScenarioFile;
      const criterion = (args.extra['criterion'] as RobustCriterion | undefined) ?? 'min-max';
      return solveRobust(file.set, { ...solveOptions(args), method: (args.method ?? 'auto') as RobustMethod, criterion });
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const out = describeScenarios(problem, result);
      if (hasSolution(result)) {
        const s = result.solution as RobustSolution;
        out['worstScenario'] = s.worstScenario;
        if (s.regret) out['maxRegret'] = Math.max(...s.regret);
      }
      return out;
    },
  },
];
