/** A live-mode host on the wall clock, for tests over real sockets. */
import type { Host } from '../../../../../src/pipeline/component.js';
import { MetricsRegistry } from '../../../../../src/pipeline/telemetry.js';
import { WallClock } from '../../../../../src/pipeline/wall-clock.js';
import { RecordingAccounting } from '../../../../helpers/host.js';

export interface LiveTestHost extends Host {
  readonly accounting: RecordingAccounting;
  readonly telemetry: MetricsRegistry;
  readonly warnings: string[];
}

export function createLiveHost(): LiveTestHost {
  const warnings: string[] = [];
  return {
    mode: 'live',
    clock: new WallClock(),
    accounting: new RecordingAccounting(),
    telemetry: new MetricsRegistry(),
    log: { warn: (m) => warnings.push(m), info: () => {} },
    warnings,
    heldBytes: () => 0,
  };
}
