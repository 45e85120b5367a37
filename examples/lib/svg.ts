/**
 * Small SVG figures for reports: a world map (equirectangular), scatter plots and line
 * charts. Plain strings, no dependency, readable in any Markdown viewer.
 */
import { data } from '@emplace/emplace';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#bcbd22', '#003f5c', '#393b79', '#637939', '#843c39', '#7b4173'];

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const fmt = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Points [lon, lat] along the short great-circle arc from a to b (longitudes in -180..180). */
export function greatCircle(a: { lat: number; lon: number }, b: { lat: number; lon: number }, steps = 48): [number, number][] {
  const rad = Math.PI / 180;
  const v = (p: { lat: number; lon: number }) => [Math.cos(p.lat * rad) * Math.cos(p.lon * rad), Math.cos(p.lat * rad) * Math.sin(p.lon * rad), Math.sin(p.lat * rad)];
  const [ax, ay, az] = v(a);
  const [bx, by, bz] = v(b);
  const omega = Math.acos(Math.max(-1, Math.min(1, ax! * bx! + ay! * by! + az! * bz!)));
  if (omega < 1e-9) return [[a.lon, a.lat], [b.lon, b.lat]];
  const n = Math.max(2, Math.ceil((steps * omega) / Math.PI));
  const out: [number, number][] = [];
  for (let k = 0; k <= n; k++) {
    const t = k / n;
    const s1 = Math.sin((1 - t) * omega) / Math.sin(omega);
    const s2 = Math.sin(t * omega) / Math.sin(omega);
    const x = s1 * ax! + s2 * bx!;
    const y = s1 * ay! + s2 * by!;
    const z = s1 * az! + s2 * bz!;
    out.push([Math.atan2(y, x) / rad, Math.atan2(z, Math.hypot(x, y)) / rad]);
  }
  return out;
}

/** Equirectangular projection of the inhabited world (lat -58..78) onto a width x height box. */
export class WorldMap {
  readonly height: number;
  private readonly parts: string[] = [];
  private readonly top = 78;
  private readonly bottom = -58;
  constructor(readonly width = 1000, private readonly title?: string) {
    this.height = Math.round((width * (this.top - this.bottom)) / 360);
    const land = data.worldLand
      .map((ring) => {
        let d = '';
        // A ring cut at the antimeridian jumps across the map: move, do not draw, there.
        for (let k = 0; k < ring.length; k += 2) {
          const jump = k > 0 && Math.abs(ring[k]! - ring[k - 2]!) > 180;
          d += `${k === 0 || jump ? 'M' : 'L'}${fmt(this.x(ring[k]!))},${fmt(this.y(ring[k + 1]!))}`;
        }
        return `${d}Z`;
      })
      .join('');
    this.parts.push(`<rect width="${width}" height="${this.height}" fill="#f4f8fb"/>`);
    this.parts.push(`<path d="${land}" fill="#e6e4dc" stroke="#c8c4b8" stroke-width="0.6"/>`);
  }
  x(lon: number): number {
    return ((lon + 180) / 360) * this.width;
  }
  y(lat: number): number {
    return ((this.top - Math.max(this.bottom, Math.min(this.top, lat))) / (this.top - this.bottom)) * this.height;
  }
  /**
   * A link along the short great-circle arc (sampled), cut where it crosses the antimeridian,
   * so that Seoul - Queretaro goes over the Pacific, not across Eurasia and the Atlantic.
   */
  line(a: { lat: number; lon: number }, b: { lat: number; lon: number }, stroke: string, width = 1, opacity = 1, dash?: string): void {
    const pts = greatCircle(a, b);
    let d = '';
    for (let k = 0; k < pts.length; k++) {
      const [lon, lat] = pts[k]!;
      if (k > 0 && Math.abs(lon - pts[k - 1]![0]) > 180) {
        // Leave through one edge of the map, come back through the other.
        const [plon, plat] = pts[k - 1]!;
        const edge = plon > 0 ? 180 : -180;
        const t = (edge - plon) / (lon + (plon > 0 ? 360 : -360) - plon);
        const midLat = plat + t * (lat - plat);
        d += `L${fmt(this.x(edge))},${fmt(this.y(midLat))}M${fmt(this.x(-edge))},${fmt(this.y(midLat))}`;
      }
      d += `${k === 0 ? 'M' : 'L'}${fmt(this.x(lon))},${fmt(this.y(lat))}`;
    }
    this.parts.push(`<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${width}" stroke-opacity="${opacity}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
  }
  circle(p: { lat: number; lon: number }, r: number, fill: string, opts: { stroke?: string; opacity?: number; title?: string } = {}): void {
    const t = opts.title ? `<title>${esc(opts.title)}</title>` : '';
    if (r >= 3) this.markers.push({ x: this.x(p.lon) - r, y: this.y(p.lat) - r, w: 2 * r, h: 2 * r });
    this.parts.push(`<circle cx="${fmt(this.x(p.lon))}" cy="${fmt(this.y(p.lat))}" r="${fmt(r)}" fill="${fill}" fill-opacity="${opts.opacity ?? 1}"${opts.stroke ? ` stroke="${opts.stroke}" stroke-width="1.2"` : ''}>${t}</circle>`);
  }
  square(p: { lat: number; lon: number }, size: number, fill: string, title?: string): void {
    const t = title ? `<title>${esc(title)}</title>` : '';
    this.markers.push({ x: this.x(p.lon) - size / 2, y: this.y(p.lat) - size / 2, w: size, h: size });
    this.parts.push(`<rect x="${fmt(this.x(p.lon) - size / 2)}" y="${fmt(this.y(p.lat) - size / 2)}" width="${size}" height="${size}" fill="${fill}" stroke="#222" stroke-width="1.2">${t}</rect>`);
  }
  /**
   * A text label next to a point. Labels never overlap: the first of eight positions around
   * the point whose box is free is taken (the preferred offset first).
   */
  label(p: { lat: number; lon: number }, text: string, dx = 6, dy = -6, size = 11, color = '#222'): void {
    const w = text.length * size * 0.6;
    const h = size;
    const px = this.x(p.lon);
    const py = this.y(p.lat);
    const ring: [number, number][] = [
      [dx, dy], [dx, h + 4], [-dx - w, dy], [-dx - w, h + 4], [-w / 2, -h - 2], [-w / 2, h + 10], [dx, dy - h - 2], [-dx - w, dy - h - 2],
    ];
    // Farther rings too (joined to the point by a thin leader line when used).
    const candidates = [1, 2, 3].flatMap((k) => ring.map(([cx, cy]): [number, number] => [cx + (cx >= 0 ? 1 : -1) * (k - 1) * 10, cy + (cy >= 0 ? 1 : -1) * (k - 1) * 8]));
    const free = (b: { x: number; y: number; w: number; h: number }) =>
      b.x >= 0 && b.y >= 0 && b.x + b.w <= this.width && b.y + b.h <= this.height &&
      ![...this.labelBoxes, ...this.markers].some((o) => b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h);
    let chosen = candidates[0]!;
    let far = false;
    for (let k = 0; k < candidates.length; k++) {
      const c = candidates[k]!;
      if (free({ x: px + c[0], y: py + c[1] - h, w, h })) {
        chosen = c;
        far = k >= ring.length;
        break;
      }
    }
    this.labelBoxes.push({ x: px + chosen[0], y: py + chosen[1] - h, w, h });
    if (far) {
      const tx = chosen[0] >= 0 ? px + chosen[0] : px + chosen[0] + w;
      this.parts.push(`<line x1="${fmt(px)}" y1="${fmt(py)}" x2="${fmt(tx)}" y2="${fmt(py + chosen[1] - h / 2)}" stroke="#666" stroke-width="0.6"/>`);
    }
    this.parts.push(`<text x="${fmt(px + chosen[0])}" y="${fmt(py + chosen[1])}" font-family="Helvetica, Arial, sans-serif" font-size="${size}" fill="${color}" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(text)}</text>`);
  }
  private readonly labelBoxes: { x: number; y: number; w: number; h: number }[] = [];
  /** Boxes of the region markers (squares and large circles) that labels keep clear of. */
  private readonly markers: { x: number; y: number; w: number; h: number }[] = [];
  /** A legend box: rows of [colour, text, shape]. */
  legend(rows: readonly [string, string, 'circle' | 'square' | 'line'][], x = 10, y?: number): void {
    const h = rows.length * 16 + 10;
    const y0 = y ?? this.height - h - 10;
    const w = 12 + Math.max(...rows.map((r) => r[1].length)) * 6.3 + 24;
    this.parts.push(`<rect x="${x}" y="${y0}" width="${fmt(w)}" height="${h}" fill="#fff" fill-opacity="0.85" stroke="#bbb"/>`);
    rows.forEach(([color, text, shape], k) => {
      const cy = y0 + 13 + k * 16;
      if (shape === 'circle') this.parts.push(`<circle cx="${x + 12}" cy="${cy - 4}" r="4" fill="${color}"/>`);
      else if (shape === 'square') this.parts.push(`<rect x="${x + 7}" y="${cy - 9}" width="10" height="10" fill="${color}" stroke="#222"/>`);
      else this.parts.push(`<line x1="${x + 4}" y1="${cy - 4}" x2="${x + 20}" y2="${cy - 4}" stroke="${color}" stroke-width="3"/>`);
      this.parts.push(`<text x="${x + 26}" y="${cy}" font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#222">${esc(text)}</text>`);
    });
  }
  toString(): string {
    const title = this.title ? `<text x="${this.width / 2}" y="20" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="15" font-weight="bold" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(this.title)}</text>` : '';
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}">${this.parts.join('')}${title}</svg>\n`;
  }
}

export interface ScatterSeries {
  name: string;
  points: readonly { x: number; y: number; label?: string }[];
  color: string;
  /** Join the points with a line (sorted by x). */
  line?: boolean;
  radius?: number;
}

/** A scatter / line plot with axes, ticks and a legend. */
export function scatterPlot(series: readonly ScatterSeries[], opts: { title: string; xLabel: string; yLabel: string; width?: number; height?: number; logY?: boolean }): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 400;
  const m = { l: 70, r: 20, t: 36, b: 50 };
  const all = series.flatMap((s) => s.points);
  const ty = (v: number): number => (opts.logY ? Math.log10(Math.max(v, 1e-300)) : v);
  let x0 = Math.min(...all.map((p) => p.x));
  let x1 = Math.max(...all.map((p) => p.x));
  let y0 = Math.min(...all.map((p) => ty(p.y)));
  let y1 = Math.max(...all.map((p) => ty(p.y)));
  // A degenerate range (one point, or values equal up to rounding) gets a visible span.
  const widen = (lo: number, hi: number): [number, number] => {
    const span = Math.max(Math.abs(lo), Math.abs(hi), 1) * 0.05;
    return hi - lo < span * 1e-6 ? [lo - span, hi + span] : [lo, hi];
  };
  [x0, x1] = widen(x0, x1);
  [y0, y1] = widen(y0, y1);
  const padX = (x1 - x0) * 0.06;
  const padY = (y1 - y0) * 0.08;
  x0 -= padX; x1 += padX; y0 -= padY; y1 += padY;
  const X = (v: number): number => m.l + ((v - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (v: number): number => H - m.b - ((ty(v) - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="#fff"/>`];
  const font = 'font-family="Helvetica, Arial, sans-serif"';
  for (const t of ticks(x0, x1, 6)) {
    parts.push(`<line x1="${fmt(X(t))}" y1="${m.t}" x2="${fmt(X(t))}" y2="${H - m.b}" stroke="#eee"/>`);
    parts.push(`<text x="${fmt(X(t))}" y="${H - m.b + 16}" text-anchor="middle" ${font} font-size="11" fill="#444">${tickLabel(t)}</text>`);
  }
  for (const t of ticks(y0, y1, 6)) {
    const yy = H - m.b - ((t - y0) / (y1 - y0)) * (H - m.t - m.b);
    parts.push(`<line x1="${m.l}" y1="${fmt(yy)}" x2="${W - m.r}" y2="${fmt(yy)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${fmt(yy + 4)}" text-anchor="end" ${font} font-size="11" fill="#444">${opts.logY ? `1e${t}` : tickLabel(t)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#888"/>`);
  for (const s of series) {
    const pts = s.line ? [...s.points].sort((a, b) => a.x - b.x) : s.points;
    if (s.line && pts.length > 1) parts.push(`<polyline points="${pts.map((p) => `${fmt(X(p.x))},${fmt(Y(p.y))}`).join(' ')}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
    for (const p of pts) {
      parts.push(`<circle cx="${fmt(X(p.x))}" cy="${fmt(Y(p.y))}" r="${s.radius ?? 4}" fill="${s.color}">${p.label ? `<title>${esc(p.label)}</title>` : ''}</circle>`);
    }
  }
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" ${font} font-size="14" font-weight="bold" fill="#222">${esc(opts.title)}</text>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle" ${font} font-size="12" fill="#222">${esc(opts.xLabel)}</text>`);
  parts.push(`<text x="16" y="${(m.t + H - m.b) / 2}" text-anchor="middle" ${font} font-size="12" fill="#222" transform="rotate(-90 16 ${(m.t + H - m.b) / 2})">${esc(opts.yLabel)}</text>`);
  if (series.length > 1) {
    series.forEach((s, k) => {
      const y = m.t + 14 + k * 16;
      parts.push(`<circle cx="${W - m.r - 150}" cy="${y - 4}" r="4" fill="${s.color}"/><text x="${W - m.r - 140}" y="${y}" ${font} font-size="11" fill="#222">${esc(s.name)}</text>`);
    });
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>\n`;
}

function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step && out.length < 50; t += step) out.push(Math.round(t / step) * step);
  return out;
}

function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  if (a >= 1) return `${+v.toFixed(2)}`;
  return `${+v.toPrecision(3)}`;
}
