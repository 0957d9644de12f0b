/**
 * `tracesim generate S.yaml --target URL` in-process against the scriptable OTLP test backend:
 * load only, and the summary says what the endpoint answered.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { memoryContext } from '../../../src/cli/context.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { startOtlpTestServer, type OtlpTestServer } from '../../helpers/otlp-test-server.js';

const root = join(import.meta.dirname, '..', '..', '..');
const smoke = join(root, 'scenarios', 'ci-smoke.yaml');

describe('tracesim generate --target', () => {
  let server: OtlpTestServer;
  beforeEach(async () => {
    server = await startOtlpTestServer();
  });
  afterEach(async () => server.close());

  test('sends the scenario over gRPC and reports sent, accepted, refused and partial-success rejections', async () => {
    server.script([{ kind: 'refuse' }, { kind: 'partial', rejected: 3, message: 'over quota' }]);
    const m = memoryContext(['generate', smoke, '--target', `grpc://${server.grpcEndpoint}`, '--duration', '2s', '--workers', '1', '--max-lag-p99', '10s'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.OK);
    const out = m.stdout();
    expect(out).toContain(`to ${`grpc://${server.grpcEndpoint}`} over grpc`);
    const requests = /requests\s+([\d,]+) sent · ([\d,]+) accepted · ([\d,]+) refused attempts \(([\d,]+) retried, 0 permanent, 0 requests given up\)/.exec(out);
    expect(requests).not.toBeNull();
    const [sent, accepted, refused, retried] = requests!.slice(1).map((x) => Number(x.replace(/,/g, '')));
    expect(sent).toBe(accepted);
    expect(refused).toBe(1);
    expect(retried).toBe(1);
    expect(sent).toBe(server.requests.grpc - 1);
    const spans = /spans\s+([\d,]+) generated · ([\d,]+) accepted · 3 rejected by partial success/.exec(out);
    expect(spans).not.toBeNull();
    expect(Number(spans![2]!.replace(/,/g, ''))).toBe(server.acceptedSpans());
    expect(Number(spans![1]!.replace(/,/g, ''))).toBe(server.acceptedSpans() + 3);
  });

  test('over HTTP/JSON, and a bad target is bad input', async () => {
    const m = memoryContext(['generate', smoke, '--target', server.httpEndpoint, '--protocol', 'http/json', '--duration', '1s', '--workers', '1', '--max-lag-p99', '10s'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.OK);
    expect(m.stdout()).toContain('over http/json');
    expect(server.requests.http).toBeGreaterThan(0);
    expect(server.acceptedSpans()).toBeGreaterThan(0);

    const bad = memoryContext(['generate', smoke, '--target', 'ftp://x'], { cwd: root });
    expect(await runCli(bad.ctx)).toBe(ExitCode.INVALID_INPUT);
    expect(bad.stderr()).toContain('expected grpc://host:port or http://host:port');
  });

  test('a target that accepts nothing makes the run invalid (exit 4) and says so', async () => {
    server.script(Array.from({ length: 10_000 }, () => ({ kind: 'fail' as const, message: 'no thanks' })));
    const m = memoryContext(['generate', smoke, '--target', `grpc://${server.grpcEndpoint}`, '--duration', '1s', '--workers', '1', '--max-lag-p99', '10s'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.RUN_INVALID);
    expect(server.acceptedSpans()).toBe(0);
    expect(m.stderr()).toMatch(/run invalid: grpc:\/\/[\d.:]+ accepted none of the [\d,]+ spans \(0 given up, [\d,]+ refused permanently\)/);
  });
});
