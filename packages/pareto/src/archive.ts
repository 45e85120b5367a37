import { ModelError } from '@emplace/core';
import { weaklyDominates } from './dominance.js';

/** One entry of a non-dominated archive: objectives and whatever the caller attaches (a decision vector, a plan). */
export interface ArchiveEntry<T> {
  readonly objectives: Float64Array;
  readonly item: T;
}

/**
 * An unbounded archive of mutually non-dominated points. `add` rejects a point weakly
 * dominated by a member (so duplicates are kept once) and evicts the members it
 * dominates. Linear per insertion, which suits archives of thousands of points.
 */
export class ParetoArchive<T> {
  private members: ArchiveEntry<T>[] = [];
  readonly nObjectives: number;

  constructor(nObjectives: number) {
    if (!Number.isInteger(nObjectives) || nObjectives < 1) throw new ModelError('nObjectives', `must be a positive integer, got ${nObjectives}`);
    this.nObjectives = nObjectives;
  }

  get size(): number {
    return this.members.length;
  }

  /** Offers a point; returns true if it entered the archive. */
  add(objectives: ArrayLike<number>, item: T): boolean {
    if (objectives.length !== this.nObjectives) throw new ModelError('objectives', `has ${objectives.length} values, the archive holds ${this.nObjectives}-objective points`);
    for (let k = 0; k < objectives.length; k++) if (Number.isNaN(objectives[k])) throw new ModelError(`objectives[${k}]`, 'is NaN');
    for (const e of this.members) if (weaklyDominates(e.objectives, objectives)) return false;
    const f = Float64Array.from(objectives);
    this.members = this.members.filter((e) => !weaklyDominates(f, e.objectives));
    this.members.push({ objectives: f, item });
    return true;
  }

  /** Members sorted lexicographically by objectives (a stable, seed-independent order). */
  entries(): ArchiveEntry<T>[] {
    return [...this.members].sort((a, b) => {
      for (let k = 0; k < this.nObjectives; k++) {
        const d = a.objectives[k]! - b.objectives[k]!;
        if (d !== 0) return d;
      }
      return 0;
    });
  }

  objectives(): number[][] {
    return this.entries().map((e) => Array.from(e.objectives));
  }
}
