/**
 * The console summary printed after a run: load, retention (with its 95 % interval), retention by
 * class and policy, storage per day, drops by reason, advisories, gates, and the ledger line.
 * Fits 100 columns; ANSI colour only when `color` is set (the CLI sets it for a TTY). Pure.
 */
import stringWidth from 'string-width';
import type { Report } from './model.js';
import { bytes, classLine, count, dropRows, gatesNotApplied, gateValues, interval, latencyLines, ledgerLine, num, padCells, pct, refusalSummary, runTitle } from './format.js';

export interface TableOptions {
  /** ANSI colours (PASS green, FAIL red, headings bold). Default false. */
  color?: boolean;
  /** Wrap width in columns. Default 100. */
  width?: number;
}

const LABEL = 12;

export function renderTable(report: Report, options: TableOptions = {}): string {
  const width = options.width ?? 100;
  const c = colors(options.color ?? false);
  const out: string[] = [];
  const section = (label: string, text: string) => out.push(...wrap(c.bold(label.length < LABEL ? label.padEnd(LABEL) : `${label} `), text, width, LABEL));
  const sub = (text: string) => out.push(...wrap(' '.repeat(LABEL), text, width, LABEL));

  out.push(c.bold(`tracesim ${report.tool.version} · ${runTitle(report)}`));
  for (const reason of report.invalidReasons) out.push(c.red(`  invalid: ${reason}`));
  const t = report.throughput;
  section('Load', `${num(t.targetSpansPerSecond)} spans/s target, ${num(t.achievedSpansPerSecond)} achieved`);
  // `tracesim collector` counts spans only (no per-trace state in a long-running server)
  sub(report.mode === 'collector' ? `${count(report.spans.generated)} spans received (traces are not counted)` : `${count(report.spans.generated)} spans in ${count(report.traces.generated)} traces generated`);
  const latency = latencyLines(report);
  if (latency.length > 0) {
    section('Latency', latency[0]!);
    for (const line of latency.slice(1)) sub(line);
  }

  const r = report.retention;
  section('Retention', `traces ${pct(r.traces)} (95% CI ${interval(r.tracesCi95)}) · spans ${pct(r.spans)} · bytes ${pct(r.bytes)}`);
  sub(`by class: ${classLine(report)}`);
  const policies = Object.entries(r.byPolicy);
  if (policies.length > 0) {
    const rows = policies.map(([name, p]) => [name, count(p.sampledTraces), count(p.attributedTraces), count(p.exclusiveTraces), pct(report.traces.generated > 0 ? p.attributedTraces / report.traces.generated : null)]);
    for (const line of columns(['by policy', 'voted', 'attributed', 'exclusive', 'share'], rows, [false, true, true, true, true])) sub(line);
    // attribution counts sampling decisions; traces dropped after the sampler were decided but not exported
    const attributed = policies.reduce((n, [, p]) => n + p.attributedTraces, 0);
    if (attributed > report.traces.exported) {
      sub(`(shares count decisions: ${count(attributed - report.traces.exported)} sampled traces were lost after the sampler)`);
    }
  }

  const s = report.storage;
  section(
    'Storage',
    `${s.backend}: ${bytes(s.bytesPerSpan)}/span (${bytes(s.compressedBytesPerSpan)} compressed) · ${bytes(s.exportedBytesPerDay)}/day written · ` +
      `${bytes(s.diskBytesPerDay)}/day on disk (RF ${s.replicationFactor}) · ${bytes(s.steadyStateBytes)} steady state (${s.retentionDays} d)`,
  );

  const drops = dropRows(report);
  const dropShare = report.spans.generated > 0 ? report.dropped.total / report.spans.generated : null;
  section('Dropped', report.dropped.total === 0 ? c.green('nothing') : c.red(`${count(report.dropped.total)} spans (${pct(dropShare)} of generated)`));
  if (drops.length > 0) {
    for (const line of columns(['reason', 'spans', 'traces', 'component'], drops.map((d) => [d.reason, count(d.spans), count(d.traces), d.component]), [false, true, true, false])) sub(line);
  }
  const refusals = refusalSummary(report);
  if (refusals !== undefined) out.push(...wrap('            ', refusals, width, 12));

  if (report.notSimulated.length > 0) section('Not simulated', report.notSimulated.map((n) => `${n.component} (${n.reason})`).join(' · '));

  if (report.advisories.length > 0) {
    section('Advisories', `${report.advisories.length}`);
    for (const a of report.advisories) out.push(...wrap(`  ${c.yellow('!')} `, `${c.bold(a.code)}: ${a.message}`, width, 4));
  }

  if (report.gates.length > 0) {
    const failed = report.gates.filter((g) => !g.pass).length;
    const notApplied = gatesNotApplied(report);
    const summary = notApplied !== undefined ? c.yellow(`not applied: ${notApplied} (values for reference)`) : failed === 0 ? c.green(`all ${report.gates.length} passed`) : c.red(`${failed} of ${report.gates.length} failed`);
    section('Gates', summary);
    const rows = report.gates.map((g) => {
      const v = gateValues(g);
      return [notApplied !== undefined ? '—' : g.pass ? c.green('PASS') : c.red('FAIL'), g.expression, v.value];
    });
    for (const line of columns(['', 'gate', 'value'], rows, [false, false, true])) sub(line);
  }

  section('Ledger', report.ledger.balanced ? ledgerLine(report) : c.red(ledgerLine(report)));
  return `${out.join('\n')}\n`;
}

/** Left/right-aligned columns, two spaces apart; widths in terminal cells (no ANSI codes; CJK and emoji take two). */
function columns(header: string[], rows: string[][], right: boolean[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => stringWidth(r[i] ?? ''))));
  return all.map((r) =>
    r
      .map((cell, i) => padCells(cell, widths[i]!, right[i] ? 'right' : 'left'))
      .join('  ')
      .trimEnd(),
  );
}

/** Word-wraps `text` after a `prefix`, continuing lines indented by `indent`. */
function wrap(prefix: string, text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = prefix;
  let lineLen = stringWidth(prefix);
  for (const word of text.split(' ')) {
    const len = stringWidth(word);
    if (lineLen + len > width && lineLen > indent) {
      lines.push(line.trimEnd());
      line = ' '.repeat(indent);
      lineLen = indent;
    }
    line += `${word} `;
    lineLen += len + 1;
  }
  lines.push(line.trimEnd());
  return lines;
}


function colors(on: boolean) {
  const wrapWith = (code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: wrapWith('1'), red: wrapWith('31'), green: wrapWith('32'), yellow: wrapWith('33') };
}
