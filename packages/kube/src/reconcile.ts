import type { Decision } from './decision.js';
import { isKarmadaObject, readKarmadaWorld, scheduleKarmadaWorld, type Strategy } from './karmada-schedule.js';
import { isKueueObject, readKueueWorld, scheduleKueueWorld } from './kueue.js';
import { isRecord, type KubeObject } from './objects.js';
import { isOcmObject, readOcmWorld, scheduleOcmWorld } from './ocm.js';

export interface ReconcileOptions {
  strategy: Strategy;
  timeLimitMs?: number;
  signal?: AbortSignal;
  /** Clock of the written timestamps (tests pin it). */
  now?: Date;
  /**
   * Which objects to decide: `all` (the CLI: every binding, placement and workload of the
   * input) or `ours` (the controller: bindings whose schedulerName is emplace's, placements
   * with emplace's annotation, workloads of a MultiKueue external dispatcher).
   */
  select?: 'all' | 'ours';
}

export interface ReconcileResult {
  decisions: Decision[];
  /** Objects passed over (unknown kinds), one line each. */
  notes: string[];
}

/**
 * The pure reconcile step shared by `emplace kube schedule` and `emplace kube controller`:
 * objects in, decisions and the patches that write them out. Nothing is read from or written
 * to a cluster here. A malformed object throws a KubeObjectError before anything is decided.
 */
export async function reconcile(objects: readonly KubeObject[], options: ReconcileOptions): Promise<ReconcileResult> {
  const notes: string[] = [];
  for (const o of objects) {
    if (!isKarmadaObject(o) && !isOcmObject(o) && !isKueueObject(o)) {
      notes.push(`passed over ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} (${o.apiVersion}): not a kind emplace reads (${o.source.file}, document ${o.source.document})`);
    }
  }
  const select = options.select ?? 'all';
  // Read everything first, so that a bad object stops the run before any decision is made.
  const ours = (o: KubeObject): boolean => select === 'all' || (isRecord(o.raw.spec) && o.raw.spec.schedulerName === SCHEDULER_NAME_VALUE);
  const karmada = readKarmadaWorld(objects, ours);
  const ocm = readOcmWorld(objects);
  const kueue = readKueueWorld(objects);
  const decisions: Decision[] = [];
  decisions.push(...(await scheduleKarmadaWorld(karmada, options)));
  decisions.push(...(await scheduleOcmWorld(ocm, { ...options, select })));
  decisions.push(...(await scheduleKueueWorld(kueue, { ...options, select })));
  return { decisions, notes };
}

import { SCHEDULER_NAME as SCHEDULER_NAME_VALUE } from './annotations.js';
