/**
 * `tracesim collector --config C.yaml [--out DIR]`: the bundled collector as an OTLP server on
 * the wall clock, like `otelcol --config`.
 *
 *   load + validate config ─► build graph (live mode) ─► start (exporters … receivers)
 *        ─► print bound addresses ─► serve /metrics ─► status line every --status-interval
 *        ─► SIGINT/SIGTERM ─► stop receivers, flush processors and exporter queues (bounded by
 *           --shutdown-timeout) ─► report.json ─► exit 0
 *
 * Start-up output (stdout), one line each, so scripts and tests can read the real ports when the
 * config asks for port 0:
 *
 *   listening otlp grpc 127.0.0.1:43121
 *   listening otlp http 127.0.0.1:43122
 *   metrics http://127.0.0.1:8888/metrics
 *   ready
 *
 * A second SIGINT/SIGTERM during shutdown is not intercepted: the process ends at once (no report).
 *
 * Report ledger for this mode: `spans.generated` counts the spans the receivers accepted into the
 * pipeline (`otelcol_receiver_accepted_spans`); spans refused back to a client never entered it
 * (the client may resend them) and appear in the telemetry only. Traces are not tracked (a
 * long-running server would need unbounded per-trace state), so trace counts are 0 and the
 * summary says so. Exported bytes are measured by the accounting on the ledger's copy of each
 * exported batch (exact OTLP size, sampled gzip), whatever the exporter, so storage is projected
 * for `debug`, `file` and `nop` pipelines too.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from '../command.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { defaultOutDir, resolvePath } from './run-support.js';
import { builtinRegistry } from '../../components/index.js';
import { parseEndpoint } from '../../components/receivers/otlp/config.js';
import { isListeningReceiver } from '../../components/receivers/otlp/receiver.js';
import type { AccountedBatch, DropReason, SampledOutReason, SpanAccounting } from '../../pipeline/accounting.js';
import { loadCollectorConfigFile } from '../../pipeline/config-loader.js';
import { buildPipelines, createHost, type PipelineGraph } from '../../pipeline/graph.js';
import { MetricsRegistry } from '../../pipeline/telemetry.js';
import { startTelemetryServer, type TelemetryServer } from '../../pipeline/telemetry-server.js';
import { WallClock } from '../../pipeline/wall-clock.js';
import { spanCount } from '../../protocol/otlp/model.js';
import type { LedgerResult } from '../../ledger/ledger.js';
import { buildReport } from '../../report/build.js';
import { StorageMeter } from '../../components/exporters/shared/storage-meter.js';
import { inFile, InputError } from '../../shared/errors.js';
import { parseDurationMs } from '../../shared/units.js';

interface CollectorOptions {
  config: string;
  out?: string;
  statusInterval: string;
  shutdownTimeout: string;
}

export const collectorCommand: CommandModule = (program: Command, ctx: CliContext, setExitCode) => {
  program
    .command('collector')
    .description('run the bundled collector as an OTLP server (gRPC + HTTP) until SIGINT/SIGTERM, then write report.json')
    .requiredOption('--config <file>', 'collector config (OpenTelemetry Collector YAML)')
    .option('--out <dir>', 'report directory (default reports/collector-<timestamp>/)')
    .option('--status-interval <duration>', 'how often to print the status line', '5s')
    .option('--shutdown-timeout <duration>', 'bound on flushing queues and batches at shutdown', '30s')
    .action(async (opts: CollectorOptions) => {
      setExitCode(await runCollector(ctx, opts));
    });
};

/** Spans by outcome, as the components report them (shadow copies ignored). */
class CollectorAccounting implements SpanAccounting {
  exportedSpans = 0;
  /** Exact OTLP bytes (and sampled gzip) of the ledger's copy of every exported batch, whatever the exporter. */
  readonly meter = new StorageMeter();
  readonly sampledOutSpans = new Map<SampledOutReason, Map<string, number>>();
  readonly droppedSpans = new Map<DropReason, Map<string, number>>();

  exported(batch: AccountedBatch): void {
    if (batch.shadow) return;
    this.exportedSpans += spanCount(batch);
    this.meter.record(batch);
  }
  sampledOut(batch: AccountedBatch, componentId: string, reason: SampledOutReason): void {
    if (!batch.shadow) add(this.sampledOutSpans, reason, componentId, spanCount(batch));
  }
  dropped(batch: AccountedBatch, componentId: string, reason: DropReason): void {
    if (!batch.shadow) add(this.droppedSpans, reason, componentId, spanCount(batch));
  }
  sampledOutOfTrace(_traceId: string, spans: number, shadow: boolean, componentId: string, reason: SampledOutReason): void {
    if (!shadow) add(this.sampledOutSpans, reason, componentId, spans);
  }
  droppedOfTrace(_traceId: string, spans: number, shadow: boolean, componentId: string, reason: DropReason): void {
    if (!shadow) add(this.droppedSpans, reason, componentId, spans);
  }
}

function add<K>(map: Map<K, Map<string, number>>, key: K, component: string, n: number): void {
  const byComponent = map.get(key) ?? new Map<string, number>();
  byComponent.set(component, (byComponent.get(component) ?? 0) + n);
  map.set(key, byComponent);
}

function total(map: Map<unknown, Map<string, number>>): number {
  let n = 0;
  for (const byComponent of map.values()) for (const v of byComponent.values()) n += v;
  return n;
}

function durationOption(name: string, text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || !(ms > 0)) throw new InputError(`${name} "${text}": expected a positive duration such as 5s`);
  return ms;
}

async function runCollector(ctx: CliContext, opts: CollectorOptions): Promise<ExitCode> {
  const statusIntervalMs = durationOption('--status-interval', opts.statusInterval);
  const shutdownTimeoutMs = durationOption('--shutdown-timeout', opts.shutdownTimeout);
  const configPath = resolvePath(ctx, opts.config);
  const loaded = await loadCollectorConfigFile(configPath, ctx.env);
  for (const w of loaded.warnings) ctx.stderr.write(`warning: ${w}\n`);
  const configText = await readFile(configPath, 'utf8');
  const metricsEndpoint = loaded.config.telemetry.metricsEndpoint;
  const metricsAddress = metricsEndpoint === null ? undefined : parseEndpoint(metricsEndpoint);
  if (metricsEndpoint !== null && !metricsAddress) {
    throw new InputError(`service.telemetry.metrics: expected host:port, got "${metricsEndpoint}"`, { file: configPath });
  }

  const telemetry = new MetricsRegistry();
  const accounting = new CollectorAccounting();
  const clock = new WallClock((err) => ctx.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`));
  const graph: PipelineGraph = buildPipelines(loaded.config, builtinRegistry(), { compat: 'current', mode: 'live', notSimulated: loaded.notSimulated });
  const host = createHost(
    { mode: 'live', clock, accounting, telemetry, log: { warn: (m) => ctx.stderr.write(`warning: ${m}\n`), info: (m) => ctx.stderr.write(`${m}\n`) } },
    graph,
  );

  try {
    await graph.start(host);
  } catch (err) {
    await graph.shutdown();
    throw inFile(err, configPath);
  }
  let metricsServer: TelemetryServer | undefined;
  try {
    if (metricsAddress) metricsServer = await startTelemetryServer(telemetry, metricsAddress.host, metricsAddress.port);
  } catch (err) {
    await graph.shutdown();
    throw new Error(`cannot serve metrics on ${metricsEndpoint}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const startMs = clock.nowMs();
  for (const node of graph.components()) {
    if (node.kind !== 'receiver' || !isListeningReceiver(node.component)) continue;
    for (const ep of node.component.endpoints()) ctx.stdout.write(`listening ${ep.receiver} ${ep.protocol} ${ep.host}:${ep.port}\n`);
  }
  if (metricsServer) ctx.stdout.write(`metrics ${metricsServer.url}\n`);
  for (const n of loaded.notSimulated) ctx.stderr.write(`not simulated: ${n.component} (${n.reason})\n`);
  ctx.stdout.write('ready\n');

  const accepted = (): number => telemetry.sum('otelcol_receiver_accepted_spans');
  let last = { atMs: startMs, in: 0, out: 0 };
  // A ref'd timer: it keeps the process alive while it waits for a signal.
  const statusTimer = setInterval(() => {
    const now = clock.nowMs();
    const seconds = Math.max(1e-3, (now - last.atMs) / 1000);
    const cur = { atMs: now, in: accepted(), out: accounting.exportedSpans };
    ctx.stdout.write(`${statusLine(telemetry, accounting, (cur.in - last.in) / seconds, (cur.out - last.out) / seconds)}\n`);
    last = cur;
  }, statusIntervalMs);

  await new Promise<void>((resolve) => {
    const offs = [ctx.onSignal('SIGINT', done), ctx.onSignal('SIGTERM', done)];
    function done(): void {
      for (const off of offs) off();
      resolve();
    }
  });
  clearInterval(statusTimer);
  ctx.stderr.write('shutting down: stopping receivers, flushing batches and exporter queues\n');
  const stopped = await Promise.race([
    graph.shutdown().then(() => true),
    new Promise<boolean>((resolve) => clock.setTimer(shutdownTimeoutMs, () => resolve(false))),
  ]);
  if (!stopped) ctx.stderr.write(`warning: shutdown did not finish within ${opts.shutdownTimeout}; reporting what was accounted so far\n`);
  await metricsServer?.close();

  const windowSeconds = (clock.nowMs() - startMs) / 1000;
  const report = buildReport({
    mode: 'collector',
    scenario: { name: 'collector', seed: 0, hash: '' },
    collector: { path: configPath, hash: createHash('sha256').update(configText).digest('hex').slice(0, 16) },
    compat: 'current',
    windowSeconds,
    interrupted: false,
    invalidReasons: [],
    ledger: ledgerResult(accepted(), accounting),
    storage: { compressedBytes: accounting.meter.compressedBytes() },
    throughput: { targetSpansPerSecond: 0 },
    notSimulated: [...loaded.notSimulated],
    telemetry: telemetry
      .snapshot()
      .filter((p) => p.kind === 'counter')
      .map((p) => ({ name: p.name, labels: { ...p.labels }, value: p.value })),
    inputs: { collectorYaml: configText },
  });
  const outDir = opts.out ? resolvePath(ctx, opts.out) : defaultOutDir(ctx, 'collector');
  await mkdir(outDir, { recursive: true });
  const reportPath = join(outDir, 'report.json');
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  ctx.stdout.write(`${statusLine(telemetry, accounting, 0, 0)}\nreport written to ${reportPath}\n`);
  return ExitCode.OK;
}

/** One line: rates in and out, refused, dropped, and each exporter queue's fill. */
function statusLine(telemetry: MetricsRegistry, accounting: CollectorAccounting, inPerSecond: number, outPerSecond: number): string {
  const queues = telemetry
    .snapshot()
    .filter((p) => p.name === 'otelcol_exporter_queue_size')
    .map((p) => {
      const id = p.labels['exporter'] ?? '?';
      const cap = telemetry.snapshot().find((c) => c.name === 'otelcol_exporter_queue_capacity' && c.labels['exporter'] === id)?.value ?? 0;
      return `${id} ${p.value}/${cap}`;
    });
  return [
    `in ${Math.round(inPerSecond)} spans/s`,
    `out ${Math.round(outPerSecond)} spans/s`,
    `received ${telemetry.sum('otelcol_receiver_accepted_spans')}`,
    `refused ${telemetry.sum('otelcol_receiver_refused_spans')}`,
    `exported ${accounting.exportedSpans}`,
    `dropped ${total(accounting.droppedSpans)}`,
    `queues ${queues.length === 0 ? '-' : queues.join(', ')}`,
  ].join(' · ');
}

/** The ledger figures this mode can fill (spans, drop reasons, exported bytes); see file comment. */
function ledgerResult(generated: number, a: CollectorAccounting): LedgerResult {
  const sampledOut = total(a.sampledOutSpans);
  const dropped = total(a.droppedSpans);
  const droppedByReason: LedgerResult['droppedByReason'] = {};
  for (const [reason, byComponent] of a.droppedSpans) {
    droppedByReason[reason] = { spans: [...byComponent.values()].reduce((x, y) => x + y, 0), traces: 0, components: Object.fromEntries(byComponent) };
  }
  const sampledOutByReason: LedgerResult['sampledOutByReason'] = {};
  for (const [reason, byComponent] of a.sampledOutSpans) {
    sampledOutByReason[reason] = { spans: [...byComponent.values()].reduce((x, y) => x + y, 0), components: Object.fromEntries(byComponent) };
  }
  const residual = generated - (a.exportedSpans + sampledOut + dropped);
  const zero = { generated: 0, exported: 0 };
  return {
    spans: { generated, exported: a.exportedSpans, sampledOut, dropped, inFlight: 0 },
    traces: { generated: 0, exported: 0, sampledOut: 0, dropped: 0, inFlight: 0 },
    droppedByReason,
    sampledOutByReason,
    byClass: { error: { ...zero }, slow: { ...zero }, normal: { ...zero } },
    byService: {},
    bytes: { generated: 0, exported: a.meter.storedBytes(), retained: null },
    balance: { balanced: residual === 0, residual, inFlight: 0 },
  };
}
