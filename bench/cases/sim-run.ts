/**
 * sim-run: simulated spans per wall-clock second of a whole `tracesim run` process on
 * scenarios/checkout.yaml with its default collector config (generator workers, SDK model,
 * virtual clock, memory limiter, tail sampling, batch, exporters, ledger, report files) — beside
 * the traffic source alone into a counting sink (bench/macro/generate-sink.ts), also a whole
 * process, in the same run. Both spawn `node` fresh, so start-up counts on both sides.
 *
 * Targets: ours ≥ 500 000 spans/s and ratio ≥ 0.5. Medians of interleaved rounds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../harness.js';
import type { BenchCase, BenchEntry } from '../harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const SCENARIO = join(repo, 'scenarios', 'checkout.yaml');
const CLI = join(repo, 'dist', 'cli', 'main.js');
const SINK = join(here, '..', 'macro', 'generate-sink.js');
const CPU_HOOK = join(here, '..', 'macro', 'cpu-report.js');

/** Runs `node args…` to completion; resolves to stdout, the wall time and the CPU time (all threads) in seconds. */
function timed(args: string[]): Promise<{ stdout: string; seconds: number; cpuSeconds: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', CPU_HOOK, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 3) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      else resolve({ stdout, seconds: (performance.now() - t0) / 1000, cpuSeconds: Number(/CPU_USAGE_US (\d+)/.exec(stderr)?.[1] ?? NaN) / 1e6 });
    });
  });
}

const simRun: BenchCase = {
  names: ['sim-run'],
  async run({ smoke }): Promise<BenchEntry[]> {
    const dir = mkdtempSync(join(tmpdir(), 'tracesim-bench-sim-'));
    const rounds = smoke ? 1 : 3;
    const durationArgs = smoke ? ['--duration', '5s'] : [];
    const sinkArgs = smoke ? [SCENARIO, '5000'] : [SCENARIO];
    const ours: number[] = [];
    const reference: number[] = [];
    const oursPerCpu: number[] = [];
    const referencePerCpu: number[] = [];
    try {
      for (let i = 0; i < rounds; i++) {
        const out = join(dir, `run-${i}`);
        const a = await timed([CLI, 'run', SCENARIO, ...durationArgs, '--no-progress', '--format', 'json', '--out', out]);
        const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { spans: { generated: number } };
        ours.push(report.spans.generated / a.seconds);
        oursPerCpu.push(report.spans.generated / a.cpuSeconds);
        const b = await timed([SINK, ...sinkArgs]);
        reference.push((JSON.parse(b.stdout) as { spans: number }).spans / b.seconds);
        referencePerCpu.push((JSON.parse(b.stdout) as { spans: number }).spans / b.cpuSeconds);
        if ((JSON.parse(b.stdout) as { spans: number }).spans !== report.spans.generated) throw new Error('sim-run: the run and the sink saw different traffic');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const o = median(ours);
    const r = median(reference);
    return [
      {
        name: 'sim-run',
        unit: 'spans/s',
        ours: o,
        reference: r,
        referenceName: 'traffic source alone → counting sink (whole process)',
        ratio: o / r,
        note:
          `targets: ours >= 500,000 spans/s, ratio >= 0.5; scenarios/checkout.yaml, default collector config, whole processes; ` +
          `spans per CPU-second (all threads) ours ${Math.round(median(oursPerCpu)).toLocaleString('en-US')} vs ${Math.round(median(referencePerCpu)).toLocaleString('en-US')} (ratio ${(median(oursPerCpu) / median(referencePerCpu)).toFixed(2)}); ` +
          `median of ${rounds} interleaved rounds`,
      },
    ];
  },
};

export default simRun;
