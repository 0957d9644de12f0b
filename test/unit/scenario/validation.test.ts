import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario, parseYaml, scenarioHash } from '../../../src/scenario/load.js';
import { InputError } from '../../../src/shared/errors.js';
import { formatProblem } from '../../../src/shared/schema.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/scenarios');
const SCENARIOS = join(import.meta.dirname, '../../../scenarios');

/** A valid scenario; each table row breaks one thing. */
function base(): Record<string, unknown> {
  return {
    traffic: { rate: '100/s', duration: '2s' },
    routes: [{ service: 'web', operation: 'GET /' }],
    services: [
      {
        name: 'web',
        operations: {
          'GET /': { kind: 'server', latency: '5ms', calls: [{ service: 'pay', operation: 'charge' }] },
        },
      },
      { name: 'pay', operations: { charge: { kind: 'server', latency: { p50: '10ms', p95: '40ms', p99: '90ms' } } } },
    ],
  };
}

function problemsOf(raw: unknown): string[] {
  try {
    parseScenario(raw, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems.map(formatProblem);
  }
  return [];
}

type Mutate = (s: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const table: [string, Mutate, string[]][] = [
  ['percentiles out of order', (s) => (s.services[1].operations.charge.latency.p99 = '30ms'), ['services[1].operations.charge.latency.p99: must be ≥ p95']],
  ['unknown top-level key', (s) => (s.colour = 'red'), ['colour: unknown key']],
  ['unknown operation key', (s) => (s.services[1].operations.charge.latnecy = '1ms'), ['services[1].operations.charge.latnecy: unknown key']],
  ['bad duration', (s) => (s.services[1].operations.charge.latency = 'soon'), ['services[1].operations.charge.latency: expected a duration such as 5s or 250ms, got "soon"']],
  ['bad rate', (s) => (s.traffic.rate = 'lots'), ['traffic.rate: expected a rate such as 500/s or 30000/min, got "lots"']],
  ['zero rate', (s) => (s.traffic.rate = '0/s'), ['traffic.rate: a rate of 0 (and no stage above 0) generates no traffic: give a rate above 0']],
  [
    'zero rate, zero stages',
    (s) => ((s.traffic.rate = 0), (s.traffic.stages = [{ duration: '5s', target: '0/s' }])),
    ['traffic.rate: a rate of 0 (and no stage above 0) generates no traffic: give a rate above 0'],
  ],
  ['too many collector replicas', (s) => (s.collector_replicas = 100_000), ['collector_replicas: at most 256: each replica is a whole simulated collector']],
  ['zero production rate', (s) => (s.traffic.production_rate = '0/min'), ['traffic.production_rate: must be above 0 (storage is projected at this rate)']],
  [
    'a gate that does not parse (validate catches what run would refuse)',
    (s) => (s.gates = ['retention.traces <= 0.2', 'retention.tracez < 3']),
    ['gates[1]: gate "retention.tracez < 3": unknown report path "retention.tracez"; close matches: retention.traces'],
  ],
  ['error rate above 1', (s) => (s.services[1].operations.charge.error_rate = 2), ['services[1].operations.charge.error_rate: must be between 0 and 1']],
  [
    'error rate written as a percentage',
    (s) => (s.services[1].operations.charge.error_rate = '1%'),
    ['services[1].operations.charge.error_rate: expected a number, got "1%": write 0.01 for a fraction such as error_rate, or 1 for a percentage such as sampling_percentage'],
  ],
  ['route to an undefined service', (s) => (s.routes[0].service = 'shop'), ['routes[0].service: undefined service "shop"']],
  ['call to an undefined operation', (s) => (s.services[0].operations['GET /'].calls[0].operation = 'refund'), ['services[0].operations.GET /.calls[0].operation: service "pay" has no operation "refund"']],
  [
    'synchronous cycle',
    (s) => (s.services[1].operations.charge.calls = [{ service: 'web', operation: 'GET /' }]),
    ['services: cycle in synchronous calls: web/GET / → pay/charge → web/GET /'],
  ],
  ['self call', (s) => (s.services[1].operations.charge.calls = [{ service: 'pay', operation: 'charge' }]), ['services: cycle in synchronous calls: pay/charge → pay/charge']],
  [
    'asynchronous cycle',
    (s) => (s.services[1].operations.charge.calls = [{ service: 'web', operation: 'GET /', async: true }]),
    ['services: cycle through asynchronous calls: web/GET / → pay/charge → web/GET /'],
  ],
  ['delay without async', (s) => (s.services[0].operations['GET /'].calls[0].delay = '1s'), ['services[0].operations.GET /.calls[0].delay: only allowed with async: true']],
  ['repeat range reversed', (s) => (s.services[0].operations['GET /'].calls[0].repeat = [5, 1]), ['services[0].operations.GET /.calls[0].repeat: repeat must have min ≤ max']],
  ['duplicate service', (s) => (s.services[1].name = 'web'), ['services[1].name: duplicate service name "web"', 'services[0].operations.GET /.calls[0].service: undefined service "pay"']],
  ['id generator without {n}', (s) => (s.services[1].operations.charge.attributes = { 'app.order.id': { id: 'ORD', cardinality: 10 } }), ['services[1].operations.charge.attributes.app.order.id.id: must contain {n}']],
  ['unknown attribute form', (s) => (s.services[1].operations.charge.attributes = { x: { zipf: 3 } }), ['services[1].operations.charge.attributes.x: expected a string, number or boolean, or one of {one_of|int|float|id|random_string|unique_id: …}']],
  ['unknown key in a distribution', (s) => (s.services[1].operations.charge.latency = { lognormal: { median: '5ms', sigma: 1, mean: 3 } }), ['services[1].operations.charge.latency.lognormal.mean: unknown key']],
  ['batch larger than queue', (s) => (s.services[1].sdk = { max_export_batch_size: 4096 }), ['services[1].sdk.max_export_batch_size: must be ≤ max_queue_size']],
  ['incident window reversed', (s) => (s.incidents = [{ service: 'pay', start: '20s', end: '10s', error_rate: 0.5 }]), ['incidents[0].end: must be after start']],
  ['incident on an undefined operation', (s) => (s.incidents = [{ service: 'pay', operation: 'refund', start: '1s', end: '2s', error_rate: 0.5 }]), ['incidents[0].operation: service "pay" has no operation "refund"']],
  ['no routes', (s) => (s.routes = []), ['routes: needs at least 1 item']],
  ['a repeat range of three', (s) => (s.services[0].operations['GET /'].calls[0].repeat = [1, 2, 3]), ['services[0].operations.GET /.calls[0].repeat: takes at most 2 items']],
  ['an empty service name', (s) => (s.services[1].name = ''), ['services[1].name: must not be empty', 'services[0].operations.GET /.calls[0].service: undefined service "pay"']],
  ['an unknown top-level key that is not an x- key', (s) => (s.common = { a: 1 }), ['common: unknown key']],
  [
    'resource keys the service sets, and a placeholder typo',
    (s) => (s.services[1].resource = { 'service.name': 'payments', 'k8s.pod.name': 'pay-{instanc}', 'host.name': 'h-{instance}' }),
    [
      "services[1].resource.service.name: set by the service's `name`: give it there",
      'services[1].resource.k8s.pod.name: unknown placeholder {instanc}: the only one is {instance} (the 0-based instance number)',
    ],
  ],
  ['seed of the wrong type', (s) => (s.seed = [3]), ['seed: expected a number']],
  ['unknown enum value', (s) => (s.traffic.arrival = 'burst'), ['traffic.arrival: expected one of "poisson", "uniform"']],
  ['span kind outside the enum', (s) => (s.services[1].operations.charge.kind = 'clientt'), ['services[1].operations.charge.kind: expected one of "internal", "server", "client", "producer", "consumer"']],
  ['replication factor below 1', (s) => (s.storage = { replication_factor: 0 }), ['storage.replication_factor: must be >= 1']],
  ['missing required key', (s) => delete s.traffic.rate, ['traffic.rate: required']],
  ['compression ratio 0', (s) => (s.storage = { compression: 0 }), ['storage.compression: must be > 0 (a compression ratio such as 6.7), or measured, none or a codec name']],
  [
    'unknown storage backend (before the run, not after it)',
    (s) => (s.storage = { backend: 'tempoo' }),
    ['storage.backend: expected one of "tempo", "jaeger-cassandra", "jaeger-elasticsearch", "clickhouse", "raw"'],
  ],
  [
    'negative durations in latencies and delays',
    (s) => {
      s.services[1].operations.charge.latency = { p50: '-5ms', p99: '20ms' };
      s.services[0].operations['GET /'].latency = { exponential: { mean: '-1ms' } };
      s.services[0].operations['GET /'].calls[0] = { service: 'pay', operation: 'charge', async: true, delay: '-3s' };
    },
    [
      'services[0].operations.GET /.latency.exponential.mean: must be at least 0ms',
      'services[0].operations.GET /.calls[0].delay: must be at least 0ms',
      'services[1].operations.charge.latency.p50: must be at least 0ms',
    ],
  ],
];

describe('parseScenario', () => {
  it('ignores top-level x- keys, where YAML anchors can be defined for the operations to merge', () => {
    const text = [
      'x-http: &http { http.request.method: GET, url.scheme: https }',
      'traffic: { rate: 10/s }',
      'routes: [{ service: web, operation: GET / }]',
      'services:',
      '  - name: web',
      '    operations:',
      '      GET /: { latency: 1ms, attributes: { <<: *http, http.route: / } }',
    ].join('\n');
    const s = parseScenario(parseYaml(text, 'x.yaml'), 'x.yaml');
    expect(s.services[0]!.operations['GET /']!.attributes).toMatchObject({ 'http.request.method': { type: 'constant', value: 'GET' }, 'http.route': { type: 'constant', value: '/' } });
  });

  it('accepts a ramp that starts from 0/s', () => {
    const raw = base();
    raw.traffic = { rate: 0, stages: [{ duration: '5s', target: '50/s' }] };
    expect(parseScenario(raw, 'dir/shop.yaml').traffic).toMatchObject({ rate: 0, duration: 5000 });
  });

  it('accepts the base scenario and fills defaults', () => {
    const s = parseScenario(base(), 'dir/shop.yaml');
    expect(s.name).toBe('shop');
    expect(s.seed).toBe(1);
    expect(s.slow_threshold).toBe(1000);
    expect(s.traffic).toMatchObject({ rate: 100, duration: 2000, arrival: 'poisson', stages: [] });
    expect(s.services[0]!.sdk).toEqual({ scheduled_delay: 5000, max_export_batch_size: 512, max_queue_size: 2048, export_timeout: 30_000, export_duration: 5 });
    expect(s.services[1]!.operations['charge']!.latency).toEqual({
      type: 'percentiles',
      points: [
        { q: 0.5, ms: 10 },
        { q: 0.95, ms: 40 },
        { q: 0.99, ms: 90 },
      ],
    });
    expect(s.collector_replicas).toBe(1);
    expect(s.compat).toBe('current');
  });

  it.each(table)('%s', (_name, mutate, expected) => {
    const raw = base();
    mutate(raw);
    expect(problemsOf(raw)).toEqual(expected);
  });

  it('reports every problem of a file at once, schema and semantic', () => {
    let err: unknown;
    try {
      loadScenarioFile(join(FIXTURES, 'broken.yaml'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain('broken.yaml: invalid scenario (7 problems)');
    expect((err as InputError).problems.map(formatProblem)).toEqual([
      'traffic.rate: expected a rate such as 500/s or 30000/min, got "fast"',
      'services[0].operations.GET /.latency.p95: must be ≥ p50',
      'services[0].operations.GET /.error_rate: must be between 0 and 1',
      'services[0].colour: unknown key',
      'routes[1].service: undefined service "nope"',
      'services[0].operations.GET /.calls[1].operation: service "web" has no operation "missing"',
      'services: cycle in synchronous calls: web/GET / → db/query → web/GET /',
    ]);
  });

  it('names the file and line of a YAML syntax error', () => {
    expect(() => loadScenarioFile(join(FIXTURES, 'bad-yaml.yaml'))).toThrow(/bad-yaml\.yaml: invalid YAML\n {2}- line 4, column 1: /);
  });

  it('names the line of an alias used before its anchor (toJS would throw a bare ReferenceError)', () => {
    const text = 'name: a\ntraffic: {rate: 10/s}\nservices:\n  - name: a\n    operations:\n      x: {latency: *fast}\n      y: {latency: &fast 2ms}\n';
    try {
      parseYaml(text, 'dir/a.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).problems).toEqual([{ path: 'line 6, column 20', message: 'alias *fast is used before its anchor &fast is defined (an anchor must come first)' }]);
    }
  });

  it('names a missing file', () => {
    expect(() => loadScenarioFile(join(FIXTURES, 'nope.yaml'))).toThrow(/nope\.yaml: cannot read scenario: ENOENT/);
  });

  it('loads every ready scenario in scenarios/', () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml') && !f.includes('.collector.'));
    expect(files).toEqual(expect.arrayContaining(['checkout.yaml', 'flash-sale.yaml', 'ci-smoke.yaml']));
    for (const f of files) {
      const { scenario } = loadScenarioFile(join(SCENARIOS, f));
      expect(scenario.collector, f).toMatch(/\.collector\.yaml$/);
    }
  });

  it('hashes raw scenarios independently of key order', () => {
    expect(scenarioHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(scenarioHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(scenarioHash({ a: 1 })).not.toBe(scenarioHash({ a: 2 }));
  });
});
