import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attributesProcessorFactory } from '../../../../../src/components/processors/attributes/factory.js';
import { resourceProcessorFactory } from '../../../../../src/components/processors/resource/factory.js';
import { applyActions, compileActions, sha1Hex } from '../../../../../src/components/shared/attributes/actions.js';
import type { KeyValue } from '../../../../../src/protocol/otlp/model.js';
import { createTestHost } from '../../../../helpers/host.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';
import { makeBatch, makeSpan } from '../../../../helpers/spans.js';

function run(actions: unknown[], attrs: KeyValue[]): KeyValue[] {
  const c = compileActions(actions as never);
  expect(c.problems).toEqual([]);
  applyActions(c.actions, attrs);
  return attrs;
}

describe('attribute actions', () => {
  it('insert / update / upsert / delete', () => {
    const attrs: KeyValue[] = [{ key: 'a', value: 'old' }, { key: 'src', value: 5n }];
    run(
      [
        { key: 'a', value: 'ins', action: 'insert' },
        { key: 'b', value: 'ins', action: 'insert' },
        { key: 'c', value: 'upd', action: 'update' },
        { key: 'a', value: 1, action: 'update' },
        { key: 'd', from_attribute: 'src', action: 'upsert' },
        { key: 'e', from_attribute: 'missing', action: 'upsert' },
        { key: 'src', action: 'delete' },
      ],
      attrs,
    );
    expect(attrs).toEqual([
      { key: 'a', value: 1n },
      { key: 'b', value: 'ins' },
      { key: 'd', value: 5n },
    ]);
  });

  it('hash is SHA-1 hex of the value bytes (string UTF-8, int 8 bytes little-endian, bool 1 byte)', () => {
    const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
    expect(sha1Hex('user@example.com')).toBe(sha1(Buffer.from('user@example.com')));
    const le = Buffer.alloc(8);
    le.writeBigInt64LE(42n);
    expect(sha1Hex(42n)).toBe(sha1(le));
    expect(sha1Hex(true)).toBe(sha1(Uint8Array.of(1)));
    const attrs = run([{ key: 'email', action: 'hash' }, { pattern: '^secret\\.', action: 'delete' }], [{ key: 'email', value: 'x' }, { key: 'secret.a', value: 'y' }]);
    expect(attrs).toEqual([{ key: 'email', value: sha1(Buffer.from('x')) }]);
  });

  it('patterns are Go RE2 (regexp.Compile): a leading (?i), \\z and POSIX classes work as in the collector', () => {
    const attrs = run(
      [
        { pattern: '(?i)^SECRET\\.', action: 'delete' },
        { pattern: '[[:digit:]]\\z', action: 'delete' },
      ],
      [
        { key: 'secret.a', value: 'y' },
        { key: 'slot7', value: 'z' },
        { key: 'kept', value: 'k' },
      ],
    );
    expect(attrs).toEqual([{ key: 'kept', value: 'k' }]);
  });

  it('extract with Go (?P<name>) groups and convert', () => {
    const attrs = run(
      [
        { key: 'db.statement', pattern: '^(?P<db_operation>\\w+) .* FROM (?P<db_table>\\w+)', action: 'extract' },
        { key: 'status', converted_type: 'int', action: 'convert' },
      ],
      [{ key: 'db.statement', value: 'SELECT * FROM orders' }, { key: 'status', value: '200' }],
    );
    expect(attrs).toEqual([
      { key: 'db.statement', value: 'SELECT * FROM orders' },
      { key: 'status', value: 200n },
      { key: 'db_operation', value: 'SELECT' },
      { key: 'db_table', value: 'orders' },
    ]);
  });
});

describe('attributes processor include/exclude', () => {
  async function processWith(raw: unknown) {
    const parsed = attributesProcessorFactory.parseConfig(raw, 'processors.attributes');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const sink = new TracesSink();
    const proc = attributesProcessorFactory.createTraces({ id: 'attributes', compat: 'current' }, parsed.config, sink);
    await proc.start(createTestHost());
    const batch = makeBatch([
      makeSpan({ name: 'GET /cart', kind: 2, attributes: [{ key: 'http.status_code', value: 200n }] }),
      makeSpan({ name: 'SELECT', kind: 3, attributes: [{ key: 'db.system', value: 'postgres' }] }),
    ]);
    await proc.consumeTraces(batch);
    return sink.spans().map((s) => s.attributes.some((kv) => kv.key === 'tagged'));
  }
  const actions = [{ key: 'tagged', value: true, action: 'insert' }];

  it('strict include by span kind and attribute value', async () => {
    expect(await processWith({ include: { match_type: 'strict', span_kinds: ['SPAN_KIND_SERVER'] }, actions })).toEqual([true, false]);
    expect(await processWith({ include: { match_type: 'strict', attributes: [{ key: 'http.status_code', value: 200 }] }, actions })).toEqual([true, false]);
    expect(await processWith({ include: { match_type: 'strict', attributes: [{ key: 'db.system' }] }, actions })).toEqual([false, true]);
  });

  it('regexp include on services and span names, exclude wins', async () => {
    expect(await processWith({ include: { match_type: 'regexp', services: ['check.*'] }, actions })).toEqual([true, true]);
    expect(await processWith({ include: { match_type: 'regexp', services: ['check.*'] }, exclude: { match_type: 'regexp', span_names: ['^SELECT'] }, actions })).toEqual([true, false]);
    expect(await processWith({ include: { match_type: 'regexp', services: ['payment'] }, actions })).toEqual([false, false]);
  });

  it('match blocks are validated', () => {
    const r = attributesProcessorFactory.parseConfig({ include: { services: ['x'] }, exclude: { match_type: 'strict' }, actions }, 'processors.attributes');
    expect(r.ok ? [] : r.problems).toEqual([
      { path: 'processors.attributes.include.match_type', message: 'required: strict or regexp' },
      { path: 'processors.attributes.exclude', message: 'at least one of services, span_names, span_kinds, attributes, resources or libraries must be set' },
    ]);
  });
});

describe('resource processor', () => {
  it('applies actions to resource attributes', async () => {
    const parsed = resourceProcessorFactory.parseConfig({ attributes: [{ key: 'deployment.environment', value: 'prod', action: 'upsert' }, { key: 'host.name', action: 'delete' }] }, 'processors.resource');
    if (!parsed.ok) throw new Error('parse');
    const sink = new TracesSink();
    const proc = resourceProcessorFactory.createTraces({ id: 'resource', compat: 'current' }, parsed.config, sink);
    await proc.start(createTestHost());
    await proc.consumeTraces(makeBatch([makeSpan()], 'checkout', [{ key: 'host.name', value: 'h1' }]));
    expect(sink.batches[0]!.resourceSpans[0]!.resource.attributes).toEqual([
      { key: 'service.name', value: 'checkout' },
      { key: 'deployment.environment', value: 'prod' },
    ]);
  });
});
