import { describe, expect, it } from 'vitest';
import { checkRunSize, MAX_RUN_SPANS } from '../../../src/engine/run-size.js';
import { loadScenarioFile } from '../../../src/scenario/load.js';
import { InputError } from '../../../src/shared/errors.js';

const path = 'scenarios/ci-smoke.yaml';

describe('run size guard', () => {
  it('lets the shipped scenarios through and refuses a rate typo, naming traffic and the estimate', () => {
    const { scenario } = loadScenarioFile(path);
    expect(() => checkRunSize(scenario, path)).not.toThrow();
    const typo = { ...scenario, traffic: { ...scenario.traffic, rate: 100_000_000, duration: 1000 } };
    let err: unknown;
    try {
      checkRunSize(typo, path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const problem = (err as InputError).problems[0]!;
    expect(problem.path).toBe('traffic');
    expect(problem.message).toMatch(/would generate about [\d,]+ spans \(100,000,000 traces\/s for 1s/);
    expect(problem.message).toContain(MAX_RUN_SPANS.toLocaleString('en-US'));
  });
});
