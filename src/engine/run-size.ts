/**
 * The size guard of generated runs: a run whose traffic would generate more than
 * `MAX_RUN_SPANS` spans is refused before it starts. tracesim simulates roughly 50 000–100 000
 * spans per second of wall time on the 2-core benchmark machine (bench/RESULTS.md, `sim-run`), so
 * the limit is about one to two hours of work; far above it the rate or duration is almost surely
 * a typo (`--rate 100000000/s`), and the run would exhaust memory long before it ended.
 */
import { deriveLoad } from '../scenario/derive.js';
import type { Scenario } from '../scenario/schema.js';
import { InputError } from '../shared/errors.js';
import { formatDurationMs } from '../shared/units.js';

export const MAX_RUN_SPANS = 200_000_000;
/** Simulated spans per second of wall time assumed for the estimate in the message (low end). */
const SPANS_PER_WALL_SECOND = 50_000;

/** Throws `InputError` (exit 2) naming `traffic` when the scenario would generate more than `MAX_RUN_SPANS` spans. */
export function checkRunSize(scenario: Scenario, scenarioPath: string): void {
  const load = deriveLoad(scenario, { sampleTraces: 1 });
  const spans = load.expectedTraces * load.spansPerTrace;
  if (!(spans > MAX_RUN_SPANS)) return;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  throw new InputError('run too large', {
    file: scenarioPath,
    problems: [
      {
        path: 'traffic',
        message:
          `this run would generate about ${n(spans)} spans (${n(load.tracesPerSecond)} traces/s for ${formatDurationMs(load.durationMs)}, ` +
          `${load.spansPerTrace.toFixed(1)} spans per trace), more than the ${n(MAX_RUN_SPANS)} tracesim runs at once: at about ` +
          `${n(SPANS_PER_WALL_SECOND)} simulated spans per second that is ${formatDurationMs((spans / SPANS_PER_WALL_SECOND) * 1000)} of wall time. ` +
          'Lower traffic.rate or traffic.duration; to project storage for a larger production rate, set traffic.production_rate instead',
      },
    ],
  });
}
