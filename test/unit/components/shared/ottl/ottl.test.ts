import { describe, expect, it } from 'vitest';
import { evaluateSpanCondition, executeStatement, parseOttlCondition, parseOttlStatement } from '../../../../../src/components/shared/ottl/index.js';
import type { Condition, Statement } from '../../../../../src/components/shared/ottl/index.js';
import type { InstrumentationScope, Resource, Span } from '../../../../../src/protocol/otlp/model.js';
import { emptyScope, idFromBytes } from '../../../../../src/protocol/otlp/model.js';
import { decodeExportRequest } from '../../../../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../../../../src/protocol/otlp/proto-encode.js';
import { makeSpan } from '../../../../helpers/spans.js';

function span(over: Partial<Span> = {}): Span {
  return makeSpan({
    traceId: idFromBytes(new Uint8Array(16).fill(1)),
    spanId: idFromBytes(new Uint8Array(8).fill(2)),
    name: 'GET /health',
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes: [
      { key: 'http.route', value: '/health' },
      { key: 'http.status_code', value: 200n },
      { key: 'ratio', value: 0.5 },
    ],
    ...over,
  });
}
const resource: Resource = { attributes: [{ key: 'service.name', value: 'checkout' }], droppedAttributesCount: 0 };
const scope: InstrumentationScope = emptyScope();

function cond(text: string): Condition {
  const r = parseOttlCondition(text);
  if (!r.ok) throw new Error(r.message);
  return r.condition;
}
function stmt(text: string): Statement {
  const r = parseOttlStatement(text);
  if (!r.ok) throw new Error(r.message);
  return r.statement;
}

describe('OTTL conditions', () => {
  it.each([
    ['attributes["http.route"] == "/health"', true],
    ['attributes["http.route"] != "/health"', false],
    ['span.attributes["http.route"] == "/health"', true],
    ['attributes["missing"] == nil', true],
    ['attributes["missing"] == "x"', false],
    ['attributes["http.status_code"] >= 200 and attributes["http.status_code"] < 300', true],
    ['attributes["http.status_code"] == 200.0', true],
    ['attributes["ratio"] > 0.25', true],
    ['attributes["http.status_code"] == "200"', false],
    ['attributes["http.status_code"] != "200"', true],
    ['kind == SPAN_KIND_SERVER', true],
    ['kind == SPAN_KIND_CLIENT or name == "GET /health"', true],
    ['not (status.code == STATUS_CODE_ERROR)', true],
    ['resource.attributes["service.name"] == "checkout"', true],
    ['IsMatch(name, "^GET ")', true],
    ['IsMatch(attributes["missing"], ".*")', false],
    ['true and not false', true],
    ['name > "A" and name < "Z"', true],
  ])('%s → %s', (text, expected) => {
    expect(evaluateSpanCondition(cond(text), span(), resource, scope)).toBe(expected);
  });

  // upstream IsMatch takes a StringLikeGetter: non-strings are matched as their string form, and
  // the pattern is Go RE2 (regexp.Compile), not a JS RegExp
  it.each([
    ['IsMatch(attributes["http.status_code"], "^2..$")', true],
    ['IsMatch(attributes["http.status_code"], "^5")', false],
    ['IsMatch(attributes["ratio"], "^0\\\\.5$")', true],
    ['IsMatch(attributes["flag"], "^true$")', true],
    ['IsMatch(attributes["blob"], "^00ff$")', true],
    ['IsMatch(attributes["list"], "^\\\\[\\"a\\",1,false\\\\]$")', true],
    ['IsMatch(attributes["map"], "^\\\\{\\"a\\":1,\\"b\\":\\"x\\"\\\\}$")', true],
    ['IsMatch(attributes["empty"], ".*")', false],
    ['IsMatch(name, "(?i)^get /HEALTH$")', true],
    ['IsMatch(attributes["crlf"], "^a.b$")', true],
    ['IsMatch(attributes["http.route"], "health\\\\z")', true],
    ['IsMatch(attributes["http.route"], "^[[:punct:]][[:alpha:]]+$")', true],
  ])('%s → %s', (text, expected) => {
    const s = span({
      attributes: [
        ...span().attributes,
        { key: 'flag', value: true },
        { key: 'blob', value: Uint8Array.of(0, 255) },
        { key: 'list', value: ['a', 1n, false] },
        { key: 'map', value: { kvlist: [{ key: 'b', value: 'x' }, { key: 'a', value: 1n }] } },
        { key: 'empty', value: null },
        { key: 'crlf', value: 'a\rb' },
      ],
    });
    expect(evaluateSpanCondition(cond(text), s, resource, scope)).toBe(expected);
  });

  it('binds and tighter than or', () => {
    // false and false or true == (false and false) or true == true
    expect(evaluateSpanCondition(cond('name == "x" and name == "y" or kind == SPAN_KIND_SERVER'), span(), resource, scope)).toBe(true);
  });

  it.each([
    ['Len(name) > 3', 'unsupported function Len'],
    ['attributes["a"] ==', 'expected a value'],
    ['duration > 5', 'unsupported path duration'],
    ['name == "unterminated', 'unterminated string'],
    ['IsMatch(name, "(")', 'invalid regular expression'],
    ['name', 'expected a comparison operator'],
  ])('rejects %s naming the problem', (text, fragment) => {
    const r = parseOttlCondition(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(fragment);
      expect(r.message).toContain(JSON.stringify(text));
    }
  });
});

describe('OTTL statements', () => {
  it('set writes attributes, name and status', () => {
    const s = span();
    executeStatement(stmt('set(attributes["env"], "prod")'), { span: s, resource, scope });
    executeStatement(stmt('set(attributes["copied"], resource.attributes["service.name"])'), { span: s, resource, scope });
    executeStatement(stmt('set(name, "renamed") where kind == SPAN_KIND_SERVER'), { span: s, resource, scope });
    executeStatement(stmt('set(status.code, STATUS_CODE_ERROR)'), { span: s, resource, scope });
    expect(s.attributes).toContainEqual({ key: 'env', value: 'prod' });
    expect(s.attributes).toContainEqual({ key: 'copied', value: 'checkout' });
    expect(s.name).toBe('renamed');
    expect(s.status.code).toBe(2);
  });

  it('set(status...) on a decoded span leaves the other spans that shared its unset status alone', () => {
    // The decoder gives every span with an unset status the same frozen object (model.ts).
    const request = encodeExportRequest({
      resourceSpans: [{ resource, scopeSpans: [{ scope, spans: [span(), span({ name: 'other' })], schemaUrl: '' }], schemaUrl: '' }],
    });
    const [a, b] = decodeExportRequest(request).resourceSpans[0]!.scopeSpans[0]!.spans;
    executeStatement(stmt('set(status.code, STATUS_CODE_ERROR)'), { span: a!, resource, scope });
    executeStatement(stmt('set(status.message, "boom")'), { span: a!, resource, scope });
    expect(a!.status).toEqual({ code: 2, message: 'boom' });
    expect(b!.status).toEqual({ code: 0, message: '' });
  });

  it('set(attributes...) on a decoded span leaves other spans with the same attribute alone', () => {
    // The decoder shares one KeyValue object between spans with identical attribute bytes.
    const request = encodeExportRequest({
      resourceSpans: [{ resource, scopeSpans: [{ scope, spans: [span(), span({ name: 'other' })], schemaUrl: '' }], schemaUrl: '' }],
    });
    const [a, b] = decodeExportRequest(request).resourceSpans[0]!.scopeSpans[0]!.spans;
    executeStatement(stmt('set(attributes["http.route"], "/changed")'), { span: a!, resource, scope });
    expect(a!.attributes).toContainEqual({ key: 'http.route', value: '/changed' });
    expect(b!.attributes).toContainEqual({ key: 'http.route', value: '/health' });
  });

  it('where clause that does not hold changes nothing', () => {
    const s = span();
    expect(executeStatement(stmt('set(name, "x") where kind == SPAN_KIND_CLIENT'), { span: s, resource, scope })).toBe(false);
    expect(s.name).toBe('GET /health');
  });

  it('delete_key and replace_pattern', () => {
    const s = span({ attributes: [{ key: 'url', value: 'https://x/users/123/orders/9' }, { key: 'secret', value: 'y' }] });
    executeStatement(stmt('delete_key(attributes, "secret")'), { span: s, resource, scope });
    executeStatement(stmt('replace_pattern(attributes["url"], "/\\\\d+", "/{id}")'), { span: s, resource, scope });
    expect(s.attributes).toEqual([{ key: 'url', value: 'https://x/users/{id}/orders/{id}' }]);
  });

  it('resource context resolves unprefixed attributes to the resource', () => {
    const r: Resource = { attributes: [], droppedAttributesCount: 0 };
    const parsed = parseOttlStatement('set(attributes["deployment.environment"], "prod")', 'resource');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) executeStatement(parsed.statement, { resource: r });
    expect(r.attributes).toEqual([{ key: 'deployment.environment', value: 'prod' }]);
  });

  it('rejects unsupported functions, naming the upstream ones it does not simulate', () => {
    const r = parseOttlStatement('truncate_all(attributes, 10)');
    expect(r).toMatchObject({ ok: false, unsimulatedFunction: 'truncate_all' });
    if (!r.ok) expect(r.message).toContain('unsupported function truncate_all');
    expect(parseOttlStatement('set(attributes["k"], Concat([name, "x"], "-"))')).toMatchObject({ ok: false, unsimulatedFunction: 'Concat' });
    expect(parseOttlStatement('set(attributes["k"], "v") where IsRootSpan()')).toMatchObject({ ok: false, unsimulatedFunction: 'IsRootSpan' });
    // not upstream OTTL at all: a typo of an editor, an unknown enum
    const typo = parseOttlStatement('truncate_al(attributes, 10)');
    expect(typo.ok).toBe(false);
    expect(typo).not.toHaveProperty('unsimulatedFunction');
    expect(parseOttlCondition('kind == SPAN_KIND_SEVER')).not.toHaveProperty('unsimulatedFunction');
  });
});
