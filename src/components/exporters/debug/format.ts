/**
 * Text renderings of a batch for the `debug` exporter, after the collector's text marshaler:
 * `basic` one summary line, `normal` one line per span, `detailed` every field and attribute.
 */
import type { AnyValue, KeyValue, TraceBatch } from '../../../protocol/otlp/model.js';
import { forEachSpan, idToHex, spanCount, toHex } from '../../../protocol/otlp/model.js';
import type { DebugVerbosity } from './config.js';

const KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS = ['Unset', 'Ok', 'Error'];

function value(v: AnyValue): string {
  if (v === null) return 'Empty()';
  if (typeof v === 'string') return `Str(${v})`;
  if (typeof v === 'boolean') return `Bool(${v})`;
  if (typeof v === 'bigint') return `Int(${v})`;
  if (typeof v === 'number') return `Double(${v})`;
  if (v instanceof Uint8Array) return `Bytes(${toHex(v)})`;
  if (Array.isArray(v)) return `Slice([${v.map(value).join(',')}])`;
  return `Map({${v.kvlist.map((kv) => `${kv.key}:${value(kv.value)}`).join(',')}})`;
}

function attributes(title: string, attrs: readonly KeyValue[], indent = ''): string[] {
  if (attrs.length === 0) return [];
  return [`${indent}${title}:`, ...attrs.map((kv) => `${indent}     -> ${kv.key}: ${value(kv.value)}`)];
}

export function formatBatch(batch: TraceBatch, verbosity: DebugVerbosity): string {
  const header = `Traces {"resource spans": ${batch.resourceSpans.length}, "spans": ${spanCount(batch)}}`;
  if (verbosity === 'basic') return header;
  const lines = [header];
  if (verbosity === 'normal') {
    forEachSpan(batch, (s) => lines.push(`${s.name} ${idToHex(s.traceId)} ${idToHex(s.spanId)}`));
    return lines.join('\n');
  }
  batch.resourceSpans.forEach((rs, ri) => {
    lines.push(`ResourceSpans #${ri}`, `Resource SchemaURL: ${rs.schemaUrl}`, ...attributes('Resource attributes', rs.resource.attributes));
    rs.scopeSpans.forEach((ss, si) => {
      lines.push(`ScopeSpans #${si}`, `ScopeSpans SchemaURL: ${ss.schemaUrl}`, `InstrumentationScope ${ss.scope.name} ${ss.scope.version}`);
      ss.spans.forEach((s, i) => {
        lines.push(
          `Span #${i}`,
          `    Trace ID       : ${idToHex(s.traceId)}`,
          `    Parent ID      : ${idToHex(s.parentSpanId)}`,
          `    ID             : ${idToHex(s.spanId)}`,
          `    Name           : ${s.name}`,
          `    Kind           : ${KINDS[s.kind] ?? s.kind}`,
          `    Start time     : ${s.startTimeUnixNano}`,
          `    End time       : ${s.endTimeUnixNano}`,
          `    Status code    : ${STATUS[s.status.code] ?? s.status.code}`,
          `    Status message : ${s.status.message}`,
          ...attributes('Attributes', s.attributes),
        );
      });
    });
  });
  return lines.join('\n');
}
