/**
 * HTML sections of one run: the verdict header with the numbers that matter, gates, charts,
 * totals, advisories, not-simulated components, and the inputs in collapsible <details>.
 */
import { formatGateValue, gateKind } from '../gates.js';
import type { Report } from '../model.js';
import { escapeHtml } from './escape.js';
import { renderEmptyFigure, renderFigure } from './figure.js';
import { formatPercent, formatValue } from './format.js';
import { runCharts } from './run-charts.js';
import { verdictOf } from './verdict.js';

/** One `<dl>` entry of the headline numbers. */
function figureOf(label: string, value: string, detail?: string): string {
  return `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}${detail ? `<small>${escapeHtml(detail)}</small>` : ''}</dd></div>`;
}

/** The badge row: gates, validity, interruption, ledger (`compact`: the ledger only when it failed). */
export function verdictBadges(report: Report, compact = false): string {
  const v = verdictOf(report);
  const badges = [
    `<span class="badge ${v.gates === 'failed' ? 'fail' : v.gates === 'passed' ? 'pass' : 'neutral'}" data-verdict-gates="${v.gates}">${escapeHtml(v.gatesText)}</span>`,
    report.valid
      ? `<span class="badge pass" data-verdict-valid="true">Run valid</span>`
      : `<span class="badge fail" data-verdict-valid="false">Run invalid</span>`,
  ];
  if (report.interrupted) badges.push(`<span class="badge warn" data-verdict-interrupted="true">Interrupted before the end</span>`);
  if (!report.ledger.balanced) badges.push(`<span class="badge fail" data-verdict-ledger="unbalanced">Ledger unbalanced (residual ${report.ledger.residual})</span>`);
  else if (!compact) badges.push(`<span class="badge neutral" data-verdict-ledger="balanced">Ledger balanced</span>`);
  return `<div class="badges">${badges.join('')}</div>`;
}

/** Retention with its interval, storage per day, drops, throughput. */
export function headlineNumbers(report: Report): string {
  const ci = report.retention.tracesCi95;
  const dropShare = report.spans.generated > 0 ? ` (${formatPercent(report.dropped.total / report.spans.generated)} of generated)` : '';
  const items = [
    figureOf(
      'Retention (traces kept)',
      formatValue(report.retention.traces, 'fraction'),
      ci ? `95% interval ${formatPercent(ci[0])} – ${formatPercent(ci[1])}` : 'no interval (no traces)',
    ),
    figureOf('Storage per day (disk)', formatValue(report.storage.diskBytesPerDay, 'bytes'), `${report.storage.backend}, ${report.storage.retentionDays} d retention, ×${report.storage.replicationFactor} replication`),
    figureOf('Storage per day (exported)', formatValue(report.storage.exportedBytesPerDay, 'bytes'), `${formatValue(report.storage.bytesPerSpan, 'count')} B per span`),
    figureOf('Dropped spans', formatValue(report.dropped.total, 'count'), `of ${formatValue(report.spans.generated, 'count')} generated${dropShare}`),
    figureOf(
      'Throughput',
      formatValue(report.throughput.achievedSpansPerSecond, 'perSecond'),
      `target ${formatValue(report.throughput.targetSpansPerSecond, 'perSecond')}`,
    ),
  ];
  return `<dl class="numbers">${items.join('')}</dl>`;
}

/** `mode · seed · window` line under a run's title. */
export function runMeta(report: Report): string {
  return `mode <b>${escapeHtml(report.mode)}</b> · seed <b>${report.scenario.seed}</b> · window <b>${escapeHtml(formatValue(report.window.seconds, 'seconds'))}</b> · collector <code>${escapeHtml(report.collector.path)}</code> · tracesim ${escapeHtml(report.tool.version)}`;
}

export function runHeader(report: Report, title: string): string {
  const v = verdictOf(report);
  const invalid = report.valid || report.invalidReasons.length === 0 ? '' : `<ul class="plain">${report.invalidReasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`;
  return (
    `<header class="verdict status-${v.status}" data-status="${v.status}">` +
    `<h1>${escapeHtml(title)}</h1><p class="meta">${runMeta(report)}</p>` +
    `${verdictBadges(report)}${invalid}${headlineNumbers(report)}</header>`
  );
}

/** A gate's actual value in the unit a user would write for its path (as the other renderers print it). */
function gateActual(expression: string, actual: number | null): string {
  if (actual == null) return 'n/a';
  const kind = gateKind(expression);
  return kind === undefined ? String(actual) : formatGateValue(kind, actual);
}

export function gatesSection(report: Report): string {
  if (report.gates.length === 0) return `<section class="gates-section"><h2>Gates</h2><p class="note">No gates were set.</p></section>`;
  const rows = report.gates.map(
    (g) =>
      `<tr><td><code>${escapeHtml(g.expression)}</code></td><td class="num" title="${g.actual == null ? '' : escapeHtml(String(g.actual))}">${escapeHtml(gateActual(g.expression, g.actual))}</td>` +
      `<td class="${g.pass ? 'pass-text' : 'fail-text'}">${g.pass ? 'pass' : 'FAIL'}</td></tr>`,
  );
  return `<section class="gates-section"><h2>Gates</h2><table class="gates"><thead><tr><th>expression</th><th class="num">actual</th><th>result</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

export function chartsSection(report: Report, idPrefix = ''): string {
  const figures = runCharts(report, idPrefix).map((c) => (c.kind === 'empty' ? renderEmptyFigure(c.id, c.title, c.message) : renderFigure(c)));
  return `<section class="charts-section"><h2>Charts</h2><div class="charts">${figures.join('')}</div></section>`;
}

export function totalsSection(report: Report): string {
  const s = report.spans;
  const t = report.traces;
  const row = (name: string, spans: number, traces: number | string): string =>
    `<tr><td>${name}</td><td class="num">${formatValue(spans, 'count')}</td><td class="num">${typeof traces === 'number' ? formatValue(traces, 'count') : traces}</td></tr>`;
  return (
    `<section><h2>Totals</h2><table class="totals"><thead><tr><th></th><th class="num">spans</th><th class="num">traces</th></tr></thead><tbody>` +
    row('generated', s.generated, t.generated) +
    row('exported', s.exported, t.exported) +
    row('sampled out', s.sampledOut, t.sampledOut) +
    row('dropped', s.dropped, t.dropped) +
    row('in flight at end', s.inFlight, '') +
    `</tbody></table></section>`
  );
}

export function advisoriesSection(report: Report): string {
  const adv = report.advisories.length
    ? `<ul class="plain advisories">${report.advisories.map((a) => `<li><code>${escapeHtml(a.code)}</code> — ${escapeHtml(a.message)}</li>`).join('')}</ul>`
    : `<p class="note">None.</p>`;
  const ns = report.notSimulated.length
    ? `<ul class="plain not-simulated">${report.notSimulated.map((n) => `<li><code>${escapeHtml(n.component)}</code> — ${escapeHtml(n.reason)}</li>`).join('')}</ul>`
    : `<p class="note">Every configured component was simulated.</p>`;
  return `<section class="advisories-section"><h2>Advisories</h2>${adv}</section><section class="not-simulated-section"><h2>Not simulated</h2>${ns}</section>`;
}

/** Storage assumptions, run identity and the input files, each collapsed. */
export function inputsSection(report: Report): string {
  const assumptions = Object.entries(report.storage.assumptions)
    .map(([k, a]) => `<tr><td><code>${escapeHtml(k)}</code></td><td>${escapeHtml(String(a.value))}</td><td>${escapeHtml(a.source)}</td></tr>`)
    .join('');
  const identity = [
    ['scenario', `${report.scenario.name} (hash ${report.scenario.hash})`],
    ['collector config', `${report.collector.path} (hash ${report.collector.hash})`],
    ['compat', report.compat],
    ['tool', `${report.tool.name} ${report.tool.version}`],
    ['schema version', String(report.schemaVersion)],
  ]
    .map(([k, v]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(v!)}</td></tr>`)
    .join('');
  const sources = [
    report.inputs?.scenarioYaml !== undefined ? `<details class="input"><summary>Scenario (YAML)</summary><pre>${escapeHtml(report.inputs.scenarioYaml)}</pre></details>` : '',
    report.inputs?.collectorYaml !== undefined ? `<details class="input"><summary>Collector config (YAML)</summary><pre>${escapeHtml(report.inputs.collectorYaml)}</pre></details>` : '',
  ].join('');
  return (
    `<section class="inputs-section"><h2>Inputs and assumptions</h2>` +
    `<details><summary>Run identity</summary><table>${identity}</table></details>` +
    `<details><summary>Storage assumptions</summary><table><thead><tr><th>figure</th><th>value</th><th>source</th></tr></thead><tbody>${assumptions}</tbody></table></details>` +
    `${sources}</section>`
  );
}

/** Everything of one run below its header. */
export function runBody(report: Report, idPrefix = ''): string {
  return gatesSection(report) + chartsSection(report, idPrefix) + totalsSection(report) + advisoriesSection(report) + inputsSection(report);
}
