/**
 * Which signals well-known collector components support, as the `status.stability` section of
 * each one's upstream `metadata.yaml` declares them (opentelemetry-collector and -contrib). The
 * collector builds a component for a pipeline only when its factory supports the pipeline's signal
 * (otherwise: `telemetry type is not supported`), and a connector only for the
 * exporter-signal → receiver-signal pairs its factory declares.
 *
 * Receivers, processors and exporters are listed only when they cannot serve a traces pipeline;
 * an absent type is taken to support every signal (tracesim cannot know better). Connectors list
 * every pair they support; an absent connector type is taken to support any pair. Renamed types
 * (`filelog` → `file_log`) are listed under both names, as the collector accepts both.
 * Pure data and lookups.
 */
import type { FactoryKind } from './registry.js';

export type Signal = 'traces' | 'metrics' | 'logs' | 'profiles';

const METRICS: readonly Signal[] = ['metrics'];
const LOGS: readonly Signal[] = ['logs'];
const METRICS_LOGS: readonly Signal[] = ['metrics', 'logs'];

/** Components without traces support, by kind and type → the signals they do support. */
const WITHOUT_TRACES: Readonly<Record<FactoryKind, Readonly<Record<string, readonly Signal[]>>>> = {
  receiver: {
    apache: METRICS,
    collectd: METRICS,
    docker_stats: METRICS,
    elasticsearch: METRICS,
    file_log: LOGS,
    filelog: LOGS,
    fluentforward: LOGS,
    hostmetrics: METRICS_LOGS,
    httpcheck: METRICS,
    journald: LOGS,
    k8s_cluster: METRICS_LOGS,
    k8s_events: LOGS,
    k8sobjects: LOGS,
    kubeletstats: METRICS,
    mysql: METRICS_LOGS,
    nginx: METRICS,
    postgresql: METRICS_LOGS,
    prometheus: METRICS,
    redis: METRICS,
    sqlquery: METRICS_LOGS,
    statsd: METRICS,
    syslog: LOGS,
    tcplog: LOGS,
    udplog: LOGS,
    windows_event_log: LOGS,
    windowseventlog: LOGS,
  },
  processor: {
    cumulativetodelta: METRICS,
    deltatocumulative: METRICS,
    deltatorate: METRICS,
    experimental_metricsgeneration: METRICS,
    interval: METRICS,
    logdedup: LOGS,
    logstransform: LOGS,
    metricsgeneration: METRICS,
    metricstransform: METRICS,
  },
  exporter: {
    awscloudwatchlogs: LOGS,
    awsemf: METRICS,
    carbon: METRICS,
    googlemanagedprometheus: METRICS,
    loki: LOGS,
    prometheus: METRICS,
    prometheusremotewrite: METRICS,
    syslog: LOGS,
  },
};

/** Connector type → the `<exporter signal>_to_<receiver signal>` pairs it supports. */
const CONNECTOR_PAIRS: Readonly<Record<string, readonly string[]>> = {
  count: ['traces_to_metrics', 'metrics_to_metrics', 'logs_to_metrics', 'profiles_to_metrics'],
  datadog: ['traces_to_metrics', 'traces_to_traces'],
  exceptions: ['traces_to_metrics', 'traces_to_logs'],
  failover: ['traces_to_traces', 'metrics_to_metrics', 'logs_to_logs'],
  forward: ['traces_to_traces', 'metrics_to_metrics', 'logs_to_logs', 'profiles_to_profiles'],
  grafanacloud: ['traces_to_metrics'],
  otlp_json: ['logs_to_traces', 'logs_to_metrics', 'logs_to_logs'],
  otlpjson: ['logs_to_traces', 'logs_to_metrics', 'logs_to_logs'],
  roundrobin: ['traces_to_traces', 'metrics_to_metrics', 'logs_to_logs'],
  routing: ['traces_to_traces', 'metrics_to_metrics', 'logs_to_logs'],
  servicegraph: ['traces_to_metrics'],
  signaltometrics: ['traces_to_metrics', 'metrics_to_metrics', 'logs_to_metrics'],
  span_metrics: ['traces_to_metrics'],
  spanmetrics: ['traces_to_metrics'],
  sum: ['traces_to_metrics', 'metrics_to_metrics', 'logs_to_metrics'],
};

/** The signals a `kind` of `type` supports when it lacks traces; undefined when traces are (or may be) supported. */
export function signalsWithoutTraces(kind: FactoryKind, type: string): readonly Signal[] | undefined {
  return Object.hasOwn(WITHOUT_TRACES[kind], type) ? WITHOUT_TRACES[kind][type] : undefined;
}

/** Whether connector `type` can take `from` (as an exporter) into a pipeline of `to` (as a receiver); unknown types can. */
export function connectorSupports(type: string, from: Signal, to: Signal): boolean {
  return !Object.hasOwn(CONNECTOR_PAIRS, type) || CONNECTOR_PAIRS[type]!.includes(`${from}_to_${to}`);
}

/** `traces → metrics, traces → logs` for a listed connector type; undefined for an unknown one. */
export function describeConnectorPairs(type: string): string | undefined {
  return Object.hasOwn(CONNECTOR_PAIRS, type) ? CONNECTOR_PAIRS[type]!.map((pair) => pair.replace('_to_', ' → ')).join(', ') : undefined;
}

/** `metrics`, `metrics and logs`, `traces, metrics and logs`. */
export function listSignals(signals: readonly Signal[]): string {
  return signals.length <= 1 ? signals.join('') : `${signals.slice(0, -1).join(', ')} and ${signals[signals.length - 1]!}`;
}
