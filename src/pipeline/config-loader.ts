/**
 * Reads an OpenTelemetry Collector YAML file unchanged and decides, for every component, how
 * tracesim runs it (DESIGN.md "Collector config compatibility"):
 *
 * | where                                   | what tracesim does                                  |
 * |-----------------------------------------|-----------------------------------------------------|
 * | simulated type in a traces pipeline     | its factory parses and validates the body           |
 * | other processor in a traces pipeline    | pass-through, listed in `notSimulated`              |
 * | other exporter in a traces pipeline     | storage sink (counts and sizes), listed             |
 * | other receiver in a traces pipeline     | inlet the engine feeds like `otlp`, listed          |
 * | `forward` connector between traces pipelines | passes spans into the pipelines it feeds     |
 * | `routing` connector between traces pipelines | routes spans by its table (resource, span)   |
 * | `failover` / `roundrobin` connector, same    | first priority level / each batch in turn     |
 * | other connector in a traces pipeline    | as exporter: terminal counter; as receiver: no input |
 * | metrics/logs pipelines, extensions      | listed, never an error                              |
 *
 * Simulated components are validated wherever they are defined (also when only a metrics pipeline
 * uses them), because the collector would refuse the file. For the same reason the graph rules of
 * the collector's `service/internal/graph` apply: a known component without traces support
 * (`signal-support.ts`) in a traces pipeline is a problem, and so is a connector used as an
 * exporter (receiver) in a pipeline of a signal that no pipeline receiving (exporting) it can
 * pair with — in any pipeline, whatever its signal. Every problem is collected with its full key
 * path and the whole lot is thrown as one `InputError`.
 */
import { readFile } from 'node:fs/promises';
import { parseCollectorDocument } from '../shared/go-yaml.js';
import { yamlToJs } from '../shared/yaml-js.js';
import { isYamlMap, type ConfigProblem } from '../shared/schema.js';
import { InputError } from '../shared/errors.js';
import { builtinRegistry } from '../components/index.js';
import { expandEnv, withStringForms, type ExpandResult } from './env-expand.js';
import type { AnyFactory } from './factory.js';
import type { CompatProfile } from './component.js';
import type { ComponentRegistry, FactoryKind } from './registry.js';
import { STORAGE_SINK_TYPE } from './registry.js';
import type { Signal } from './signal-support.js';
import { connectorSupports, describeConnectorPairs, listSignals, signalsWithoutTraces } from './signal-support.js';
import { parseFailoverConfig } from '../components/connectors/failover/failover.js';
import type { ConnectorProblem } from '../components/connectors/pipelines.js';
import { parseRoutingConfig } from '../components/connectors/routing/routing.js';

/** How the graph realises one component. */
export type Simulation =
  /** its own factory, with its parsed config */
  | 'simulated'
  /** a processor outside the simulated set: spans pass unchanged */
  | 'pass_through'
  /** an exporter outside the simulated set: the storage sink measures what reaches it */
  | 'storage_sink'
  /** a receiver outside the simulated set: the engine feeds it generated spans like `otlp` */
  | 'inlet'
  /** a connector at the end of a traces pipeline: accepts and counts, stores nothing */
  | 'connector_sink'
  /** a connector at the start of a traces pipeline: nothing flows into it */
  | 'connector_source'
  /** a `forward` connector ending one traces pipeline and starting others: spans pass through */
  | 'forward'
  /** a `routing` connector ending one traces pipeline and starting others: `config` is its `RoutingConfig` */
  | 'routing'
  /** a `roundrobin` connector ending one traces pipeline and starting others: each batch to the next */
  | 'roundrobin';

export interface ComponentSpec {
  /** `type` or `type/name`, as written. */
  readonly id: string;
  readonly type: string;
  readonly kind: FactoryKind;
  readonly simulation: Simulation;
  /** The factory the graph instantiates (for `simulated`, the type's own; else an internal one). */
  readonly factory: AnyFactory | undefined;
  /** The parsed config for `factory` (its `parseConfig` result), or undefined for internal roles. */
  readonly config: unknown;
}

export interface TracesPipelineSpec {
  /** `traces` or `traces/<name>`. */
  readonly id: string;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

export interface NotSimulated {
  /** Config path of the component or pipeline (`processors.k8sattributes`, `service.pipelines.metrics`). */
  component: string;
  reason: string;
}

export interface CollectorTelemetry {
  /** `host:port` for the Prometheus endpoint, or null when `service.telemetry.metrics.level: none`. */
  readonly metricsEndpoint: string | null;
  readonly level: string;
}

export interface CollectorConfig {
  readonly file: string;
  /** Components used by traces pipelines, by id. */
  readonly receivers: ReadonlyMap<string, ComponentSpec>;
  readonly processors: ReadonlyMap<string, ComponentSpec>;
  readonly exporters: ReadonlyMap<string, ComponentSpec>;
  /** Traces pipelines in file order. */
  readonly pipelines: readonly TracesPipelineSpec[];
  readonly telemetry: CollectorTelemetry;
}

export interface CollectorConfigResult {
  readonly config: CollectorConfig;
  readonly notSimulated: readonly NotSimulated[];
  /** Non-fatal notes (unset environment variables, ...). */
  readonly warnings: readonly string[];
  /** What `${env:…}` expansion made of the file: the document, the text kept for string fields, the variables read. */
  readonly expansion: Pick<ExpandResult, 'value' | 'stringForms' | 'variables' | 'unset'>;
}

export interface LoadOptions {
  /** Defaults to the builtin registry of `src/components/index.ts`. */
  readonly registry?: ComponentRegistry;
  /** The run's behaviour profile (default `current`): the few checks that differ between upstream versions follow it. */
  readonly compat?: CompatProfile;
}

const SECTIONS = ['receivers', 'processors', 'exporters', 'extensions', 'connectors'] as const;
type Section = (typeof SECTIONS)[number];
const TOP_LEVEL = new Set<string>([...SECTIONS, 'service']);
const SERVICE_KEYS = new Set(['pipelines', 'telemetry', 'extensions']);
/** The top-level keys of the collector's service telemetry config (`otelconftelemetry.Config`). */
const TELEMETRY_KEYS = new Set(['logs', 'metrics', 'traces', 'resource']);
const PIPELINE_KEYS = new Set(['receivers', 'processors', 'exporters']);
const SIGNALS: ReadonlySet<string> = new Set<Signal>(['traces', 'metrics', 'logs', 'profiles']);
/** Problem paths that can hide a traces pipeline: `service`, its keys, `service.pipelines.<id>`. */
const PIPELINES_UNREADABLE_PATH = /^service(\.[^.[]+|\.pipelines\.[^.[]+)?$/;
const TYPE_RE = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;
const NAME_RE = /^[^\s]+$/;
const SECTION_KIND: Partial<Record<Section, FactoryKind>> = { receivers: 'receiver', processors: 'processor', exporters: 'exporter' };

/** Why well-known components are not simulated; others get a generic reason by kind. */
const KNOWN_REASONS: Record<string, string> = {
  k8sattributes: 'needs the Kubernetes API to look up pod metadata',
  resourcedetection: 'detects the host/cloud environment the collector runs in',
  prometheus: 'scrapes Prometheus metrics endpoints (metrics only)',
  hostmetrics: 'reads host metrics (metrics only)',
  loki: 'ships logs to Loki (logs only)',
  prometheusremotewrite: 'writes metrics to a remote-write endpoint (metrics only)',
  spanmetrics: 'derives metrics from spans; the metrics side is not simulated',
  servicegraph: 'derives service-graph metrics; the metrics side is not simulated',
  health_check: 'extension with no effect on trace data',
  pprof: 'extension with no effect on trace data',
  zpages: 'extension with no effect on trace data',
  filelog: 'tails log files (logs only)',
  jaeger: 'tracesim generates OTLP only',
  zipkin: 'tracesim generates OTLP only',
  kafka: 'needs a Kafka cluster',
  groupbytrace: 'regrouping by trace is not simulated',
  redaction: 'redaction rules are not simulated',
  span: 'span renaming rules are not simulated',
  loadbalancing: 'forwards by trace id to other collectors',
};

/**
 * Parses `text` (the contents of `file`) with `env` for `${env:…}` substitution. Throws one
 * `InputError` listing every problem; returns the traces pipelines and what is not simulated.
 */
export async function loadCollectorConfigFile(path: string, env: Readonly<Record<string, string | undefined>>, options: LoadOptions = {}): Promise<CollectorConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read collector config: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: path, cause: err });
  }
  return loadCollectorConfig(text, path, env, options);
}

/** As `loadCollectorConfigFile`, from text. Synchronous. */
export function loadCollectorConfig(
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  options: LoadOptions = {},
): CollectorConfigResult {
  return new Loader(file, env, options.registry ?? builtinRegistry(), options.compat ?? 'current').load(text);
}

interface Defined {
  readonly section: Section;
  readonly id: string;
  readonly type: string;
  readonly raw: unknown;
}

/** A defined component named in a pipeline list, with the key path of that entry. */
interface Ref {
  readonly id: string;
  /** `service.pipelines.traces.receivers[0]` */
  readonly path: string;
}

/** A pipeline of any signal as written; its lists hold only defined ids. */
interface PipelineRefs {
  /** `traces`, `metrics/name`, … */
  readonly id: string;
  readonly signal: Signal;
  readonly receivers: readonly Ref[];
  readonly processors: readonly Ref[];
  readonly exporters: readonly Ref[];
}

/** One entry naming a connector in a pipeline's receivers or exporters. */
interface ConnectorUse {
  /** The pipeline id. */
  readonly pipeline: string;
  readonly signal: Signal;
  readonly ref: Ref;
}

class Loader {
  private readonly _problems: ConfigProblem[] = [];
  private readonly _warnings: string[] = [];
  private readonly _notSimulated: NotSimulated[] = [];
  private readonly _file: string;
  private readonly _env: Readonly<Record<string, string | undefined>>;
  private readonly _registry: ComponentRegistry;
  private readonly _compat: CompatProfile;
  /** The `${env:…}` expansion of the file; its `stringForms` serve string fields (see `withStringForms`). */
  private _expansion: CollectorConfigResult['expansion'] = { value: undefined, stringForms: new Map(), variables: [], unset: new Map() };

  constructor(file: string, env: Readonly<Record<string, string | undefined>>, registry: ComponentRegistry, compat: CompatProfile) {
    this._file = file;
    this._env = env;
    this._registry = registry;
    this._compat = compat;
  }

  load(text: string): CollectorConfigResult {
    const doc = parseCollectorDocument(text, { uniqueKeys: true, prettyErrors: true, merge: true });
    if (doc.errors.length > 0) {
      const problems = doc.errors.slice(0, 3).map((e) => ({
        path: '',
        message: `YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}${e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : ''}`,
      }));
      throw new InputError('invalid collector config', { file: this._file, problems });
    }
    const js = yamlToJs(doc, text);
    if (!js.ok) {
      throw new InputError('invalid collector config', {
        file: this._file,
        problems: [{ path: '', message: `YAML: ${js.message}${js.line !== undefined ? ` (line ${js.line}, column ${js.col})` : ''}` }],
      });
    }
    const root = js.value;
    if (root === null || typeof root !== 'object' || Array.isArray(root)) {
      throw new InputError('invalid collector config', { file: this._file, problems: [{ path: '', message: 'expected a map with receivers, exporters and service' }] });
    }
    if ('services' in root && 'traffic' in root && !('service' in root) && !('receivers' in root)) {
      // The usual mix-up (`--collector-config scenario.yaml`): one line instead of a key per problem.
      throw new InputError('invalid collector config', {
        file: this._file,
        problems: [{ path: '', message: 'this is a tracesim scenario (top-level services and traffic), not a collector config; its `collector:` key names the config' }],
      });
    }
    const expanded = expandEnv(root, this._env);
    this._problems.push(...expanded.problems);
    this._warnings.push(...expanded.warnings);
    this._expansion = expanded;
    const top = expanded.value as Record<string, unknown>;

    for (const key of Object.keys(top)) if (!TOP_LEVEL.has(key)) this.problem(key, 'unknown key');
    const defined = new Map<string, Map<string, Defined>>();
    for (const section of SECTIONS) defined.set(section, this.readSection(section, top[section]));

    const service = this.asMap(top['service'], 'service');
    if (top['service'] === undefined) this.problem('service', 'missing: a collector config needs service.pipelines');
    for (const key of Object.keys(service)) if (!SERVICE_KEYS.has(key)) this.problem(`service.${key}`, 'unknown key');
    this.checkServiceExtensions(service['extensions'], defined.get('extensions')!);

    const allPipelines = this.readPipelines(service['pipelines'], defined);
    this.checkConnectorUse(allPipelines, defined.get('connectors')!);
    const pipelines = allPipelines.filter((p) => p.signal === 'traces').map(tracesPipelineSpec);
    const used = this.usedInTraces(pipelines);

    const specs = {
      receiver: new Map<string, ComponentSpec>(),
      processor: new Map<string, ComponentSpec>(),
      exporter: new Map<string, ComponentSpec>(),
    };
    for (const section of ['receivers', 'processors', 'exporters'] as const) {
      const kind = SECTION_KIND[section]!;
      for (const d of defined.get(section)!.values()) {
        const spec = this.componentSpec(kind, d, used[section].has(d.id));
        if (spec && used[section].has(d.id)) specs[kind].set(d.id, spec);
      }
    }
    for (const d of defined.get('connectors')!.values()) {
      const asExporter = used.exporters.has(d.id);
      const asReceiver = used.receivers.has(d.id);
      const source: ComponentSpec = { id: d.id, type: d.type, kind: 'receiver', simulation: 'connector_source', factory: undefined, config: undefined };
      const passing = asExporter && asReceiver ? this.passingConnector(d, pipelines) : undefined;
      if (passing) {
        specs.exporter.set(d.id, { id: d.id, type: d.type, kind: 'exporter', factory: undefined, ...passing });
        specs.receiver.set(d.id, source);
        continue;
      }
      if (asExporter) specs.exporter.set(d.id, { id: d.id, type: d.type, kind: 'exporter', simulation: 'connector_sink', factory: this._registry.require('exporter', 'nop'), config: this._registry.require('exporter', 'nop').defaultConfig() });
      if (asReceiver) specs.receiver.set(d.id, source);
      const role = asExporter && asReceiver ? 'spans reaching it are counted; what it emits into traces pipelines is not simulated' : asExporter ? 'spans reaching it are counted as exported; what it emits is not simulated' : asReceiver ? 'what it emits into traces pipelines is not simulated (nothing arrives from it)' : 'not used by a traces pipeline';
      this._notSimulated.push({ component: `connectors.${d.id}`, reason: `${reasonFor(d.type, 'connector')}; ${role}` });
    }
    for (const d of defined.get('extensions')!.values()) {
      this._notSimulated.push({ component: `extensions.${d.id}`, reason: KNOWN_REASONS[d.type] ?? 'extension with no effect on trace data' });
    }

    this.checkForwardCycles(pipelines, specs.exporter);
    const telemetry = this.readTelemetry(service['telemetry']);
    if (pipelines.length === 0 && !this._problems.some((p) => PIPELINES_UNREADABLE_PATH.test(p.path))) {
      this.problem('service.pipelines', 'no traces pipeline: tracesim simulates traces pipelines only');
    }
    if (this._problems.length > 0) {
      // File order: top-level keys, then sections, then service (a stable sort keeps the rest).
      const rank = (path: string): number => {
        const head = path.split(/[.[]/)[0]!;
        const i = ['receivers', 'processors', 'exporters', 'extensions', 'connectors', 'service'].indexOf(head);
        return i < 0 ? -1 : i;
      };
      this._problems.sort((a, b) => rank(a.path) - rank(b.path));
      // a value an unset variable left empty: say so where it fails (the warning is not printed then)
      const unset = this._expansion.unset;
      const problems = this._problems.map((p) => (unset.has(p.path) ? { ...p, message: `${p.message} (environment variable ${unset.get(p.path)!} is not set)` } : p));
      throw new InputError(`invalid collector config (${problems.length} problem${problems.length === 1 ? '' : 's'})`, { file: this._file, problems });
    }
    return {
      config: { file: this._file, receivers: specs.receiver, processors: specs.processor, exporters: specs.exporter, pipelines, telemetry },
      notSimulated: this._notSimulated,
      warnings: this._warnings,
      expansion: this._expansion,
    };
  }

  /**
   * How a connector ending one traces pipeline and starting others passes spans on (its exporter
   * side's simulation and config), with its config's problems; undefined for a type that is not
   * simulated.
   */
  private passingConnector(d: Defined, pipelines: readonly TracesPipelineSpec[]): { simulation: Simulation; config: unknown } | undefined {
    const receiving = new Set(pipelines.filter((p) => p.receivers.includes(d.id)).map((p) => p.id));
    const report = (problems: readonly ConnectorProblem[]) => {
      for (const p of problems) this.problem(p.path === '' ? `connectors.${d.id}` : `connectors.${d.id}.${p.path}`, p.message);
    };
    switch (d.type) {
      case 'forward':
        return { simulation: 'forward', config: undefined };
      case 'failover': {
        // a `forward` limited to the first priority level (`config`: its pipelines)
        const { firstLevel, problems } = parseFailoverConfig(d.raw, receiving);
        report(problems);
        this._notSimulated.push({ component: `connectors.${d.id}`, reason: 'spans go to the first priority level; moving to a lower level when a pipeline fails is not simulated' });
        return { simulation: 'forward', config: firstLevel };
      }
      case 'roundrobin':
        if (d.raw !== null && d.raw !== undefined && !(isYamlMap(d.raw) && Object.keys(d.raw).length === 0)) report([{ path: '', message: 'roundrobin takes no settings' }]);
        return { simulation: 'roundrobin', config: undefined };
      case 'routing': {
        const { config, problems } = parseRoutingConfig(d.raw, receiving);
        report(problems);
        config.table.forEach((route, i) => {
          if (route.context === 'request') {
            this._notSimulated.push({ component: `connectors.${d.id}.table[${i}]`, reason: 'request-context routes match request metadata tracesim does not generate: this route never matches' });
          }
        });
        return { simulation: 'routing', config };
      }
      default:
        return undefined;
    }
  }

  /** As the collector: a pipeline may not reach itself through connectors (here: `forward`, `routing`). */
  private checkForwardCycles(pipelines: readonly TracesPipelineSpec[], exporters: ReadonlyMap<string, ComponentSpec>): void {
    const feeds = (p: TracesPipelineSpec): TracesPipelineSpec[] =>
      pipelines.filter((q) => p.exporters.some((id) => isPassingConnector(exporters.get(id)) && q.receivers.includes(id)));
    const done = new Set<string>();
    const visit = (p: TracesPipelineSpec, path: string[]): void => {
      if (path.includes(p.id)) {
        this.problem('service.pipelines', `cycle through connectors: ${[...path.slice(path.indexOf(p.id)), p.id].join(' → ')}`);
        return;
      }
      if (done.has(p.id)) return;
      for (const q of feeds(p)) visit(q, [...path, p.id]);
      done.add(p.id);
    };
    for (const p of pipelines) visit(p, []);
  }

  private problem(path: string, message: string): void {
    this._problems.push({ path, message });
  }

  private asMap(value: unknown, path: string): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problem(path, `expected a map, got ${describe(value)}`);
      return {};
    }
    return value as Record<string, unknown>;
  }

  private readSection(section: Section, value: unknown): Map<string, Defined> {
    const out = new Map<string, Defined>();
    for (const [id, raw] of Object.entries(this.asMap(value, section))) {
      const slash = id.indexOf('/');
      const type = slash < 0 ? id : id.slice(0, slash);
      const name = slash < 0 ? undefined : id.slice(slash + 1);
      if (!TYPE_RE.test(type) || (name !== undefined && !NAME_RE.test(name))) {
        this.problem(`${section}.${id}`, 'invalid component id: expected "type" or "type/name" (type: a letter, then letters, digits or _)');
        continue;
      }
      out.set(id, { section, id, type, raw });
    }
    return out;
  }

  private checkServiceExtensions(value: unknown, extensions: Map<string, Defined>): void {
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) {
      this.problem('service.extensions', `expected a list of extension ids, got ${describe(value)}`);
      return;
    }
    value.forEach((id, i) => {
      if (typeof id !== 'string') this.problem(`service.extensions[${i}]`, `expected an extension id, got ${describe(id)}`);
      else if (!extensions.has(id)) this.problem(`service.extensions[${i}]`, `extension "${id}" is not defined in extensions`);
    });
  }

  /** Every pipeline with a valid id (any signal), in file order; non-traces ones are listed as not simulated. */
  private readPipelines(value: unknown, defined: Map<string, Map<string, Defined>>): PipelineRefs[] {
    const out: PipelineRefs[] = [];
    const pipelines = this.asMap(value, 'service.pipelines');
    if (value !== undefined && value !== null && Object.keys(pipelines).length === 0 && typeof value === 'object') {
      this.problem('service.pipelines', 'expected at least one pipeline');
    }
    for (const [id, body] of Object.entries(pipelines)) {
      const path = `service.pipelines.${id}`;
      const signal = id.split('/')[0]!;
      if (!isSignal(signal) || !(id === signal || NAME_RE.test(id.slice(signal.length + 1)))) {
        this.problem(path, 'invalid pipeline id: expected traces, metrics, logs or profiles, optionally /name');
        continue;
      }
      const map = this.asMap(body, path);
      for (const key of Object.keys(map)) if (!PIPELINE_KEYS.has(key)) this.problem(`${path}.${key}`, 'unknown key');
      const pipeline = { signal, path };
      const receivers = this.readRefs(map['receivers'], pipeline, [defined.get('receivers')!, defined.get('connectors')!], 'receiver', 'receivers or connectors');
      const processors = this.readRefs(map['processors'], pipeline, [defined.get('processors')!], 'processor', 'processors');
      const exporters = this.readRefs(map['exporters'], pipeline, [defined.get('exporters')!, defined.get('connectors')!], 'exporter', 'exporters or connectors');
      if (map['receivers'] === undefined || (Array.isArray(map['receivers']) && map['receivers'].length === 0)) this.problem(`${path}.receivers`, 'a pipeline needs at least one receiver');
      if (map['exporters'] === undefined || (Array.isArray(map['exporters']) && map['exporters'].length === 0)) this.problem(`${path}.exporters`, 'a pipeline needs at least one exporter');
      out.push({ id, signal, receivers, processors, exporters });
      if (signal !== 'traces') this._notSimulated.push({ component: path, reason: `${signal} pipelines are not simulated (tracesim simulates traces)` });
    }
    return out;
  }

  /**
   * The defined components of one list (`<pipeline.path>.<kind>s`), each once; undefined, repeated
   * and non-string entries are problems, and so is a component that cannot serve the pipeline's signal.
   */
  private readRefs(value: unknown, pipeline: { signal: Signal; path: string }, sections: Map<string, Defined>[], kind: FactoryKind, where: string): Ref[] {
    const path = `${pipeline.path}.${kind}s`;
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(path, `expected a list of ${kind} ids, got ${describe(value)}`);
      return [];
    }
    const out: Ref[] = [];
    const seen = new Set<string>();
    value.forEach((id, i) => {
      const at = `${path}[${i}]`;
      if (typeof id !== 'string') {
        this.problem(at, `expected a ${kind} id, got ${describe(id)}`);
        return;
      }
      const d = sections.map((s) => s.get(id)).find((x) => x !== undefined);
      if (!d) {
        this.problem(at, `${kind} "${id}" is not defined in ${where}`);
        return;
      }
      if (seen.has(id)) {
        this.problem(at, `${kind} "${id}" is listed twice`);
        return;
      }
      seen.add(id);
      if (pipeline.signal === 'traces' && d.section !== 'connectors') this.checkTracesSupport(kind, d, at);
      out.push({ id, path: at });
    });
    return out;
  }

  /** As the collector's graph: building `d` for a traces pipeline fails when its type lacks traces support. */
  private checkTracesSupport(kind: FactoryKind, d: Defined, path: string): void {
    const signals = signalsWithoutTraces(kind, d.type);
    if (signals) this.problem(path, `${kind} "${d.id}" does not support traces (it supports ${listSignals(signals)}): the collector fails with "telemetry type is not supported"`);
  }

  /**
   * As the collector's graph (`createNodes`): for every signal of the pipelines exporting to a
   * connector, some pipeline receiving from it must have a signal the connector can pair with it,
   * and the other way round. One problem per connector, role and signal, at its first such entry.
   */
  private checkConnectorUse(pipelines: readonly PipelineRefs[], connectors: ReadonlyMap<string, Defined>): void {
    for (const d of connectors.values()) {
      const asExporter = connectorUses(pipelines, d.id, 'exporters');
      const asReceiver = connectorUses(pipelines, d.id, 'receivers');
      const pairs = describeConnectorPairs(d.type);
      const hint = pairs === undefined ? '' : ` (${d.type} connects ${pairs})`;
      for (const [signal, uses] of bySignal(asExporter)) {
        if (asReceiver.some((r) => connectorSupports(d.type, signal, r.signal))) continue;
        this.problem(uses[0]!.ref.path, `connector "${d.id}" used as exporter in [${uses.map((u) => u.pipeline).join(' ')}] pipeline but not used in any supported receiver pipeline${hint}`);
      }
      for (const [signal, uses] of bySignal(asReceiver)) {
        if (asExporter.some((e) => connectorSupports(d.type, e.signal, signal))) continue;
        this.problem(uses[0]!.ref.path, `connector "${d.id}" used as receiver in [${uses.map((u) => u.pipeline).join(' ')}] pipeline but not used in any supported exporter pipeline${hint}`);
      }
    }
  }

  private usedInTraces(pipelines: readonly TracesPipelineSpec[]): Record<'receivers' | 'processors' | 'exporters', Set<string>> {
    const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
    for (const p of pipelines) {
      p.receivers.forEach((id) => used.receivers.add(id));
      p.processors.forEach((id) => used.processors.add(id));
      p.exporters.forEach((id) => used.exporters.add(id));
    }
    return used;
  }

  /** Parses a simulated component; decides the stand-in for one that is not. */
  private componentSpec(kind: FactoryKind, d: Defined, inTraces: boolean): ComponentSpec | undefined {
    const path = `${d.section}.${d.id}`;
    if (this._registry.isSimulated(kind, d.type)) {
      const factory = this._registry.require(kind, d.type);
      const context = { compat: this._compat };
      let parsed = factory.parseConfig(d.raw, path, context);
      // A string field given `${env:X}` reads X's text (`0123`), as confmap's ExpandedValue does.
      const asText = parsed.ok ? undefined : withStringForms(d.raw, path, parsed.problems, this._expansion.stringForms);
      if (asText !== undefined) parsed = factory.parseConfig(asText, path, context);
      if (!parsed.ok) {
        this._problems.push(...parsed.problems);
        return undefined;
      }
      if (parsed.warnings) this._warnings.push(...parsed.warnings);
      for (const n of parsed.notSimulated ?? []) this._notSimulated.push({ component: n.path, reason: n.reason });
      return { id: d.id, type: d.type, kind, simulation: 'simulated', factory, config: parsed.config };
    }
    const what = reasonFor(d.type, kind);
    if (!inTraces) {
      this._notSimulated.push({ component: path, reason: `${what}; not used by a traces pipeline` });
      return undefined;
    }
    switch (kind) {
      case 'processor':
        this._notSimulated.push({ component: path, reason: `${what}; spans pass through it unchanged` });
        return { id: d.id, type: d.type, kind, simulation: 'pass_through', factory: undefined, config: undefined };
      case 'exporter': {
        const sink = this._registry.require('exporter', STORAGE_SINK_TYPE);
        this._notSimulated.push({ component: path, reason: `exporter ${d.type} is not simulated; a storage sink counts and sizes the spans that reach it` });
        return { id: d.id, type: d.type, kind, simulation: 'storage_sink', factory: sink, config: sink.defaultConfig() };
      }
      case 'receiver':
        this._notSimulated.push({ component: path, reason: `${what}; in sim runs it receives the generated spans like otlp, in live runs it does not listen` });
        return { id: d.id, type: d.type, kind, simulation: 'inlet', factory: undefined, config: undefined };
    }
  }

  private readTelemetry(value: unknown): CollectorTelemetry {
    const t = this.asMap(value, 'service.telemetry');
    for (const key of Object.keys(t)) if (!TELEMETRY_KEYS.has(key)) this.problem(`service.telemetry.${key}`, 'unknown key');
    const metrics = this.asMap(t['metrics'], 'service.telemetry.metrics');
    const level = typeof metrics['level'] === 'string' ? metrics['level'] : 'normal';
    if (level === 'none') return { metricsEndpoint: null, level };
    if (typeof metrics['address'] === 'string' && metrics['address'] !== '') return { metricsEndpoint: metrics['address'], level };
    const readers = Array.isArray(metrics['readers']) ? (metrics['readers'] as unknown[]) : [];
    for (const r of readers) {
      const prom = (r as { pull?: { exporter?: { prometheus?: { host?: unknown; port?: unknown } } } } | null)?.pull?.exporter?.prometheus;
      if (prom && (typeof prom.port === 'number' || typeof prom.port === 'string')) {
        const host = typeof prom.host === 'string' && prom.host !== '' ? prom.host : '127.0.0.1';
        return { metricsEndpoint: `${host}:${String(prom.port)}`, level };
      }
    }
    return { metricsEndpoint: '127.0.0.1:8888', level };
  }
}

function isSignal(s: string): s is Signal {
  return SIGNALS.has(s);
}

function tracesPipelineSpec(p: PipelineRefs): TracesPipelineSpec {
  const ids = (refs: readonly Ref[]): string[] => refs.map((r) => r.id);
  return { id: p.id, receivers: ids(p.receivers), processors: ids(p.processors), exporters: ids(p.exporters) };
}

/** Where connector `id` appears in the `list` of each pipeline, in file order. */
function connectorUses(pipelines: readonly PipelineRefs[], id: string, list: 'receivers' | 'exporters'): ConnectorUse[] {
  return pipelines.flatMap((p) => p[list].filter((r) => r.id === id).map((ref) => ({ pipeline: p.id, signal: p.signal, ref })));
}

/** `uses` grouped by pipeline signal, in order of first appearance. */
function bySignal(uses: readonly ConnectorUse[]): Map<Signal, ConnectorUse[]> {
  const out = new Map<Signal, ConnectorUse[]>();
  for (const u of uses) out.set(u.signal, [...(out.get(u.signal) ?? []), u]);
  return out;
}

function reasonFor(type: string, kind: string): string {
  const known = KNOWN_REASONS[type];
  return known ? `${kind} ${type} is not simulated: ${known}` : `${kind} ${type} is not simulated`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** A connector the graph passes spans through into other traces pipelines (`forward`, `failover`, `routing`, `roundrobin`). */
export function isPassingConnector(spec: ComponentSpec | undefined): boolean {
  return spec?.simulation === 'forward' || spec?.simulation === 'routing' || spec?.simulation === 'roundrobin';
}
