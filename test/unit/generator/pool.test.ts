import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GeneratorPool } from '../../../src/generator/pool.js';
import { generatorWorkerPath } from '../../../src/generator/worker-path.js';
import { runCli } from '../../../src/cli/program.js';
import { memoryContext } from '../../../src/cli/context.js';

const ROOT = join(import.meta.dirname, '../../..');

describe('generator pool and worker path', () => {
  it('points tests run from sources at the built entry in dist/', () => {
    expect(generatorWorkerPath()).toBe(join(ROOT, 'dist/generator/worker/entry.js'));
  });

  it('rejects a bad worker count naming the option', () => {
    expect(() => new GeneratorPool({ workers: -1 })).toThrow('workers must be an integer ≥ 0, got -1');
    expect(() => new GeneratorPool({ workers: 1.5 })).toThrow(/workers must be an integer/);
  });
});

describe('tracesim generate (in-process)', () => {
  const smoke = join(ROOT, 'scenarios/ci-smoke.yaml');
  it.each([
    [['--duration', 'soon', '--output', '/tmp/x.jsonl'], '--duration: expected a duration such as 10s or 2m, got "soon"'],
    [['--workers', 'two', '--output', '/tmp/x.jsonl'], '--workers: expected an integer ≥ 0, got "two"'],
    [['--start-time', 'yesterday', '--output', '/tmp/x.jsonl'], '--start-time: expected now, an ISO-8601 time or Unix ms, got "yesterday"'],
    [[], '--output FILE is required'],
  ])('exits 2 for %j', async (args, message) => {
    const m = memoryContext(['generate', smoke, ...args]);
    expect(await runCli(m.ctx)).toBe(2);
    expect(m.stderr()).toContain(message);
  });
});
