import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { writeFileAtomic } from '../../utils/atomic-write.js';
import type { SearchSpace } from './search-space.js';
import type { SearchObjective, SearchResult } from './search-trial.js';

/** Format of a results file. */
export type SearchResultsFormat = 'json' | 'csv';

/**
 * Renders a search's results: JSON (`{ objective, best, bestConfig, trials }`, pretty-printed) or
 * CSV (one row per trial: `index,status,value,step,durationMs,seed`, one column per configuration
 * key, then `error`; empty cells for missing values, RFC 4180 quoting).
 *
 * @param result - trials so far and the best one
 * @param objective - recorded in the JSON header
 * @param format - `json` or `csv`
 * @example
 * ```ts
 * declare const result: SearchResult<{ learningRate: LogUniformDimension }>;
 * formatSearchResults(result, { metric: 'eval_loss', mode: 'min' }, 'csv');
 * // "index,status,value,step,durationMs,seed,learningRate,error\n0,completed,2.31,40,812,17,0.001,\n..."
 * ```
 */
export function formatSearchResults<S extends SearchSpace>(result: SearchResult<S>, objective: SearchObjective, format: SearchResultsFormat): string {
  if (format === 'json') return `${JSON.stringify({ objective, best: result.best, bestConfig: result.bestConfig, trials: result.trials }, null, 2)}\n`;
  const keys = [...new Set(result.trials.flatMap((t) => Object.keys(t.config)))];
  const lines = [['index', 'status', 'value', 'step', 'durationMs', 'seed', ...keys, 'error'].map(csvCell).join(',')];
  for (const t of result.trials) {
    const config = t.config as Readonly<Record<string, unknown>>;
    lines.push([t.index, t.status, t.value, t.step, Math.round(t.durationMs), t.seed, ...keys.map((k) => config[k]), t.error].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes {@link formatSearchResults} to `path` atomically (creating its folder), so a reader or a
 * crash never leaves a half-written table.
 *
 * @param path - the file; with `format` omitted, a `.csv` extension selects CSV and anything else JSON
 * @example
 * ```ts
 * declare const result: SearchResult<{ learningRate: LogUniformDimension }>;
 * await writeSearchResults('runs/search/results.csv', result, { metric: 'eval_loss', mode: 'min' });
 * ```
 */
export async function writeSearchResults<S extends SearchSpace>(
  path: string, result: SearchResult<S>, objective: SearchObjective, format?: SearchResultsFormat,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, formatSearchResults(result, objective, format ?? (extname(path).toLowerCase() === '.csv' ? 'csv' : 'json')));
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
