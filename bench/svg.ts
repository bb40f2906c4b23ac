/**
 * A small line-chart writer: enough SVG for the benchmark page (log or linear axes, a legend,
 * hollow markers for unclean steps), with no chart library.
 */

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  /** [x, y, clean]; unclean points are drawn hollow. */
  points: [number, number, boolean][];
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
  series: Series[];
  /** A horizontal reference line, e.g. a target. */
  hLine?: { y: number; label: string };
}

const W = 860;
const H = 400;
const M = { left: 80, right: 290, top: 40, bottom: 56 };

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

export function lineChart(spec: ChartSpec): string {
  const pts = spec.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  if (spec.hLine) ys.push(spec.hLine.y);
  const xScale = axis(xs.length ? Math.min(...xs) : 1, xs.length ? Math.max(...xs) : 10, spec.logX ?? false, M.left, W - M.right);
  const yScale = axis(spec.logY ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, spec.logY ?? false, H - M.bottom, M.top);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2 - M.right / 2 + M.left / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(spec.title)}</text>`);
  for (const t of xScale.ticks) {
    const x = xScale.map(t);
    out.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${H - M.bottom + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of yScale.ticks) {
    const y = yScale.map(t);
    out.push(`<line x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 14}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  if (spec.hLine) {
    const y = yScale.map(spec.hLine.y);
    out.push(`<line x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#444" stroke-dasharray="2 4"/>`);
    out.push(`<text x="${W - M.right - 4}" y="${y - 4}" text-anchor="end" fill="#444">${esc(spec.hLine.label)}</text>`);
  }
  spec.series.forEach((s, i) => {
    const valid = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).sort((a, b) => a[0] - b[0]);
    if (valid.length > 0) {
      const d = valid.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${xScale.map(x).toFixed(1)},${yScale.map(y).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
      for (const [x, y, clean] of valid) {
        out.push(`<circle cx="${xScale.map(x).toFixed(1)}" cy="${yScale.map(y).toFixed(1)}" r="4" stroke="${s.color}" stroke-width="2" fill="${clean ? s.color : '#fff'}"/>`);
      }
    }
    const ly = M.top + 10 + i * 20;
    out.push(`<line x1="${W - M.right + 12}" y1="${ly}" x2="${W - M.right + 36}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${W - M.right + 42}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  const noteY = M.top + 10 + spec.series.length * 20 + 10;
  out.push(`<circle cx="${W - M.right + 24}" cy="${noteY}" r="4" stroke="#666" stroke-width="2" fill="#fff"/>`);
  out.push(`<text x="${W - M.right + 42}" y="${noteY + 4}">unclean step</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

interface Axis {
  map(v: number): number;
  ticks: number[];
}

function axis(min: number, max: number, log: boolean, from: number, to: number): Axis {
  if (log) {
    // A little room either side of the data; ticks at 1-2-5 (1-2-3-5 on a short range) within it.
    const lo = Math.log10(Math.max(min, 1e-9) / 1.2);
    const hi = Math.max(Math.log10(Math.max(max, 1e-9) * 1.2), lo + 0.5);
    const ticks: number[] = [];
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      for (const m of hi - lo < 1.5 ? [1, 2, 3, 5] : [1, 2, 5]) {
        const t = m * 10 ** e;
        if (Math.log10(t) >= lo && Math.log10(t) <= hi) ticks.push(t);
      }
    }
    return { map: (v) => from + ((Math.log10(Math.max(v, 1e-9)) - lo) / (hi - lo)) * (to - from), ticks };
  }
  const span = max - min || Math.abs(max) || 1;
  const step = niceStep(span / 5);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step || step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return { map: (v) => from + ((v - lo) / (hi - lo || 1)) * (to - from), ticks };
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function fmt(v: number): string {
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(2)}`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
