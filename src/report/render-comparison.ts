/**
 * Side-by-side tables for `compare` and `sweep` (one column per config or swept value): retention
 * overall, by policy and by class, storage per day, drops by reason, gates. Markdown and console
 * forms share one row model. Pure.
 */
import stringWidth from 'string-width';
import type { ComparisonReport, Report } from './model.js';
import { bytes, count, gateValues, padCells, pct } from './format.js';

export interface ComparisonRow {
  /** Section heading the row belongs to. */
  section: 'Retention' | 'Retention by policy' | 'Retention by class' | 'Storage per day' | 'Dropped' | 'Gates';
  metric: string;
  values: string[];
}

/** The rows both forms print; a policy or drop reason missing from a run shows as `–` / 0. */
export function comparisonRows(cmp: ComparisonReport): ComparisonRow[] {
  const runs = cmp.runs;
  const rows: ComparisonRow[] = [];
  const add = (section: ComparisonRow['section'], metric: string, f: (r: Report) => string) => rows.push({ section, metric, values: runs.map(f) });

  add('Retention', 'traces', (r) => pct(r.retention.traces));
  add('Retention', 'traces 95% CI', (r) => (r.retention.tracesCi95 ? `${pct(r.retention.tracesCi95[0])}–${pct(r.retention.tracesCi95[1])}` : '–'));
  add('Retention', 'spans', (r) => pct(r.retention.spans));
  add('Retention', 'bytes', (r) => pct(r.retention.bytes));
  for (const policy of union(runs.map((r) => Object.keys(r.retention.byPolicy)))) {
    add('Retention by policy', policy, (r) => {
      const p = r.retention.byPolicy[policy];
      return p && r.traces.generated > 0 ? pct(p.attributedTraces / r.traces.generated) : '–';
    });
  }
  for (const c of ['error', 'slow', 'normal'] as const) add('Retention by class', c, (r) => pct(r.retention.byClass[c]));
  add('Storage per day', 'written', (r) => bytes(r.storage.exportedBytesPerDay));
  add('Storage per day', `disk`, (r) => `${bytes(r.storage.diskBytesPerDay)}`);
  add('Storage per day', 'steady state', (r) => bytes(r.storage.steadyStateBytes));
  add('Dropped', 'total spans', (r) => count(r.dropped.total));
  for (const reason of union(runs.map((r) => Object.keys(r.dropped.byReason)))) {
    add('Dropped', reason, (r) => count(r.dropped.byReason[reason as keyof Report['dropped']['byReason']]?.spans ?? 0));
  }
  if (runs.some((r) => r.gates.length > 0)) {
    add('Gates', 'passed', (r) => `${r.gates.filter((g) => g.pass).length}/${r.gates.length}`);
    // one row per gate: each run's value, and whether it passed
    for (const expression of union(runs.map((r) => r.gates.map((g) => g.expression)))) {
      add('Gates', expression, (r) => {
        const g = r.gates.find((x) => x.expression === expression);
        return g ? `${g.pass ? 'pass' : 'FAIL'} ${gateValues(g).value}` : '–';
      });
    }
  }
  return rows;
}

/** Column headers: the label (cut to its last `maxLabel` characters), then ★ for the best entry and (interrupted). */
function headers(cmp: ComparisonReport, maxLabel = Number.POSITIVE_INFINITY): string[] {
  return cmp.labels.map((l, i) => {
    const label = l.length > maxLabel ? `…${l.slice(-(maxLabel - 1))}` : l;
    const marks = [i === cmp.bestIndex ? '★' : '', cmp.runs[i]?.interrupted ? '(interrupted)' : ''].filter((m) => m !== '');
    return [label, ...marks].join(' ');
  });
}

function title(cmp: ComparisonReport): string {
  return cmp.kind === 'sweep' ? `Sweep of ${cmp.variedPath ?? '?'}` : `Comparison of ${cmp.labels.length} configs`;
}

function footnote(cmp: ComparisonReport): string {
  const lines: string[] = [];
  if (cmp.bestIndex === null) lines.push('No entry meets every gate.');
  else {
    const dropped = cmp.runs[cmp.bestIndex]!.dropped.total;
    const loss = dropped === 0 ? ', drops nothing' : `, drops the fewest spans (${dropped.toLocaleString('en-US')})`;
    lines.push(`★ best: ${cmp.labels[cmp.bestIndex]} (meets every gate${loss}, then lowest disk bytes/day).`);
  }
  const stopped = cmp.runs.findIndex((r) => r.interrupted);
  if (stopped >= 0) lines.push(`Interrupted during ${cmp.labels[stopped]}: its column covers only the traffic up to the interrupt.`);
  if (cmp.notRun !== undefined && cmp.notRun.length > 0) lines.push(`Not run (interrupted before): ${cmp.notRun.join(', ')}.`);
  return lines.join('\n');
}

export function renderComparisonMarkdown(cmp: ComparisonReport): string {
  const out = [`## tracesim: ${title(cmp)}`, '', `| Metric | ${headers(cmp).map(cell).join(' | ')} |`, `|---|${cmp.labels.map(() => '---:').join('|')}|`];
  let section = '';
  for (const row of comparisonRows(cmp)) {
    if (row.section !== section) {
      section = row.section;
      out.push(`| **${section}** |${cmp.labels.map(() => ' ').join('|')}|`);
    }
    out.push(`| ${cell(row.metric)} | ${row.values.map(cell).join(' | ')} |`);
  }
  out.push('', ...footnote(cmp).split('\n').flatMap((l) => [l, '']));
  return out.join('\n');
}

/** Console form; labels longer than 18 characters are shortened so several columns fit 100 columns. */
export function renderComparisonTable(cmp: ComparisonReport): string {
  const heads = headers(cmp, 18);
  const rows = comparisonRows(cmp);
  const metricWidth = Math.max(...rows.map((r) => stringWidth(r.metric) + 2), 'Metric'.length);
  const widths = heads.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r.values[i]!))));
  const line = (metric: string, values: string[]) => `${padCells(metric, metricWidth, 'left')}  ${values.map((v, i) => padCells(v, widths[i]!, 'right')).join('  ')}`.trimEnd();
  const out = [title(cmp), line('Metric', heads)];
  let section = '';
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      out.push(section);
    }
    out.push(line(`  ${row.metric}`, row.values));
  }
  out.push(footnote(cmp));
  return `${out.join('\n')}\n`;
}

function union(lists: string[][]): string[] {
  const seen = new Set<string>();
  for (const l of lists) for (const x of l) seen.add(x);
  return [...seen];
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}
