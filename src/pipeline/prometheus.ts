/**
 * Renders a `MetricsRegistry` snapshot in the Prometheus text exposition format (0.0.4), the way
 * the collector's own `/metrics` endpoint shows its internal telemetry:
 *
 * - counters get the `_total` suffix (`otelcol_receiver_accepted_spans_total`), as the current
 *   collector's Prometheus reader writes them;
 * - gauges keep their name; histograms become `_bucket{le=…}` (cumulative, ending at `+Inf`),
 *   `_sum` and `_count`;
 * - one `# TYPE` line per metric family; series sorted as the snapshot sorts them;
 * - names and label names are sanitised to `[a-zA-Z_:][a-zA-Z0-9_:]*`, label values escaped
 *   (`\\`, `\"`, `\n`).
 */
import type { Labels, MetricPoint } from './telemetry.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function renderPrometheus(points: readonly MetricPoint[]): string {
  const families = new Map<string, { type: string; lines: string[] }>();
  const family = (name: string, type: string): string[] => {
    let f = families.get(name);
    if (!f) {
      f = { type, lines: [] };
      families.set(name, f);
    }
    return f.lines;
  };
  for (const p of points) {
    const base = sanitizeName(p.name);
    if (p.kind === 'counter') {
      const name = base.endsWith('_total') ? base : `${base}_total`;
      family(name, 'counter').push(`${name}${renderLabels(p.labels)} ${formatValue(p.value)}`);
    } else if (p.kind === 'gauge') {
      family(base, 'gauge').push(`${base}${renderLabels(p.labels)} ${formatValue(p.value)}`);
    } else {
      const lines = family(base, 'histogram');
      for (const b of p.buckets ?? []) lines.push(`${base}_bucket${renderLabels(p.labels, ['le', formatValue(b.le)])} ${b.count}`);
      lines.push(`${base}_bucket${renderLabels(p.labels, ['le', '+Inf'])} ${p.count ?? 0}`);
      lines.push(`${base}_sum${renderLabels(p.labels)} ${formatValue(p.value)}`);
      lines.push(`${base}_count${renderLabels(p.labels)} ${p.count ?? 0}`);
    }
  }
  let out = '';
  for (const [name, { type, lines }] of families) {
    out += `# TYPE ${name} ${type}\n${lines.join('\n')}\n`;
  }
  return out;
}

function sanitizeName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

function sanitizeLabelName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function renderLabels(labels: Labels, extra?: [string, string]): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${sanitizeLabelName(k)}="${escapeLabelValue(labels[k]!)}"`);
  if (extra) parts.push(`${extra[0]}="${extra[1]}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
