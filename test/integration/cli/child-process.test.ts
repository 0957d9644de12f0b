/**
 * The built CLI as users run it: `node dist/cli/main.js …` in a child process (npm test builds
 * first). Exit codes, the summary on stdout, one clear line on stderr for bad input, SIGINT.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Report } from '../../../src/report/model.js';

const root = join(import.meta.dirname, '..', '..', '..');
const main = join(root, 'dist', 'cli', 'main.js');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tracesim(args: string[], options: { onStart?: (child: ReturnType<typeof spawn>) => void; nodeArgs?: string[] } = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    options.onStart?.(child);
  });
}

describe('tracesim CLI as a child process', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-child-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('run without a scenario runs scenarios/checkout.yaml and prints the summary (npm start)', async () => {
    const r = await tracesim(['run', '--duration', '5s', '--out', dir, '--format', 'table,json']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('checkout');
    expect(r.stdout).toMatch(/Retention\s+traces/);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report.scenario.name).toBe('checkout');
    expect(report.ledger.balanced).toBe(true);
  });

  test('a sim run does not load @grpc/grpc-js (only runs that listen or send do)', async () => {
    const hook = join(root, 'test', 'fixtures', 'cli', 'print-loaded-packages.mjs');
    const r = await tracesim(['run', 'scenarios/ci-smoke.yaml', '--duration', '2s', '--out', dir, '--format', 'json', '--no-progress'], { nodeArgs: ['--import', hook] });
    expect(r.code).toBe(0);
    const line = /loaded-packages: (.*)/.exec(r.stderr)?.[1];
    const loaded = line?.split(',');
    expect(loaded).toContain('piscina'); // the hook sees the CommonJS packages the run loads
    expect(loaded).not.toContain('@grpc/grpc-js');
  });

  test('exit 2 for a missing scenario, one line, no stack trace', async () => {
    const r = await tracesim(['run', 'scenarios/does-not-exist.yaml', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('does-not-exist.yaml: cannot read scenario: ENOENT');
  });

  test('exit 1 on SIGINT, with an interrupted report and a balanced ledger', async () => {
    const r = await tracesim(['run', 'scenarios/ci-smoke.yaml', '--duration', '2h', '--workers', '1', '--out', dir, '--format', 'json'], {
      onStart: (child) => {
        // Interrupt once the run is under way (its first output is the report at the end, so wait).
        setTimeout(() => child.kill('SIGINT'), 3000);
      },
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report.interrupted).toBe(true);
    expect(report.ledger.residual).toBe(0);
    expect(r.stderr).toContain('interrupted');
  });

  test.each([
    // a CI cancel sends SIGTERM; a Ctrl-C can come while the CLI is still loading its modules
    ['SIGTERM', 3000],
    ['SIGINT', 400],
  ] as const)('%s after %i ms: exit 1 with an interrupted report', async (signal, afterMs) => {
    const r = await tracesim(['run', 'scenarios/ci-smoke.yaml', '--duration', '2h', '--workers', '1', '--out', dir, '--format', 'json'], {
      onStart: (child) => {
        setTimeout(() => child.kill(signal), afterMs);
      },
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report.interrupted).toBe(true);
    expect(report.ledger.residual).toBe(0);
  });
});
