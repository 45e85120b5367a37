import { describe, expect, it } from 'vitest';
import { plan, type World } from '@emplace/emplace';
import { backboneSvg, consoleReport, markdownReport, paretoSvg, servedMapSvg } from '../lib/plan-report.js';

const world: World = {
  regions: [
    { id: 'us-east', name: 'Virginia', lat: 39, lon: -77.5, cost: 300 },
    { id: 'eu-west', name: 'Dublin', lat: 53.3, lon: -6.3, cost: 320 },
    { id: 'ap-tokyo', name: 'Tokyo', lat: 35.7, lon: 139.7, cost: 400 },
    { id: 'ap-sydney', name: 'Sydney', lat: -33.9, lon: 151.2, cost: 420 },
  ],
  populations: [
    { id: 'NYC', lat: 40.7, lon: -74, users: 8 },
    { id: 'London', lat: 51.5, lon: -0.1, users: 8.9 },
    { id: 'Tokyo', lat: 35.7, lon: 139.7, users: 13 },
    { id: 'Sydney', lat: -33.9, lon: 151.2, users: 5.3 },
  ],
  tenants: [
    { id: 'west', populations: ['NYC', 'London'] },
    { id: 'east', populations: ['Tokyo', 'Sydney'] },
  ],
};

describe('plan report', () => {
  it('renders the console report, the Markdown report and three SVG figures', async () => {
    const r = await plan(world, { latencyPrice: 2 }, { seed: 1 });
    const text = consoleReport(world, {}, r);
    expect(text).toMatch(/Chosen regions \(\d+\)/);
    expect(text).toContain('Fair shares');
    const md = markdownReport(world, {}, r, { title: 'T', intro: 'I', figures: { map: 'map.svg', pareto: 'pareto.svg', backbone: 'backbone.svg' } });
    for (const heading of ['## The answer', '## Alternatives', '## Worst case', '## Backbone', '## Who pays what']) expect(md).toContain(heading);
    for (const svg of [servedMapSvg(world, r), paretoSvg(r), backboneSvg(world, r)]) {
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg.trim().endsWith('</svg>')).toBe(true);
      expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    }
    // Every chosen region is drawn and labelled on the map.
    const map = servedMapSvg(world, r);
    for (const id of r.placement!.regions) expect(map).toContain(`>${id}</text>`);
  });
});
