/** The arrival schedule a scenario's `traffic` section describes. Pure. */
import type { Scenario } from '../scenario/schema.js';
import { ArrivalSchedule } from './schedule.js';

/** `durationMs` overrides `traffic.duration` (e.g. `--duration`). */
export function scheduleForScenario(s: Scenario, durationMs: number = s.traffic.duration): ArrivalSchedule {
  return new ArrivalSchedule({
    ratePerSecond: s.traffic.rate,
    stages: s.traffic.stages.map((st) => ({ durationMs: st.duration, targetPerSecond: st.target })),
    durationMs,
    arrival: s.traffic.arrival,
    seed: s.seed,
  });
}
