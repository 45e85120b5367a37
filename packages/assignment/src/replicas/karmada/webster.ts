/**
 * Webster / Sainte-Laguë apportionment as Karmada runs it
 * (`pkg/util/helper/webstermethod.go`, `AllocateWebsterSeats`).
 *
 * Each new seat goes to the party with the largest `votes / (2 * seats + 1)`. Karmada keeps the
 * parties in a binary heap whose order is total (priority, then the tie-breaker, which always ends
 * on the unique party name), so the party popped at each step is the unique maximum of that
 * order: any correct priority queue reproduces Karmada's seat sequence exactly. The priorities are
 * compared as IEEE doubles (`float64(votes) / float64(2*seats+1)` in Go), which is what JavaScript
 * division computes, so equal ratios tie exactly as they do in Go.
 */

/** One party (a cluster) of the apportionment. */
export interface WebsterParty {
  readonly name: string;
  /** Votes (the cluster's weight); 0 for a party only present in the initial assignment. */
  readonly votes: number;
  /** Seats (replicas) held. */
  readonly seats: number;
}

/**
 * Decides a tie between two parties of equal priority: true when `a` should get the next seat
 * before `b`. Karmada's `TieBreaker func(a, b Party) bool`.
 */
export type WebsterTieBreaker = (a: WebsterParty, b: WebsterParty) => boolean;

/** Go compares strings byte-wise on their UTF-8 encoding; cluster names are ASCII DNS labels, where UTF-16 order is the same. */
export function goStringLess(a: string, b: string): boolean {
  return a < b;
}

/** Karmada's default tie rule when no tie-breaker is given: fewer seats first, then the smaller name. */
function defaultTieBreak(a: WebsterParty, b: WebsterParty): boolean {
  if (a.seats !== b.seats) return a.seats < b.seats;
  return goStringLess(a.name, b.name);
}

interface MutableParty {
  name: string;
  votes: number;
  seats: number;
}

/** `WebsterPriorityQueue.Less`: true when party `a` comes before `b` in the queue. */
function before(a: MutableParty, b: MutableParty, tieBreaker: WebsterTieBreaker | undefined): boolean {
  const pa = a.votes / (2 * a.seats + 1);
  const pb = b.votes / (2 * b.seats + 1);
  if (pa === pb) return tieBreaker ? tieBreaker(a, b) : defaultTieBreak(a, b);
  return pa > pb;
}

/**
 * Allocates `newSeats` seats on top of `initialAssignments` by the Webster method.
 *
 * Reproduces `AllocateWebsterSeats`: a party present only in `initialAssignments` takes part with
 * 0 votes (priority 0: it gets seats only when every party has priority 0); the answer lists every
 * party, sorted by name ascending, or is empty when there are no parties at all (Go's `nil`).
 */
export function allocateWebsterSeats(
  newSeats: number,
  partyVotes: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  initialAssignments?: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  tieBreaker?: WebsterTieBreaker,
): WebsterParty[] {
  const parties = new Map<string, MutableParty>();
  for (const [name, seats] of entries(initialAssignments)) parties.set(name, { name, votes: 0, seats });
  for (const [name, votes] of entries(partyVotes)) {
    const p = parties.get(name);
    if (p) p.votes = votes;
    else parties.set(name, { name, votes, seats: 0 });
  }
  if (parties.size === 0) return [];

  const heap = new PartyHeap([...parties.values()], tieBreaker);
  for (let remaining = newSeats; remaining > 0; remaining--) heap.topGetsSeat();

  return [...parties.values()]
    .sort((a, b) => (goStringLess(a.name, b.name) ? -1 : goStringLess(b.name, a.name) ? 1 : 0))
    .map((p) => ({ name: p.name, votes: p.votes, seats: p.seats }));
}

function entries(
  m: ReadonlyMap<string, number> | Readonly<Record<string, number>> | undefined,
): Iterable<[string, number]> {
  if (m === undefined) return [];
  if (m instanceof Map) return m.entries();
  return Object.entries(m as Readonly<Record<string, number>>);
}

/** A binary max-heap under `before`; the top party receives one seat and sifts down. */
class PartyHeap {
  private readonly items: MutableParty[];
  private readonly tieBreaker: WebsterTieBreaker | undefined;

  constructor(items: MutableParty[], tieBreaker: WebsterTieBreaker | undefined) {
    this.items = items;
    this.tieBreaker = tieBreaker;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  topGetsSeat(): void {
    this.items[0]!.seats++;
    this.down(0);
  }

  private down(start: number): void {
    const a = this.items;
    const n = a.length;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      let best = l;
      const r = l + 1;
      if (r < n && before(a[r]!, a[l]!, this.tieBreaker)) best = r;
      if (!before(a[best]!, a[i]!, this.tieBreaker)) return;
      const t = a[i]!;
      a[i] = a[best]!;
      a[best] = t;
      i = best;
    }
  }
}
