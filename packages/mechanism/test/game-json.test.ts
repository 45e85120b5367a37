import { describe, expect, it } from 'vitest';
import { hasSolution, ModelError } from '@emplace/core';
import { gameFromDocument, marketFromDocument, shapleyExact, shapleyAuto } from '@emplace/mechanism';

describe('game and market documents', () => {
  it('reads values keyed by member names, fractions give exact output', async () => {
    const g = gameFromDocument({ kind: 'game', players: ['eu', 'us', 'ap'], gameKind: 'cost', values: { eu: 10, 'us': 12, ap: 9, 'us,eu': 18, 'eu,ap': 15, 'us,ap': 17, 'eu,us,ap': '47/2' } });
    expect(g.gameKind).toBe('cost');
    expect(g.denominator).toBe(2);
    const r = await shapleyExact(g.game, { denominator: g.denominator! });
    expect(hasSolution(r) && r.solution.exact).toEqual(['15/2', '19/2', '13/2']);
  });
  it('reads tables, weighted voting and airport games like @emplace/io does', async () => {
    expect(gameFromDocument({ players: 2, table: [0, 1, 1, 3] }).game.n).toBe(2);
    const v = gameFromDocument({ players: ['a', 'b', 'c'], weightedVoting: { weights: [2, 1, 1], quota: 3 } });
    const r = await shapleyAuto(v.game);
    expect(hasSolution(r) && (r.solution as { exact?: readonly string[] | undefined }).exact).toEqual(['2/3', '1/6', '1/6']);
    expect(gameFromDocument({ players: 2, airport: { costs: [1, 2] } }).game.structure?.type).toBe('airport');
  });
  it('bad documents name the field, player or coalition', async () => {
    expect(() => gameFromDocument({ players: [], table: [0] })).toThrow(/players must not be empty/);
    expect(() => gameFromDocument({ players: ['a', 'b'], values: { 'a,c': 1 } })).toThrow(/values\["a,c"\] names unknown player "c"/);
    expect(() => gameFromDocument({ players: ['a', 'b'], table: [0, 1, null, 2] })).toThrow(/table\[2\]/);
    expect(() => gameFromDocument({ players: ['a', 'b'], table: [0, 1, 2] })).toThrow(/table must have 2\^2 = 4/);
    expect(() => gameFromDocument({ players: ['a', 'b'] })).toThrow(ModelError);
    expect(() => gameFromDocument({ players: ['a', 'b'], table: [0, 1, 1, 2], allocation: [1, 'x'] })).toThrow(/allocation\[1\] \(b\)/);
  });
  it('markets: unknown items name the bid', async () => {
    expect(() => marketFromDocument({ kind: 'market', items: ['a'], bids: [{ bidder: 'x', items: ['b'], amount: 1 }] })).toThrow(/bids\[0\]\.items\[0\] names unknown item "b"/);
    const m = marketFromDocument({ kind: 'market', items: ['a'], reserve: 3, bids: [{ bidder: 'x', items: ['a'], amount: 1 }] });
    expect(m.options).toEqual({ reserve: 3 });
  });
});
