import { describe, expect, it } from 'vitest';
import { axisFraction, buildAxis, formatNumber } from '../../src/callbacks/html-report/chart-axis.js';
import { escapeHtml } from '../../src/callbacks/html-report/escape-html.js';
import { formatDuration } from '../../src/callbacks/html-report/report-page.js';
import { renderLineChart, type ChartSeries } from '../../src/callbacks/html-report/svg-line-chart.js';
import { chartScales, findAll, parseXml, polylinePoints, textOf } from './html-report-xml.js';

const series = (name: string, values: number[], firstStep = 10, stride = 10): ChartSeries =>
  ({ name, points: values.map((value, i) => ({ step: firstStep + i * stride, value })) });

describe('chart axes', () => {
  it('puts nice ticks around the values and maps values to fractions', () => {
    expect(buildAxis([0.12, 3.7])).toEqual({ min: 0, max: 4, log: false, ticks: [0, 1, 2, 3, 4] });
    expect(buildAxis([0.1, 0.3])).toEqual({ min: 0.1, max: 0.3, log: false, ticks: [0.1, 0.15, 0.2, 0.25, 0.3] });
    expect(buildAxis([12], { integer: true }).ticks).toEqual([11, 12, 13]);
    expect(buildAxis([1, 2], { integer: true }).ticks).toEqual([1, 2]);
    expect(buildAxis([5, 5])).toMatchObject({ min: 4.5, max: 5.5 });
    expect(buildAxis([0, 0])).toMatchObject({ min: -1, max: 1 });
    const log = buildAxis([0.02, 30], { log: true });
    expect(log).toMatchObject({ min: 0.01, max: 100, ticks: [0.01, 0.1, 1, 10, 100] });
    expect(axisFraction(log, 1)).toBeCloseTo(0.5, 12);
    expect(buildAxis([2, 3], { log: true }).ticks).toEqual([1, 2, 5, 10]);
    const longRun = Array.from({ length: 300_000 }, (_, i) => i);
    expect(buildAxis(longRun, { integer: true })).toMatchObject({ min: 0, max: 300_000 }); // no stack overflow on long histories
  });

  it('formats numbers compactly', () => {
    expect([0.003, 3e-5, 12345.6, 2.5, 0, -1.23456].map(formatNumber)).toEqual(['0.003', '3e-5', '1.235e+4', '2.5', '0', '-1.235']);
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(7380)).toBe('2 h 03 min');
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('renderLineChart', () => {
  it('places every point where its value and step say, y inverted, ticks at their own values', () => {
    const svg = parseXml(renderLineChart({ yLabel: 'loss', series: [series('loss', [3, 2.5, 1.25, 1]), series('eval_loss', [2.75, 1.5], 20, 20)] }));
    const scales = chartScales(svg);
    const [lossLine, evalLine] = findAll(svg, 'polyline');
    expect(lossLine!.attributes['data-series']).toBe('loss');
    const decoded = polylinePoints(lossLine!).map(([x, y]) => [scales.step(x), scales.value(y)]);
    [[10, 3], [20, 2.5], [30, 1.25], [40, 1]].forEach(([step, value], i) => {
      expect(decoded[i]![0]).toBeCloseTo(step!, 1);
      expect(decoded[i]![1]).toBeCloseTo(value!, 1);
    });
    const ys = polylinePoints(lossLine!).map(([, y]) => y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b)); // a falling loss goes down the page: y grows
    expect(polylinePoints(evalLine!).map(([x, y]) => [Math.round(scales.step(x)), scales.value(y)])[1]).toEqual([40, expect.closeTo(1.5, 1)]);
    for (const tick of findAll(svg, 'text').filter((t) => t.attributes.class === 'tick y-tick')) {
      expect(scales.value(Number(tick.attributes.y))).toBeCloseTo(Number(textOf(tick)), 6);
    }
    expect(findAll(svg, 'circle')).toHaveLength(6);
    expect(textOf(svg)).toContain('step');
  });

  it('draws a single point and a constant series in the middle of the plot', () => {
    const svg = parseXml(renderLineChart({ yLabel: 'lr', series: [series('learning_rate', [0.001])] }));
    const [left, top, width, height] = chartScales(svg).plot as [number, number, number, number];
    const [dot] = findAll(svg, 'circle');
    expect(Number(dot!.attributes.cx)).toBeCloseTo(left + width / 2, 1);
    expect(Number(dot!.attributes.cy)).toBeCloseTo(top + height / 2, 1);
    expect(findAll(svg, 'polyline')).toHaveLength(0);
    const flat = parseXml(renderLineChart({ yLabel: 'lr', series: [series('lr', [0.5, 0.5, 0.5])] }));
    expect(polylinePoints(findAll(flat, 'polyline')[0]!).map(([, y]) => y)).toEqual([top + height / 2, top + height / 2, top + height / 2]);
  });

  it('skips NaN and Infinity with a marker, breaking the line there', () => {
    const svg = parseXml(renderLineChart({ yLabel: 'grad_norm', series: [series('grad_norm', [1, 2, Number.NaN, 3, 4, Number.POSITIVE_INFINITY, 5])] }));
    const lines = findAll(svg, 'polyline').map(polylinePoints);
    expect(lines.map((l) => l.length)).toEqual([2, 2]); // [1, 2] and [3, 4]; 5 stands alone as a dot
    const markers = findAll(svg, 'path').filter((p) => p.attributes.class === 'skipped');
    expect(markers.map((m) => textOf(m))).toEqual(['grad_norm at step 30: NaN (not plotted)', 'grad_norm at step 60: Infinity (not plotted)']);
    expect(textOf(svg)).toContain('grad_norm (2 non-finite values not plotted)');
    const scales = chartScales(svg);
    expect(scales.value(0) > 5 && scales.value(1000) < 1).toBe(true); // the domain ignores the skipped values
    const none = parseXml(renderLineChart({ yLabel: 'x', series: [series('x', [Number.NaN])] }));
    expect(textOf(none)).toContain('no plottable values yet');
  });

  it('uses a log scale on request, skipping non-positive values', () => {
    const svg = parseXml(renderLineChart({ yLabel: 'loss', logScale: true, series: [series('loss', [10, 1, 0.1, 0])] }));
    expect(svg.attributes['data-y-scale']).toBe('log');
    const [line] = findAll(svg, 'polyline');
    const ys = polylinePoints(line!).map(([, y]) => y);
    expect(ys).toHaveLength(3);
    expect(ys[1]! - ys[0]!).toBeCloseTo(ys[2]! - ys[1]!, 1); // decades equally spaced
    const scales = chartScales(svg);
    expect(ys.map((y) => scales.value(y))).toEqual([expect.closeTo(10, 1), expect.closeTo(1, 2), expect.closeTo(0.1, 3)]);
    expect(findAll(svg, 'path').filter((p) => p.attributes.class === 'skipped')).toHaveLength(1);
    expect(textOf(svg)).toContain('loss (log scale)');
  });

  it('reduces a long run to a few vertices per pixel column without losing its extremes', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => (i === 12_345 ? 9 : i === 777 ? -9 : Math.sin(i / 50)));
    const svg = parseXml(renderLineChart({ yLabel: 'loss', series: [series('loss', values, 1, 1)] }));
    const scales = chartScales(svg);
    const [left, , width] = scales.plot as [number, number, number, number];
    const vertices = polylinePoints(findAll(svg, 'polyline')[0]!);
    expect(vertices.length).toBeLessThanOrEqual(4 * (width + 1));
    expect(vertices.length).toBeGreaterThan(width); // still every column
    expect(scales.value(Math.min(...vertices.map(([, y]) => y)))).toBeCloseTo(9, 1); // the one spike survives
    expect(scales.value(Math.max(...vertices.map(([, y]) => y)))).toBeCloseTo(-9, 1); // and the one dip
    expect(vertices[0]![0]).toBeCloseTo(left, 1);
    expect(vertices.at(-1)![0]).toBeCloseTo(left + width, 1);
    const xs = vertices.map(([x]) => x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b)); // still in step order
    expect(findAll(svg, 'circle')).toHaveLength(0); // no dot per point on long series
  });
});
