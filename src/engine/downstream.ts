/**
 * The scenario's `downstream` (the backends behind the collector's network exporters) as the
 * pipeline's `DownstreamModel` for a sim run, and its check against the collector config.
 *
 * Outage windows are times since the run start, like incidents: a request that starts at virtual
 * time t is refused when `start ≤ t − runStart < end` for an outage naming its exporter (or every
 * network exporter, when it names none).
 */
import type { DownstreamModel } from '../pipeline/component.js';
import type { CollectorConfigResult } from '../pipeline/config-loader.js';
import type { Downstream } from '../scenario/schema.js';
import { InputError } from '../shared/errors.js';
import type { SlowBackend } from '../report/advisories.js';
import type { ExporterHelperConfig } from '../components/exporters/shared/exporter-helper.js';

/** Exporter types that send over the network through the exporter helper (queue, retries). */
const NETWORK_EXPORTER_TYPES = new Set(['otlp', 'otlphttp']);

export function downstreamModel(downstream: Downstream, runStartMs: number): DownstreamModel {
  const windows = downstream.outages.map((o) => ({ fromMs: runStartMs + o.start, toMs: runStartMs + o.end, exporters: o.exporters ? new Set(o.exporters) : undefined }));
  return {
    latencyMs: downstream.latency,
    isDown: (exporterId, nowMs) => windows.some((w) => nowMs >= w.fromMs && nowMs < w.toMs && (w.exporters === undefined || w.exporters.has(exporterId))),
  };
}

/**
 * Refuses a `downstream` that models nothing — the collector config has no otlp/otlphttp exporter
 * in a traces pipeline — outage exporter ids that are not such an exporter, and network exporters
 * with `sending_queue.enabled: false`: their send blocks the pipeline until the backend answers,
 * which on the virtual clock would stall the run that has to advance it.
 */
export function checkDownstream(downstream: Downstream | undefined, collector: CollectorConfigResult, scenarioPath: string): void {
  if (!downstream) return;
  const network = [...collector.config.exporters].filter(([, spec]) => NETWORK_EXPORTER_TYPES.has(spec.type)).map(([id]) => id);
  if (network.length === 0) {
    throw new InputError('invalid scenario', {
      file: scenarioPath,
      problems: [{ path: 'downstream', message: `models the backends of otlp/otlphttp exporters, but ${collector.config.file} has none` }],
    });
  }
  const problems: { path: string; message: string }[] = [];
  for (const [id, spec] of collector.config.exporters) {
    if (NETWORK_EXPORTER_TYPES.has(spec.type) && (spec.config as ExporterHelperConfig).sendingQueue.enabled === false)
      problems.push({
        path: 'downstream',
        message: `exporters.${id} has sending_queue.enabled: false in ${collector.config.file}: a send that blocks the pipeline until the backend answers cannot be simulated; enable the queue (the collector's default) to model the backend`,
      });
  }
  downstream.outages.forEach((o, i) =>
    o.exporters?.forEach((id, j) => {
      if (!network.includes(id)) problems.push({ path: `downstream.outages[${i}].exporters[${j}]`, message: `"${id}" is not an otlp/otlphttp exporter of a traces pipeline in ${collector.config.file} (its network exporters: ${network.join(', ')})` });
    }),
  );
  if (problems.length > 0) throw new InputError('invalid scenario', { file: scenarioPath, problems });
}

/**
 * Network exporters whose `timeout` (> 0) is at most the downstream latency: every request of
 * theirs times out before the backend answers, so they deliver nothing.
 */
export function slowBackends(downstream: Downstream | undefined, collector: CollectorConfigResult): SlowBackend[] {
  if (!downstream) return [];
  return [...collector.config.exporters]
    .filter(([, spec]) => NETWORK_EXPORTER_TYPES.has(spec.type))
    .map(([exporter, spec]) => ({ exporter, latencyMs: downstream.latency, timeoutMs: (spec.config as ExporterHelperConfig).timeoutMs }))
    .filter((b) => b.timeoutMs > 0 && b.latencyMs >= b.timeoutMs);
}
