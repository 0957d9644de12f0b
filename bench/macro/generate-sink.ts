/**
 * Reference process for the `sim-run` benchmark: the traffic source alone (generator workers,
 * ordered merge, SDK batch model, decoded export batches) into a counting sink — everything a sim
 * run does before the pipeline. Run as its own process, like the CLI it is compared with.
 *
 *   node dist-bench/bench/macro/generate-sink.js SCENARIO [DURATION_MS]
 *
 * Prints one JSON line: `{ "spans": n }`.
 */
import { createTrafficSource } from '../../src/generator/traffic.js';
import { defaultWorkers } from '../../src/engine/run.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const [scenarioPath, durationArg] = process.argv.slice(2);
if (!scenarioPath) throw new Error('usage: generate-sink.js SCENARIO [DURATION_MS]');
const { scenario } = loadScenarioFile(scenarioPath);
// The same worker count and start as `tracesim run`.
const source = createTrafficSource(scenario, {
  workers: defaultWorkers(),
  startUnixMs: Date.UTC(2026, 0, 1),
  ...(durationArg ? { durationMs: Number(durationArg) } : {}),
});
let spans = 0;
for await (const e of source) {
  if (e.type !== 'export') continue;
  for (const rs of e.batch.resourceSpans) for (const ss of rs.scopeSpans) spans += ss.spans.length;
}
process.stdout.write(`${JSON.stringify({ spans })}\n`);
