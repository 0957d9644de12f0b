/**
 * `report.md`: the run summary as GitHub-flavoured markdown, compact enough for a CI job summary
 * ($GITHUB_STEP_SUMMARY): a verdict line, gates first, then retention, storage, drops, advisories
 * and the ledger. Pure.
 */
import type { Report } from './model.js';
import { bytes, count, dropRows, gatesNotApplied, gateValues, refusalSummary, interval, latencyLines, ledgerLine, num, pct, runTitle } from './format.js';

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const failed = report.gates.filter((g) => !g.pass).length;
  out.push(`## tracesim: ${escape(runTitle(report))}`, '');
  out.push(verdict(report, failed), '');
  for (const reason of report.invalidReasons) out.push(`- invalid: ${escape(reason)}`);
  if (report.invalidReasons.length > 0) out.push('');

  if (report.gates.length > 0) {
    const notApplied = gatesNotApplied(report);
    out.push('### Gates', '');
    if (notApplied !== undefined) out.push(`Not applied: ${notApplied}; the values are for reference.`, '');
    out.push('| | Gate | Value | Bound |', '|---|---|---:|---|');
    for (const g of report.gates) {
      const v = gateValues(g);
      out.push(`| ${notApplied !== undefined ? '—' : g.pass ? '✅' : '❌'} | \`${escape(g.expression)}\` | ${escape(v.value)} | ${escape(v.bound)} |`);
    }
    out.push('');
  }

  const r = report.retention;
  const t = report.throughput;
  out.push('### Retention', '');
  out.push('| Traces | 95% CI | Spans | Bytes | Error | Slow | Normal |', '|---:|---:|---:|---:|---:|---:|---:|');
  out.push(`| ${pct(r.traces)} | ${interval(r.tracesCi95)} | ${pct(r.spans)} | ${pct(r.bytes)} | ${pct(r.byClass.error)} | ${pct(r.byClass.slow)} | ${pct(r.byClass.normal)} |`, '');
  const policies = Object.entries(r.byPolicy);
  if (policies.length > 0) {
    out.push('| Policy | Voted | Attributed | Exclusive |', '|---|---:|---:|---:|');
    for (const [name, p] of policies) out.push(`| ${escape(name)} | ${count(p.sampledTraces)} | ${count(p.attributedTraces)} | ${count(p.exclusiveTraces)} |`);
    out.push('');
  }
  out.push(
    `Load: ${num(t.targetSpansPerSecond)} spans/s target, ${num(t.achievedSpansPerSecond)} achieved; ${report.mode === 'collector' ? `${count(report.spans.generated)} spans received (traces are not counted).` : `${count(report.spans.generated)} spans in ${count(report.traces.generated)} traces.`}`,
    '',
  );
  const latency = latencyLines(report);
  if (latency.length > 0) out.push('Latency:', '', ...latency.map((l) => `- ${escape(l)}`), '');

  const s = report.storage;
  out.push('### Storage per day', '');
  out.push(`| Backend | Bytes/span | Written/day | Disk/day | Steady state |`, '|---|---:|---:|---:|---:|');
  out.push(`| ${s.backend} (RF ${s.replicationFactor}, ${s.retentionDays} d) | ${bytes(s.bytesPerSpan)} | ${bytes(s.exportedBytesPerDay)} | ${bytes(s.diskBytesPerDay)} | ${bytes(s.steadyStateBytes)} |`, '');

  const drops = dropRows(report);
  out.push('### Dropped', '');
  if (drops.length === 0) out.push('Nothing dropped.', '');
  else {
    out.push('| Reason | Spans | Traces | Component |', '|---|---:|---:|---|');
    for (const d of drops) out.push(`| ${d.reason} | ${count(d.spans)} | ${count(d.traces)} | ${escape(d.component)} |`);
    out.push('');
  }
  const refusals = refusalSummary(report);
  if (refusals !== undefined) out.push(`Refusals: ${escape(refusals)}.`, '');

  if (report.advisories.length > 0) {
    out.push('### Advisories', '');
    for (const a of report.advisories) out.push(`- **${a.code}**: ${escape(a.message)}`);
    out.push('');
  }
  if (report.notSimulated.length > 0) {
    out.push(`Not simulated: ${report.notSimulated.map((n) => `${escape(n.component)} (${escape(n.reason)})`).join(', ')}`, '');
  }
  out.push(`Ledger ${escape(ledgerLine(report))}.`, '');
  return out.join('\n');
}

function verdict(r: Report, failed: number): string {
  if (r.interrupted) return '**Interrupted**: the numbers cover the run up to the stop.';
  if (!r.valid) return '**Invalid run**: the generator could not hold the target, so the numbers do not describe the scenario.';
  if (failed > 0) return `**${failed} of ${r.gates.length} gates failed.**`;
  if (!r.ledger.balanced) return '**Ledger not balanced**: the run failed.';
  return r.gates.length > 0 ? `**All ${r.gates.length} gates passed.**` : '**Run complete.**';
}

/** Escapes what would break a table cell (`|`) or open an HTML tag (`<` before a letter or `/`); code spans stay literal. */
function escape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}
