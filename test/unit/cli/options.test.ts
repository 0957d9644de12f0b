import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIntOption } from '../../../src/cli/commands/int-option.js';
import { memoryContext } from '../../../src/cli/context.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { runCli } from '../../../src/cli/program.js';
import { InputError } from '../../../src/shared/errors.js';
import { parseTarget } from '../../../src/engine/live-runner.js';

const ROOT = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'tracesim-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const m = memoryContext(argv, { cwd: ROOT });
  return { code: await runCli(m.ctx), err: m.stderr() };
}

describe('integer options', () => {
  it('are exact: a value a double would round is refused, not rounded', () => {
    expect(parseIntOption('--seed', '9007199254740991', Number.MIN_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseIntOption('--seed', '-42', Number.MIN_SAFE_INTEGER)).toBe(-42);
    expect(() => parseIntOption('--seed', '9007199254740993', Number.MIN_SAFE_INTEGER)).toThrow(/--seed "9007199254740993": must be at most 9007199254740991/);
    expect(() => parseIntOption('--seed', '18446744073709551616', Number.MIN_SAFE_INTEGER)).toThrow(InputError);
    expect(() => parseIntOption('--workers', '-1', 0)).toThrow(/must be at least 0/);
    expect(() => parseIntOption('--workers', '1.5', 0)).toThrow(/expected an integer/);
  });

  it('generate and run refuse an out-of-range --seed with exit 2', async () => {
    const g = await cli('generate', 'scenarios/ci-smoke.yaml', '--output', join(dir, 'a.jsonl'), '--seed', '18446744073709551616');
    expect(g.code).toBe(ExitCode.INVALID_INPUT);
    expect(g.err).toContain('--seed "18446744073709551616": must be at most 9007199254740991');
    const r = await cli('run', 'scenarios/ci-smoke.yaml', '--out', join(dir, 'r'), '--seed', '9007199254740993');
    expect(r.code).toBe(ExitCode.INVALID_INPUT);
  });
});

describe('generate --start-time', () => {
  it.each(['May 5', '-5', '99999999999999999', '2025-1-1', 'yesterday'])('refuses %s (exit 2) instead of guessing', async (text) => {
    const r = await cli('generate', 'scenarios/ci-smoke.yaml', '--output', join(dir, 'b.jsonl'), '--start-time', text);
    expect(r.code).toBe(ExitCode.INVALID_INPUT);
    expect(r.err).toContain(`--start-time: expected now, an ISO-8601 time (2025-01-01T00:00:00Z) or Unix ms, got "${text}"`);
  });
});

describe('--target', () => {
  it('needs a scheme and a port', () => {
    expect(parseTarget('grpc://127.0.0.1:4317', 'grpc')).toEqual({ protocol: 'grpc', endpoint: '127.0.0.1:4317' });
    expect(parseTarget('http://[::1]:4318/v1/traces')).toEqual({ protocol: 'http/protobuf', endpoint: 'http://[::1]:4318/v1/traces' });
    for (const bad of ['grpc://127.0.0.1', 'http://collector/v1/traces', '127.0.0.1:4317', 'grpc://host:port']) {
      expect(() => parseTarget(bad, 'grpc')).toThrow(/with the port, e\.g\. grpc:\/\/127\.0\.0\.1:4317/);
    }
  });
});

describe('live-only options', () => {
  it('are refused where they would be ignored, and --protocol must fit the --target scheme', async () => {
    const sim = await cli('run', 'scenarios/ci-smoke.yaml', '--out', join(dir, 's'), '--protocol', 'http/json');
    expect(sim.code).toBe(ExitCode.INVALID_INPUT);
    expect(sim.err).toContain('--protocol needs --mode live');
    expect((await cli('run', 'scenarios/ci-smoke.yaml', '--out', join(dir, 's'), '--max-lag-p99', '10ms')).err).toContain('--max-lag-p99 needs --mode live');
    const file = await cli('generate', 'scenarios/ci-smoke.yaml', '--output', join(dir, 'c.jsonl'), '--protocol', 'http/json');
    expect(file.err).toContain('--protocol applies with --target');
    const clash = await cli('generate', 'scenarios/ci-smoke.yaml', '--target', 'grpc://127.0.0.1:4317', '--protocol', 'http/json');
    expect(clash.code).toBe(ExitCode.INVALID_INPUT);
    expect(clash.err).toContain('--protocol http/json does not fit --target grpc://127.0.0.1:4317: use grpc with a grpc:// target');
    expect((await cli('run', 'scenarios/ci-smoke.yaml', '--mode', 'live', '--target', 'http://127.0.0.1:4318', '--protocol', 'grpc')).err).toContain('use http/protobuf or http/json with a http:// target');
  });
});
