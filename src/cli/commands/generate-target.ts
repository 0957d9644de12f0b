/**
 * `tracesim generate S.yaml --target URL`: the load-only half of a live run against any OTLP
 * endpoint (src/engine/load-only.ts). Prints what the endpoint answered — requests sent, accepted,
 * refused (retried / given up), permanent failures, spans rejected in partial-success responses —
 * and how well the generator held its schedule. Exit 0, 1 (SIGINT), 4 (could not hold the rate).
 */
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { createProgressLine } from '../progress.js';
import { sendLoad } from '../../engine/load-only.js';
import type { LiveProtocol } from '../../engine/live-protocol.js';
import type { Scenario } from '../../scenario/schema.js';
import { formatDurationMs } from '../../shared/units.js';
import { onInterrupt } from './run-support.js';

export interface GenerateTargetOptions {
  target: string;
  /** undefined: the target's scheme decides */
  protocol?: LiveProtocol;
  workers: number;
  maxLagP99Ms: number;
  progress: boolean;
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

export async function runGenerateTarget(ctx: CliContext, scenario: Scenario, opts: GenerateTargetOptions): Promise<ExitCode> {
  const controller = new AbortController();
  const unsubscribe = onInterrupt(ctx, () => controller.abort());
  const progress = createProgressLine(ctx.stderr, opts.progress);
  try {
    const r = await sendLoad({
      scenario,
      target: opts.target,
      ...(opts.protocol !== undefined ? { protocol: opts.protocol } : {}),
      workers: opts.workers,
      maxLagP99Ms: opts.maxLagP99Ms,
      signal: controller.signal,
      onProgress: (e) => progress.update(e),
    });
    progress.clear();
    const q = r.live.requests;
    const gaveUpSpans = r.droppedByReason.client_gave_up?.spans ?? 0;
    const permanentSpans = r.droppedByReason.receiver_refused_downstream?.spans ?? 0;
    const lag = r.live.scheduleLagMs;
    const lat = r.live.exportLatencyMs;
    ctx.stdout.write(
      [
        `sent ${scenario.name} (seed ${scenario.seed}) to ${r.live.endpoint} over ${r.live.protocol} for ${formatDurationMs(r.windowSeconds * 1000)}${r.interrupted ? ' (interrupted)' : ''}`,
        `  requests  ${n(q.sent)} sent · ${n(q.accepted)} accepted · ${n(q.refused)} refused attempts (${n(q.retried)} retried, ${n(q.permanent)} permanent, ${n(q.gaveUp)} requests given up)`,
        `  spans     ${n(r.spans.generated)} generated · ${n(r.spans.exported)} accepted · ${n(q.partialRejectedSpans)} rejected by partial success · ${n(gaveUpSpans)} given up · ${n(permanentSpans)} refused permanently · ${n(q.missed)} missed their slot`,
        `  rate      ${n(r.live.achievedSpansPerSecond)} of ${n(r.live.targetSpansPerSecond)} spans/s · schedule lag p50 ${lag.p50}ms p99 ${lag.p99}ms max ${lag.max}ms · export latency p50 ${lat.p50}ms p99 ${lat.p99}ms`,
        '',
      ].join('\n'),
    );
    for (const reason of r.live.invalidReasons) ctx.stderr.write(`run invalid: ${reason}\n`);
    if (r.interrupted) return ExitCode.RUN_FAILED;
    if (r.spans.generated > 0 && r.spans.exported === 0) {
      // a load run that delivered nothing measured nothing: the target is down or refuses
      // everything — an outcome of the endpoint, so the run is invalid (4), not failed (1)
      ctx.stderr.write(`run invalid: ${r.live.endpoint} accepted none of the ${n(r.spans.generated)} spans (${n(gaveUpSpans)} given up, ${n(permanentSpans)} refused permanently)\n`);
      return ExitCode.RUN_INVALID;
    }
    return r.live.invalidReasons.length > 0 ? ExitCode.RUN_INVALID : ExitCode.OK;
  } finally {
    progress.clear();
    unsubscribe();
  }
}
