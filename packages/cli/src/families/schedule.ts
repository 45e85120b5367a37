import { basename } from 'node:path';
import { ModelError, type Result } from '@emplace/core';
import {
  readScheduleJson,
  scheduleAuto,
  scheduleGreedy,
  scheduleLocalSearch,
  scheduleMip,
  type ScheduleModel,
  type ScheduleOptions,
  type ScheduleSolution,
} from '@emplace/assignment';
import { readTextFile } from '@emplace/io';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';

/** `emplace solve schedule <file.json>`: the emplace JSON scheduling model (docs/schedule-format.md). */
const METHODS = {
  auto: scheduleAuto,
  greedy: scheduleGreedy,
  'local-search': scheduleLocalSearch,
  mip: scheduleMip,
} as const;

export const families: CliFamily[] = [
  {
    name: 'schedule',
    description: 'multi-cluster scheduling (emplace JSON, docs/schedule-format.md)',
    formats: ['emplace-json'],
    methods: Object.keys(METHODS),
    options: [],
    async load(path: string): Promise<CliProblem[]> {
      const name = basename(path).replace(/\.gz$/, '').replace(/\.[^.]*$/, '');
      const text = await readTextFile(path);
      return readScheduleJson(text, name).map((p) => ({ instance: p.name, model: p.model }));
    },
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const method = (args.method ?? 'auto') as keyof typeof METHODS;
      const f = METHODS[method];
      if (!f) throw new ModelError('--method', `unknown schedule method ${JSON.stringify(args.method)}`);
      const options: ScheduleOptions = {};
      if (args.timeLimitMs !== undefined) options.timeLimitMs = args.timeLimitMs;
      if (args.seed !== undefined) options.seed = args.seed;
      if (args.signal !== undefined) options.signal = args.signal;
      if (args.onProgress !== undefined) options.onProgress = args.onProgress;
      return f(problem.model as ScheduleModel, options);
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const m = problem.model as ScheduleModel;
      const out: Record<string, string | number | boolean | null> = { workloads: m.placement.nClients, clusters: m.placement.nSites };
      if (result.solution) {
        const s = result.solution as ScheduleSolution;
        out['serving'] = s.serving;
        out['network'] = s.network;
        out['compliance'] = s.compliance;
        out['migration'] = s.migration;
        out['moved'] = s.moved;
      }
      if (result.status === 'infeasible' && result.certificate) out['certificate'] = result.certificate.reason;
      return out;
    },
  },
];
