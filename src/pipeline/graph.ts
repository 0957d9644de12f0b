/**
 * Builds the running pipelines from a loaded collector config, as the collector's service graph:
 *
 *   engine (sim) / network (live)
 *            │
 *            ▼
 *   receiver otlp ──fan-out──┬──────────────────────────────┐   one instance per receiver id,
 *            │               │                              │   shared by every pipeline naming it
 *            ▼               ▼ (shadow copy)                │
 *   traces:  memory_limiter → batch → tail_sampling   traces/b: attributes → batch
 *            │  one processor instance per pipeline         │
 *            ▼                                              ▼
 *        fan-out ──┬───────────────┐                    fan-out
 *                  ▼               ▼ (shadow)               ▼
 *            exporter otlp    exporter file      exporter otlp (the same instance)
 *
 * Fan-outs follow src/pipeline/fanout.ts: the first pipeline's first exporter receives the original
 * batch (the ledger's copy); every other copy is marked `shadow`.
 *
 * A `forward` or `routing` connector ending pipeline A and starting pipeline B is an exporter of A whose
 * consumer is B's fan-out; pipelines are ordered so that A comes before every pipeline it feeds.
 *
 * Lifecycle: `start(host)` starts exporters, then each pipeline's processors from last to first,
 * then receivers (reverse topological order), so nothing receives data before its downstream runs.
 * `shutdown()` goes the other way: receivers stop intake, processors flush in pipeline order (a
 * pipeline before those it forwards to) into exporters that are still running, exporters stop
 * last. Both are idempotent.
 */
import type { Component, CompatProfile, HoldsBytes, Host, RunMode, Settings } from './component.js';
import { holdsBytes } from './component.js';
import type { CollectorConfig, ComponentSpec, NotSimulated, TracesPipelineSpec } from './config-loader.js';
import { isPassingConnector } from './config-loader.js';
import { RoundRobinConnector } from '../components/connectors/roundrobin/roundrobin.js';
import { RoutingConnector, type RoutingConfig } from '../components/connectors/routing/routing.js';
import type { TracesConsumer } from './consumer.js';
import type { ExporterFactory, ProcessorFactory, ReceiverFactory } from './factory.js';
import { createFanout } from './fanout.js';
import type { ComponentRegistry } from './registry.js';
import { createPassThroughProcessor, ForwardConnector, InletReceiver } from './stand-ins.js';

export interface BuildOptions {
  readonly compat: CompatProfile;
  readonly mode: RunMode;
  /** What not simulated entries to carry (usually `CollectorConfigResult.notSimulated`). */
  readonly notSimulated?: readonly NotSimulated[];
  /** Total memory for `memory_limiter`'s `limit_percentage` (see Settings.totalMemoryBytes). */
  readonly totalMemoryBytes?: number;
}

export type GraphComponent = Component & TracesConsumer;

export interface GraphNode {
  readonly id: string;
  readonly kind: 'receiver' | 'processor' | 'exporter';
  /** Set for processors (one instance per pipeline). */
  readonly pipelineId?: string;
  readonly component: GraphComponent;
}

export interface PipelineGraph {
  /** Starts every component in reverse topological order; idempotent. */
  start(host: Host): Promise<void>;
  /** Stops intake, flushes and stops every component in topological order; idempotent. */
  shutdown(): Promise<void>;
  /** Receiver id → instance: what the engine pushes generated batches into in sim mode. */
  receivers(): ReadonlyMap<string, GraphComponent>;
  /** Exporter id → instance (shared across pipelines). */
  exporters(): ReadonlyMap<string, GraphComponent>;
  /** Every component instance, receivers first, then processors by pipeline, then exporters. */
  components(): readonly GraphNode[];
  /** Sum of `heldBytes()` over components that hold span data (the memory limiter's heap). */
  heldBytes(): number;
  readonly notSimulated: readonly NotSimulated[];
}

export function buildPipelines(config: CollectorConfig, registry: ComponentRegistry, options: BuildOptions): PipelineGraph {
  const settingsFor = (id: string, pipelineId?: string): Settings => ({
    id,
    compat: options.compat,
    ...(pipelineId === undefined ? {} : { pipelineId }),
    ...(options.totalMemoryBytes === undefined ? {} : { totalMemoryBytes: options.totalMemoryBytes }),
  });
  const factoryOf = <F>(spec: ComponentSpec): F => {
    if (spec.simulation === 'simulated') return registry.require(spec.kind, spec.type) as F;
    if (!spec.factory) throw new Error(`internal error: no factory for ${spec.kind} ${spec.id} (${spec.simulation})`);
    return spec.factory as F;
  };

  const exporterNodes: GraphNode[] = [];
  const exporters = new Map<string, GraphComponent>();
  const forwards = new Map<string, ForwardConnector>();
  const routers = new Map<string, RoutingConnector>();
  const rotators = new Map<string, RoundRobinConnector>();
  const exporterOf = (id: string): GraphComponent => {
    let e = exporters.get(id);
    if (!e) {
      const spec = config.exporters.get(id);
      if (!spec) throw new Error(`internal error: exporter ${id} has no spec`);
      if (spec.simulation === 'forward') {
        const f = new ForwardConnector(settingsFor(id));
        forwards.set(id, f);
        e = f;
      } else if (spec.simulation === 'roundrobin') {
        const r = new RoundRobinConnector(settingsFor(id));
        rotators.set(id, r);
        e = r;
      } else if (spec.simulation === 'routing') {
        const r = new RoutingConnector(settingsFor(id), spec.config as RoutingConfig);
        routers.set(id, r);
        e = r;
      } else {
        e = factoryOf<ExporterFactory>(spec).createTraces(settingsFor(id), spec.config);
      }
      exporters.set(id, e);
      exporterNodes.push({ id, kind: 'exporter', component: e });
    }
    return e;
  };

  const processorNodes: GraphNode[][] = [];
  const pipelineEntries = new Map<string, TracesConsumer>();
  const forwardIds = new Set([...config.exporters.values()].filter(isPassingConnector).map((x) => x.id));
  for (const p of upstreamFirst(config.pipelines, forwardIds)) {
    let next: TracesConsumer = createFanout(p.exporters.map(exporterOf));
    const nodes: GraphNode[] = [];
    for (let i = p.processors.length - 1; i >= 0; i--) {
      const id = p.processors[i]!;
      const spec = config.processors.get(id);
      if (!spec) throw new Error(`internal error: processor ${id} has no spec`);
      const settings = settingsFor(id, p.id);
      const proc: GraphComponent =
        spec.simulation === 'pass_through' ? createPassThroughProcessor(settings, next) : factoryOf<ProcessorFactory>(spec).createTraces(settings, spec.config, next);
      nodes.unshift({ id, kind: 'processor', pipelineId: p.id, component: proc });
      next = proc;
    }
    processorNodes.push(nodes);
    pipelineEntries.set(p.id, next);
  }
  const entriesOf = (receiverId: string): TracesConsumer[] =>
    config.pipelines.filter((p) => p.receivers.includes(receiverId)).map((p) => pipelineEntries.get(p.id)!);
  const fanoutTo = (pipelineIds: readonly string[]) => createFanout(pipelineIds.map((pid) => pipelineEntries.get(pid)!));
  // a failover connector's spec carries the pipelines of its first priority level
  for (const [id, f] of forwards) {
    const only = config.exporters.get(id)!.config as readonly string[] | undefined;
    f.connect(only === undefined ? createFanout(entriesOf(id)) : fanoutTo(only));
  }
  for (const [id, r] of rotators) r.connect(entriesOf(id));
  for (const [id, r] of routers) {
    const { table, defaultPipelines } = config.exporters.get(id)!.config as RoutingConfig;
    r.connect(
      table.map((route) => fanoutTo(route.pipelines)),
      defaultPipelines.length > 0 ? fanoutTo(defaultPipelines) : undefined,
    );
  }

  const receivers = new Map<string, GraphComponent>();
  const receiverNodes: GraphNode[] = [];
  for (const [id, spec] of config.receivers) {
    if (spec.simulation === 'connector_source') continue;
    const next = createFanout(entriesOf(id));
    const r: GraphComponent = spec.simulation === 'inlet' ? new InletReceiver(settingsFor(id), next) : factoryOf<ReceiverFactory>(spec).createTraces(settingsFor(id), spec.config, next);
    receivers.set(id, r);
    receiverNodes.push({ id, kind: 'receiver', component: r });
  }

  const all: GraphNode[] = [...receiverNodes, ...processorNodes.flat(), ...exporterNodes];
  const holders = all.map((n) => n.component).filter((c): c is GraphComponent & HoldsBytes => holdsBytes(c));
  let started: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;

  return {
    notSimulated: options.notSimulated ?? [],
    receivers: () => receivers,
    exporters: () => exporters,
    components: () => all,
    heldBytes: () => holders.reduce((sum, c) => sum + c.heldBytes(), 0),
    start(host: Host): Promise<void> {
      if (host.mode !== options.mode) throw new Error(`internal error: graph built for ${options.mode} mode started on a ${host.mode} host`);
      started ??= (async () => {
        for (const n of exporterNodes) await n.component.start(host);
        for (const nodes of processorNodes) for (let i = nodes.length - 1; i >= 0; i--) await nodes[i]!.component.start(host);
        for (const n of receiverNodes) await n.component.start(host);
      })();
      return started;
    },
    shutdown(): Promise<void> {
      stopped ??= (async () => {
        for (const n of receiverNodes) await n.component.shutdown();
        for (const nodes of processorNodes) for (const n of nodes) await n.component.shutdown();
        for (const n of exporterNodes) await n.component.shutdown();
      })();
      return stopped;
    },
  };
}

/**
 * Pipelines in config order, except that a pipeline comes before every pipeline it feeds through a
 * `forward` connector (the loader has refused cycles), so shutdown flushes upstream first.
 */
function upstreamFirst(pipelines: readonly TracesPipelineSpec[], forwardIds: ReadonlySet<string>): TracesPipelineSpec[] {
  if (forwardIds.size === 0) return [...pipelines];
  const feeders = (p: TracesPipelineSpec) => pipelines.filter((q) => q.exporters.some((id) => forwardIds.has(id) && p.receivers.includes(id)));
  const out: TracesPipelineSpec[] = [];
  const visit = (p: TracesPipelineSpec): void => {
    if (out.includes(p)) return;
    for (const q of feeders(p)) visit(q);
    out.push(p);
  };
  for (const p of pipelines) visit(p);
  return out;
}

/** Everything a `Host` needs besides the graph; `heldBytes` is wired to the graph. */
export interface HostParts {
  readonly mode: RunMode;
  readonly clock: Host['clock'];
  readonly accounting: Host['accounting'];
  readonly telemetry: Host['telemetry'];
  readonly log: Host['log'];
}

/** A `Host` whose `heldBytes()` sums the graph's byte-holding components. */
export function createHost(parts: HostParts, graph: Pick<PipelineGraph, 'heldBytes'>): Host {
  return { ...parts, heldBytes: () => graph.heldBytes() };
}
