/**
 * `tracesim compare` and `tracesim sweep` in-process: identical traffic through each config or
 * value, a side-by-side table, a report per run and a comparison report.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { memoryContext } from '../../../src/cli/context.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import type { ComparisonReport } from '../../../src/report/model.js';

const root = join(import.meta.dirname, '..', '..', '..');
const smoke = join(root, 'scenarios', 'ci-smoke.yaml');
const smokeCollector = join(root, 'scenarios', 'ci-smoke.collector.yaml');
const POLICY = 'collector.processors.tail_sampling.policies[name=sampling-policy].probabilistic.sampling_percentage';

describe('compare and sweep', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-compare-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const readComparison = (out: string): ComparisonReport => JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')) as ComparisonReport;

  test('compare: the same traffic through two configs, side by side', async () => {
    const five = join(dir, 'five.yaml');
    writeFileSync(five, readFileSync(smokeCollector, 'utf8').replace('sampling_percentage: 25', 'sampling_percentage: 5'));
    const out = join(dir, 'cmp');
    const m = memoryContext(['compare', '--scenario', smoke, '--workers', '1', smokeCollector, five, '--out', out], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.OK);
    expect(m.stdout()).toContain('Comparison of 2 configs');
    expect(m.stdout()).toMatch(/sampling-policy/);
    const cmp = readComparison(out);
    expect(cmp.kind).toBe('compare');
    expect(cmp.labels).toEqual([smokeCollector, five]);
    const [a, b] = cmp.runs;
    // identical traffic: same generated spans, traces and ground truth
    expect(b!.spans.generated).toBe(a!.spans.generated);
    expect(b!.traces.generated).toBe(a!.traces.generated);
    expect(b!.retention.byPolicy['errors']!.sampledTraces).toBe(a!.retention.byPolicy['errors']!.sampledTraces);
    expect(b!.retention.traces!).toBeLessThan(a!.retention.traces!);
    expect(cmp.bestIndex).toBe(1);
    for (const r of cmp.runs) expect(r.ledger.balanced).toBe(true);
    expect(existsSync(join(out, '1-ci-smoke.collector', 'report.json'))).toBe(true);
    expect(existsSync(join(out, '2-five', 'report.json'))).toBe(true);
    expect(existsSync(join(out, 'comparison.html'))).toBe(true);
  });

  test('sweep: one run per value of a collector key, retention rising with the percentage', async () => {
    const out = join(dir, 'sweep');
    const m = memoryContext(['sweep', '--scenario', smoke, '--workers', '1', '--vary', `${POLICY}=5,50,100`, '--out', out, '--format', 'table,json'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.OK);
    expect(m.stdout()).toContain('Sweep of');
    const cmp = readComparison(out);
    expect(cmp.kind).toBe('sweep');
    expect(cmp.variedPath).toBe(POLICY);
    expect(cmp.labels).toEqual(['5', '50', '100']);
    const kept = cmp.runs.map((r) => r.retention.traces!);
    expect(kept[0]!).toBeLessThan(kept[1]!);
    expect(kept[1]!).toBeLessThan(kept[2]!);
    expect(kept[2]).toBe(1);
    expect(new Set(cmp.runs.map((r) => r.spans.generated)).size).toBe(1);
  });

  test('a bad --vary path fails before any run, naming what is available', async () => {
    const m = memoryContext(['sweep', '--scenario', smoke, '--vary', 'collector.processors.tail_sampling.policies[name=nope].x=1,2', '--out', join(dir, 'x')], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.INVALID_INPUT);
    expect(m.stderr()).toMatch(/available: errors, slow, sampling-policy/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  test('compare tail with head sampling under a per-policy gate: the config without the policy runs and fails that gate; a policy in no config is bad input', async () => {
    const head = join(dir, 'head.yaml');
    writeFileSync(
      head,
      readFileSync(smokeCollector, 'utf8')
        .replace('processors:\n', 'processors:\n  probabilistic_sampler: { sampling_percentage: 25 }\n')
        .replace('processors: [memory_limiter, tail_sampling, batch]', 'processors: [memory_limiter, probabilistic_sampler, batch]'),
    );
    const gate = 'retention.byPolicy[errors].attributedTraces > 0';
    const out = join(dir, 'th');
    const m = memoryContext(['compare', '--scenario', smoke, '--workers', '1', smokeCollector, head, '--gate', gate, '--out', out, '--format', 'json,table'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.GATE_FAILED);
    const [tail, headRun] = readComparison(out).runs;
    expect(tail!.gates.find((g) => g.expression === gate)?.pass).toBe(true);
    expect(headRun!.gates.find((g) => g.expression === gate)).toMatchObject({ pass: false });
    expect(readComparison(out).bestIndex).toBe(0);

    const typo = memoryContext(['compare', '--scenario', smoke, smokeCollector, head, '--gate', 'retention.byPolicy[erors].attributedTraces > 0', '--out', join(dir, 'typo')], { cwd: root });
    expect(await runCli(typo.ctx)).toBe(ExitCode.INVALID_INPUT);
    expect(typo.stderr()).toContain('no tail_sampling policy "erors"');
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  test('a bad key from --vary is named as coming from --vary', async () => {
    const m = memoryContext(['sweep', '--scenario', smoke, '--vary', 'traffic.rat=1/s,2/s', '--out', join(dir, 'r')], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.INVALID_INPUT);
    expect(m.stderr()).toContain('traffic.rat: unknown key (from --vary traffic.rat)');
  });

  test('a second --vary is refused, not silently replacing the first', async () => {
    const m = memoryContext(['sweep', '--scenario', smoke, '--vary', 'traffic.rate=10/s,20/s', '--vary', 'seed=1,2', '--out', join(dir, 'v')], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.INVALID_INPUT);
    expect(m.stderr()).toContain('sweep varies one key; --vary traffic.rate=10/s,20/s was given already');
    expect(existsSync(join(dir, 'v'))).toBe(false);
  });

  test('a failing gate in any run exits 3', async () => {
    const m = memoryContext(['sweep', '--scenario', smoke, '--workers', '1', '--vary', `${POLICY}=5,100`, '--gate', 'retention.traces <= 0.5', '--out', join(dir, 'g'), '--format', 'json,table'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.GATE_FAILED);
    const cmp = readComparison(join(dir, 'g'));
    expect(cmp.bestIndex).toBe(0);
    // the table names the gate, with each run's value and verdict
    expect(m.stdout()).toMatch(/ {2}retention\.traces <= 0\.5\s+pass [\d.]+%\s+FAIL [\d.]+%/);
  });
});
