/**
 * Entry points of the HTML report: one self-contained page per run, compare or sweep. Pure:
 * the same report gives the same bytes.
 */
import type { ComparisonReport, Report } from '../model.js';
import { comparisonCharts, sweptKey } from './comparison-charts.js';
import { escapeHtml } from './escape.js';
import { renderFigure } from './figure.js';
import { formatPercent, formatValue } from './format.js';
import { renderPage } from './page.js';
import { runBody, runHeader, verdictBadges } from './run-sections.js';
import { verdictOf } from './verdict.js';

/** `report.html` of a single run. */
export function renderHtml(report: Report): string {
  const title = `tracesim — ${report.scenario.name}`;
  return renderPage(title, runHeader(report, `Scenario ${report.scenario.name}`) + runBody(report), report);
}

/** `report.html` of a compare or sweep: the comparison first, then every run collapsed. */
export function renderComparisonHtml(c: ComparisonReport): string {
  const first = c.runs[0];
  const what = c.kind === 'sweep' ? `Sweep of ${sweptKey(c)} (${c.runs.length} values)` : `Compare of ${c.runs.length} configs`;
  const swept = c.kind === 'sweep' && c.variedPath !== undefined ? `varied <code>${escapeHtml(c.variedPath)}</code> · ` : '';
  const title = `tracesim — ${what}${first ? ` — ${first.scenario.name}` : ''}`;
  const best = c.bestIndex == null ? undefined : c.labels[c.bestIndex];
  const status = best === undefined ? 'fail' : 'pass';
  const bestText = best === undefined ? 'No entry meets every gate' : `Best meeting every gate: ${best}`;
  const meta = first
    ? `${swept}scenario <b>${escapeHtml(first.scenario.name)}</b> · mode <b>${escapeHtml(first.mode)}</b> · seed <b>${first.scenario.seed}</b> · window <b>${escapeHtml(formatValue(first.window.seconds, 'seconds'))}</b> · identical traffic for every entry`
    : 'no runs';
  const header =
    `<header class="verdict status-${status}" data-status="${status}"><h1>${escapeHtml(what)}</h1><p class="meta">${meta}</p>` +
    `<div class="badges"><span class="badge ${status}" data-verdict-best="${best === undefined ? '' : escapeHtml(best)}">${escapeHtml(bestText)}</span>` +
    (c.notRun !== undefined && c.notRun.length > 0 ? `<span class="badge fail" data-not-run="${escapeHtml(c.notRun.join(', '))}">${escapeHtml(`Not run (interrupted before): ${c.notRun.join(', ')}`)}</span>` : '') +
    `</div></header>`;
  const charts = `<section class="charts-section"><h2>Charts</h2><div class="charts">${comparisonCharts(c).map(renderFigure).join('')}</div></section>`;
  const runs = c.runs
    .map((r, i) => {
      const label = c.labels[i] ?? `run ${i + 1}`;
      const star = i === c.bestIndex ? '★ ' : '';
      return (
        `<details class="run" data-run-index="${i}"><summary>${star}${escapeHtml(label)} — ${escapeHtml(verdictOf(r).gatesText)}</summary>` +
        `<section class="run">${runHeader(r, label)}${runBody(r, `run${i}-`)}</section></details>`
      );
    })
    .join('');
  return renderPage(title, header + comparisonTable(c) + charts + `<section class="runs"><h2>Runs</h2>${runs}</section>`, c);
}

/** One row per entry: verdict, retention with interval, storage per day, drops. */
function comparisonTable(c: ComparisonReport): string {
  const head = `<tr><th>${c.kind === 'sweep' ? escapeHtml(sweptKey(c)) : 'config'}</th><th>verdict</th><th class="num">retention (traces)</th><th class="num">95% interval</th><th class="num">disk / day</th><th class="num">exported / day</th><th class="num">dropped spans</th></tr>`;
  const rows = c.runs.map((r, i) => {
    const ci = r.retention.tracesCi95;
    const best = i === c.bestIndex;
    return (
      `<tr${best ? ' class="best"' : ''} data-run-index="${i}"><td>${best ? '★ ' : ''}${escapeHtml(c.labels[i] ?? `run ${i + 1}`)}</td>` +
      `<td>${verdictBadges(r, true)}</td>` +
      `<td class="num">${formatValue(r.retention.traces, 'fraction')}</td>` +
      `<td class="num">${ci ? `${formatPercent(ci[0])} – ${formatPercent(ci[1])}` : 'n/a'}</td>` +
      `<td class="num">${formatValue(r.storage.diskBytesPerDay, 'bytes')}</td>` +
      `<td class="num">${formatValue(r.storage.exportedBytesPerDay, 'bytes')}</td>` +
      `<td class="num">${formatValue(r.dropped.total, 'count')}</td></tr>`
    );
  });
  return `<section class="comparison-section"><h2>${c.kind === 'sweep' ? 'Swept values' : 'Configs'}</h2><div class="table-scroll"><table class="comparison"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}
