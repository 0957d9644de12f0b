/**
 * The `tail-sampling` bench loop, ours only, for A/B runs of two builds on a shared machine:
 * prints spans per CPU-second (user + system of this process, all threads) and per wall second.
 *
 *   node --expose-gc dist-bench/bench/macro/tail-sampling-ab.js [seconds=5] [pool|decoded]
 *
 * `pool` feeds the bench case's batches (span objects from a pool of 8 000 traces, reused);
 * `decoded` feeds each batch as the pipeline gets it, `decodeExportRequest(encodeExportRequest(b))`
 * (both codec calls included in the time), so the spans are fresh objects as a receiver makes them.
 */
import { tailSamplingFactory } from '../../src/components/processors/tail-sampling/factory.js';
import { nopAccounting } from '../../src/pipeline/accounting.js';
import type { TracesConsumer } from '../../src/pipeline/consumer.js';
import { MetricsRegistry } from '../../src/pipeline/telemetry.js';
import { VirtualClock } from '../../src/pipeline/virtual-clock.js';
import { decodeExportRequest } from '../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../src/protocol/otlp/proto-encode.js';
import { Random } from '../../src/shared/random.js';
import { BATCH_EVERY_MS, batchOfTraces, makeTraces, POLICIES, renewTraceIds, SPANS_PER_TRACE, TRACES_PER_BATCH } from '../cases/tail-sampling.js';

const seconds = Number(process.argv[2] ?? 5);
const mode = process.argv[3] ?? 'pool';
if (!(seconds > 0) || (mode !== 'pool' && mode !== 'decoded')) throw new Error('usage: tail-sampling-ab.js [seconds] [pool|decoded]');

const pool = makeTraces(new Random(42, 1, 0), 8_000);
const parsed = tailSamplingFactory.parseConfig({ decision_wait: '5s', policies: POLICIES }, 'processors.tail_sampling');
if (!parsed.ok) throw new Error('config invalid');
const clock = new VirtualClock(Date.UTC(2026, 0, 1));
let forwarded = 0;
const sink: TracesConsumer = {
  capabilities: { mutatesData: false },
  async consumeTraces(b) {
    for (const rs of b.resourceSpans) for (const ss of rs.scopeSpans) forwarded += ss.spans.length;
  },
};
const proc = tailSamplingFactory.createTraces({ id: 'tail_sampling', compat: 'current' }, parsed.config, sink);
await proc.start({ mode: 'sim', clock, accounting: nopAccounting, telemetry: new MetricsRegistry(), log: { warn() {}, info() {} }, heldBytes: () => 0 });

let next = 0;
let round = 0;
let spans = 0;
const wallStart = performance.now();
const cpuStart = process.cpuUsage();
while (performance.now() - wallStart < seconds * 1000) {
  for (let b = 0; b < 100; b++) {
    if (next % pool.spans.length === 0) {
      renewTraceIds(pool, ++round);
    }
    await clock.advanceTo(clock.nowMs() + BATCH_EVERY_MS);
    const batch = batchOfTraces(pool.spans, next, TRACES_PER_BATCH);
    await proc.consumeTraces(mode === 'decoded' ? decodeExportRequest(encodeExportRequest(batch)) : batch);
    next += TRACES_PER_BATCH;
    spans += TRACES_PER_BATCH * SPANS_PER_TRACE;
  }
}
const cpu = process.cpuUsage(cpuStart);
const wallS = (performance.now() - wallStart) / 1000;
console.log(JSON.stringify({ mode, spans, forwarded, spansPerCpuSecond: Math.round(spans / ((cpu.user + cpu.system) / 1e6)), spansPerWallSecond: Math.round(spans / wallS) }));
