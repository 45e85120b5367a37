/**
 * The static browser demo (examples/browser): built with esbuild for the browser with no
 * externals, served over HTTP, run in headless Chromium. The page runs plan() on the embedded
 * data set and draws the map and the Pareto front; the test reads the result the page leaves
 * in body[data-result] and checks that a screenshot is not blank.
 *
 * Needs /usr/bin/chromium (CHROMIUM_PATH overrides); skipped with a message otherwise.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildDemo, serve } from '../browser/build.mjs';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`browser demo test skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
const run = promisify(execFile);

function chromiumArgs(profile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    '--virtual-time-budget=120000',
  ];
}

/** Decodes an 8-bit RGB(A) PNG (no interlace) and counts its distinct colours and non-white pixels. */
export function pngStats(png: Buffer): { width: number; height: number; colours: number; nonWhite: number } {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('ascii', off + 4, off + 8);
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colourType = data[9];
      if (depth !== 8 || (colourType !== 2 && colourType !== 6) || data[12] !== 0) throw new Error(`unsupported PNG (depth ${depth}, colour type ${colourType})`);
      channels = colourType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const prev = new Uint8Array(stride);
  const cur = new Uint8Array(stride);
  const colours = new Set<number>();
  let nonWhite = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      let v = line[i]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      const r = cur[x * channels]!;
      const g = cur[x * channels + 1]!;
      const bl = cur[x * channels + 2]!;
      colours.add((r << 16) | (g << 8) | bl);
      if (r < 240 || g < 240 || bl < 240) nonWhite++;
    }
    prev.set(cur);
  }
  return { width, height, colours: colours.size, nonWhite };
}

describe.skipIf(!haveChromium)('browser demo (headless Chromium)', () => {
  let dir: string;
  let url: string;
  let server: { close(): void };
  let requests: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'emplace-demo-'));
    await buildDemo(join(dir, 'site'));
    ({ url, server, requests } = await serve(join(dir, 'site'), 0));
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs plan() in the page and draws the map and the Pareto front', async () => {
    const page = `${url}?cities=40&timeLimitMs=20000`;
    const { stdout: dom } = await run(CHROMIUM, [...chromiumArgs(join(dir, 'p1')), '--dump-dom', page], { timeout: 180_000, maxBuffer: 64 << 20 });
    const m = /data-result="([^"]*)"/.exec(dom);
    expect(m, dom.slice(0, 400)).not.toBeNull();
    const result = JSON.parse(m![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, unknown>;
    expect(result['error']).toBeUndefined();
    expect(['optimal', 'feasible']).toContain(result['status']);
    expect((result['regions'] as string[]).length).toBeGreaterThan(0);
    expect(result['alternatives'] as number).toBeGreaterThan(0);
    expect(dom).toMatch(/<svg[^>]*>/);
    // The exact phases ran HiGHS, loaded from the URL the page configured (served here, not a CDN).
    expect(requests).toContain('/highs.mjs');
    expect(requests).toContain('/highs.wasm');

    const shot = join(dir, 'shot.png');
    await run(CHROMIUM, [...chromiumArgs(join(dir, 'p2')), '--window-size=1100,1400', `--screenshot=${shot}`, page], { timeout: 180_000 });
    const stats = pngStats(readFileSync(shot));
    expect(stats.width).toBe(1100);
    // A blank or error page has a handful of colours and little ink; the map has land, sea, routes, markers.
    expect(stats.colours).toBeGreaterThan(50);
    expect(stats.nonWhite / (stats.width * stats.height)).toBeGreaterThan(0.05);
  }, 400_000);
});
