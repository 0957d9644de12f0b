/**
 * `tracesim sweep --scenario S.yaml [--collector-config C.yaml] --vary PATH=v1,v2,...`: one run
 * per value of a scenario or collector key on identical traffic, reported like `compare`.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { CommandModule } from '../command.js';
import type { CliContext } from '../context.js';
import { sweep } from '../../engine/compare.js';
import { commonOptions, seriesCommand, type SeriesCliOptions } from './compare.js';
import { resolvePath } from './run-support.js';

export const registerSweep: CommandModule = (program: Command, ctx: CliContext, setExitCode) => {
  commonOptions(
    program
      .command('sweep')
      .description('one run per value of a scenario or collector key (--vary PATH=v1,v2,...) on identical traffic')
      .requiredOption('--vary <path=values>', 'the key and its values, e.g. collector.processors.tail_sampling.decision_wait=5s,10s,30s', onlyOneVary)
      .option('--collector-config <file>', "collector config YAML (default: the scenario's collector:)"),
  ).action(async (opts: SeriesCliOptions) => {
    setExitCode(
      await seriesCommand(ctx, 'sweep', opts, (common) =>
        sweep({ ...common, vary: opts.vary!, ...(opts.collectorConfig !== undefined ? { collectorConfigPath: resolvePath(ctx, opts.collectorConfig) } : {}) }),
      ),
    );
  });
};

/** A sweep varies one key: a second `--vary` is refused rather than silently replacing the first. */
function onlyOneVary(value: string, previous: string | undefined): string {
  if (previous !== undefined) {
    throw new InvalidArgumentError(`sweep varies one key; --vary ${previous} was given already (for several keys, run one sweep per key, or compare configs)`);
  }
  return value;
}
