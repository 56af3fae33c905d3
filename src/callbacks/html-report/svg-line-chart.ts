import { axisFraction, buildAxis, formatNumber, type ChartAxis } from './chart-axis.js';
import { escapeHtml } from './escape-html.js';

/** One logged value of a series. */
export interface ChartPoint {
  /** Optimizer step at which the value was logged (x). */
  readonly step: number;
  /** The value (y); NaN, ±Infinity (and values ≤ 0 on a log axis) are skipped and marked. */
  readonly value: number;
}

/** A named line of a chart. */
export interface ChartSeries {
  /** Shown in the legend and in point tooltips; any string (it is escaped). */
  readonly name: string;
  /** The values, in step order. */
  readonly points: readonly ChartPoint[];
}

/** What {@link renderLineChart} draws. */
export interface LineChartOptions {
  /** Label of the y axis. */
  readonly yLabel: string;
  /** The lines, drawn in this order with a fixed colour palette. */
  readonly series: readonly ChartSeries[];
  /** Place y values by their base-10 logarithm (default false). */
  readonly logScale?: boolean;
  /** First and last step the x axis must cover besides the points' (so the charts of one run line up). */
  readonly stepRange?: readonly [number, number];
  /** Width of the SVG in pixels (default 640). */
  readonly width?: number;
  /** Height of the plot area plus axes in pixels, without the legend (default 260). */
  readonly height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const MARGIN = { left: 72, right: 20, top: 12, bottom: 44 };
const LEGEND_ROW = 18;
/** Above this many points a series is drawn as a bare line; below it each point gets a dot with a tooltip. */
const MAX_DOTS = 150;

/**
 * Renders series of logged values as an inline SVG line chart (no script, no external resource):
 * a legend, x (step) and y axes with ticks, grid lines and labels, one polyline per unbroken run
 * of plottable values (long runs reduced to the first, lowest, highest and last vertex of each
 * pixel column, which draws the same line), a dot with a tooltip per point for short series, and a red marker at the
 * top edge for every skipped NaN/Infinity value. A single point or a constant series is drawn
 * mid-axis. The `<svg>` carries its scales as data attributes (`data-x-domain`, `data-y-domain`,
 * `data-y-scale`, `data-plot` = left top width height) so tools can read the values back.
 *
 * @param options - series, axis label, log scale, size
 * @returns the `<svg>` element as well-formed XML
 * @example
 * ```ts
 * const svg = renderLineChart({ yLabel: 'loss', series: [{ name: 'loss', points: [{ step: 10, value: 2.3 }, { step: 20, value: 1.9 }] }] });
 * ```
 */
export function renderLineChart(options: LineChartOptions): string {
  const { series, logScale = false, width = 640, height = 260 } = options;
  const plottable = (value: number): boolean => Number.isFinite(value) && (!logScale || value > 0);
  const steps = [...series.flatMap((s) => s.points.map((p) => p.step)), ...(options.stepRange ?? [])].filter(Number.isFinite);
  const values = series.flatMap((s) => s.points.map((p) => p.value)).filter(plottable);
  const x = buildAxis(steps.length > 0 ? steps : [0], { integer: true });
  const y = buildAxis(values.length > 0 ? values : logScale ? [1] : [0], { log: logScale });
  const legendHeight = LEGEND_ROW * series.length;
  const plot = { left: MARGIN.left, top: MARGIN.top + legendHeight, width: width - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom };
  const px = (step: number): number => plot.left + axisFraction(x, step) * plot.width;
  // SVG y grows downwards: the axis minimum sits at the plot's bottom edge.
  const py = (value: number): number => plot.top + (1 - axisFraction(y, value)) * plot.height;
  const parts: string[] = [
    `<svg class="chart" width="${width}" height="${height + legendHeight}" viewBox="0 0 ${width} ${height + legendHeight}" role="img"`
      + ` data-x-domain="${x.min} ${x.max}" data-y-domain="${y.min} ${y.max}" data-y-scale="${logScale ? 'log' : 'linear'}"`
      + ` data-plot="${plot.left} ${plot.top} ${plot.width} ${plot.height}">`,
    `<title>${escapeHtml(options.yLabel)}</title>`,
    ...legend(series, values.length === 0, plottable, logScale),
    ...axes(x, y, plot, px, py, options.yLabel),
  ];
  series.forEach((s, index) => {
    const colour = PALETTE[index % PALETTE.length] as string;
    const name = escapeHtml(s.name);
    const finite = s.points.filter((p) => Number.isFinite(p.step) && plottable(p.value));
    for (const run of unbrokenRuns(s.points, plottable)) {
      if (run.length > 1) {
        const vertices = reduceToPixelColumns(run.map((p) => [px(p.step), py(p.value)] as const));
        parts.push(`<polyline class="series" data-series="${name}" fill="none" stroke="${colour}" stroke-width="2" points="${vertices.map(([vx, vy]) => `${fixed(vx)},${fixed(vy)}`).join(' ')}"/>`);
      }
      if (run.length === 1 || finite.length <= MAX_DOTS) {
        for (const p of run) parts.push(`<circle class="point" data-series="${name}" cx="${fixed(px(p.step))}" cy="${fixed(py(p.value))}" r="3" fill="${colour}"><title>${name} at step ${p.step}: ${formatNumber(p.value)}</title></circle>`);
      }
    }
    for (const p of s.points) {
      if (plottable(p.value) || !Number.isFinite(p.step)) continue;
      const cx = fixed(px(p.step));
      parts.push(`<path class="skipped" data-series="${name}" d="M${cx} ${plot.top} l-4 -8 h8 z" fill="#c00"><title>${name} at step ${p.step}: ${p.value} (not plotted)</title></path>`);
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function legend(series: readonly ChartSeries[], empty: boolean, plottable: (value: number) => boolean, log: boolean): string[] {
  const rows = series.map((s, index) => {
    const top = MARGIN.top + index * LEGEND_ROW;
    const skipped = s.points.filter((p) => !plottable(p.value)).length;
    const kind = log ? 'non-finite or non-positive' : 'non-finite';
    const note = skipped > 0 ? ` (${skipped} ${kind} value${skipped === 1 ? '' : 's'} not plotted)` : '';
    return `<rect x="${MARGIN.left}" y="${top}" width="14" height="4" fill="${PALETTE[index % PALETTE.length]}"/>`
      + `<text class="legend" x="${MARGIN.left + 20}" y="${top + 6}">${escapeHtml(s.name)}${escapeHtml(note)}</text>`;
  });
  if (empty) rows.push(`<text class="empty" x="${MARGIN.left + 200}" y="${MARGIN.top + 6}">no plottable values yet</text>`);
  return rows;
}

interface PlotArea { readonly left: number; readonly top: number; readonly width: number; readonly height: number }

function axes(x: ChartAxis, y: ChartAxis, plot: PlotArea, px: (v: number) => number, py: (v: number) => number, yLabel: string): string[] {
  const bottom = plot.top + plot.height;
  const right = plot.left + plot.width;
  const parts = [`<rect class="plot-area" x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#999"/>`];
  for (const tick of x.ticks) {
    const at = fixed(px(tick));
    parts.push(`<line class="grid" x1="${at}" y1="${plot.top}" x2="${at}" y2="${bottom + 5}" stroke="#e4e4e4"/>`
      + `<text class="tick x-tick" x="${at}" y="${bottom + 18}" text-anchor="middle">${formatNumber(tick)}</text>`);
  }
  for (const tick of y.ticks) {
    const at = fixed(py(tick));
    parts.push(`<line class="grid" x1="${plot.left - 5}" y1="${at}" x2="${right}" y2="${at}" stroke="#e4e4e4"/>`
      + `<text class="tick y-tick" x="${plot.left - 8}" y="${at}" text-anchor="end" dominant-baseline="middle">${formatNumber(tick)}</text>`);
  }
  const middle = plot.top + plot.height / 2;
  parts.push(`<text class="axis-label" x="${plot.left + plot.width / 2}" y="${bottom + 36}" text-anchor="middle">step</text>`,
    `<text class="axis-label" x="14" y="${middle}" text-anchor="middle" transform="rotate(-90 14 ${middle})">${escapeHtml(yLabel)}${y.log ? ' (log scale)' : ''}</text>`);
  return parts;
}

/** Splits points into runs of consecutive plottable values; a skipped value breaks the line. */
function unbrokenRuns(points: readonly ChartPoint[], plottable: (value: number) => boolean): ChartPoint[][] {
  const runs: ChartPoint[][] = [[]];
  for (const p of points) {
    if (Number.isFinite(p.step) && plottable(p.value)) (runs.at(-1) as ChartPoint[]).push(p);
    else if ((runs.at(-1) as ChartPoint[]).length > 0) runs.push([]);
  }
  return runs.filter((run) => run.length > 0);
}

/**
 * Keeps, of each one-pixel column of a long line, only its first, lowest, highest and last vertex
 * (the M4 reduction): the drawn line looks the same, spikes included, while a run of a hundred
 * thousand logged steps no longer writes a hundred thousand vertices at every rewrite.
 */
function reduceToPixelColumns(vertices: ReadonlyArray<readonly [number, number]>): ReadonlyArray<readonly [number, number]> {
  const columns = new Set(vertices.map(([x]) => Math.floor(x))).size;
  if (vertices.length <= 4 * columns) return vertices;
  const kept: Array<readonly [number, number]> = [];
  let start = 0;
  while (start < vertices.length) {
    const column = Math.floor((vertices[start] as readonly [number, number])[0]);
    let end = start;
    let low = start;
    let high = start;
    while (end + 1 < vertices.length && Math.floor((vertices[end + 1] as readonly [number, number])[0]) === column) {
      end++;
      if ((vertices[end] as readonly [number, number])[1] < (vertices[low] as readonly [number, number])[1]) low = end;
      if ((vertices[end] as readonly [number, number])[1] > (vertices[high] as readonly [number, number])[1]) high = end;
    }
    for (const index of [...new Set([start, low, high, end])].sort((a, b) => a - b)) kept.push(vertices[index] as readonly [number, number]);
    start = end + 1;
  }
  return kept;
}

function fixed(value: number): string {
  return value.toFixed(2);
}
