/**
 * The `debug` exporter: counts every span (exported) and logs batches through `host.log.info`
 * (never the console) at the configured verbosity, rate-limited like zap's sampler: per clock
 * second, the first `sampling_initial` messages, then one in `sampling_thereafter`.
 */
import type { Settings } from '../../../pipeline/component.js';
import { SinkExporter } from '../shared/sink-exporter.js';
import type { DebugExporterConfig } from './config.js';
import { formatBatch } from './format.js';

export function createDebugExporter(settings: Settings, config: DebugExporterConfig): SinkExporter {
  let second = Number.NaN;
  let inSecond = 0;
  return new SinkExporter(settings, {
    write(batch, host) {
      const s = Math.floor(host.clock.nowMs() / 1000);
      if (s !== second) {
        second = s;
        inSecond = 0;
      }
      const n = inSecond++;
      if (n >= config.samplingInitial && (n - config.samplingInitial + 1) % config.samplingThereafter !== 0) return;
      host.log.info(`${settings.id}: ${formatBatch(batch, config.verbosity)}`);
    },
  });
}
