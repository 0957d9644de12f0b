/**
 * Draws a LineChartSpec as an SVG string: grid, ticks, axis titles, one `<path data-series>` per
 * series (broken at nulls), dashed reference lines, and for categorical x one marker per point
 * with the highlighted category ringed.
 */
import type { LineChartSpec } from './chart-spec.js';
import { seriesColor } from './chart-spec.js';
import { escapeHtml } from './escape.js';
import { formatValue, tickFormatter } from './format.js';
import { extent, niceScale } from './scale.js';
import { CHART_WIDTH, CHAR_WIDTH_PX, px, truncate, xAxisTitle, yAxisTitle } from './svg-common.js';

const HEIGHT = 280;
const MARGIN = { left: 70, right: 16, top: 18, bottom: 50 };

export function renderLineChart(spec: LineChartSpec): string {
  const plotLeft = MARGIN.left;
  const plotRight = CHART_WIDTH - MARGIN.right;
  const plotTop = MARGIN.top;
  const plotBottom = HEIGHT - MARGIN.bottom;
  const categories = spec.x.categories;

  // y always starts at 0 (counts, bytes, rates) unless a value is negative; limits and gate
  // bounds are part of the domain so their lines are always visible.
  const yExtent = extent([0, ...spec.references.map((r) => r.value), ...spec.series.flatMap((s) => s.values)]) ?? [0, 1];
  const y = niceScale(yExtent[0], yExtent[1], [plotBottom, plotTop]);
  const yFmt = tickFormatter(spec.y.unit, Math.max(Math.abs(y.domain[0]), Math.abs(y.domain[1])), y.step);

  let xMap: (v: number) => number;
  let xTicks: { at: number; label: string; full: string }[];
  if (categories) {
    // Categories sit at the centres of equal slots, so the first and last are not on the frame.
    const slot = (plotRight - plotLeft) / Math.max(1, categories.length);
    xMap = (i) => plotLeft + slot * (i + 0.5);
    const maxChars = Math.max(4, Math.floor(slot / CHAR_WIDTH_PX) - 1);
    xTicks = categories.map((c, i) => {
      const label = i === spec.highlightIndex ? `★ ${c}` : c;
      return { at: i, label: truncate(label, maxChars), full: label };
    });
  } else {
    const xExtent = extent(spec.x.values) ?? [0, 1];
    const x = niceScale(xExtent[0], xExtent[1], [plotLeft, plotRight], 8);
    const xFmt = tickFormatter(spec.x.unit, Math.max(Math.abs(x.domain[0]), Math.abs(x.domain[1])), x.step);
    xMap = x.map;
    xTicks = x.ticks.map((t) => ({ at: t, label: xFmt(t), full: xFmt(t) }));
  }

  const parts: string[] = [];
  parts.push(`<g class="grid">`);
  for (const t of y.ticks) {
    const yy = px(y.map(t));
    parts.push(`<line x1="${px(plotLeft)}" x2="${px(plotRight)}" y1="${yy}" y2="${yy}"/>`);
  }
  parts.push(`</g>`);
  parts.push(`<g class="ticks y-ticks">`);
  for (const t of y.ticks) parts.push(`<text x="${px(plotLeft - 6)}" y="${px(y.map(t) + 4)}" text-anchor="end">${escapeHtml(yFmt(t))}</text>`);
  parts.push(`</g><g class="ticks x-ticks">`);
  for (const t of xTicks) {
    const xx = xMap(t.at);
    const title = t.full === t.label ? '' : `<title>${escapeHtml(t.full)}</title>`;
    parts.push(`<line class="tick" x1="${px(xx)}" x2="${px(xx)}" y1="${px(plotBottom)}" y2="${px(plotBottom + 4)}"/>`);
    parts.push(`<text x="${px(xx)}" y="${px(plotBottom + 17)}" text-anchor="middle">${escapeHtml(t.label)}${title}</text>`);
  }
  parts.push(`</g>`);
  parts.push(`<path class="frame" d="M${px(plotLeft)} ${px(plotTop)}V${px(plotBottom)}H${px(plotRight)}"/>`);

  for (const ref of spec.references) {
    const yy = px(y.map(ref.value));
    const cls = ref.kind === 'gate' ? 'ref gate' : `ref limit c${ref.color ?? 0}`;
    parts.push(
      `<g class="${cls}" data-ref="${escapeHtml(ref.name)}"><line x1="${px(plotLeft)}" x2="${px(plotRight)}" y1="${yy}" y2="${yy}"/>` +
        `<text x="${px(plotRight - 4)}" y="${px(y.map(ref.value) - 4)}" text-anchor="end">${escapeHtml(ref.name)}</text>` +
        `<title>${escapeHtml(`${ref.name}: ${formatValue(ref.value, spec.y.unit)}`)}</title></g>`,
    );
  }

  spec.series.forEach((s, si) => {
    const color = seriesColor(s, si);
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      const xv = spec.x.values[i];
      if (v == null || xv === undefined || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${px(xMap(xv))} ${px(y.map(v))}`;
      pen = true;
    });
    parts.push(`<path class="series line c${color}" data-series="${escapeHtml(s.name)}" d="${d}"><title>${escapeHtml(s.name)}</title></path>`);
    if (categories) {
      s.values.forEach((v, i) => {
        if (v == null) return;
        const cx = px(xMap(i));
        const cy = px(y.map(v));
        const best = i === spec.highlightIndex ? ' best' : '';
        parts.push(
          `<circle class="marker c${color}${best}" cx="${cx}" cy="${cy}" r="${best ? 6 : 4}"><title>${escapeHtml(`${s.name} at ${categories[i] ?? ''}: ${formatValue(v, spec.y.unit)}`)}</title></circle>`,
        );
      });
    }
  });

  parts.push(xAxisTitle(spec.x.label, plotLeft, plotRight, HEIGHT - 10));
  parts.push(yAxisTitle(spec.y.label, plotTop, plotBottom, 14));
  return `<svg class="chart-svg" viewBox="0 0 ${CHART_WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}">${parts.join('')}</svg>`;
}
