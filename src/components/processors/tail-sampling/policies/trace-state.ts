import type { Span } from '../../../../protocol/otlp/model.js';
import type { TraceStateConfig } from '../config.js';
import type { Decision, PolicyEvaluator, TraceView } from './decision.js';
import { hasSpanWithCondition } from './lookup.js';

const KEY_RE = /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})$/;
const VALUE_RE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MAX_MEMBERS = 32;

/**
 * W3C `tracestate` parsing as Go's `trace.ParseTraceState`: comma-separated `key=value`
 * members (empty members skipped, OWS trimmed), keys and values validated, no duplicates, at most
 * 32 members. Returns the members or `undefined` on any error.
 */
export function parseTraceState(header: string): Map<string, string> | undefined {
  const members = new Map<string, string>();
  for (const raw of header.split(',')) {
    if (raw.length === 0) continue;
    const eq = raw.indexOf('=');
    if (eq < 0) return undefined;
    const key = raw.slice(0, eq).replace(/^[ \t]+/, '');
    const value = raw.slice(eq + 1).replace(/[ \t]+$/, '');
    if (!KEY_RE.test(key) || !VALUE_RE.test(value) || members.has(key)) return undefined;
    members.set(key, value);
    if (members.size > MAX_MEMBERS) return undefined;
  }
  return members;
}

/**
 * `trace_state` (reference §2.11): Sampled if any span's tracestate has `key` with one of the
 * values (exact match; `""` and values with `len(key)+len(value) >= 256` are never matched).
 */
export function createTraceStatePolicy(cfg: TraceStateConfig): PolicyEvaluator {
  const values = new Set(cfg.values.filter((v) => v !== '' && cfg.key.length + v.length < 256));
  const matches = (span: Span) => {
    if (span.traceState === '') return false;
    const v = parseTraceState(span.traceState)?.get(cfg.key);
    return v !== undefined && values.has(v);
  };
  return { evaluate: (t: TraceView): Decision => hasSpanWithCondition(t, matches) };
}
