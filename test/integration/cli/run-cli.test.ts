/**
 * `tracesim run` in-process (runCli with a memory context): every exit code, and bad input that
 * names its problem without a stack trace.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { memoryContext } from '../../../src/cli/context.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import type { Report } from '../../../src/report/model.js';

const root = join(import.meta.dirname, '..', '..', '..');
const smoke = join(root, 'scenarios', 'ci-smoke.yaml');

describe('tracesim run (in-process)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-run-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const readReport = (): Report => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;

  test('exit 0: prints the summary, writes the report files, ledger balanced', async () => {
    const m = memoryContext(['run', smoke, '--workers', '1', '--out', dir, '--format', 'table,json,md,junit'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.OK);
    expect(m.stdout()).toContain('Retention');
    expect(m.stdout()).toContain('Ledger      balanced');
    for (const f of ['report.json', 'report.md', 'junit.xml']) expect(existsSync(join(dir, f))).toBe(true);
    const report = readReport();
    expect(report.mode).toBe('sim');
    expect(report.ledger.balanced).toBe(true);
    expect(report.gates.map((g) => g.pass)).toEqual([true, true]);
    // not a TTY: no progress line
    expect(m.stderr()).not.toContain('\r');
    // with the table, advisories are in the summary, not repeated on stderr
    expect(m.stderr()).not.toContain('advisory ');
  });

  test('without the table (CI formats), each advisory of the report is one stderr line', async () => {
    const m = memoryContext(['run', smoke, '--workers', '1', '--out', dir, '--format', 'json'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.OK);
    const codes = readReport().advisories.map((a) => a.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(m.stderr().split('\n').filter((l) => l.startsWith('advisory ')).map((l) => l.split(':')[0]!.slice('advisory '.length))).toEqual(codes);
  });

  test('with no scenario argument, outside a checkout, runs the bundled default scenario', async () => {
    // cwd has no scenarios/ folder: the default falls back to the copy shipped with tracesim.
    const m = memoryContext(['run', '--workers', '1', '--duration', '2s', '--out', dir, '--format', 'json'], { cwd: dir });
    expect(await runCli(m.ctx)).toBe(ExitCode.OK);
    expect(readReport().scenario.name).toBe('checkout');
  });

  test('a TTY gets a progress line on stderr (simulated time, spans/s, drops), --no-progress silences it', async () => {
    const tty = (noProgress: boolean) => {
      const m = memoryContext(['run', smoke, '--workers', '1', '--out', dir, '--format', 'json', '--duration', '10m', ...(noProgress ? ['--no-progress'] : [])], { cwd: root });
      let err = '';
      const ctx = { ...m.ctx, stderr: { write: (t: string) => void (err += t), isTTY: true, columns: 120 } };
      return { ctx, err: () => err };
    };
    const shown = tty(false);
    expect(await runCli(shown.ctx)).toBe(ExitCode.OK);
    expect(shown.err()).toMatch(/\rsim \d+m\d{2}s\/10m00s \(\d+%\) · [\d,]+ spans · [\d.]+k? spans\/s simulated · [\d.]+[kM]? spans\/s wall · dropped 0/);
    const silent = tty(true);
    expect(await runCli(silent.ctx)).toBe(ExitCode.OK);
    expect(silent.err()).not.toContain('\r');
  });

  test('--set, --rate, --duration and --seed reach the run', async () => {
    const m = memoryContext(
      ['run', smoke, '--workers', '1', '--out', dir, '--format', 'json', '--rate', '20/s', '--duration', '5s', '--seed', '11', '--set', 'collector.processors.tail_sampling.policies[name=sampling-policy].probabilistic.sampling_percentage=100'],
      { cwd: root },
    );
    expect(await runCli(m.ctx)).toBe(ExitCode.OK);
    const report = readReport();
    expect(report.scenario.seed).toBe(11);
    expect(report.window.seconds).toBe(5);
    expect(report.traces.generated).toBeGreaterThan(60);
    expect(report.traces.generated).toBeLessThan(140);
    expect(report.retention.traces).toBe(1);
  });

  test('exit 3: a failing --gate names the gate, its value and its bound', async () => {
    const m = memoryContext(['run', smoke, '--workers', '1', '--out', dir, '--format', 'json', '--gate', 'retention.traces <= 0.01'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.GATE_FAILED);
    expect(m.stderr()).toMatch(/gate failed: .*retention\.traces/);
    const report = readReport();
    const gate = report.gates.find((g) => g.expression === 'retention.traces <= 0.01')!;
    expect(gate.pass).toBe(false);
    expect(gate.actual).toBe(report.retention.traces);
  });

  test('exit 1: SIGINT stops the run, the report is written and marked interrupted', async () => {
    const m = memoryContext(['run', smoke, '--workers', '1', '--out', dir, '--format', 'json', '--duration', '2h'], { cwd: root });
    const done = runCli(m.ctx);
    await new Promise((r) => setTimeout(r, 1500));
    m.raise('SIGINT');
    expect(await done).toBe(ExitCode.RUN_FAILED);
    const report = readReport();
    expect(report.interrupted).toBe(true);
    expect(report.ledger.residual).toBe(0);
    expect(report.spans.generated).toBe(report.spans.exported + report.spans.sampledOut + report.spans.dropped + report.spans.inFlight);
    expect(m.stderr()).toContain('interrupted');
  });

  test('exit 4: a live run that cannot hold an impossible rate is invalid and says so plainly', async () => {
    const m = memoryContext(['run', smoke, '--mode', 'live', '--workers', '1', '--rate', '100000/s', '--duration', '1s', '--out', dir, '--format', 'json'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.RUN_INVALID);
    expect(m.stderr()).toMatch(/run invalid: the generator sent [\d.]+ % of the scheduled spans/);
    const report = readReport();
    expect(report.valid).toBe(false);
    expect(report.dropped.byReason.schedule_missed?.spans).toBeGreaterThan(0);
    expect(report.ledger.balanced).toBe(true);
  });

  describe('exit 2: bad input says what is wrong, once, without a stack trace', () => {
    const expectInputError = async (argv: string[], ...needles: (string | RegExp)[]): Promise<void> => {
      const m = memoryContext(argv, { cwd: root });
      expect(await runCli(m.ctx)).toBe(ExitCode.INVALID_INPUT);
      for (const n of needles) expect(m.stderr()).toMatch(n);
      expect(m.stderr()).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, 'report.json'))).toBe(false);
    };

    test('a missing scenario file', async () => {
      await expectInputError(['run', join(dir, 'nope.yaml'), '--out', dir], 'nope.yaml', /cannot read scenario: ENOENT/);
    });

    test('bad YAML', async () => {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'name: x\ntraffic: [unclosed\n');
      await expectInputError(['run', bad, '--out', dir], 'bad.yaml', /invalid YAML/);
    });

    test('a bad --set path lists the keys available there', async () => {
      await expectInputError(
        ['run', smoke, '--out', dir, '--set', 'collector.processors.tail_sampling.policies[name=nope].probabilistic.sampling_percentage=5'],
        'policies[name=nope]',
        /available: errors, slow, sampling-policy/,
      );
      await expectInputError(['run', smoke, '--out', dir, '--set', 'collector.processors.tail_samplin.decision_wait=5s'], /no key "tail_samplin" at collector\.processors; available: .*tail_sampling/);
      await expectInputError(['run', smoke, '--out', dir, '--set', 'collector.processors.tail_samplin.decision_wait=5s'], /\(in the collector config .*ci-smoke\.collector\.yaml\)/);
      await expectInputError(['run', smoke, '--out', dir, '--set', 'trafic.rate=5'], /trafic: unknown key \(from --set trafic\.rate\)/);
    });

    test('a bad gate expression', async () => {
      await expectInputError(['run', smoke, '--out', dir, '--gate', 'retention.traces <<= banana'], /retention\.traces <<= banana/);
    });

    test('a gate on a policy the collector config does not have, before the run', async () => {
      await expectInputError(
        ['run', smoke, '--out', dir, '--gate', 'retention.byPolicy[nope].attributedTraces > 0'],
        /gate "retention\.byPolicy\[nope\]\.attributedTraces > 0": no tail_sampling policy "nope" in .*ci-smoke\.collector\.yaml \(policies: errors, slow, sampling-policy\)/,
      );
    });

    test('a --set value that fails validation names the full key path and the option it came from', async () => {
      await expectInputError(['run', smoke, '--out', dir, '--set', 'traffic.rate=fast'], /traffic\.rate: expected a rate .* \(from --set traffic\.rate\)/);
      await expectInputError(['run', smoke, '--out', dir, '--set', 'traffic.ratee=5'], /traffic\.ratee: unknown key \(from --set traffic\.ratee\)/);
      await expectInputError(['run', smoke, '--out', dir, '--set', 'collector.processors.batch.nope=5'], /ci-smoke\.collector\.yaml: invalid collector config[\s\S]*processors\.batch\.nope: unknown key \(from --set collector\.processors\.batch\.nope\)/);
      await expectInputError(['run', smoke, '--out', dir, '--duration', '5x'], /traffic\.duration: expected a duration .* \(from --duration\)/);
    });

    test('unknown formats and impossible options', async () => {
      await expectInputError(['run', smoke, '--out', dir, '--format', 'pdf'], /unknown format "pdf"/);
      await expectInputError(['run', smoke, '--out', dir, '--target', 'grpc://127.0.0.1:4317'], /--target needs --mode live/);
      await expectInputError(['run', smoke, '--out', dir, '--workers', 'two'], /--workers "two": expected an integer/);
    });
  });
});
