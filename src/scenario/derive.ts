/**
 * The derived load of a scenario, printed by `tracesim validate` before anything runs.
 *
 * - Traces/s: Λ(duration) / duration from the arrival schedule (mean over the run), and the peak
 *   stage rate.
 * - Spans per trace, analytically: E[S(op)] = 1 + Σ_calls p · E[repeat] · E[S(target)] with
 *   E[repeat] = (min + max) / 2, averaged over routes by weight (the call graph is acyclic);
 *   the same recursion per service gives spans/s by service.
 * - Error and slow shares: estimated by building `sampleTraces` (20 000) traces deterministically,
 *   spread evenly over the run so incident windows are represented.
 * - OTLP bytes/s: spans/s × mean encoded Span size of the sample, plus per-request overhead
 *   (resource + scope) × estimated export requests/s. An instance receiving λ spans/s under a
 *   BatchSpanProcessor exports a batch when `max_export_batch_size` spans are queued or
 *   `scheduled_delay` after the first span, so a request carries about min(batch, max(1, λ·delay))
 *   spans.
 */
import { resourceSpansProtoSize, spanProtoSize } from '../protocol/otlp/size.js';
import { scheduleForScenario } from '../load/from-scenario.js';
import { compileScenario, MAX_SPANS_PER_TRACE } from '../generator/compile.js';
import { buildTrace } from '../generator/trace-builder.js';
import { formatBytes, formatDurationMs } from '../shared/units.js';
import type { Scenario } from './schema.js';

export interface DerivedLoad {
  scenario: string;
  durationMs: number;
  expectedTraces: number;
  /** Mean over the run. */
  tracesPerSecond: number;
  peakTracesPerSecond: number;
  spansPerTrace: number;
  spansPerSecond: number;
  spansPerSecondByService: Record<string, number>;
  /** Fractions of the sampled traces (0…1). */
  errorShare: number;
  slowShare: number;
  sampleTraces: number;
  meanSpanBytes: number;
  exportRequestsPerSecond: number;
  otlpBytesPerSecond: number;
  /** spans/s at `traffic.production_rate`, when set. */
  productionSpansPerSecond: number | undefined;
  instances: number;
}

export function deriveLoad(scenario: Scenario, options: { sampleTraces?: number; durationMs?: number } = {}): DerivedLoad {
  const cs = compileScenario(scenario);
  const schedule = scheduleForScenario(scenario, options.durationMs);
  const durationS = schedule.durationMs / 1000;
  const tracesPerSecond = schedule.expectedCount / durationS;
  const peakTracesPerSecond = Math.max(scenario.traffic.rate, ...scenario.traffic.stages.map((s) => s.target));

  // Expected spans per service for one call of each operation, memoised (acyclic graph).
  const nServices = cs.services.length;
  const memo = new Map<number, Float64Array>();
  const expected = (op: number): Float64Array => {
    const cached = memo.get(op);
    if (cached) return cached;
    const o = cs.operations[op]!;
    const v = new Float64Array(nServices);
    v[o.serviceIndex] = 1;
    for (const c of o.calls) {
      const k = c.probability * ((c.repeatMin + c.repeatMax) / 2);
      const sub = expected(c.target);
      for (let s = 0; s < nServices; s++) v[s]! += k * sub[s]!;
    }
    memo.set(op, v);
    return v;
  };
  const totalWeight = cs.routeCumulativeWeights[cs.routeCumulativeWeights.length - 1]!;
  const perTraceByService = new Float64Array(nServices);
  cs.routes.forEach((r, i) => {
    const w = (cs.routeCumulativeWeights[i]! - (i === 0 ? 0 : cs.routeCumulativeWeights[i - 1]!)) / totalWeight;
    const v = expected(r.operation);
    for (let s = 0; s < nServices; s++) perTraceByService[s]! += w * v[s]!;
  });
  const uncappedSpansPerTrace = perTraceByService.reduce((a, b) => a + b, 0);

  // Sample traces evenly over the run: sample k arrives at the run's arrival ⌊k·count/n⌋, so each
  // arrival carries the same weight (n/count samples) whether the run has more traces than
  // samples or fewer (then several samples, with their own trace indices, share one arrival).
  const n = Math.max(1, options.sampleTraces ?? 20_000);
  let errors = 0;
  let slow = 0;
  let spanBytes = 0;
  let spans = 0;
  let capped = false;
  const count = schedule.count;
  for (let k = 0; k < n; k++) {
    const arrival = Math.floor((k * count) / n);
    const index = count >= n ? arrival : k;
    const offset = count === 0 ? 0 : schedule.arrivalOffsetMs(arrival);
    const t = buildTrace(cs, index, Number.isFinite(offset) ? offset : 0, 0);
    if (t.class === 'error') errors++;
    else if (t.class === 'slow') slow++;
    for (const s of t.spans) {
      const size = spanProtoSize(s.span);
      spanBytes += 1 + varintLen(size) + size; // tag + length prefix inside ScopeSpans
    }
    spans += t.spans.length;
    if (t.spans.length >= MAX_SPANS_PER_TRACE) capped = true;
  }
  const meanSpanBytes = spans === 0 ? 0 : spanBytes / spans;
  // The call graph's expectation ignores the per-trace span cap; when sampled traces reach it, the
  // sampled mean is what the generator produces, and every per-service rate scales with it.
  const capScale = capped && uncappedSpansPerTrace > 0 ? spans / n / uncappedSpansPerTrace : 1;
  for (let s = 0; s < nServices; s++) perTraceByService[s]! *= capScale;
  const spansPerTrace = uncappedSpansPerTrace * capScale;
  const spansPerSecond = tracesPerSecond * spansPerTrace;

  // Export requests/s per instance, and the bytes of one request's resource + scope envelope.
  let exportRequestsPerSecond = 0;
  let envelopeBytes = 0;
  const spansPerSecondByService: Record<string, number> = {};
  cs.services.forEach((svc, si) => {
    const svcRate = tracesPerSecond * perTraceByService[si]!;
    spansPerSecondByService[svc.name] = svcRate;
    const sdk = scenario.services[si]!.sdk;
    const perInstance = svcRate / svc.instances;
    if (perInstance <= 0) return;
    const perRequest = Math.min(sdk.max_export_batch_size, Math.max(1, (perInstance * sdk.scheduled_delay) / 1000));
    const requests = (perInstance / perRequest) * svc.instances;
    exportRequestsPerSecond += requests;
    const rs = resourceSpansProtoSize({
      resource: cs.resources[svc.firstInstance]!,
      scopeSpans: [{ scope: cs.scopes[0]!, spans: [], schemaUrl: '' }],
      schemaUrl: '',
    });
    envelopeBytes += requests * (rs + 8);
  });

  const production = scenario.traffic.production_rate;
  return {
    scenario: scenario.name,
    durationMs: schedule.durationMs,
    expectedTraces: schedule.count,
    tracesPerSecond,
    peakTracesPerSecond,
    spansPerTrace,
    spansPerSecond,
    spansPerSecondByService,
    errorShare: errors / n,
    slowShare: slow / n,
    sampleTraces: n,
    meanSpanBytes,
    exportRequestsPerSecond,
    otlpBytesPerSecond: spansPerSecond * meanSpanBytes + envelopeBytes,
    productionSpansPerSecond: production === undefined ? undefined : production * spansPerTrace,
    instances: cs.resources.length,
  };
}

function varintLen(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : 4;
}

const fmt = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const pct = (v: number) => `${(v * 100).toFixed(v < 0.001 && v > 0 ? 3 : 1)}%`;

/** The derived load as a few human lines (for `tracesim validate`). */
export function formatDerivedLoad(d: DerivedLoad): string {
  const lines = [
    `${d.scenario}: ${fmt(d.tracesPerSecond, 1)} traces/s (peak ${fmt(d.peakTracesPerSecond, 1)}) for ${formatDurationMs(d.durationMs)} → ${fmt(d.expectedTraces)} traces`,
    `  spans/trace ${fmt(d.spansPerTrace, 2)} · spans/s ${fmt(d.spansPerSecond)} across ${d.instances} service instances`,
    `  expected errors ${pct(d.errorShare)} · slow ${pct(d.slowShare)} (from ${fmt(d.sampleTraces)} sampled traces)`,
    `  OTLP ≈ ${formatBytes(d.otlpBytesPerSecond)}/s (${fmt(d.meanSpanBytes)} B/span) in ≈ ${fmt(d.exportRequestsPerSecond, 1)} export requests/s`,
  ];
  if (d.productionSpansPerSecond !== undefined) lines.push(`  at production rate: ${fmt(d.productionSpansPerSecond)} spans/s`);
  return lines.join('\n');
}
