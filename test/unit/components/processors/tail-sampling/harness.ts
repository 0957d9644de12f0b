/** Drives a tail-sampling processor on a virtual clock for tests. */
import { tailSamplingFactory } from '../../../../../src/components/processors/tail-sampling/factory.js';
import type { TailSamplingProcessor } from '../../../../../src/components/processors/tail-sampling/processor.js';
import type { TailSamplingConfig } from '../../../../../src/components/processors/tail-sampling/config.js';
import type { CompatProfile } from '../../../../../src/pipeline/component.js';
import { createTestHost, type TestHost } from '../../../../helpers/host.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';

export const T0 = Date.UTC(2026, 0, 1);

export interface Rig {
  host: TestHost;
  sink: TracesSink;
  proc: TailSamplingProcessor;
  /** Advance the clock to T0 + ms. */
  at(ms: number): Promise<void>;
}

/** Parses `yaml` (the processor's YAML body as an object), creates and starts the processor. */
export async function rig(raw: unknown, compat: CompatProfile = 'current', id = 'tail_sampling'): Promise<Rig> {
  const parsed = tailSamplingFactory.parseConfig(raw, `processors.${id}`, { compat });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return rigFromConfig(parsed.config, compat, id);
}

export async function rigFromConfig(config: TailSamplingConfig, compat: CompatProfile = 'current', id = 'tail_sampling'): Promise<Rig> {
  const host = createTestHost(T0);
  const sink = new TracesSink();
  const proc = tailSamplingFactory.createTraces({ id, compat }, config, sink) as TailSamplingProcessor;
  await proc.start(host);
  return { host, sink, proc, at: (ms) => host.clock.advanceTo(T0 + ms) };
}

export function counter(host: TestHost, suffix: string, labels: Record<string, string> = {}): number {
  return host.telemetry.sum(`otelcol_processor_tail_sampling_${suffix}`, labels);
}
