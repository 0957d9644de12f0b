import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCollectorInput, loadRunInputs } from '../../../src/engine/inputs.js';
import { InputError } from '../../../src/shared/errors.js';

const SCENARIO = `name: ramp
collector: c.yaml
traffic:
  rate: 100/s
  stages:
    - { duration: 10s, target: 300/s }
    - { duration: 10s, target: 50/s }
routes: [{ service: a, operation: op }]
services:
  - name: a
    operations:
      op: { latency: 1ms }
`;

const COLLECTOR = `receivers:
  otlp:
    protocols: { grpc: }
processors:
  batch:
exporters:
  debug:
service:
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [debug] }
`;

/** COLLECTOR with a tail sampler whose percentage comes from the environment. */
const PCT_COLLECTOR = COLLECTOR.replace(
  'processors:\n  batch:\n',
  'processors:\n  batch:\n  tail_sampling:\n    policies:\n      - name: rest\n        type: probabilistic\n        probabilistic:\n          sampling_percentage: ${env:PCT}\n',
).replace('processors: [batch]', 'processors: [tail_sampling, batch]');

describe('loadRunInputs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-inputs-'));
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    writeFileSync(join(dir, 'c.yaml'), COLLECTOR);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves the collector config next to the scenario and validates both', () => {
    const inputs = loadRunInputs({ scenarioPath: join(dir, 's.yaml') });
    expect(inputs.collectorPath).toBe(join(dir, 'c.yaml'));
    expect(inputs.scenario.traffic.duration).toBe(20_000);
    expect(inputs.collector.config.pipelines.map((p) => p.id)).toEqual(['traces']);
  });

  it('--rate scales every stage with the base rate; --duration and --seed replace theirs', () => {
    const inputs = loadRunInputs({ scenarioPath: join(dir, 's.yaml'), rate: '200/s', duration: '5s', seed: 42 });
    expect(inputs.scenario.traffic.rate).toBe(200);
    expect(inputs.scenario.traffic.stages.map((s) => s.target)).toEqual([600, 100]);
    expect(inputs.scenario.traffic.duration).toBe(5000);
    expect(inputs.scenario.seed).toBe(42);
  });

  it('applies collector. overrides to the collector config before validation', () => {
    const inputs = loadRunInputs({ scenarioPath: join(dir, 's.yaml'), set: ['collector.processors.batch.timeout=2s', 'collector.processors.batch.send_batch_size=100'] });
    expect(inputs.collectorYaml).toContain('timeout: 2s');
    expect(inputs.collectorHash).not.toBe(loadRunInputs({ scenarioPath: join(dir, 's.yaml') }).collectorHash);
    expect(() => loadRunInputs({ scenarioPath: join(dir, 's.yaml'), set: ['collector.processors.batch.timeout=soon'] })).toThrow(/processors\.batch\.timeout/);
  });

  it('refuses a bad --rate and a scenario without a collector config', () => {
    expect(() => loadRunInputs({ scenarioPath: join(dir, 's.yaml'), rate: 'fast' })).toThrow(InputError);
    expect(() => loadRunInputs({ scenarioPath: join(dir, 's.yaml'), rate: '0/s' })).toThrow(/--rate "0\/s": must be above 0/);
    writeFileSync(join(dir, 'none.yaml'), SCENARIO.replace('collector: c.yaml\n', ''));
    expect(() => loadRunInputs({ scenarioPath: join(dir, 'none.yaml') })).toThrow(/no collector config/);
    expect(loadRunInputs({ scenarioPath: join(dir, 'none.yaml'), collectorConfigPath: join(dir, 'c.yaml') }).collectorPath).toBe(join(dir, 'c.yaml'));
  });

  it('a collector file the scenario names but that cannot be read is a problem at the scenario\'s collector key', () => {
    writeFileSync(join(dir, 'missing.yaml'), SCENARIO.replace('collector: c.yaml\n', 'collector: nope.yaml\n'));
    let err: InputError | undefined;
    try {
      loadRunInputs({ scenarioPath: join(dir, 'missing.yaml') });
    } catch (e) {
      err = e as InputError;
    }
    expect(err?.file).toBe(join(dir, 'missing.yaml'));
    expect(err?.problems.map((p) => [p.path, p.message])).toEqual([['collector', `cannot read collector config ${join(dir, 'nope.yaml')}: ENOENT`]]);
    // given with --collector-config, the file itself is named
    expect(() => loadRunInputs({ scenarioPath: join(dir, 's.yaml'), collectorConfigPath: join(dir, 'nope.yaml') })).toThrow(/nope\.yaml: cannot read collector config: ENOENT/);
  });

  it('reads the collector config under the run’s compat profile (scenario compat:, or the option)', () => {
    // a numeric_attribute with no non-zero bound: current collectors cannot evaluate it, classic ones match 0
    const numeric = COLLECTOR.replace(
      'processors:\n  batch:\n',
      'processors:\n  batch:\n  tail_sampling:\n    policies: [{ name: n, type: numeric_attribute, numeric_attribute: { key: k } }]\n',
    ).replace('processors: [batch]', 'processors: [tail_sampling, batch]');
    writeFileSync(join(dir, 'c.yaml'), numeric);
    expect(() => loadRunInputs({ scenarioPath: join(dir, 's.yaml') })).toThrow(/numeric_attribute: at least one of min_value or max_value/);
    expect(loadRunInputs({ scenarioPath: join(dir, 's.yaml'), compat: 'classic' }).compat).toBe('classic');
    writeFileSync(join(dir, 'classic.yaml'), `compat: classic\n${SCENARIO}`);
    expect(loadRunInputs({ scenarioPath: join(dir, 'classic.yaml') }).collector.config.processors.has('tail_sampling')).toBe(true);
  });

  it('hashes the collector config as expanded: different values of a variable it reads give different hashes, equal ones equal', () => {
    writeFileSync(join(dir, 'c.yaml'), PCT_COLLECTOR);
    const withEnv = (env: Record<string, string>) => loadRunInputs({ scenarioPath: join(dir, 's.yaml'), env });
    const p25 = withEnv({ PCT: '25' });
    const p50 = withEnv({ PCT: '50' });
    expect(p50.collectorYaml).toBe(p25.collectorYaml);
    expect(p50.collectorHash).not.toBe(p25.collectorHash);
    expect(withEnv({ PCT: '25', UNREAD: 'x' }).collectorHash).toBe(p25.collectorHash);
    expect(withEnv({ PCT: '25' }).collectorHash).toBe(p25.collectorHash);
  });

  it('lists the variables the collector config reads by name, never their values', () => {
    writeFileSync(join(dir, 'c.yaml'), PCT_COLLECTOR);
    const inputs = loadRunInputs({ scenarioPath: join(dir, 's.yaml'), env: { PCT: '25' } });
    expect(inputs.collectorEnv).toEqual(['PCT']);
  });

  it('a collector config that reads no variables keeps the hash of its text, --set overrides included', () => {
    const plain = loadRunInputs({ scenarioPath: join(dir, 's.yaml'), env: { PCT: '25' } });
    expect(plain.collectorHash).toBe(createHash('sha256').update(COLLECTOR).digest('hex').slice(0, 16));
    expect(plain.collectorEnv).toEqual([]);
    const set = loadRunInputs({ scenarioPath: join(dir, 's.yaml'), set: ['collector.processors.batch.timeout=2s'] });
    expect(set.collectorHash).toBe(createHash('sha256').update(set.collectorYaml).digest('hex').slice(0, 16));
  });
});

describe('loadCollectorInput', () => {
  it('hashes and lists the variables as loadRunInputs does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracesim-inputs-'));
    try {
      writeFileSync(join(dir, 'c.yaml'), PCT_COLLECTOR);
      const load = (pct: string) => loadCollectorInput(join(dir, 'c.yaml'), [], { PCT: pct }, 'current');
      expect(load('25').hash).not.toBe(load('50').hash);
      expect(load('25').hash).toBe(load('25').hash);
      expect(load('25').env).toEqual(['PCT']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
