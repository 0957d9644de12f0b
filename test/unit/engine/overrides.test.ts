import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import {
  applyOverrides,
  formatPath,
  getAt,
  parsePath,
  parseSetArgument,
  parseVaryArgument,
  type PathSegment,
} from '../../../src/engine/overrides.js';
import { InputError } from '../../../src/shared/errors.js';

const key = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_/-]{0,8}$/),
  fc.stringMatching(/^[a-z]{1,4}\.[a-z]{1,4}$/), // keys with dots (attribute names) must round-trip quoted
);
const segment: fc.Arbitrary<PathSegment> = fc.oneof(
  key.map((k) => ({ kind: 'key' as const, key: k })),
  fc.nat({ max: 50 }).map((index) => ({ kind: 'index' as const, index })),
  fc.record({ kind: fc.constant('match' as const), field: fc.stringMatching(/^[a-z]{1,6}$/), value: fc.stringMatching(/^[a-z0-9-]{1,10}$/) }),
);

/** A random YAML-like document: mappings, lists of named mappings, scalars. */
const doc = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.integer(), fc.string(), fc.boolean()),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), tie('node'), { maxKeys: 4 }),
    fc.array(fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), tie('node'), { maxKeys: 3 }), { maxLength: 3 }),
  ),
})).node;

/** Every path that exists in `node`, as segments (index segments for lists). */
function paths(node: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = [];
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      const p = [...prefix, { kind: 'index' as const, index }];
      out.push(p, ...paths(item, p));
    });
  } else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      const p = [...prefix, { kind: 'key' as const, key: k }];
      out.push(p, ...paths(v, p));
    }
  }
  return out;
}

describe('override paths', () => {
  test.prop([fc.array(segment, { minLength: 1, maxLength: 6 }).filter((s) => s[0]!.kind === 'key')])(
    'formatPath and parsePath round-trip',
    (segments) => {
      expect(parsePath(formatPath(segments))).toEqual(segments);
    },
  );

  it('parses the documented examples', () => {
    expect(parsePath('collector.processors.tail_sampling.policies[name=sampling-policy].probabilistic.sampling_percentage')).toEqual([
      { kind: 'key', key: 'collector' },
      { kind: 'key', key: 'processors' },
      { kind: 'key', key: 'tail_sampling' },
      { kind: 'key', key: 'policies' },
      { kind: 'match', field: 'name', value: 'sampling-policy' },
      { kind: 'key', key: 'probabilistic' },
      { kind: 'key', key: 'sampling_percentage' },
    ]);
    expect(parsePath('collector.exporters["otlp/tempo"].endpoint')[2]).toEqual({ kind: 'key', key: 'otlp/tempo' });
    expect(parsePath('services[2].instances')).toEqual([
      { kind: 'key', key: 'services' },
      { kind: 'index', index: 2 },
      { kind: 'key', key: 'instances' },
    ]);
  });

  it.each(['', 'a..b', '.a', 'a.', 'a[', 'a[x y]', 'a[0]b'])('rejects the malformed path %j', (p) => {
    expect(() => parsePath(p)).toThrow(InputError);
  });
});

describe('override values', () => {
  it('are YAML scalars', () => {
    expect(parseSetArgument('a=20').value).toBe(20);
    expect(parseSetArgument('a=2.5').value).toBe(2.5);
    expect(parseSetArgument('a=true').value).toBe(true);
    expect(parseSetArgument('a=500/s').value).toBe('500/s');
    expect(parseSetArgument('a="20"').value).toBe('20');
    expect(parseSetArgument('a=[x, y]').value).toEqual(['x', 'y']);
    expect(parseSetArgument('a=x=y').value).toBe('x=y');
    expect(parseSetArgument('p[name=a].b=3')).toMatchObject({ path: 'p[name=a].b', value: 3 });
  });

  it('splits sweep values at top-level commas only', () => {
    const vary = parseVaryArgument('collector.processors.batch.timeout=1s,[a, b],3');
    expect(vary.path).toBe('collector.processors.batch.timeout');
    expect(vary.values.map((v) => v.override.value)).toEqual(['1s', ['a', 'b'], 3]);
    expect(() => parseVaryArgument('a=1,,2')).toThrow(InputError);
    expect(() => parseVaryArgument('novalues')).toThrow(InputError);
  });
});

describe('applyOverrides', () => {
  test.prop([doc.filter((d) => paths(d).length > 0), fc.nat(), fc.integer()])(
    'sets any existing path, leaves the rest and the input unchanged',
    (scenario, pick, value) => {
      const all = paths(scenario);
      const target = all[pick % all.length]!;
      const before = structuredClone(scenario);
      const out = applyOverrides({ scenario, collector: {} }, [{ path: formatPath(target), segments: target, value }]);
      expect(scenario).toEqual(before);
      expect(getAt(out, target)).toBe(value);
      // every path not under the target still holds what it held
      const targetText = formatPath(target);
      for (const p of paths(before)) {
        const text = formatPath(p);
        if (text === targetText || text.startsWith(targetText)) continue;
        if (targetText.startsWith(text)) continue; // an ancestor now holds the new value
        expect(getAt(out, p)).toEqual(getAt({ scenario: before, collector: {} }, p));
      }
    },
  );

  const collector = {
    processors: {
      batch: null,
      tail_sampling: {
        decision_wait: '10s',
        policies: [
          { name: 'errors', type: 'status_code' },
          { name: 'sampling-policy', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
        ],
      },
    },
  };
  const scenario = { name: 's', collector: 'c.yaml', traffic: { rate: '100/s' } };

  it('addresses list items by name and routes collector. paths to the collector config', () => {
    const out = applyOverrides({ scenario, collector }, [
      parseSetArgument('collector.processors.tail_sampling.policies[name=sampling-policy].probabilistic.sampling_percentage=25'),
      parseSetArgument('collector.processors.batch.timeout=1s'),
      parseSetArgument('traffic.rate=800/s'),
      parseSetArgument('collector=other.yaml'),
    ]);
    expect(getAt(out, parsePath('collector.processors.tail_sampling.policies[1].probabilistic.sampling_percentage'))).toBe(25);
    expect(getAt(out, parsePath('collector.processors.batch.timeout'))).toBe('1s');
    expect(out.scenario).toEqual({ name: 's', collector: 'other.yaml', traffic: { rate: '800/s' } });
    expect(collector.processors.tail_sampling.policies[1]!.probabilistic!.sampling_percentage).toBe(10);
  });

  it('names a bad path and the keys available at that level, all problems at once', () => {
    let error: unknown;
    try {
      applyOverrides({ scenario, collector }, [
        parseSetArgument('collector.processors.tail_sampling.policies[name=nope].probabilistic.sampling_percentage=25'),
        parseSetArgument('collector.processors.tail_samplin.decision_wait=1s'),
        parseSetArgument('collector.processors.tail_sampling.policies[7].name=x'),
      ]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).toContain('3 bad override paths');
    expect(message).toContain('no item with name=nope in collector.processors.tail_sampling.policies; available: errors, sampling-policy');
    expect(message).toContain(
      'collector.processors.tail_samplin.decision_wait: no key "tail_samplin" at collector.processors; available: batch, tail_sampling (to add it, set it whole: collector.processors.tail_samplin={decision_wait: "1s"}) (in the collector config)',
    );
    expect(message).toContain('index 7 is out of range (0..1)');
  });

  it('creates a section the file leaves to its defaults; under named maps a missing key is an error with the one-line form', () => {
    const out = applyOverrides({ scenario, collector }, [
      parseSetArgument('collector.processors.tail_sampling.decision_cache.sampled_cache_size=500'),
      parseSetArgument('downstream.latency=20ms'),
    ]);
    expect(getAt(out, parsePath('collector.processors.tail_sampling.decision_cache'))).toEqual({ sampled_cache_size: 500 });
    expect(getAt(out, parsePath('downstream'))).toEqual({ latency: '20ms' });
    // a typo'd key of a schema section is created too: validation then names it as an unknown key
    expect(getAt(applyOverrides({ scenario, collector }, [parseSetArgument('trafic.rate=5')]), parsePath('trafic.rate'))).toBe(5);
    // a component id, a pipeline id, an operation or an attribute key is never created
    for (const [path, at] of [
      ['collector.exporters.otlp.endpoint=x:4317', 'collector.exporters'],
      ['collector.service.pipelines.traces.processors=[batch]', 'collector.service.pipelines'],
      ['services[0].operations.Checkout.kind=server', 'services[0].operations'],
      ['services[0].operations.GetCart.attributes.http.route=/cart', 'services[0].operations.GetCart.attributes'],
    ] as const) {
      const withNamedMaps = {
        scenario: { ...scenario, services: [{ name: 'cart', operations: { GetCart: { attributes: { 'http.route': '/c' } } } }] },
        collector: { ...collector, exporters: {}, service: { pipelines: {} } },
      };
      expect(() => applyOverrides(withNamedMaps, [parseSetArgument(path)]), path).toThrow(`at ${at}; available:`);
    }
    expect(() => applyOverrides({ scenario, collector: { ...collector, exporters: { debug: null } } }, [parseSetArgument('collector.exporters.otlp.sending_queue.queue_size=5')])).toThrow(
      'no key "otlp" at collector.exporters; available: debug (to add it, set it whole: collector.exporters.otlp={sending_queue: {queue_size: 5}})',
    );
    // through list items there is no one-line form, so no hint
    expect(() =>
      applyOverrides({ scenario: { ...scenario, services: [{ name: 'cart', operations: {} }] }, collector }, [parseSetArgument('services[0].operations.Checkout.calls[0].service=x')]),
    ).toThrow(/no key "Checkout" at services\[0\]\.operations; available: \(none\) \(in the scenario\)$/);
  });

  it('finds a scenario route without a name by its default name "<service> <operation>"', () => {
    const withRoutes = { ...scenario, routes: [{ service: 'frontend', operation: 'GET /cart', weight: 1 }, { name: 'pay', service: 'frontend', operation: 'POST /pay' }] };
    const out = applyOverrides({ scenario: withRoutes, collector }, [parseSetArgument('routes[name=frontend GET /cart].weight=3')]);
    expect(getAt(out, parsePath('routes[0].weight'))).toBe(3);
    expect(() => applyOverrides({ scenario: withRoutes, collector }, [parseSetArgument('routes[name=frontend POST /pay].weight=3')])).toThrow(
      'no item with name=frontend POST /pay in routes; available: frontend GET /cart, pay',
    );
  });

  it('refuses to descend into a scalar', () => {
    expect(() => applyOverrides({ scenario, collector }, [parseSetArgument('traffic.rate.x=1')])).toThrow(
      /traffic.rate is a string \("100\/s"\), not a mapping/,
    );
  });
});
