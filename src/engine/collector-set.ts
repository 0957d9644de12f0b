/**
 * The collector replicas of one run: N independent pipeline graphs built from the same config,
 * each with its own host (held bytes, telemetry), sharing the run's clock and ledger.
 *
 *   clients[r] ──► replica r: receiver ─► processors ─► exporters     (r = 0 … N−1)
 *
 * With one replica, component ids are the config's (`tail_sampling`); with several, each is
 * prefixed `r<k>/` in time series and telemetry so per-replica buffers stay apart.
 */
import type { Component, DownstreamModel, Host, Logger, RunMode } from '../pipeline/component.js';
import type { SpanAccounting } from '../pipeline/accounting.js';
import type { Clock } from '../pipeline/clock.js';
import type { TracesConsumer } from '../pipeline/consumer.js';
import type { CollectorConfigResult } from '../pipeline/config-loader.js';
import { buildPipelines, type PipelineGraph } from '../pipeline/graph.js';
import { MetricsRegistry } from '../pipeline/telemetry.js';
import { builtinRegistry } from '../components/index.js';
import { isTailSamplingStats, type TailSamplingSnapshot } from '../components/processors/tail-sampling/stats.js';
import type { CompatProfile } from '../pipeline/component.js';

export interface Replica {
  /** `''` for a single collector, else `r0/`, `r1/`, … */
  readonly prefix: string;
  readonly graph: PipelineGraph;
  readonly host: Host;
  readonly telemetry: MetricsRegistry;
  /** Where the engine delivers SDK exports: the first receiver of the first traces pipeline. */
  readonly inlet: TracesConsumer;
}

export interface CollectorSetOptions {
  collector: CollectorConfigResult;
  replicas: number;
  mode: RunMode;
  compat: CompatProfile;
  clock: Clock;
  accounting: SpanAccounting;
  log: Logger;
  /** Sim runs: the backends behind the network exporters (scenario `downstream`). */
  downstream?: DownstreamModel;
}

export class CollectorSet {
  readonly replicas: Replica[] = [];
  private _started = false;

  constructor(options: CollectorSetOptions) {
    const registry = builtinRegistry();
    for (let r = 0; r < options.replicas; r++) {
      const graph = buildPipelines(options.collector.config, registry, {
        compat: options.compat,
        mode: options.mode,
        notSimulated: options.collector.notSimulated,
      });
      const telemetry = new MetricsRegistry();
      const host: Host = {
        mode: options.mode,
        clock: options.clock,
        accounting: options.accounting,
        telemetry,
        log: options.log,
        heldBytes: () => graph.heldBytes(),
        ...(options.downstream ? { downstream: options.downstream } : {}),
      };
      const inlet = graph.receivers().values().next().value;
      if (!inlet) throw new Error('internal error: the collector config has no traces receiver (the loader should have refused it)');
      this.replicas.push({ prefix: options.replicas === 1 ? '' : `r${r}/`, graph, host, telemetry, inlet });
    }
  }

  async start(): Promise<void> {
    for (const r of this.replicas) await r.graph.start(r.host);
    this._started = true;
  }

  /** Shuts every graph down (flushing buffers downstream); idempotent. */
  async shutdown(): Promise<void> {
    if (!this._started) return;
    this._started = false;
    for (const r of this.replicas) await r.graph.shutdown();
  }

  /** Bytes held by every replica's pipeline. */
  heldBytes(): number {
    let total = 0;
    for (const r of this.replicas) total += r.host.heldBytes();
    return total;
  }

  /** Every tail_sampling instance, keyed `prefix + component id`. */
  tailSamplers(): { id: string; replica: number; stats: () => TailSamplingSnapshot }[] {
    const out: { id: string; replica: number; stats: () => TailSamplingSnapshot }[] = [];
    this.replicas.forEach((r, i) => {
      for (const c of r.graph.components()) {
        const comp: Component = c.component;
        if (isTailSamplingStats(comp)) out.push({ id: `${r.prefix}${c.id}`, replica: i, stats: () => comp.tailSamplingStats() });
      }
    });
    return out;
  }

  /** Current `otelcol_exporter_queue_size` per exporter (prefixed), summed over label sets. */
  exporterQueueSizes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.replicas) {
      for (const p of r.telemetry.gaugeValues('otelcol_exporter_queue_size')) {
        const id = `${r.prefix}${p.labels['exporter'] ?? '?'}`;
        out[id] = (out[id] ?? 0) + p.value;
      }
    }
    return out;
  }
}
