import { readFile } from 'node:fs/promises';
import { decisionRecord, formatYaml, placed, readObjects, reconcile, runController, type KubeObject, type Strategy } from '@emplace/kube';
import { CliUsageError } from './usage-error.js';

/**
 * `emplace kube ...`: Kubernetes federation objects in, placement decisions out.
 *   emplace kube schedule [FILE...|-] [--strategy karmada|optimal] [--time-limit S] [-o json|yaml]
 *   emplace kube controller [--kubeconfig PATH] [--strategy S] [--dry-run] [--once] [--namespace NS]
 * Exit code: 0 every binding / placement / workload placed, 1 bad input or usage (one line on
 * stderr), 2 when at least one could not be placed.
 */

export const KUBE_USAGE = `Usage:
  emplace kube schedule [FILE...|-] [--strategy karmada|optimal] [--time-limit S] [-o json|yaml]
      Reads Karmada (Cluster, PropagationPolicy, ResourceBinding), OCM (ManagedCluster,
      ManagedClusterSet(Binding), Placement) and Kueue (Workload, MultiKueueConfig,
      ClusterQueue) objects as kubectl prints them (YAML, kind: List, JSON; '-' = stdin)
      and prints the decisions: -o json one line per binding/placement/workload
      {"kind","namespace","name","status","clusters":[{"name","replicas"}],"objective","reason"},
      -o yaml the written objects (ResourceBinding spec.clusters, PlacementDecision,
      AddOnPlacementScore, Workload status.nominatedClusterNames).
  emplace kube controller [--kubeconfig PATH] [--strategy karmada|optimal] [--dry-run] [--once]
                          [--namespace NS] [--lease-namespace NS] [--time-limit S]
      Watches the API server (bindings with schedulerName emplace-scheduler, Placements with the
      placement.emplace.dev/scheduler annotation, Kueue Workloads) and writes the decisions.

Options:
  --strategy S     karmada: exactly what Karmada's scheduler does; optimal (default): minimum price
  --time-limit S   wall-clock limit of the optimal strategy in seconds (default 30); the best
                   placement found by then is written, with status feasible
  -o, --output F   json (default) or yaml
Exit code: 0 all placed, 1 bad input (one line on stderr), 2 something could not be placed.`;

interface KubeStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input, for '-' (tests pass text). */
  stdin?: () => Promise<string>;
}

interface KubeArgs {
  positional: string[];
  strategy: Strategy;
  timeLimitMs: number;
  output: 'json' | 'yaml';
  kubeconfig?: string;
  dryRun: boolean;
  once: boolean;
  namespace?: string;
  leaseNamespace?: string;
  help: boolean;
}

const VALUE_FLAGS = new Set(['strategy', 'time-limit', 'output', 'kubeconfig', 'namespace', 'lease-namespace']);
const BOOL_FLAGS = new Set(['dry-run', 'once', 'help']);

export function parseKubeArgs(argv: readonly string[]): KubeArgs {
  const out: KubeArgs = { positional: [], strategy: 'optimal', timeLimitMs: 30_000, output: 'json', dryRun: false, once: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-' || !a.startsWith('-')) {
      out.positional.push(a);
      continue;
    }
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    let name: string;
    let value: string | undefined;
    if (a === '-o') name = 'output';
    else if (a === '-h') name = 'help';
    else if (a.startsWith('-o') && !a.startsWith('--')) {
      name = 'output';
      value = a.slice(2).replace(/^=/, '');
    } else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) value = a.slice(eq + 1);
    } else throw new CliUsageError(`unknown option ${a} (see emplace kube --help)`);
    if (BOOL_FLAGS.has(name)) {
      if (value !== undefined) throw new CliUsageError(`--${name} takes no value`);
      if (name === 'dry-run') out.dryRun = true;
      else if (name === 'once') out.once = true;
      else out.help = true;
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new CliUsageError(`unknown option ${a} (see emplace kube --help)`);
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) throw new CliUsageError(`--${name} needs a value`);
      i++;
    }
    if (name === 'strategy') {
      if (value !== 'karmada' && value !== 'optimal') throw new CliUsageError(`--strategy must be karmada or optimal, got ${JSON.stringify(value)}`);
      out.strategy = value;
    } else if (name === 'time-limit') {
      const s = Number(value);
      if (value.trim() === '' || !Number.isFinite(s) || s <= 0) throw new CliUsageError(`--time-limit must be a positive number of seconds, got ${JSON.stringify(value)}`);
      out.timeLimitMs = s * 1000;
    } else if (name === 'output') {
      if (value !== 'json' && value !== 'yaml') throw new CliUsageError(`-o must be json or yaml, got ${JSON.stringify(value)}`);
      out.output = value;
    } else if (name === 'kubeconfig') out.kubeconfig = value;
    else if (name === 'namespace') out.namespace = value;
    else out.leaseNamespace = value;
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs `emplace kube <argv>`; returns the exit code. Errors propagate to the caller's one-line handler. */
export async function runKubeCommand(argv: readonly string[], streams: KubeStreams): Promise<number> {
  const sub = argv[0];
  const args = parseKubeArgs(argv.slice(1));
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h' || args.help) {
    streams.stdout(KUBE_USAGE + '\n');
    return sub === undefined ? 1 : 0;
  }
  if (sub === 'schedule') return await schedule(args, streams);
  if (sub === 'controller') {
    return await runController({
      strategy: args.strategy,
      timeLimitMs: args.timeLimitMs,
      dryRun: args.dryRun,
      once: args.once,
      ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
      ...(args.namespace ? { namespace: args.namespace } : {}),
      ...(args.leaseNamespace ? { leaseNamespace: args.leaseNamespace } : {}),
      log: (line) => streams.stderr(line + '\n'),
      out: (line) => streams.stdout(line + '\n'),
    });
  }
  throw new CliUsageError(`unknown kube command ${JSON.stringify(sub)} (try: schedule, controller)`);
}

async function schedule(args: KubeArgs, streams: KubeStreams): Promise<number> {
  const files = args.positional.length > 0 ? args.positional : ['-'];
  // Reading a terminal would wait forever for objects nobody is going to type.
  if (args.positional.length === 0 && !streams.stdin && process.stdin.isTTY) throw new CliUsageError('kube schedule needs files, or objects on stdin (kubectl get ... -o yaml | emplace kube schedule -)');
  const objects: KubeObject[] = [];
  for (const f of files) {
    const text = f === '-' ? await (streams.stdin ?? readStdin)() : await readFile(f, 'utf8');
    objects.push(...readObjects(text, f));
  }
  const controller = new AbortController();
  const onInt = (): void => controller.abort();
  process.once('SIGINT', onInt);
  try {
    const { decisions, notes } = await reconcile(objects, { strategy: args.strategy, timeLimitMs: args.timeLimitMs, signal: controller.signal });
    for (const n of notes) streams.stderr(`emplace: ${n}\n`);
    if (decisions.length === 0) streams.stderr('emplace: nothing to schedule (no ResourceBinding, Placement or Workload in the input)\n');
    if (args.output === 'json') {
      for (const d of decisions) streams.stdout(JSON.stringify(decisionRecord(d)) + '\n');
    } else {
      streams.stdout(formatYaml(decisions.flatMap((d) => d.written)));
    }
    return decisions.every((d) => placed(d.status)) ? 0 : 2;
  } finally {
    process.off('SIGINT', onInt);
  }
}
