/** A numeric axis: the plotted domain, where each tick goes and how the values map to it. */
export interface ChartAxis {
  /** Lowest value of the domain (at the bottom or left edge). */
  readonly min: number;
  /** Highest value of the domain (at the top or right edge). */
  readonly max: number;
  /** Whether values are placed by their base-10 logarithm. */
  readonly log: boolean;
  /** Values at which a tick and a grid line are drawn, ascending, inside the domain. */
  readonly ticks: readonly number[];
}

/** How {@link buildAxis} lays out an axis. */
export interface AxisOptions {
  /** Place values by their base-10 logarithm (values must then be positive). */
  readonly log?: boolean;
  /** Ticks only at whole numbers (for steps). */
  readonly integer?: boolean;
  /** Roughly how many ticks to produce (default 5). */
  readonly targetTicks?: number;
}

/**
 * Builds an axis covering `values` with "nice" ticks (1, 2 or 5 times a power of ten; powers of
 * ten on a log axis). A single value or a constant series gets a domain padded around it, so it is
 * drawn mid-axis rather than on an edge. Values must be finite (and positive for a log axis).
 *
 * @param values - the finite values to cover; at least one
 * @param options - log scale, whole-number ticks, tick count
 * @example
 * ```ts
 * buildAxis([0.12, 3.7]); // { min: 0, max: 4, log: false, ticks: [0, 1, 2, 3, 4] }
 * buildAxis([12], { integer: true }); // { min: 11, max: 13, log: false, ticks: [11, 12, 13] }
 * ```
 */
export function buildAxis(values: readonly number[], options: AxisOptions = {}): ChartAxis {
  const { log = false, integer = false, targetTicks = 5 } = options;
  // A loop rather than Math.min(...values): spreading a long run's history would overflow the stack.
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low === high) return constantAxis(low, log, integer);
  if (log) return logAxis(Math.log10(low), Math.log10(high));
  const step = integer ? Math.max(1, niceStep((high - low) / targetTicks)) : niceStep((high - low) / targetTicks);
  const ticks = ticksBetween(Math.floor(low / step) * step, Math.ceil(high / step) * step, step);
  return { min: ticks[0] as number, max: ticks.at(-1) as number, log: false, ticks };
}

/**
 * Position of `value` on `axis` as a fraction: 0 at `min`, 1 at `max`.
 *
 * @example
 * ```ts
 * axisFraction(buildAxis([0, 10]), 5); // 0.5
 * ```
 */
export function axisFraction(axis: ChartAxis, value: number): number {
  const at = (v: number): number => (axis.log ? Math.log10(v) : v);
  return (at(value) - at(axis.min)) / (at(axis.max) - at(axis.min));
}

/**
 * Writes a tick or point value compactly: up to 4 significant digits, exponent notation for very
 * large or very small magnitudes.
 *
 * @example
 * ```ts
 * formatNumber(0.003); // '0.003'
 * formatNumber(0.00003); // '3e-5'
 * formatNumber(12345.6); // '1.235e+4'
 * ```
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e4 || magnitude < 1e-3)) return value.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(4)));
}

/** A domain centred on the one value a constant series has, with a tick on each side. */
function constantAxis(value: number, log: boolean, integer: boolean): ChartAxis {
  if (log) return { min: value / 10, max: value * 10, log, ticks: [value / 10, value, value * 10].map(round12) };
  const pad = integer ? 1 : niceStep(Math.abs(value) * 0.1 || 1);
  const ticks = [value - pad, value, value + pad].map(round12);
  return { min: ticks[0] as number, max: ticks[2] as number, log, ticks };
}

/** Rounds to 12 significant digits, so 0.1 + 0.2 style drift does not show in labels. */
function round12(value: number): number {
  return Number(value.toPrecision(12));
}

function logAxis(lowExponent: number, highExponent: number): ChartAxis {
  const min = 10 ** Math.floor(lowExponent);
  const max = 10 ** Math.ceil(highExponent);
  const decades = Math.round(Math.log10(max / min));
  const mantissas = decades >= 2 ? [1] : [1, 2, 5];
  const ticks: number[] = [];
  for (let e = Math.round(Math.log10(min)); e <= Math.round(Math.log10(max)); e++) {
    for (const m of mantissas) {
      const tick = round12(m * 10 ** e);
      if (tick >= min && tick <= max) ticks.push(tick);
    }
  }
  return { min, max, log: true, ticks };
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function ticksBetween(min: number, max: number, step: number): number[] {
  const count = Math.round((max - min) / step);
  return Array.from({ length: count + 1 }, (_, i) => round12(min + i * step));
}
