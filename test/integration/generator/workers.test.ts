/**
 * Real piscina workers (from dist/, built by `npm test`) and the CLI as a child process: the same
 * seed gives byte-identical output with 1 and 2 workers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { createTrafficSource, type TrafficEvent } from '../../../src/generator/traffic.js';
import { writeJsonLine } from '../../../src/protocol/otlp/json-codec.js';
import { loadScenarioFile } from '../../../src/scenario/load.js';

const ROOT = join(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'tracesim-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function render(e: TrafficEvent): string {
  if (e.type === 'export') return `export ${e.atMs} ${e.instanceIndex} ${writeJsonLine(e.batch)}`;
  if (e.type === 'trace') return `trace ${e.traceIndex} ${e.class} ${e.spanCount} ${e.route} ${e.arrivalMs}`;
  return `drop ${e.atMs} ${e.instanceIndex} ${e.spans.length}`;
}

async function stream(scenarioFile: string, workers: number, durationMs: number, seed?: number): Promise<string[]> {
  const loaded = loadScenarioFile(join(ROOT, scenarioFile)).scenario;
  const scenario = seed === undefined ? loaded : { ...loaded, seed };
  const source = createTrafficSource(scenario, { workers, durationMs, startUnixMs: Date.UTC(2025, 0, 1), chunkTraces: 128 });
  const out: string[] = [];
  for await (const e of source) out.push(render(e));
  return out;
}

describe('generator with real workers', () => {
  it('checkout: identical event streams with 0 (in-process), 1 and 2 workers', async () => {
    const w1 = await stream('scenarios/checkout.yaml', 1, 3_000);
    const w2 = await stream('scenarios/checkout.yaml', 2, 3_000);
    const w0 = await stream('scenarios/checkout.yaml', 0, 3_000);
    expect(w1.length).toBeGreaterThan(600);
    expect(w2).toEqual(w1);
    expect(w0).toEqual(w1);
  });

  test.prop([fc.integer()], { numRuns: 4 })('any seed: identical traces with 1 and 2 workers', async (seed) => {
    const w1 = await stream('scenarios/ci-smoke.yaml', 1, 1_000, seed);
    expect(await stream('scenarios/ci-smoke.yaml', 2, 1_000, seed)).toEqual(w1);
  });

  it('tracesim generate writes byte-identical files with --workers 1 and --workers 2', async () => {
    const files = [1, 2].map((w) => join(dir, `w${w}.jsonl`));
    const outputs = await Promise.all(
      [1, 2].map((w, i) => run(process.execPath, [CLI, 'generate', join(ROOT, 'scenarios/ci-smoke.yaml'), '--duration', '5s', '--output', files[i]!, '--workers', String(w)])),
    );
    for (const o of outputs) expect(o.stdout).toMatch(/traces {3}\d+ \(error \d+, slow \d+, normal \d+\)/);
    const [a, b] = files.map((f) => readFileSync(f));
    expect(a!.length).toBeGreaterThan(10_000);
    expect(a!.equals(b!)).toBe(true);
    // every line is one OTLP JSON export request
    const lines = a!.toString('utf8').trimEnd().split('\n');
    expect(lines.every((l) => Array.isArray((JSON.parse(l) as { resourceSpans: unknown[] }).resourceSpans))).toBe(true);
  });

  it('tracesim generate exits 2 naming the key path of a broken scenario', async () => {
    const err = await run(process.execPath, [CLI, 'generate', join(ROOT, 'test/fixtures/scenarios/broken.yaml'), '--output', join(dir, 'x.jsonl')]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain('services[0].operations.GET /.latency.p95: must be ≥ p50');
  });
});
