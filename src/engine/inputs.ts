/**
 * Everything a run reads before it starts, validated at once: the scenario (with `--set`,
 * `--rate`, `--duration`, `--seed` applied to the raw YAML before validation), the collector
 * config (with `collector.` overrides applied the same way), and the gate expressions.
 *
 * Collector config path: `--collector-config` if given, else the scenario's `collector:` key
 * resolved against the scenario file's directory.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { stringify as stringifyYaml } from 'yaml';
import type { TailSamplingConfig } from '../components/processors/tail-sampling/config.js';
import { loadCollectorConfig, type CollectorConfigResult } from '../pipeline/config-loader.js';
import { throwGateProblems, type Gate } from '../report/gates.js';
import type { CompatProfile } from '../pipeline/component.js';
import { parseScenario, parseYaml, scenarioHash } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { InputError } from '../shared/errors.js';
import type { ConfigProblem } from '../shared/schema.js';
import { checkDownstream } from './downstream.js';
import { parseRatePerSecond } from '../shared/units.js';
import { applyToDocument, parseSetArgument, splitOverrides, type Override } from './overrides.js';
import { policyReportKey } from './report-input.js';

export interface InputOptions {
  scenarioPath: string;
  /** Overrides the scenario's `collector:`. */
  collectorConfigPath?: string;
  /** `--set path=value` arguments, or parsed overrides. */
  set?: readonly (string | Override)[];
  /** `--duration` as written (`30s`, `10m`). */
  duration?: string;
  /** `--rate` in traces/s as written (`500/s`); scales stages proportionally. */
  rate?: string;
  seed?: number;
  compat?: CompatProfile;
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Used when neither `collectorConfigPath` nor the scenario names a collector config (a live run
   * against `--target` has no pipeline of its own); without it that is an `InputError`.
   */
  collectorFallback?: { path: string; yaml: string };
  /**
   * The scenario's `collector:` does not describe what receives the traffic (a `--target` run: the
   * pipeline is remote), so it is not loaded; an explicit `collectorConfigPath` still is.
   */
  ignoreScenarioCollector?: boolean;
}

/** The stand-in config of a `--target` run that names none: OTLP in, nothing simulated. */
export const TARGET_ONLY_COLLECTOR = {
  path: '(none: --target)',
  yaml: 'receivers:\n  otlp:\n    protocols:\n      grpc:\nexporters:\n  nop:\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [nop]\n',
};

export interface RunInputs {
  scenarioPath: string;
  scenario: Scenario;
  scenarioHash: string;
  scenarioYaml: string;
  collectorPath: string;
  collectorYaml: string;
  /** Identifies the config simulated: see `collectorIdentity`. */
  collectorHash: string;
  /** The environment variables the collector config reads (`${env:…}`), sorted: names only, never values. */
  collectorEnv: readonly string[];
  collector: CollectorConfigResult;
  compat: CompatProfile;
}

/** Reads and validates a run's inputs; every user-fixable problem is an `InputError`. */
export function loadRunInputs(options: InputOptions): RunInputs {
  const overrides = (options.set ?? []).map((o) => (typeof o === 'string' ? parseSetArgument(o) : o));
  const { scenario: scenarioOverrides, collector: collectorOverrides } = splitOverrides(overrides);

  const scenarioYaml = readText(options.scenarioPath, 'scenario');
  const raw = applyCliShortcuts(applyToDocument(parseYaml(scenarioYaml, options.scenarioPath), scenarioOverrides, 'scenario', options.scenarioPath), options);
  const scenario = withOptionOrigins(() => parseScenario(raw, options.scenarioPath), [
    ...scenarioOverrides.map((o) => ({ path: o.path, option: `${o.option ?? '--set'} ${o.path}` })),
    ...(options.duration !== undefined ? [{ path: 'traffic.duration', option: '--duration' }] : []),
    ...(options.seed !== undefined ? [{ path: 'seed', option: '--seed' }] : []),
  ]);

  const collectorPath = options.collectorConfigPath
    ? options.collectorConfigPath
    : scenario.collector && options.ignoreScenarioCollector !== true
      ? resolve(dirname(options.scenarioPath), scenario.collector)
      : undefined;
  if (!collectorPath && !options.collectorFallback) {
    throw new InputError('no collector config: give --collector-config FILE or set `collector:` in the scenario', { file: options.scenarioPath });
  }
  const namedAt = options.collectorConfigPath ? undefined : { file: options.scenarioPath, key: 'collector' };
  const source = collectorPath ? { path: collectorPath, yaml: readText(collectorPath, 'collector config', namedAt) } : options.collectorFallback!;
  const collectorYaml = overriddenCollectorText(source.yaml, source.path, collectorOverrides);
  const compat = options.compat ?? scenario.compat;
  const env = options.env ?? {};
  const collector = withOptionOrigins(() => loadCollectorConfig(collectorYaml, source.path, env, { compat }), collectorOrigins(collectorOverrides));
  if (!options.ignoreScenarioCollector) checkDownstream(scenario.downstream, collector, options.scenarioPath);
  const identity = collectorIdentity(collectorYaml, collector);
  return {
    scenarioPath: options.scenarioPath,
    scenario,
    scenarioHash: scenarioHash(raw),
    scenarioYaml,
    collectorPath: source.path,
    collectorYaml,
    collectorHash: identity.hash,
    collectorEnv: identity.env,
    collector,
    compat,
  };
}

/** A key path a command-line option set, and how to name that option. */
interface OptionOrigin {
  path: string;
  option: string;
}

/** Collector overrides apply below `collector.`; problems name paths inside the collector file. */
function collectorOrigins(overrides: readonly Override[]): OptionOrigin[] {
  return overrides.map((o) => ({ path: o.path.replace(/^collector\./, ''), option: `${o.option ?? '--set'} ${o.path}` }));
}

/**
 * Runs a validation; a problem at (or below) a path a command-line option set says so — "(from
 * --set traffic.ratee)" — so a bad flag is not taken for a mistake in the user's file.
 */
function withOptionOrigins<T>(validate: () => T, origins: readonly OptionOrigin[]): T {
  try {
    return validate();
  } catch (err) {
    if (!(err instanceof InputError) || err.problems.length === 0 || origins.length === 0) throw err;
    const problems = err.problems.map((p) => {
      const origin = origins.find((o) => p.path === o.path || p.path.startsWith(`${o.path}.`) || p.path.startsWith(`${o.path}[`) || createdBy(o.path, p));
      return origin ? { ...p, message: `${p.message} (from ${origin.option})` } : p;
    });
    throw new InputError(err.headline, { ...(err.file !== undefined ? { file: err.file } : {}), problems, cause: err.cause });
  }
}

/** An unknown key the option created on its way to its own path (a mapping the file lacked). */
function createdBy(optionPath: string, p: ConfigProblem): boolean {
  return p.message === 'unknown key' && (optionPath.startsWith(`${p.path}.`) || optionPath.startsWith(`${p.path}[`));
}

/** Loads a collector config alone (replay, compare), with `collector.` overrides. */
export function loadCollectorInput(
  path: string,
  overrides: readonly Override[],
  env: Readonly<Record<string, string | undefined>>,
  compat: CompatProfile,
): { collector: CollectorConfigResult; yaml: string; hash: string; env: readonly string[] } {
  const yaml = overriddenCollectorText(readText(path, 'collector config'), path, overrides);
  const collector = withOptionOrigins(() => loadCollectorConfig(yaml, path, env, { compat }), collectorOrigins(overrides));
  return { collector, yaml, ...collectorIdentity(yaml, collector) };
}

/**
 * The identity of the collector config a run simulates, from its text (with `--set` overrides
 * applied) and the loader's `${env:…}` expansion of it. `hash` (16 hex digits) is a pure function
 * of the text and, when the config reads environment variables, of the document they expand to —
 * values included, so runs with different values differ; a config that reads none keeps the hash
 * of its text. `env` names the variables read, never their values.
 */
function collectorIdentity(text: string, loaded: CollectorConfigResult): { hash: string; env: readonly string[] } {
  const expansion = loaded.expansion;
  const hash = createHash('sha256').update(text);
  if (expansion.variables.length > 0) {
    const expanded = { value: expansion.value, stringForms: Object.fromEntries(expansion.stringForms) };
    hash.update('\0').update(stringifyYaml(expanded, { sortMapEntries: true }));
  }
  return { hash: hash.digest('hex').slice(0, 16), env: expansion.variables };
}

/** The collector text with overrides applied (re-serialised only when there are overrides). */
function overriddenCollectorText(text: string, path: string, overrides: readonly Override[]): string {
  if (overrides.length === 0) return text;
  const raw = parseYaml(text, path, 'collector');
  return stringifyYaml(applyToDocument(raw, overrides, 'collector', path));
}

/**
 * The text of `path`. A read error names the file, or, with `namedAt`, the scenario key that
 * named it (a `collector:` the scenario points at).
 */
function readText(path: string, what: string, namedAt?: { file: string; key: string }): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    if (namedAt === undefined) throw new InputError(`cannot read ${what}: ${code}`, { file: path, cause: err });
    throw new InputError('invalid scenario', { file: namedAt.file, problems: [{ path: namedAt.key, message: `cannot read ${what} ${path}: ${code}` }], cause: err });
  }
}

/**
 * `--duration`, `--seed` set `traffic.duration` and `seed`; `--rate R` sets `traffic.rate` and
 * scales every stage target by R / (the file's rate), so a ramp keeps its shape.
 */
function applyCliShortcuts(raw: unknown, options: InputOptions): unknown {
  if (options.duration === undefined && options.rate === undefined && options.seed === undefined) return raw;
  const doc = (raw !== null && typeof raw === 'object' ? structuredClone(raw) : {}) as Record<string, unknown>;
  if (options.seed !== undefined) doc['seed'] = options.seed;
  if (options.duration !== undefined || options.rate !== undefined) {
    const traffic = (doc['traffic'] !== null && typeof doc['traffic'] === 'object' ? doc['traffic'] : {}) as Record<string, unknown>;
    doc['traffic'] = traffic;
    if (options.duration !== undefined) traffic['duration'] = options.duration;
    if (options.rate !== undefined) {
      const newRate = parseRatePerSecond(options.rate);
      if (newRate === undefined) throw new InputError(`--rate "${options.rate}": expected a rate such as 500/s or 30000/min`);
      if (newRate <= 0) throw new InputError(`--rate "${options.rate}": must be above 0 (a run at 0/s generates no traffic)`);
      const oldRate = parseRatePerSecond(traffic['rate'] as string | number);
      traffic['rate'] = newRate;
      if (oldRate !== undefined && oldRate > 0 && Array.isArray(traffic['stages'])) {
        const factor = newRate / oldRate;
        traffic['stages'] = (traffic['stages'] as unknown[]).map((st) => {
          if (st === null || typeof st !== 'object') return st;
          const stage = { ...(st as Record<string, unknown>) };
          const target = parseRatePerSecond(stage['target'] as string | number);
          if (target !== undefined) stage['target'] = target * factor;
          return stage;
        });
      }
    }
  }
  return doc;
}

/**
 * Gates on `retention.byPolicy[<name>]` must name a tail_sampling policy of the collector config
 * (keys `<component id>/<policy>` when it has several tail_sampling processors, as the report
 * keys them): a typo is bad input before the run, not a gate failing after it.
 */
export function checkPolicyGates(gates: readonly Gate[], collector: CollectorConfigResult, collectorPath: string): void {
  checkSeriesPolicyGates(gates, [{ collector, collectorPath }]);
}

/**
 * `checkPolicyGates` for the configs of a compare or sweep: a gate is refused only when no config
 * has its policy (named after the first config); where one config lacks it, that run's gate fails
 * for want of data.
 */
export function checkSeriesPolicyGates(gates: readonly Gate[], configs: readonly { collector: CollectorConfigResult; collectorPath: string }[]): void {
  const namesOf = configs.map((c) => tailPolicyKeys(c.collector));
  const first = configs[0];
  if (first === undefined) return;
  const problems = gates
    .filter((g) => g.path[0] === 'retention' && g.path[1] === 'byPolicy' && g.path[2] !== undefined && namesOf.every((names) => !names.includes(g.path[2]!)))
    .map((g) => `gate "${g.expression}": no tail_sampling policy "${g.path[2]}" in ${first.collectorPath} (${namesOf[0]!.length > 0 ? `policies: ${namesOf[0]!.join(', ')}` : 'it has none'})`);
  throwGateProblems(problems);
}

/** The report's keys of the config's tail_sampling policies. */
function tailPolicyKeys(collector: CollectorConfigResult): string[] {
  const samplers = [...collector.config.processors].filter(([, spec]) => spec.type === 'tail_sampling');
  return samplers.flatMap(([id, spec]) => (spec.config as TailSamplingConfig).policies.map((p) => policyReportKey(id, p.name, samplers.length)));
}
