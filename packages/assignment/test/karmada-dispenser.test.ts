/**
 * Karmada's rounding: the Webster method (pkg/util/helper/webstermethod_test.go) and the
 * dispenser with its uid-dependent tie-breaking (pkg/util/helper/binding_test.go), transcribed
 * from karmada-io/karmada@f8fdd02df3760fd9521624f284877fa84e7be6ef.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocateWebsterSeats,
  fnv1a32,
  karmadaDispenseByWeight,
  karmadaSpreadReplicasByTargetClusters,
  karmadaUidOrdersNamesDescending,
  type KarmadaTargetCluster,
  type WebsterParty,
  type WebsterTieBreaker,
} from '@emplace/assignment';

const classic = { PartyA: 100000, PartyB: 80000, PartyC: 30000, PartyD: 20000 };

function party(name: string, votes: number, seats: number): WebsterParty {
  return { name, votes, seats };
}

// TestAllocateWebsterSeats and ExampleAllocateWebsterSeats.
const websterCases: {
  name: string;
  newSeats: number;
  votes: Record<string, number>;
  initial?: Record<string, number>;
  tieBreaker?: WebsterTieBreaker;
  expected: WebsterParty[];
}[] = [
  {
    name: 'ExampleAllocateWebsterSeats',
    newSeats: 4,
    votes: { Alpha: 1200, Beta: 900, Gamma: 400 },
    expected: [party('Alpha', 1200, 2), party('Beta', 900, 1), party('Gamma', 400, 1)],
  },
  ...[
    [1, 0, 0, 0],
    [1, 1, 0, 0],
    [2, 1, 0, 0],
    [2, 1, 1, 0],
    [2, 2, 1, 0],
    [2, 2, 1, 1],
    [3, 2, 1, 1],
    [3, 3, 1, 1],
  ].map((seats, round) => ({
    name: `classic example, round ${round + 1}`,
    newSeats: round + 1,
    votes: classic,
    expected: [
      party('PartyA', 100000, seats[0]!),
      party('PartyB', 80000, seats[1]!),
      party('PartyC', 30000, seats[2]!),
      party('PartyD', 20000, seats[3]!),
    ],
  })),
  { name: 'empty party votes, expect nil result', newSeats: 1, votes: {}, expected: [] },
  {
    name: 'party votes not empty, newSeats is 0, expect all seats 0',
    newSeats: 0,
    votes: { PartyA: 100, PartyB: 200 },
    expected: [party('PartyA', 100, 0), party('PartyB', 200, 0)],
  },
  { name: 'both party votes and newSeats are 0, expect nil result', newSeats: 0, votes: {}, expected: [] },
  {
    name: 'tie-breaker is nil, expect break tie by seats',
    newSeats: 1,
    votes: { PartyA: 3, PartyB: 1 },
    initial: { PartyA: 1, PartyB: 0 },
    expected: [party('PartyA', 3, 1), party('PartyB', 1, 1)],
  },
  {
    name: 'tie-breaker is nil, expect break tie by name',
    newSeats: 1,
    votes: { PartyA: 1, PartyB: 1 },
    expected: [party('PartyA', 1, 1), party('PartyB', 1, 0)],
  },
  {
    name: 'custom tie-breaker returns true, expect custom tie-breaker controls seat',
    newSeats: 1,
    votes: { PartyA: 1, PartyB: 1 },
    tieBreaker: (a, b) => a.name < b.name,
    expected: [party('PartyA', 1, 1), party('PartyB', 1, 0)],
  },
  {
    name: 'custom tie-breaker returns false, expect custom tie-breaker controls seat',
    newSeats: 1,
    votes: { PartyA: 1, PartyB: 1 },
    tieBreaker: (a, b) => a.name > b.name,
    expected: [party('PartyA', 1, 0), party('PartyB', 1, 1)],
  },
  {
    name: 'non-initial allocation, new party joins, only new party gets new seats',
    newSeats: 2,
    votes: { NewParty1: 1, NewParty2: 1 },
    initial: { OldParty: 0 },
    expected: [party('NewParty1', 1, 1), party('NewParty2', 1, 1), party('OldParty', 0, 0)],
  },
  {
    name: 'non-initial allocation, both new and old parties compete for new seats',
    newSeats: 2,
    votes: { OldParty: 1, NewParty: 1 },
    initial: { OldParty: 1 },
    expected: [party('NewParty', 1, 2), party('OldParty', 1, 1)],
  },
  {
    name: 'non-initial allocation, initialAssignments party not in partyVotes, expect no new seats for that party',
    newSeats: 2,
    votes: { PartyA: 100 },
    initial: { PartyB: 3 },
    expected: [party('PartyA', 100, 2), party('PartyB', 0, 3)],
  },
];

describe('allocateWebsterSeats (TestAllocateWebsterSeats)', () => {
  for (const c of websterCases) {
    it(c.name, () => {
      expect(allocateWebsterSeats(c.newSeats, c.votes, c.initial, c.tieBreaker)).toEqual(c.expected);
    });
  }
});

const emptyUID = '';
const evenUID = '4858ca61-3ff8-4095-8267-f3d059d8074c';
const oddUID = 'd43fdeeb-d750-4e2b-bee3-64eb94534f4c';

function tc(list: [string, number][]): KarmadaTargetCluster[] {
  return list.map(([name, replicas]) => ({ name, replicas }));
}

/** helper.IsScheduleResultEqual. */
function sameSet(a: readonly KarmadaTargetCluster[], b: readonly KarmadaTargetCluster[]): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => y.name === x.name && y.replicas === x.replicas));
}

describe('uid hash (tieBreakerByUID)', () => {
  it('FNV-1a 32 matches the reference vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
  it('the even and odd uids of binding_test.go hash as their names say', () => {
    expect(karmadaUidOrdersNamesDescending(emptyUID)).toBe(false);
    expect(karmadaUidOrdersNamesDescending(evenUID)).toBe(false);
    expect(karmadaUidOrdersNamesDescending(oddUID)).toBe(true);
  });
});

// Test_dispenser_AllocateByWeight.
const dispenserCases: { name: string; n: number; uid: string; init?: [string, number][]; weights: [string, number][]; desired: [string, number][] }[] = [
  { name: 'Scale up 6 replicas', n: 6, uid: emptyUID, init: [['A', 1], ['B', 2], ['C', 3]], weights: [['A', 1], ['B', 2], ['C', 3]], desired: [['A', 2], ['B', 4], ['C', 6]] },
  { name: 'Scale up 3 replicas', n: 3, uid: emptyUID, init: [['A', 1], ['B', 2], ['C', 3]], weights: [['A', 1], ['B', 2], ['C', 3]], desired: [['A', 2], ['B', 3], ['C', 4]] },
  { name: 'Scale up 2 replicas', n: 2, uid: emptyUID, init: [['A', 1], ['B', 2], ['C', 3]], weights: [['A', 1], ['B', 2], ['C', 3]], desired: [['A', 1], ['B', 3], ['C', 4]] },
  { name: 'HA scenario with weight 2:1: assign 1 replica', n: 1, uid: emptyUID, weights: [['A', 2], ['B', 1]], desired: [['A', 1], ['B', 0]] },
  { name: 'HA scenario with weight 2:1: assign 2 replicas', n: 2, uid: emptyUID, weights: [['A', 2], ['B', 1]], desired: [['A', 1], ['B', 1]] },
  { name: 'HA scenario with weight 2:1: assign 3 replicas', n: 3, uid: emptyUID, weights: [['A', 2], ['B', 1]], desired: [['A', 2], ['B', 1]] },
  { name: 'brand new assign 5 replicas', n: 5, uid: emptyUID, weights: [['A', 170], ['B', 110], ['C', 60]], desired: [['A', 2], ['B', 2], ['C', 1]] },
  { name: 'brand new assign 6 replicas', n: 6, uid: emptyUID, weights: [['A', 170], ['B', 110], ['C', 60]], desired: [['A', 3], ['B', 2], ['C', 1]] },
  { name: 'brand new assign 5 replicas with odd uuid', n: 5, uid: oddUID, weights: [['A', 1], ['B', 1]], desired: [['A', 2], ['B', 3]] },
  { name: 'brand new assign 5 replicas with even uuid', n: 5, uid: evenUID, weights: [['A', 1], ['B', 1]], desired: [['A', 3], ['B', 2]] },
];

describe('karmadaDispenseByWeight (Test_dispenser_AllocateByWeight)', () => {
  for (const c of dispenserCases) {
    it(c.name, () => {
      const got = karmadaDispenseByWeight(
        c.n,
        c.weights.map(([name, weight]) => ({ name, weight })),
        c.init ? tc(c.init) : undefined,
        c.uid,
      );
      expect(sameSet(got, tc(c.desired)), JSON.stringify(got)).toBe(true);
    });
  }
});

// TestDispenseReplicasByTargetClusters ("wants" lists every answer Karmada accepts).
const spreadCases: { name: string; clusters: [string, number][]; sum: number; wants: [string, number][][] }[] = [
  { name: 'empty clusters', clusters: [], sum: 10, wants: [[]] },
  { name: '1 cluster, 5 replicas, 10 sum', clusters: [['member1', 5]], sum: 10, wants: [[['member1', 10]]] },
  { name: '3 cluster, 1:1:1, 12 sum', clusters: [['member1', 5], ['member2', 5], ['member3', 5]], sum: 12, wants: [[['member1', 4], ['member2', 4], ['member3', 4]]] },
  {
    name: '3 cluster, 1:1:1, 10 sum',
    clusters: [['member1', 5], ['member2', 5], ['member3', 5]],
    sum: 10,
    wants: [
      [['member1', 4], ['member2', 3], ['member3', 3]],
      [['member1', 3], ['member2', 4], ['member3', 3]],
      [['member1', 3], ['member2', 3], ['member3', 4]],
    ],
  },
  { name: '3 cluster, 1:2:3, 13 sum', clusters: [['member1', 1], ['member2', 2], ['member3', 3]], sum: 13, wants: [[['member1', 2], ['member2', 4], ['member3', 7]]] },
];

describe('karmadaSpreadReplicasByTargetClusters (TestDispenseReplicasByTargetClusters)', () => {
  for (const c of spreadCases) {
    it(c.name, () => {
      const got = karmadaSpreadReplicasByTargetClusters(c.sum, tc(c.clusters), undefined, '');
      expect(c.wants.some((w) => sameSet(got, tc(w))), JSON.stringify(got)).toBe(true);
    });
  }
  it('empty uid breaks the 1:1:1 / 10 tie towards the smallest name, as Karmada does', () => {
    expect(karmadaSpreadReplicasByTargetClusters(10, tc([['member1', 5], ['member2', 5], ['member3', 5]]), undefined, '')).toEqual(
      tc([['member1', 4], ['member2', 3], ['member3', 3]]),
    );
  });
});

describe('dispenser properties', () => {
  const weights = fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), weight: fc.integer({ min: 0, max: 50 }) }), {
    selector: (w) => w.name,
    minLength: 1,
    maxLength: 8,
  });
  it('hands out exactly the requested replicas when some weight is positive', () => {
    fc.assert(
      fc.property(weights, fc.integer({ min: 0, max: 200 }), fc.string(), (ws, n, uid) => {
        const got = karmadaDispenseByWeight(n, ws, undefined, uid);
        const total = got.reduce((s, c) => s + c.replicas, 0);
        const positive = ws.some((w) => w.weight > 0);
        expect(total).toBe(positive ? n : 0);
        // Zero-weight clusters never receive a replica while another has weight.
        if (positive) for (const c of got) if (ws.find((w) => w.name === c.name)!.weight === 0) expect(c.replicas).toBe(0);
      }),
    );
  });
  it('is a divisor method: every cluster is within one of its exact quota when weights sum to the target', () => {
    fc.assert(
      fc.property(weights, fc.string(), (ws, uid) => {
        const sum = ws.reduce((s, w) => s + w.weight, 0);
        const got = karmadaDispenseByWeight(sum, ws, undefined, uid);
        for (const c of got) expect(c.replicas).toBe(ws.find((w) => w.name === c.name)!.weight);
      }),
    );
  });
  it('is deterministic for a uid and house-monotone (one more replica never takes one away)', () => {
    fc.assert(
      fc.property(weights, fc.integer({ min: 0, max: 100 }), fc.string(), (ws, n, uid) => {
        const a = karmadaDispenseByWeight(n, ws, undefined, uid);
        expect(karmadaDispenseByWeight(n, ws, undefined, uid)).toEqual(a);
        const b = karmadaDispenseByWeight(n + 1, ws, undefined, uid);
        for (const c of a) expect(b.find((x) => x.name === c.name)!.replicas).toBeGreaterThanOrEqual(c.replicas);
      }),
    );
  });
});

describe('allocateWebsterSeats against an independent ranking of all quotients', () => {
  it('gives each seat to the largest votes/(2s+1), ties by fewer seats then the tie-breaker name order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-f]{1,3}$/), votes: fc.integer({ min: 1, max: 30 }) }), { selector: (p) => p.name, minLength: 1, maxLength: 7 }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        (parties, seats, descending) => {
          // Greedy by hand, one seat at a time, scanning every party.
          const held = new Map(parties.map((p) => [p.name, 0]));
          for (let k = 0; k < seats; k++) {
            let best: { name: string; votes: number } | undefined;
            for (const p of parties) {
              if (!best) {
                best = p;
                continue;
              }
              const sp = held.get(p.name)!;
              const sb = held.get(best.name)!;
              const qp = p.votes / (2 * sp + 1);
              const qb = best.votes / (2 * sb + 1);
              const nameFirst = descending ? p.name > best.name : p.name < best.name;
              if (qp > qb || (qp === qb && (sp < sb || (sp === sb && nameFirst)))) best = p;
            }
            held.set(best!.name, held.get(best!.name)! + 1);
          }
          const tie = (a: WebsterParty, b: WebsterParty) => (a.seats !== b.seats ? a.seats < b.seats : descending ? a.name > b.name : a.name < b.name);
          const got = allocateWebsterSeats(seats, Object.fromEntries(parties.map((p) => [p.name, p.votes])), undefined, tie);
          for (const p of got) expect(p.seats).toBe(held.get(p.name));
        },
      ),
    );
  });
});
