/**
 * Number formatting shared by the text renderers (table, markdown, junit, comparison). Pure.
 */
import stringWidth from 'string-width';
import { formatBytes } from '../shared/units.js';
import { gateKind, formatGateValue } from './gates.js';
import type { GateResult, Report } from './model.js';

/** A fraction as a percentage with 4 significant digits, `–` for null. */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return `${Number((x * 100).toPrecision(4))}%`;
}

/** An integer with thousands separators: 16,518. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function bytes(n: number): string {
  return formatBytes(n);
}

/** A rate or duration with at most one decimal unless small. */
export function num(n: number): string {
  if (Number.isInteger(n)) return count(n);
  return Math.abs(n) >= 100 ? count(n) : String(Number(n.toPrecision(3)));
}

export function interval(ci: readonly [number, number] | null): string {
  return ci ? `${pct(ci[0])}–${pct(ci[1])}` : '–';
}

/** A gate's value and bound in the unit the path is written in. */
export function gateValues(g: GateResult): { value: string; bound: string } {
  const kind = gateKind(g.expression) ?? 'number';
  const value = g.actual === null ? 'no data' : formatGateValue(kind, g.actual);
  const bound = g.bound === undefined || g.operator === undefined ? g.expression : `${g.operator} ${formatGateValue(kind, g.bound)}`;
  return { value, bound };
}

/** "error 96.2% · slow 95.4% · normal 9.26%" */
/**
 * Why the gates were not applied, or undefined when they were: gates judge numbers only a
 * complete, valid, balanced run can be trusted with (exit codes 1 and 4 win over 3). The results
 * stay in the report for reference; renderers show them as not applied.
 */
export function gatesNotApplied(r: Report): string | undefined {
  if (r.interrupted) return 'the run was interrupted';
  if (!r.ledger.balanced) return 'the ledger does not balance';
  if (!r.valid) return 'the run is invalid';
  return undefined;
}

export function classLine(r: Report): string {
  const c = r.retention.byClass;
  return `error ${pct(c.error)} · slow ${pct(c.slow)} · normal ${pct(c.normal)}`;
}

/** One-line ledger statement: the conservation equation with its numbers. */
export function ledgerLine(r: Report): string {
  const s = r.spans;
  const eq = `${count(s.generated)} generated = ${count(s.exported)} exported + ${count(s.sampledOut)} sampled out + ${count(s.dropped)} dropped + ${count(s.inFlight)} in flight`;
  return `${r.ledger.balanced ? 'balanced' : `NOT balanced (residual ${count(r.ledger.residual)})`}: ${eq}`;
}

/** "checkout (seed 42, sim, 60 s)" plus run-state flags. */
export function runTitle(r: Report): string {
  const flags = [r.interrupted ? 'INTERRUPTED' : '', r.valid ? '' : 'INVALID'].filter(Boolean);
  // a replay has no scenario seed: its traffic is the recording
  const seed = r.mode === 'replay' ? '' : `seed ${r.scenario.seed}, `;
  return `${r.scenario.name} (${seed}${r.mode}, ${num(r.window.seconds)} s)${flags.length ? ` [${flags.join(', ')}]` : ''}`;
}

/** One line on retryable refusals (events, not losses) and how the refused exports ended; undefined without any. */
export function refusalSummary(r: Report): string | undefined {
  const f = r.refusals;
  if (!f) return undefined;
  const by = Object.entries(f.spansByComponent).map(([component, spans]) => `${count(spans)} by ${component}`);
  return `span refusals ${by.join(' · ')}; the refused SDK exports: ${count(f.exportsRetriedOk)} retried ok, ${count(f.exportsGaveUp)} given up`;
}

/** Readable names of the report's latency histograms; any other shows its key. */
const LATENCY_LABELS: Readonly<Record<string, string>> = {
  spanToCollector: 'span end → collector',
  spanToExport: 'span end → exporter',
  exportLatency: 'export latency',
  scheduleLag: 'schedule lag',
};

export function latencyLabel(name: string): string {
  return LATENCY_LABELS[name] ?? name;
}

/** One line per latency histogram: "span end → exporter p50 30.9 s · p99 31.9 s · max 32 s (17,756 spans)". */
export function latencyLines(r: Report): string[] {
  return Object.entries(r.latency).map(
    ([name, h]) => `${latencyLabel(name)} p50 ${duration(h.p50)} · p99 ${duration(h.p99)} · max ${duration(h.max)} (${count(h.count)})`,
  );
}

/** Milliseconds as "850 ms" below a second, else "31.9 s". */
function duration(ms: number): string {
  return ms < 1000 ? `${num(ms)} ms` : `${num(ms / 1000)} s`;
}

/** Sorted drop reasons (largest first). */
export function dropRows(r: Report): { reason: string; spans: number; traces: number; component: string }[] {
  return Object.entries(r.dropped.byReason)
    .map(([reason, e]) => ({ reason, spans: e!.spans, traces: e!.traces, component: e!.component }))
    .sort((a, b) => b.spans - a.spans || a.reason.localeCompare(b.reason));
}

/**
 * A compare or sweep label's short name: a config file's name without its directory and extension
 * (`./configs/tail-5pct.yaml` → `tail-5pct`); any other label (a swept value) as it is.
 */
export function labelStem(label: string): string {
  if (!/\.ya?ml$/i.test(label) && !/[/\\]/.test(label)) return label;
  return label.replace(/^.*[/\\]/, '').replace(/\.[^.]*$/, '');
}

/**
 * `text` padded with spaces to `cells` terminal cells (ANSI codes take none; CJK and most emoji
 * take two), on the right (`left`-aligned) or the left (`right`-aligned); never cut.
 */
export function padCells(text: string, cells: number, align: 'left' | 'right'): string {
  const pad = ' '.repeat(Math.max(0, cells - stringWidth(text)));
  return align === 'left' ? text + pad : pad + text;
}
