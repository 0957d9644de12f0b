/**
 * `tracesim generate S.yaml --duration 10s --output traces.jsonl [--workers N] [--seed N]`
 *
 * Load only: runs the scenario's traffic source (workers + SDK batching model in virtual time) and
 * hands every SDK export to a sink: a file of OTLP JSON lines (the collector `file` exporter
 * format, one export request per line), or, with `--target URL`, a live run's sender
 * (generate-target.ts: wall-clock pacing, real OTLP, the endpoint's answers reported).
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CommandModule } from '../command.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { createTrafficSource, type ExportEvent } from '../../generator/traffic.js';
import { LIVE_PROTOCOLS, type LiveProtocol } from '../../engine/live-protocol.js';
import { runGenerateTarget } from './generate-target.js';
import { parseIntOption } from './int-option.js';
import { writeJsonLine } from '../../protocol/otlp/json-codec.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { InputError } from '../../shared/errors.js';
import { formatBytes, formatDurationMs, parseDurationMs } from '../../shared/units.js';

/** Where generated exports go. */
export interface GenerateSink {
  write(event: ExportEvent): Promise<void> | void;
  /** Flushes and releases; returns a one-line description for the summary. */
  close(): Promise<string> | string;
}

/** Appends each export as one OTLP JSON line, buffering writes in 1 MiB chunks. */
class FileSink implements GenerateSink {
  private readonly _fd: number;
  private readonly _path: string;
  private _buffer = '';

  constructor(path: string) {
    this._path = path;
    try {
      this._fd = openSync(path, 'w');
    } catch (err) {
      throw new InputError(`cannot write output: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: path, cause: err });
    }
  }

  write(event: ExportEvent): void {
    this._buffer += writeJsonLine(event.batch);
    if (this._buffer.length >= 1 << 20) this._flush();
  }

  close(): string {
    this._flush();
    closeSync(this._fd);
    return `${this._path} (${formatBytes(statSync(this._path).size)})`;
  }

  private _flush(): void {
    if (this._buffer.length > 0) writeSync(this._fd, this._buffer);
    this._buffer = '';
  }
}

/** The default virtual start: fixed, so the same command writes the same bytes every time. */
export const DEFAULT_START_UNIX_MS = Date.UTC(2025, 0, 1);

interface GenerateOptions {
  duration?: string;
  output?: string;
  target?: string;
  protocol: string;
  maxLagP99: string;
  progress: boolean;
  workers?: string;
  seed?: string;
  startTime?: string;
}

/** ISO-8601 as `Date.parse` reads it exactly: a date, optionally a time, optionally a zone. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
/** The latest time a JS Date holds (±8.64e15 ms around the epoch). */
const MAX_DATE_MS = 8.64e15;

/**
 * `--start-time`: `now`, Unix milliseconds (digits only), or ISO-8601 (`2025-01-01`,
 * `2025-01-01T12:00:00Z`). Anything else — `May 5`, `-5`, a time past what a Date holds — is
 * refused rather than guessed at by `Date.parse`.
 */
function parseStartTime(text: string | undefined, nowMs: () => number): number {
  if (text === undefined) return DEFAULT_START_UNIX_MS;
  if (text === 'now') return Math.floor(nowMs() / 1000) * 1000;
  const ms = /^\d+$/.test(text) ? Number(text) : ISO_8601.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms) || ms > MAX_DATE_MS) throw new InputError(`--start-time: expected now, an ISO-8601 time (2025-01-01T00:00:00Z) or Unix ms, got "${text}"`);
  return Math.floor(ms);
}

async function runGenerate(ctx: CliContext, scenarioArg: string, opts: GenerateOptions, given: (option: string) => boolean): Promise<ExitCode> {
  const durationMs = opts.duration === undefined ? undefined : parseDurationMs(opts.duration);
  if (opts.duration !== undefined && (durationMs === undefined || durationMs <= 0)) {
    throw new InputError(`--duration: expected a duration such as 10s or 2m, got "${opts.duration}"`);
  }
  const workers = opts.workers === undefined ? Math.max(1, Math.min(4, availableParallelism() - 1)) : parseIntOption('--workers', opts.workers, 0);
  const seed = opts.seed === undefined ? undefined : parseIntOption('--seed', opts.seed, Number.MIN_SAFE_INTEGER);
  const startUnixMs = parseStartTime(opts.startTime, () => Date.now());
  if (opts.output === undefined && opts.target === undefined) throw new InputError('--output FILE is required (or --target URL to send the traffic live)');
  if (opts.output !== undefined && opts.target !== undefined) throw new InputError('--output and --target exclude each other: write a file or send to an endpoint');
  if (opts.target === undefined) {
    for (const [option, flag] of [['protocol', '--protocol'], ['maxLagP99', '--max-lag-p99']] as const) {
      if (given(option)) throw new InputError(`${flag} applies with --target (writing --output sends nothing)`);
    }
  }

  const { scenario: loaded } = loadScenarioFile(resolve(ctx.cwd, scenarioArg));
  const scenario = seed === undefined ? loaded : { ...loaded, seed };
  if (opts.target !== undefined) {
    // Live load against an endpoint (run engine): wall-clock pacing, real OTLP, the endpoint's answers.
    if (opts.startTime !== undefined) throw new InputError('--start-time applies to --output; with --target spans carry the wall-clock time');
    const maxLagP99Ms = parseDurationMs(opts.maxLagP99);
    if (maxLagP99Ms === undefined || !(maxLagP99Ms > 0)) throw new InputError(`--max-lag-p99: expected a duration such as 50ms, got "${opts.maxLagP99}"`);
    const timed = durationMs === undefined ? scenario : { ...scenario, traffic: { ...scenario.traffic, duration: durationMs } };
    const protocol = given('protocol') ? { protocol: opts.protocol as LiveProtocol } : {};
    return runGenerateTarget(ctx, timed, { target: opts.target, ...protocol, workers, maxLagP99Ms, progress: opts.progress });
  }
  if (opts.output === undefined) throw new InputError('--output FILE is required');
  const sink: GenerateSink = new FileSink(resolve(ctx.cwd, opts.output));

  const wallStart = performance.now();
  const source = createTrafficSource(scenario, { workers, durationMs, startUnixMs });
  const classes = { error: 0, slow: 0, normal: 0 };
  try {
    for await (const event of source) {
      if (event.type === 'export') await sink.write(event);
      else if (event.type === 'trace') classes[event.class]++;
    }
  } finally {
    await source.close();
  }
  const where = await sink.close();
  const s = source.stats;
  const wallMs = performance.now() - wallStart;
  ctx.stdout.write(
    [
      `generated ${scenario.name} (seed ${scenario.seed}) for ${formatDurationMs(source.schedule.durationMs)} of virtual time with ${workers} worker${workers === 1 ? '' : 's'} in ${formatDurationMs(wallMs)}`,
      `  traces   ${s.traces} (error ${classes.error}, slow ${classes.slow}, normal ${classes.normal})`,
      `  spans    ${s.spans} in ${s.exports} SDK exports; sdk drops ${s.sdkDroppedSpans} (sdk_queue_full)`,
      `  output   ${where}`,
      '',
    ].join('\n'),
  );
  return ExitCode.OK;
}

export const generateCommand: CommandModule = (program: Command, ctx, setExitCode) => {
  program
    .command('generate')
    .description('generate a scenario\'s traffic (load only) and write it as OTLP JSON lines')
    .argument('<scenario>', 'scenario YAML file')
    .option('--duration <duration>', 'virtual time to generate (overrides traffic.duration), e.g. 10s')
    .option('--output <file>', 'write each SDK export as one OTLP JSON line (collector file exporter format)')
    .option('--workers <n>', 'generator worker threads (output is identical for any value)')
    .option('--seed <n>', 'override the scenario seed')
    .option('--start-time <time>', 'virtual start: now, ISO-8601 or Unix ms (default 2025-01-01T00:00:00Z, reproducible)')
    .option('--target <url>', 'send the traffic live to this OTLP endpoint (grpc://host:port, http://host:port) instead of writing a file')
    .addOption(new Option('--protocol <protocol>', 'with --target: OTLP transport').choices([...LIVE_PROTOCOLS]).default('grpc'))
    .option('--max-lag-p99 <duration>', 'with --target: invalid (exit 4) when the schedule-lag p99 exceeds this', '50ms')
    .option('--no-progress', 'with --target: no progress line')
    .action(async (scenarioArg: string, opts: GenerateOptions, cmd: Command) => {
      setExitCode(await runGenerate(ctx, scenarioArg, opts, (name) => cmd.getOptionValueSource(name) === 'cli'));
    });
};
