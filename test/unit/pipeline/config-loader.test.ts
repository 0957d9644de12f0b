import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../../src/components/index.js';
import { loadCollectorConfig, loadCollectorConfigFile } from '../../../src/pipeline/config-loader.js';
import type { ProcessorFactory } from '../../../src/pipeline/factory.js';
import { ComponentRegistry } from '../../../src/pipeline/registry.js';
import { InputError } from '../../../src/shared/errors.js';
import { collectorProblems } from '../../helpers/collector.js';

const FIXTURES = 'test/fixtures/collector';
const ENV = { MY_POD_IP: '127.0.0.1', ENVOY_PORT: '8080', TEMPO_ENDPOINT: 'tempo:4317', DD_API_KEY: 'k' };

const problemsOf = collectorProblems;

const MINIMAL = readFileSync(`${FIXTURES}/minimal.yaml`, 'utf8');

describe('loadCollectorConfig with forward connectors', () => {
  const twoTier = (inReceivers: string, outExporters: string) => `
receivers: {otlp: {protocols: {grpc: {}}}}
connectors: {forward/a: , forward/b: }
exporters: {nop: }
service:
  pipelines:
    traces/in: {receivers: [${inReceivers}], exporters: [forward/a]}
    traces/out: {receivers: [forward/a], exporters: [${outExporters}]}`;

  it('a forward between traces pipelines is simulated, not listed', () => {
    const r = loadCollectorConfig(twoTier('otlp', 'nop'), 'c.yaml', {});
    expect(r.config.exporters.get('forward/a')?.simulation).toBe('forward');
    expect(r.notSimulated.map((n) => n.component)).not.toContain('connectors.forward/a');
    expect(r.notSimulated.find((n) => n.component === 'connectors.forward/b')?.reason).toContain('not used by a traces pipeline');
  });

  it('a forward that only starts a pipeline is a problem, as in the collector', () => {
    expect(problemsOf(twoTier('otlp, forward/b', 'nop'))).toEqual([
      'service.pipelines.traces/in.receivers[1]: connector "forward/b" used as receiver in [traces/in] pipeline but not used in any supported exporter pipeline (forward connects traces → traces, metrics → metrics, logs → logs, profiles → profiles)',
    ]);
  });

  it('a cycle through forward connectors is a problem, as in the collector', () => {
    expect(problemsOf(twoTier('otlp, forward/b', 'nop, forward/b'))).toEqual(['service.pipelines: cycle through connectors: traces/in → traces/out → traces/in']);
  });
});

describe('loadCollectorConfig: connectors must be used on both sides, with signal pairs they support', () => {
  const withConnector = (connectors: string, pipelines: string) => `
receivers: {otlp: {protocols: {grpc: {}}}}
connectors: {${connectors}}
exporters: {nop: }
service:
  pipelines:
${pipelines}`;

  it('a connector only exported to is a problem at its first entry, naming every pipeline of that signal', () => {
    const pipelines = '    traces/a: {receivers: [otlp], exporters: [nop, spanmetrics]}\n    traces/b: {receivers: [otlp], exporters: [spanmetrics]}';
    expect(problemsOf(withConnector('spanmetrics', pipelines))).toEqual([
      'service.pipelines.traces/a.exporters[1]: connector "spanmetrics" used as exporter in [traces/a traces/b] pipeline but not used in any supported receiver pipeline (spanmetrics connects traces → metrics)',
    ]);
  });

  it('a pair the connector does not support is a problem on both sides', () => {
    const pipelines = '    traces/in: {receivers: [otlp], exporters: [servicegraph]}\n    traces/out: {receivers: [servicegraph], exporters: [nop]}';
    expect(problemsOf(withConnector('servicegraph', pipelines))).toEqual([
      'service.pipelines.traces/in.exporters[0]: connector "servicegraph" used as exporter in [traces/in] pipeline but not used in any supported receiver pipeline (servicegraph connects traces → metrics)',
      'service.pipelines.traces/out.receivers[0]: connector "servicegraph" used as receiver in [traces/out] pipeline but not used in any supported exporter pipeline (servicegraph connects traces → metrics)',
    ]);
  });

  it('a supported pair loads: the exporter side counts spans, the receiver side delivers nothing', () => {
    const pipelines = '    traces: {receivers: [otlp], exporters: [datadog, spanmetrics]}\n    traces/out: {receivers: [datadog], exporters: [nop]}\n    metrics: {receivers: [spanmetrics], exporters: [nop]}';
    const r = loadCollectorConfig(withConnector('datadog: , spanmetrics: ', pipelines), 'c.yaml', {});
    expect(r.config.exporters.get('datadog')?.simulation).toBe('connector_sink');
    expect(r.config.receivers.get('datadog')?.simulation).toBe('connector_source');
    expect(r.config.exporters.get('spanmetrics')?.simulation).toBe('connector_sink');
  });

  it('an unknown connector type may pair any signals, but still needs both sides', () => {
    expect(problemsOf(withConnector('myconnector', '    traces: {receivers: [otlp], exporters: [myconnector]}\n    logs: {receivers: [myconnector], exporters: [nop]}'))).toEqual([]);
    expect(problemsOf(withConnector('myconnector', '    traces: {receivers: [otlp], exporters: [myconnector]}'))).toEqual([
      'service.pipelines.traces.exporters[0]: connector "myconnector" used as exporter in [traces] pipeline but not used in any supported receiver pipeline',
    ]);
  });

  it('applies between metrics and logs pipelines too, as the collector refuses the file', () => {
    const pipelines = '    traces: {receivers: [otlp], exporters: [nop]}\n    logs: {receivers: [otlp], exporters: [count]}';
    expect(problemsOf(withConnector('count', pipelines))).toEqual([
      'service.pipelines.logs.exporters[0]: connector "count" used as exporter in [logs] pipeline but not used in any supported receiver pipeline (count connects traces → metrics, metrics → metrics, logs → metrics, profiles → metrics)',
    ]);
  });
});

describe('loadCollectorConfig on a scenario file', () => {
  it('says it is a scenario in one problem instead of an unknown key per scenario key', () => {
    expect(problemsOf(readFileSync('scenarios/ci-smoke.yaml', 'utf8'))).toEqual([
      'this is a tracesim scenario (top-level services and traffic), not a collector config; its `collector:` key names the config',
    ]);
  });
});

describe('loadCollectorConfig on production-style fixtures', () => {
  it('otel-demo: loads unchanged; metrics/logs pipelines and outside components are listed, not errors', async () => {
    const r = await loadCollectorConfigFile(`${FIXTURES}/otel-demo.yaml`, ENV);
    expect(r.config.pipelines.map((p) => p.id)).toEqual(['traces']);
    const listed = r.notSimulated.map((n) => n.component);
    expect(listed).toEqual(
      expect.arrayContaining([
        'service.pipelines.metrics',
        'service.pipelines.logs',
        'receivers.prometheus',
        'processors.k8sattributes',
        'processors.resourcedetection',
        'exporters.loki',
        'exporters.prometheusremotewrite',
        'connectors.spanmetrics',
        'extensions.health_check',
        'extensions.pprof',
        'extensions.zpages',
      ]),
    );
    for (const n of r.notSimulated) expect(n.reason).not.toContain('\n');
    const sim = (id: string) => r.config.processors.get(id)?.simulation ?? r.config.exporters.get(id)?.simulation;
    expect(sim('k8sattributes')).toBe('pass_through');
    expect(sim('memory_limiter')).toBe('simulated');
    expect(sim('spanmetrics')).toBe('connector_sink');
    expect(r.config.telemetry.metricsEndpoint).toBe('0.0.0.0:8888');
    expect(r.warnings).toEqual([]);
  });

  it('tail-sampling gateway: unknown trace exporters become storage sinks, other receivers inlets', async () => {
    const r = await loadCollectorConfigFile(`${FIXTURES}/tail-sampling-gateway.yaml`, ENV);
    expect(r.config.pipelines.map((p) => p.id)).toEqual(['traces/tail', 'traces/vendor']);
    expect(r.config.exporters.get('datadog')?.simulation).toBe('storage_sink');
    expect(r.config.exporters.get('otlp/tempo')?.simulation).toBe('simulated');
    expect(r.config.receivers.get('jaeger')?.simulation).toBe('inlet');
    expect(r.config.processors.get('tail_sampling')?.simulation).toBe('simulated');
    expect(r.config.telemetry.metricsEndpoint).toBe('0.0.0.0:8888');
    expect(r.notSimulated.find((n) => n.component === 'exporters.datadog')?.reason).toContain('storage sink');
  });

  it("lists a transform statement outside tracesim's OTTL subset as not simulated and loads the rest", () => {
    const text = BASE({ processors: '  transform:\n    trace_statements:\n      - replace_match(name, "GET /p/*", "GET /p/{id}")' });
    const r = loadCollectorConfig(text.replace('processors: [batch]', 'processors: [transform, batch]'), 'c.yaml', {});
    expect(r.config.processors.get('transform')?.simulation).toBe('simulated');
    expect(r.notSimulated).toContainEqual({
      component: 'processors.transform.trace_statements[0]',
      reason: "replace_match is outside tracesim's OTTL subset: this statement is not simulated, and spans pass unchanged by it",
    });
  });

  it('an unset ${env:VAR} expands to empty with a warning', () => {
    const r = loadCollectorConfig(MINIMAL.replace('processors:\n  batch:', 'processors:\n  batch:\n    timeout: ${env:BATCH_TIMEOUT:-1s}\n  resource:\n    attributes:\n      - {key: env, value: "${env:DEPLOY_ENV}", action: upsert}'), 'c.yaml', {});
    expect(r.warnings).toEqual(['processors.resource.attributes[0].value: environment variable DEPLOY_ENV is not set; using an empty string']);
    expect(r.config.processors.get('batch')?.config).toMatchObject({ timeoutMs: 1000 });
  });

  it('default telemetry endpoint, and none when metrics level is none', () => {
    expect(loadCollectorConfig(MINIMAL, 'c.yaml', {}).config.telemetry.metricsEndpoint).toBe('127.0.0.1:8888');
    const none = MINIMAL.replace('service:\n', 'service:\n  telemetry:\n    metrics:\n      level: none\n');
    expect(loadCollectorConfig(none, 'c.yaml', {}).config.telemetry.metricsEndpoint).toBeNull();
  });

  it('a simulated type without a registered factory is an internal error, never a pass-through', () => {
    const partial = new ComponentRegistry(builtinRegistry().all().filter((f) => f.type !== 'batch'));
    expect(() => loadCollectorConfig(MINIMAL, 'c.yaml', {}, { registry: partial })).toThrow(/internal error: processor type "batch" is simulated but no factory is registered/);
    expect(() => loadCollectorConfig(MINIMAL, 'c.yaml', {}, { registry: partial })).not.toThrow(InputError);
  });

  it('parseConfig of the factory receives the expanded body and its path', () => {
    const seen: unknown[] = [];
    const spy: ProcessorFactory = {
      kind: 'processor',
      type: 'batch',
      stability: 'beta',
      defaultConfig: () => ({}),
      parseConfig: (raw, path) => {
        seen.push([raw, path]);
        return { ok: true, config: {} };
      },
      createTraces: () => {
        throw new Error('unused');
      },
    };
    const registry = new ComponentRegistry([...builtinRegistry().all().filter((f) => f.type !== 'batch'), spy]);
    loadCollectorConfig(MINIMAL.replace('processors:\n  batch:', 'processors:\n  batch/x:\n    timeout: ${env:T}\n  batch:'), 'c.yaml', { T: '2s' }, { registry });
    expect(seen).toEqual([
      [{ timeout: '2s' }, 'processors.batch/x'],
      [null, 'processors.batch'],
    ]);
  });
});

const BASE = (extra: { receivers?: string; processors?: string; exporters?: string; pipelines?: string; top?: string }) => `
receivers:
  otlp:
    protocols:
      grpc:
${extra.receivers ?? ''}
processors:
  batch:
${extra.processors ?? ''}
exporters:
  nop:
${extra.exporters ?? ''}
service:
  pipelines:
${
  extra.pipelines ??
  `    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [nop]`
}
${extra.top ?? ''}`;

describe('broken configs: every problem at once, with full key paths', () => {
  const table: [string, string, string[]][] = [
    [
      'undefined components in a pipeline',
      BASE({ pipelines: '    traces:\n      receivers: [otlp, zipkin]\n      processors: [batch, tail_sampling]\n      exporters: [nop, otlp/tempo]' }),
      [
        'service.pipelines.traces.receivers[1]: receiver "zipkin" is not defined in receivers or connectors',
        'service.pipelines.traces.processors[1]: processor "tail_sampling" is not defined in processors',
        'service.pipelines.traces.exporters[1]: exporter "otlp/tempo" is not defined in exporters or connectors',
      ],
    ],
    [
      'pipeline without receivers or exporters',
      BASE({ pipelines: '    traces:\n      processors: [batch]\n      exporters: []' }),
      ['service.pipelines.traces.receivers: a pipeline needs at least one receiver', 'service.pipelines.traces.exporters: a pipeline needs at least one exporter'],
    ],
    [
      'unknown keys, wrong types, bad durations in simulated components',
      BASE({ processors: '  batch/2:\n    timeout: fast\n    send_batch_size: "many"\n    sendbatchsize: 3\n  memory_limiter:\n    check_interval: 0s\n    limit_mib: 100\n    spike_limit_mib: 200' }),
      [
        'processors.batch/2.send_batch_size: expected a number',
        'processors.batch/2.timeout: expected a duration such as 5s or 250ms, got "fast"',
        'processors.batch/2.sendbatchsize: unknown key',
        'processors.memory_limiter.check_interval: check_interval must be greater than zero',
        "processors.memory_limiter.spike_limit_mib: 'spike_limit_mib' must be smaller than 'limit_mib'",
      ],
    ],
    [
      'bad OTTL in filter and transform',
      BASE({ processors: '  filter:\n    traces:\n      span:\n        - Len(name) > 3\n  transform:\n    trace_statements:\n      - context: span\n        statements:\n          - truncate_al(attributes, 10)' }),
      [
        'processors.filter.traces.span[0]: unsupported OTTL "Len(name) > 3": unsupported function Len (the supported subset has IsMatch only)',
        'processors.transform.trace_statements[0].statements[0]: unsupported OTTL "truncate_al(attributes, 10)": unsupported function truncate_al (the supported subset has set, delete_key, replace_pattern)',
      ],
    ],
    [
      'probabilistic sampler and attributes validation',
      BASE({ processors: '  probabilistic_sampler:\n    sampling_percentage: -1\n    mode: random\n  attributes:\n    actions:\n      - key: a\n        action: upsert\n      - action: hash\n      - key: b\n        action: rename' }),
      [
        'processors.probabilistic_sampler.sampling_percentage: sampling rate is negative',
        'processors.probabilistic_sampler.mode: unsupported sampler mode "random"',
        'processors.attributes.actions[0]: exactly one of value, from_attribute or from_context must be set for action upsert',
        'processors.attributes.actions[1].key: missing key for action hash',
        'processors.attributes.actions[2].action: unsupported action "rename" (insert, update, upsert, delete, hash, extract, convert)',
      ],
    ],
    [
      'bad ids, unknown top-level and service keys, undefined extension',
      BASE({ receivers: '  "9lives":\n    x: 1', top: 'foo: 1\nextensionz: {}' }).replace('service:\n', 'service:\n  extensions: [health_check]\n  pipeline: {}\n'),
      [
        'foo: unknown key',
        'extensionz: unknown key',
        'receivers.9lives: invalid component id: expected "type" or "type/name" (type: a letter, then letters, digits or _)',
        'service.pipeline: unknown key',
        'service.extensions[0]: extension "health_check" is not defined in extensions',
      ],
    ],
    [
      'file exporter options tracesim cannot honour',
      BASE({ exporters: '  file:\n    path: /tmp/x.json\n    compression: gzip', pipelines: '    traces:\n      receivers: [otlp]\n      exporters: [file]' }),
      ['exporters.file.compression: compression "gzip" is not supported: the file exporter knows "zstd" or none'],
    ],
    ['unsupported config provider', BASE({ exporters: '  file:\n    path: ${file:/etc/path}' }), ['exporters.file.path: config provider "file" in ${file:/etc/path} is not supported (only env)', 'exporters.file.path: required: the file to write']],
    ['only metrics pipelines', BASE({ pipelines: '    metrics:\n      receivers: [otlp]\n      exporters: [nop]' }), ['service.pipelines: no traces pipeline: tracesim simulates traces pipelines only']],
    [
      'only metrics pipelines, with other problems',
      BASE({ processors: '  batch/2:\n    timeout: fast', pipelines: '    metrics:\n      receivers: [otlp]\n      exporters: [nop]' }),
      ['processors.batch/2.timeout: expected a duration such as 5s or 250ms, got "fast"', 'service.pipelines: no traces pipeline: tracesim simulates traces pipelines only'],
    ],
    ['a misspelt pipelines key is one problem, not also "no traces pipeline"', BASE({}).replace('  pipelines:\n', '  pipelinez:\n'), ['service.pipelinez: unknown key']],
    [
      'unknown service.telemetry keys',
      BASE({}).replace('service:\n', 'service:\n  telemetry:\n    metricz: {}\n    logs: {level: info}\n    traces: {}\n    resource: {service.name: gw}\n    metrics: {level: basic}\n    logging: {}\n'),
      ['service.telemetry.metricz: unknown key', 'service.telemetry.logging: unknown key'],
    ],
    ['duplicate keys are YAML errors', 'receivers:\n  otlp: {}\n  otlp: {}\n', ['YAML: Map keys must be unique (line 3, column 3)']],
    [
      'an alias before its anchor is a YAML error at the alias',
      'processors:\n  batch: {timeout: *t}\n  batch/2: {timeout: &t 1s}\n',
      ['YAML: alias *t is used before its anchor &t is defined (an anchor must come first) (line 2, column 20)'],
    ],
  ];

  it.each(table)('%s', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it('the thrown InputError names the file and lists the problems', () => {
    try {
      loadCollectorConfig(BASE({ processors: '  batch/2:\n    timeout: fast' }), 'configs/gw.yaml', {});
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toBe('configs/gw.yaml: invalid collector config (1 problem)\n  - processors.batch/2.timeout: expected a duration such as 5s or 250ms, got "fast"');
    }
  });
});

describe('loadCollectorConfig: components without traces support in a traces pipeline', () => {
  const NO_TRACES = BASE({
    receivers: '  hostmetrics:\n    scrapers: {cpu: }\n  filelog:\n    include: [/var/log/*.log]\n  sqlquery/db:',
    processors: '  cumulativetodelta:',
    exporters: '  prometheusremotewrite:\n    endpoint: http://mimir/api/v1/push\n  loki:\n    endpoint: http://loki/push\n  prometheus/internal:\n    endpoint: 0.0.0.0:8889',
    pipelines: '    traces:\n      receivers: [hostmetrics, filelog, otlp, sqlquery/db]\n      processors: [batch, cumulativetodelta]\n      exporters: [prometheusremotewrite, loki, nop, prometheus/internal]',
  });
  const unsupported = (where: string, what: string, signals: string) => `service.pipelines.traces.${where}: ${what} does not support traces (it supports ${signals}): the collector fails with "telemetry type is not supported"`;

  it('each one is a problem at its entry, saying which signals it supports', () => {
    expect(problemsOf(NO_TRACES)).toEqual([
      unsupported('receivers[0]', 'receiver "hostmetrics"', 'metrics and logs'),
      unsupported('receivers[1]', 'receiver "filelog"', 'logs'),
      unsupported('receivers[3]', 'receiver "sqlquery/db"', 'metrics and logs'),
      unsupported('processors[1]', 'processor "cumulativetodelta"', 'metrics'),
      unsupported('exporters[0]', 'exporter "prometheusremotewrite"', 'metrics'),
      unsupported('exporters[1]', 'exporter "loki"', 'logs'),
      unsupported('exporters[3]', 'exporter "prometheus/internal"', 'metrics'),
    ]);
  });

  it('is reported together with every other problem', () => {
    const text = BASE({ receivers: '  prometheus:', processors: '  batch/2:\n    timeout: fast', pipelines: '    traces:\n      receivers: [prometheus, zipkin]\n      exporters: [nop]' });
    expect(problemsOf(text)).toEqual([
      'processors.batch/2.timeout: expected a duration such as 5s or 250ms, got "fast"',
      'service.pipelines.traces.receivers[0]: receiver "prometheus" does not support traces (it supports metrics): the collector fails with "telemetry type is not supported"',
      'service.pipelines.traces.receivers[1]: receiver "zipkin" is not defined in receivers or connectors',
    ]);
  });

  it('the same components in metrics and logs pipelines are listed as not simulated, not problems', () => {
    const text = NO_TRACES.replace(/ {4}traces:\n(.*\n){3}/, '') + '\n';
    const moved = text.replace(
      'service:\n  pipelines:\n',
      'service:\n  pipelines:\n    traces: {receivers: [otlp], exporters: [nop]}\n    metrics: {receivers: [hostmetrics, sqlquery/db], processors: [cumulativetodelta], exporters: [prometheusremotewrite, prometheus/internal]}\n    logs: {receivers: [filelog], exporters: [loki]}\n',
    );
    const r = loadCollectorConfig(moved, 'c.yaml', {});
    expect(r.notSimulated.map((n) => n.component)).toEqual(expect.arrayContaining(['receivers.hostmetrics', 'exporters.loki', 'service.pipelines.metrics', 'service.pipelines.logs']));
  });

  it('unknown types keep their stand-ins', () => {
    const text = BASE({ receivers: '  mycorp_receiver:', processors: '  mycorp_processor:', exporters: '  mycorp_exporter:', pipelines: '    traces:\n      receivers: [mycorp_receiver]\n      processors: [mycorp_processor]\n      exporters: [mycorp_exporter]' });
    const r = loadCollectorConfig(text, 'c.yaml', {});
    expect([r.config.receivers.get('mycorp_receiver')?.simulation, r.config.processors.get('mycorp_processor')?.simulation, r.config.exporters.get('mycorp_exporter')?.simulation]).toEqual(['inlet', 'pass_through', 'storage_sink']);
  });
});
