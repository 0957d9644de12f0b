/**
 * Draws a BarChartSpec as an SVG string: horizontal grouped bars (category labels at the left,
 * where long names such as drop reasons fit), value labels at the bar ends, optional error bars,
 * vertical dashed reference lines, and the highlighted category marked with ★ and a band.
 */
import type { BarChartSpec } from './chart-spec.js';
import { seriesColor } from './chart-spec.js';
import { escapeHtml } from './escape.js';
import { formatValue, tickFormatter } from './format.js';
import { extent, niceScale } from './scale.js';
import { CHART_WIDTH, CHAR_WIDTH_PX, px, truncate, xAxisTitle, yAxisTitle } from './svg-common.js';

const BAR_PX = 14;
const MAX_BAR_PX = 24;
const BAR_GAP_PX = 2;
const ROW_PADDING_PX = 10;
/** Charts with few rows still get this much plot height; their bars grow up to MAX_BAR_PX. */
const MIN_PLOT_PX = 150;
const MARGIN = { right: 30, top: 14, bottom: 46 };
/** Category labels get at most this many characters; the full text is in a tooltip. */
const MAX_LABEL_CHARS = 34;

export function renderBarChart(spec: BarChartSpec): string {
  const n = spec.categories.length;
  const k = Math.max(1, spec.series.length);
  const rowPx = Math.max(k * BAR_PX + (k - 1) * BAR_GAP_PX + ROW_PADDING_PX, MIN_PLOT_PX / Math.max(1, n));
  const barPx = Math.min(MAX_BAR_PX, (rowPx - ROW_PADDING_PX - (k - 1) * BAR_GAP_PX) / k);
  // Centre the group of bars in its row.
  const groupPx = k * barPx + (k - 1) * BAR_GAP_PX;
  const labels = spec.categories.map((c, i) => (i === spec.highlightIndex ? `★ ${c}` : c));
  const longest = Math.max(4, ...labels.map((l) => Math.min(MAX_LABEL_CHARS, l.length)));
  // Room for the rotated axis title (24 px) plus the longest category label.
  const plotLeft = Math.min(270, 24 + 10 + longest * CHAR_WIDTH_PX);
  const plotRight = CHART_WIDTH - MARGIN.right;
  const plotTop = MARGIN.top;
  const plotBottom = plotTop + Math.max(1, n) * rowPx;
  const height = plotBottom + MARGIN.bottom;

  const values = spec.series.flatMap((s) => [...s.values, ...(s.intervals ?? []).flatMap((iv) => iv ?? [])]);
  const [lo, hi] = extent([0, ...values, ...spec.references.map((r) => r.value)]) ?? [0, 1];
  // 12 % headroom on the right for the value labels at the bar ends; fractions stop at 100 %
  // (labels of bars that reach the edge move inside the bar).
  const headroom = hi + (hi - lo) * 0.12;
  const x = niceScale(lo, spec.value.unit === 'fraction' && hi <= 1 ? Math.min(1, headroom) : headroom, [plotLeft, plotRight]);
  const fmt = tickFormatter(spec.value.unit, Math.max(Math.abs(x.domain[0]), Math.abs(x.domain[1])), x.step);
  const x0 = x.map(Math.max(x.domain[0], 0));

  const parts: string[] = [];
  if (spec.highlightIndex != null && spec.highlightIndex >= 0 && spec.highlightIndex < n) {
    const top = plotTop + spec.highlightIndex * rowPx;
    parts.push(`<rect class="best-band" x="0" y="${px(top)}" width="${CHART_WIDTH}" height="${px(rowPx)}"/>`);
  }
  parts.push(`<g class="grid">`);
  for (const t of x.ticks) parts.push(`<line x1="${px(x.map(t))}" x2="${px(x.map(t))}" y1="${px(plotTop)}" y2="${px(plotBottom)}"/>`);
  parts.push(`</g><g class="ticks x-ticks">`);
  for (const t of x.ticks) parts.push(`<text x="${px(x.map(t))}" y="${px(plotBottom + 16)}" text-anchor="middle">${escapeHtml(fmt(t))}</text>`);
  parts.push(`</g><g class="ticks y-ticks">`);
  labels.forEach((label, i) => {
    const cy = plotTop + i * rowPx + rowPx / 2;
    const shown = truncate(label, MAX_LABEL_CHARS);
    const title = shown === label ? '' : `<title>${escapeHtml(label)}</title>`;
    const best = i === spec.highlightIndex ? ' class="best"' : '';
    parts.push(`<text${best} x="${px(plotLeft - 8)}" y="${px(cy + 4)}" text-anchor="end">${escapeHtml(shown)}${title}</text>`);
  });
  parts.push(`</g>`);
  parts.push(`<path class="frame" d="M${px(plotLeft)} ${px(plotTop)}V${px(plotBottom)}H${px(plotRight)}"/>`);

  spec.series.forEach((s, si) => {
    const color = seriesColor(s, si);
    const bars: string[] = [];
    s.values.forEach((v, ci) => {
      const top = plotTop + ci * rowPx + (rowPx - groupPx) / 2 + si * (barPx + BAR_GAP_PX);
      const cy = top + barPx / 2;
      const category = spec.categories[ci] ?? '';
      if (v == null || !Number.isFinite(v)) {
        bars.push(`<text class="na" x="${px(x0 + 4)}" y="${px(cy + 4)}">n/a</text>`);
        return;
      }
      const xv = x.map(v);
      const text = formatValue(v, spec.value.unit);
      bars.push(
        `<rect x="${px(Math.min(x0, xv))}" y="${px(top)}" width="${px(Math.max(Math.abs(xv - x0), v === 0 ? 0 : 1))}" height="${px(barPx)}">` +
          `<title>${escapeHtml(`${category} · ${s.name}: ${text}`)}</title></rect>`,
      );
      const iv = s.intervals?.[ci];
      let labelX = Math.max(xv, x0);
      if (iv) {
        const a = px(x.map(iv[0]));
        const b = px(x.map(iv[1]));
        bars.push(`<path class="error-bar" d="M${a} ${px(cy)}H${b}M${a} ${px(cy - 4)}V${px(cy + 4)}M${b} ${px(cy - 4)}V${px(cy + 4)}"/>`);
        labelX = Math.max(labelX, x.map(iv[1]));
      }
      const fitsOutside = labelX + 4 + text.length * CHAR_WIDTH_PX <= plotRight;
      bars.push(
        fitsOutside || iv
          ? `<text class="value" x="${px(labelX + 4)}" y="${px(cy + 4)}">${escapeHtml(text)}</text>`
          : `<text class="value inside" x="${px(xv - 4)}" y="${px(cy + 4)}" text-anchor="end">${escapeHtml(text)}</text>`,
      );
    });
    parts.push(`<g class="series bars c${color}" data-series="${escapeHtml(s.name)}">${bars.join('')}</g>`);
  });

  for (const ref of spec.references) {
    const xx = px(x.map(ref.value));
    const cls = ref.kind === 'gate' ? 'ref gate' : `ref limit c${ref.color ?? 0}`;
    parts.push(
      `<g class="${cls}" data-ref="${escapeHtml(ref.name)}"><line x1="${xx}" x2="${xx}" y1="${px(plotTop - 6)}" y2="${px(plotBottom)}"/>` +
        // Label to the right of the line, or to its left when the line is in the right half.
        (x.map(ref.value) < (plotLeft + plotRight) / 2
          ? `<text x="${px(x.map(ref.value) + 3)}" y="${px(plotTop - 2)}">${escapeHtml(ref.name)}</text>`
          : `<text x="${px(x.map(ref.value) - 3)}" y="${px(plotTop - 2)}" text-anchor="end">${escapeHtml(ref.name)}</text>`) +
        `<title>${escapeHtml(`${ref.name}: ${formatValue(ref.value, spec.value.unit)}`)}</title></g>`,
    );
  }

  parts.push(xAxisTitle(spec.value.label, plotLeft, plotRight, height - 8));
  parts.push(yAxisTitle(spec.categoryLabel, plotTop, plotBottom, 14));
  return `<svg class="chart-svg" viewBox="0 0 ${CHART_WIDTH} ${px(height)}" role="img" aria-label="${escapeHtml(spec.title)}">${parts.join('')}</svg>`;
}
