import type { BestMetric, LogEntry } from '../callback.js';
import { formatNumber } from './chart-axis.js';
import { escapeHtml } from './escape-html.js';
import { renderLineChart, type ChartSeries } from './svg-line-chart.js';

/** Where a run stands, shown at the top of a report. */
export interface ReportSummary {
  /** Optimizer updates done. */
  readonly step: number;
  /** Update count at which training ends (Infinity when bounded by epochs only). */
  readonly maxSteps: number;
  /** Best value of the monitored metric, when there is one. */
  readonly best?: BestMetric;
  /** Why training stopped, once decided. */
  readonly stopReason?: string;
  /** Seconds since training began. */
  readonly wallTimeSeconds: number;
  /** Whether training has ended (otherwise the report says it is still running). */
  readonly finished: boolean;
  /** When the report was written. */
  readonly updatedAt: Date;
}

/** What {@link renderReportPage} puts in the page. */
export interface ReportPageOptions {
  /** Page title and heading. */
  readonly title: string;
  /** Every log entry (training and evaluation), oldest first. */
  readonly history: readonly LogEntry[];
  /** The run's state. */
  readonly summary: ReportSummary;
  /** Settings to list in a table (values that are not strings are shown as JSON). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Draw the loss chart (training and evaluation loss) on a log scale. */
  readonly logScaleLoss?: boolean;
  /** While the run is not finished, ask the browser to reload the page every this many seconds. */
  readonly autoRefreshSeconds?: number;
  /** The latest text samples and the step they were taken at. */
  readonly samples?: { readonly step: number; readonly texts: readonly string[] };
}

/** Metrics drawn together on the first chart. */
const LOSS_METRICS = ['loss', 'eval_loss'];

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:16px;margin:0 0 4px}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ddd;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.charts{display:flex;flex-wrap:wrap;gap:20px}.chart-box{border:1px solid #e4e4e4;padding:10px}
svg text{font-size:11px;fill:#333}svg .legend{font-size:12px}svg .axis-label{font-size:12px;fill:#555}
pre{margin:0;white-space:pre-wrap}.running{color:#b60}.finished{color:#070}`;

/**
 * Renders a training report as one self-contained HTML document (inline CSS and SVG; no script,
 * font or URL): a summary table, a line chart of every metric over steps (training and evaluation
 * loss together, every other metric on its own chart, in order of first appearance), the latest
 * text samples and the config. Every string taken from the run is escaped. The markup is well-formed XML apart from the
 * doctype, so it can be checked with an XML parser.
 *
 * @param options - title, log history, summary, config
 * @returns the HTML document
 * @example
 * ```ts
 * declare const trainer: Trainer<CausalLMBatch>;
 * const html = renderReportPage({
 *   title: 'gpt-small', history: trainer.state.logHistory,
 *   summary: { step: 100, maxSteps: 100, wallTimeSeconds: 42, finished: true, updatedAt: new Date() },
 * });
 * ```
 */
export function renderReportPage(options: ReportPageOptions): string {
  const title = escapeHtml(options.title);
  const { history } = options;
  // Every chart spans the whole run, so evaluation-only charts line up with the training ones.
  const stepRange = history.length > 0 ? [history[0]!.step, history.at(-1)!.step] as const : undefined;
  const charts = chartGroups(history).map(({ label, series }) => `<div class="chart-box"><h2>${escapeHtml(label)}</h2>\n`
    + `${renderLineChart({ yLabel: label, series, stepRange, logScale: options.logScaleLoss === true && label === 'loss' })}\n</div>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
${options.autoRefreshSeconds !== undefined && !options.summary.finished ? `<meta http-equiv="refresh" content="${options.autoRefreshSeconds}"/>\n` : ''}<title>${title}</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>${title}</h1>
${summaryTable(options.summary)}
<div class="charts">
${charts.length > 0 ? charts.join('\n') : '<p>No metrics logged yet.</p>'}
</div>
${options.samples === undefined ? '' : samplesSection(options.samples)}${options.config === undefined ? '' : `<h2>Config</h2>\n${configTable(options.config)}`}
</body>
</html>
`;
}

/** The samples as escaped, preformatted blocks under a heading naming their step. */
function samplesSection(samples: { readonly step: number; readonly texts: readonly string[] }): string {
  const blocks = samples.texts.map((text) => `<div class="chart-box"><pre>${escapeHtml(text)}</pre></div>`).join('\n');
  return `<h2>Samples at step ${samples.step}</h2>\n<div class="charts">\n${blocks}\n</div>\n`;
}

/**
 * Formats a duration for people: `12.3 s`, `4 min 05 s`, `2 h 03 min`.
 *
 * @example
 * ```ts
 * formatDuration(245); // '4 min 05 s'
 * ```
 */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

function chartGroups(history: readonly LogEntry[]): Array<{ label: string; series: ChartSeries[] }> {
  const names = [...new Set(history.flatMap((entry) => Object.keys(entry.metrics)))];
  const seriesOf = (name: string): ChartSeries => ({
    name,
    points: history.filter((entry) => name in entry.metrics).map((entry) => ({ step: entry.step, value: entry.metrics[name] as number })),
  });
  const loss = names.filter((name) => LOSS_METRICS.includes(name));
  const groups = loss.length > 0 ? [{ label: 'loss', series: loss.map(seriesOf) }] : [];
  for (const name of names) if (!LOSS_METRICS.includes(name)) groups.push({ label: name, series: [seriesOf(name)] });
  return groups;
}

function summaryTable(summary: ReportSummary): string {
  const rows: Array<[string, string]> = [
    ['status', summary.finished ? '<span class="finished">finished</span>' : '<span class="running">running</span>'],
    ['steps', Number.isFinite(summary.maxSteps) ? `${summary.step} / ${summary.maxSteps}` : String(summary.step)],
    ['best', summary.best
      ? `${escapeHtml(summary.best.name)} = ${formatNumber(summary.best.value)} at step ${summary.best.step}`
      : '—'],
    ['stop reason', summary.stopReason === undefined ? '—' : escapeHtml(summary.stopReason)],
    ['wall time', formatDuration(summary.wallTimeSeconds)],
    ['updated', escapeHtml(summary.updatedAt.toISOString())],
  ];
  return `<table class="summary">\n${rows.map(([key, value]) => `<tr><th>${key}</th><td>${value}</td></tr>`).join('\n')}\n</table>`;
}

function configTable(config: Readonly<Record<string, unknown>>): string {
  const rows = Object.entries(config).map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td><pre>${escapeHtml(showValue(value))}</pre></td></tr>`);
  return `<table class="config">\n${rows.join('\n')}\n</table>`;
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) ?? String(value);
  } catch {
    return String(value); // a circular structure: show what String gives rather than fail the run
  }
}
