/**
 * Wraps a chart in a `<figure>`: title, optional note, the SVG, and an HTML legend listing every
 * series and reference line (HTML so it wraps, and so tests can read it as text).
 */
import type { ChartSpec } from './chart-spec.js';
import { seriesColor } from './chart-spec.js';
import { escapeHtml } from './escape.js';
import { renderBarChart } from './svg-bar-chart.js';
import { renderLineChart } from './svg-line-chart.js';

/**
 * `<figure class="chart" data-chart=ID data-series-count=N data-ref-count=M>`; the counts
 * state what the SVG must contain, so a browser test can check the drawing against them.
 */
export function renderFigure(spec: ChartSpec): string {
  const svg = spec.kind === 'line' ? renderLineChart(spec) : renderBarChart(spec);
  const legend = [
    ...spec.series.map((s, i) => `<li><span class="swatch c${seriesColor(s, i)}"></span>${escapeHtml(s.name)}</li>`),
    ...spec.references.map(
      (r) => `<li><span class="swatch dashed ${r.kind === 'gate' ? 'gate' : `c${r.color ?? 0}`}"></span>${escapeHtml(r.name)}</li>`,
    ),
  ];
  const note = spec.note ? `<p class="note">${escapeHtml(spec.note)}</p>` : '';
  return (
    `<figure class="chart" id="chart-${escapeHtml(spec.id)}" data-chart="${escapeHtml(spec.id)}" data-series-count="${spec.series.length}" data-ref-count="${spec.references.length}">` +
    `<figcaption><h3>${escapeHtml(spec.title)}</h3>${note}</figcaption>${svg}` +
    `<ul class="legend">${legend.join('')}</ul></figure>`
  );
}

/** A placeholder where a chart has nothing to show, saying why. */
export function renderEmptyFigure(id: string, title: string, message: string): string {
  return `<figure class="chart empty" id="chart-${escapeHtml(id)}" data-empty-chart="${escapeHtml(id)}"><figcaption><h3>${escapeHtml(title)}</h3></figcaption><p class="note">${escapeHtml(message)}</p></figure>`;
}
