/**
 * Evaluation of parsed OTTL conditions and statements against the span model, with OTTL's
 * comparison rules: a missing attribute is `nil`; `nil == nil`; values of different kinds are
 * never equal (ints and doubles compare numerically); `<`/`>` apply to numbers and strings only
 * and are false otherwise. Pure apart from statements, which mutate the span they are given.
 */
import type { AnyValue, InstrumentationScope, KeyValue, Resource, Span, SpanEvent, StatusCode } from '../../../protocol/otlp/model.js';
import { idToHex } from '../../../protocol/otlp/model.js';
import type { CompareOp, Condition, PathExpr, Statement, ValueExpr } from './ast.js';

/** What paths read and write. `span`/`scope` are absent for resource-context statements. */
export interface OttlTarget {
  readonly resource: Resource;
  readonly scope?: InstrumentationScope;
  readonly span?: Span;
  readonly event?: SpanEvent;
}

type Value = AnyValue;

/** True when `cond` holds for `span` (with its resource and scope). */
export function evaluateSpanCondition(cond: Condition, span: Span, resource: Resource, scope: InstrumentationScope): boolean {
  return evaluateCondition(cond, { span, resource, scope });
}

/** True when `cond` holds for the target (any context). */
export function evaluateCondition(cond: Condition, t: OttlTarget): boolean {
  switch (cond.type) {
    case 'and':
      return evaluateCondition(cond.left, t) && evaluateCondition(cond.right, t);
    case 'or':
      return evaluateCondition(cond.left, t) || evaluateCondition(cond.right, t);
    case 'not':
      return !evaluateCondition(cond.operand, t);
    case 'bool':
      return cond.value;
    case 'compare':
      return compare(cond.op, read(cond.left, t), read(cond.right, t));
    case 'is_match': {
      const v = stringLike(read(cond.target, t));
      if (v === undefined) return false;
      cond.pattern.lastIndex = 0;
      return cond.pattern.test(v);
    }
  }
}

/**
 * A value as OTTL's `StringLikeGetter` reads it (`pkg/ottl/expression.go`): strings as they are,
 * bytes as lowercase hex, maps and slices as JSON, ints, doubles and booleans as their JSON text
 * (`503`, `0.25`, `1e+21`, `true`: JS number formatting agrees with Go's JSON for finite doubles).
 * `undefined` for nil and for what Go's JSON cannot encode (NaN, ±Inf): `IsMatch` is then false.
 */
function stringLike(v: Value): string | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (typeof v === 'number' && !Number.isFinite(v)) return undefined;
  return goJson(v);
}

/** Go `encoding/json` text of a raw value (`AsRaw`: maps with sorted keys, bytes as base64). */
function goJson(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (v instanceof Uint8Array) return `"${Buffer.from(v).toString('base64')}"`;
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const entries = [...v.kvlist].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return `{${entries.map((kv) => `${goJson(kv.key)}:${goJson(kv.value)}`).join(',')}}`;
}

function read(expr: ValueExpr, t: OttlTarget): Value {
  return expr.type === 'literal' ? expr.value : readPath(expr, t);
}

function attributesOf(p: PathExpr, t: OttlTarget): KeyValue[] | undefined {
  switch (p.target) {
    case 'span':
      return t.span?.attributes;
    case 'resource':
      return t.resource.attributes;
    case 'scope':
      return t.scope?.attributes;
    case 'spanevent':
      return t.event?.attributes;
  }
}

/** Reads a path; anything absent is `null` (OTTL `nil`). Enum-like fields read as ints. */
export function readPath(p: PathExpr, t: OttlTarget): Value {
  if (p.field === 'attributes') {
    const attrs = attributesOf(p, t);
    if (!attrs) return null;
    if (p.key === undefined) return { kvlist: attrs };
    for (const kv of attrs) if (kv.key === p.key) return kv.value;
    return null;
  }
  const { span, scope, event, resource } = t;
  switch (`${p.target}:${p.field}`) {
    case 'span:name':
      return span ? span.name : null;
    case 'span:kind':
      return span ? BigInt(span.kind) : null;
    case 'span:status.code':
      return span ? BigInt(span.status.code) : null;
    case 'span:status.message':
      return span ? span.status.message : null;
    case 'span:trace_state':
      return span ? span.traceState : null;
    case 'span:trace_id.string':
      return span ? idToHex(span.traceId) : null;
    case 'span:span_id.string':
      return span ? idToHex(span.spanId) : null;
    case 'span:parent_span_id.string':
      return span ? idToHex(span.parentSpanId) : null;
    case 'span:start_time_unix_nano':
      return span ? span.startTimeUnixNano : null;
    case 'span:end_time_unix_nano':
      return span ? span.endTimeUnixNano : null;
    case 'span:dropped_attributes_count':
      return span ? BigInt(span.droppedAttributesCount) : null;
    case 'resource:dropped_attributes_count':
      return BigInt(resource.droppedAttributesCount);
    case 'scope:name':
      return scope ? scope.name : null;
    case 'scope:version':
      return scope ? scope.version : null;
    case 'spanevent:name':
      return event ? event.name : null;
    case 'spanevent:time_unix_nano':
      return event ? event.timeUnixNano : null;
    default:
      return null;
  }
}

function isNumeric(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** -1/0/1 for numbers (bigint and double mixed), undefined when not comparable. */
function numericOrder(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compare(op: CompareOp, a: Value, b: Value): boolean {
  let order: number | undefined;
  if (a === null || b === null) {
    const eq = a === b;
    return op === '==' ? eq : op === '!=' ? !eq : false;
  }
  if (isNumeric(a) && isNumeric(b)) order = numericOrder(a, b);
  else if (typeof a === 'string' && typeof b === 'string') order = a < b ? -1 : a > b ? 1 : 0;
  else if (typeof a === 'boolean' && typeof b === 'boolean') {
    if (op === '==') return a === b;
    if (op === '!=') return a !== b;
    return false;
  }
  if (order === undefined) return op === '!=';
  switch (op) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** Replaces the entry for `key` (KeyValue objects may be shared between spans: never written into). */
function setAttribute(attrs: KeyValue[], key: string, value: AnyValue): void {
  const i = attrs.findIndex((kv) => kv.key === key);
  if (i >= 0) attrs[i] = { key, value };
  else attrs.push({ key, value });
}

/**
 * Runs one statement on the target, in place. Returns false when its `where` clause did not
 * hold (nothing changed). `set` to `nil` is a no-op, as in OTTL.
 */
export function executeStatement(stmt: Statement, t: OttlTarget): boolean {
  if (stmt.where && !evaluateCondition(stmt.where, t)) return false;
  const p = stmt.target;
  switch (stmt.type) {
    case 'set': {
      const v = read(stmt.value, t);
      if (v === null) return true;
      write(p, t, v);
      return true;
    }
    case 'delete_key': {
      const attrs = attributesOf(p, t);
      if (attrs) {
        const i = attrs.findIndex((kv) => kv.key === stmt.key);
        if (i >= 0) attrs.splice(i, 1);
      }
      return true;
    }
    case 'replace_pattern': {
      const v = readPath(p, t);
      if (typeof v !== 'string') return true;
      stmt.pattern.lastIndex = 0;
      const replaced = v.replace(stmt.pattern, stmt.replacement);
      if (replaced !== v) write(p, t, replaced);
      return true;
    }
  }
}

function write(p: PathExpr, t: OttlTarget, v: AnyValue): void {
  if (p.field === 'attributes') {
    const attrs = attributesOf(p, t);
    if (!attrs) return;
    if (p.key !== undefined) setAttribute(attrs, p.key, v);
    else if (typeof v === 'object' && v !== null && 'kvlist' in v) attrs.splice(0, attrs.length, ...v.kvlist.map((kv) => ({ ...kv })));
    return;
  }
  const { span, scope, event } = t;
  switch (`${p.target}:${p.field}`) {
    case 'span:name':
      if (span && typeof v === 'string') span.name = v;
      return;
    case 'span:status.code':
      if (span && isNumeric(v) && Number(v) >= 0 && Number(v) <= 2) span.status = { ...span.status, code: Number(v) as StatusCode };
      return;
    case 'span:status.message':
      if (span && typeof v === 'string') span.status = { ...span.status, message: v };
      return;
    case 'scope:name':
      if (scope && typeof v === 'string') scope.name = v;
      return;
    case 'spanevent:name':
      if (event && typeof v === 'string') event.name = v;
      return;
  }
}
