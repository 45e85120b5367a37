/**
 * Ordered `clusterAffinities` (`pkg/scheduler/scheduler.go`
 * `scheduleResourceBindingWithClusterAffinities`): the scheduler starts at the term it used last
 * time (`status.schedulerObservedAffinityName`, or the first term, or the first term again when a
 * reschedule was triggered), tries each term in turn and keeps the first that schedules; when none
 * does, the error of the first attempt is reported and the observed term does not change.
 */
import { karmadaAssignReplicas } from './assign.js';
import { KarmadaSchedulingError } from './errors.js';
import type { KarmadaTargetCluster } from './dispenser.js';
import { karmadaSelectClusters, type KarmadaSelectableCluster, type KarmadaSpreadConstraint } from './spread.js';
import type { KarmadaDivisionInput } from './types.js';

/** One `clusterAffinities` term, resolved. */
export interface KarmadaAffinityTerm {
  /** `affinityName`. */
  readonly name: string;
  /**
   * The clusters that pass the filters under this term (its `clusterAffinity` and the other filter
   * plugins), any order, each with its estimated available replicas (and score, region and
   * overflow tier where they matter): they are ordered and selected as Karmada does.
   */
  readonly clusters: readonly KarmadaSelectableCluster[];
  /** The term has `overflowAffinities`: its clusters carry `overflowOrder` and fill tier by tier. */
  readonly overflow?: boolean;
  /**
   * For the message when no cluster passes: the filter reasons with how many clusters gave each
   * (`FitError`'s histogram, e.g. `{"cluster(s) did not match the placement cluster affinity constraint": 3}`).
   */
  readonly unfitReasons?: Readonly<Record<string, number>>;
}

export interface KarmadaAffinitiesOptions {
  /** `placement.spreadConstraints`, applied to each term's clusters (`SelectClusters`). */
  readonly spreadConstraints?: readonly KarmadaSpreadConstraint[];
  /** `status.schedulerObservedAffinityName`. */
  readonly observedAffinityName?: string;
  /** `spec.rescheduleTriggeredAt` is later than `status.lastScheduledTime`: start from the first term. */
  readonly rescheduleTriggered?: boolean;
  /** How many clusters the Karmada control plane has (for the no-fit message). Default: the largest term size. */
  readonly totalClusters?: number;
}

export interface KarmadaAffinitiesResult {
  /** Index of the term that scheduled; it becomes `status.schedulerObservedAffinityName`. */
  readonly termIndex: number;
  readonly affinityName: string;
  /** `spec.clusters`. */
  readonly clusters: KarmadaTargetCluster[];
}

/** `getAffinityIndex`: the observed term, or the first when the name is empty or unknown. */
export function karmadaAffinityStartIndex(termNames: readonly string[], observedAffinityName: string | undefined): number {
  if (!observedAffinityName) return 0;
  const i = termNames.indexOf(observedAffinityName);
  return i < 0 ? 0 : i;
}

/**
 * The affinity fallback loop on any per-term scheduling step: `attempt(index)` either returns a
 * result or throws; the first success wins, else the first error is thrown again.
 */
export function karmadaTryAffinityTerms<T>(
  termNames: readonly string[],
  options: KarmadaAffinitiesOptions,
  attempt: (termIndex: number) => T,
): { termIndex: number; result: T } {
  let index = options.rescheduleTriggered ? 0 : karmadaAffinityStartIndex(termNames, options.observedAffinityName);
  let firstError: unknown;
  let failed = false;
  for (; index < termNames.length; index++) {
    try {
      return { termIndex: index, result: attempt(index) };
    } catch (e) {
      if (!failed) {
        firstError = e;
        failed = true;
      }
    }
  }
  if (!failed) throw new KarmadaSchedulingError('no clusterAffinities term to schedule with', false);
  throw firstError;
}

/**
 * Schedules a binding whose placement has ordered `clusterAffinities`, as Karmada's scheduler does:
 * for each term from the observed one, the term's feasible clusters are ordered and selected
 * (`SelectClusters`, with the spread constraints) and go through the replica assignment
 * (`AssignReplicas`); the first term that succeeds gives `spec.clusters`. A placement with a
 * single `clusterAffinity` is the one-term case.
 *
 * Errors carry the text of Karmada's `Schedule` step: `0/N clusters are available: ...` when no
 * cluster passes the filters, `failed to select clusters: ...` when the spread constraints cannot
 * be met, `failed to assign replicas: ...` when the assignment fails.
 */
export function karmadaScheduleWithAffinities(
  terms: readonly KarmadaAffinityTerm[],
  division: Omit<KarmadaDivisionInput, 'clusters' | 'overflow'>,
  options: KarmadaAffinitiesOptions = {},
): KarmadaAffinitiesResult {
  const total = options.totalClusters ?? Math.max(0, ...terms.map((t) => t.clusters.length));
  const { termIndex, result } = karmadaTryAffinityTerms(
    terms.map((t) => t.name),
    options,
    (i) => {
      const term = terms[i]!;
      if (term.clusters.length === 0) throw noFit(total, term.unfitReasons);
      let selected: KarmadaSelectableCluster[];
      try {
        selected = karmadaSelectClusters({
          clusters: term.clusters,
          ...(options.spreadConstraints ? { spreadConstraints: options.spreadConstraints } : {}),
          strategy: division.strategy,
          replicas: division.replicas,
          ...(division.previous ? { previous: division.previous } : {}),
        });
      } catch (e) {
        if (e instanceof KarmadaSchedulingError) {
          throw new KarmadaSchedulingError(`failed to select clusters: ${e.message}`, e.unschedulable, { cause: e });
        }
        throw e;
      }
      try {
        return karmadaAssignReplicas({ ...division, clusters: selected, overflow: term.overflow === true });
      } catch (e) {
        if (e instanceof KarmadaSchedulingError) {
          throw new KarmadaSchedulingError(`failed to assign replicas: ${e.message}`, e.unschedulable, { cause: e });
        }
        throw e;
      }
    },
  );
  return { termIndex, affinityName: terms[termIndex]!.name, clusters: result };
}

/** `FitError.Error()`. */
function noFit(total: number, reasons: Readonly<Record<string, number>> | undefined): KarmadaSchedulingError {
  const entries = Object.entries(reasons ?? {});
  if (total === 0 || entries.length === 0) return new KarmadaSchedulingError(`0/${total} clusters are available: no cluster exists.`, false);
  const histogram = entries.map(([reason, n]) => `${n} ${reason}`).sort();
  return new KarmadaSchedulingError(`0/${total} clusters are available: ${histogram.join(', ')}.`, false);
}
