import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program.js';
import { memoryContext } from '../../../src/cli/context.js';
import { buildSampleReport } from '../../fixtures/reports/sample.js';
import type { ComparisonReport } from '../../../src/report/model.js';

const dir = mkdtempSync(join(tmpdir(), 'tracesim-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = buildSampleReport();
const reportPath = join(dir, 'report.json');
writeFileSync(reportPath, JSON.stringify(report));

async function cli(...argv: string[]) {
  const m = memoryContext(argv, { cwd: dir });
  const code = await runCli(m.ctx);
  return { code, out: m.stdout(), err: m.stderr() };
}

describe('tracesim report', () => {
  it('prints the console summary by default', async () => {
    const r = await cli('report', 'report.json');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Retention {3}traces/m);
    expect(r.out).toContain('Ledger      balanced');
  });

  it('on a terminal that reports no width (0 columns) wraps at 100, and NO_COLOR turns colour off', async () => {
    const onTty = async (env: Record<string, string>) => {
      const m = memoryContext(['report', 'report.json'], { cwd: dir, env });
      let out = '';
      const code = await runCli({ ...m.ctx, stdout: { write: (t: string) => void (out += t), isTTY: true, columns: 0 } });
      return { code, out };
    };
    const plain = await onTty({ NO_COLOR: '1' });
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain(String.fromCharCode(27));
    expect(plain.out).toMatch(/^Ledger {6}balanced: [\d,]+ generated = [\d,]+ exported \+/m);
    expect(Math.max(...plain.out.split('\n').map((l) => l.length))).toBeGreaterThan(60);
    expect(Math.max(...plain.out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    expect((await onTty({})).out).toContain(`${String.fromCharCode(27)}[1mLedger`);
  });

  it('prints each chosen format', async () => {
    const r = await cli('report', reportPath, '--format', 'md,junit');
    expect(r.code).toBe(0);
    expect(r.out).toContain('## tracesim: checkout');
    expect(r.out).toContain('<testsuites name="tracesim"');
  });

  it('writes report.json and the formats into --out', async () => {
    const out = join(dir, 'out');
    const r = await cli('report', 'report.json', '--format', 'md,junit,table', '--out', 'out');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.json', 'report.md', 'summary.txt']);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual(report);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8').match(/<testcase /g)!.length).toBe(report.gates.length + 1);
  });

  it('renders a comparison report', async () => {
    const cmp: ComparisonReport = { schemaVersion: 1, kind: 'compare', labels: ['a.yaml', 'b.yaml'], runs: [report, buildSampleReport({ seed: 7 })], bestIndex: null };
    writeFileSync(join(dir, 'comparison.json'), JSON.stringify(cmp));
    const r = await cli('report', 'comparison.json', '--format', 'table,md');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Comparison of 2 configs');
    expect(r.out).toContain('| Metric | a.yaml | b.yaml |');
    const junit = await cli('report', 'comparison.json', '--format', 'junit');
    expect(junit.code).toBe(0);
    expect(junit.out.match(/<testsuite /g)).toHaveLength(2);
  });

  it.each([
    ['a missing file', 'nope.json', /nope.json: cannot read report: ENOENT/],
    ['bad JSON', 'bad.json', /bad.json: not JSON/],
    ['another tool', 'other.json', /other.json: not a tracesim report/],
    ['another schema version', 'v2.json', /v2.json: report schemaVersion 2 is not supported/],
    ['an incomplete report', 'partial.json', /partial.json: not a complete tracesim report: "spans" is missing/],
  ])('exits 2 on %s', async (_name, file, message) => {
    writeFileSync(join(dir, 'bad.json'), '{"tool":');
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ tool: { name: 'k6' }, schemaVersion: 1 }));
    writeFileSync(join(dir, 'v2.json'), JSON.stringify({ ...report, schemaVersion: 2 }));
    writeFileSync(join(dir, 'partial.json'), JSON.stringify({ tool: { name: 'tracesim' }, schemaVersion: 1 }));
    const r = await cli('report', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming the path when --out cannot be written (a file in the way)', async () => {
    const r = await cli('report', 'report.json', '--format', 'md', '--out', 'report.json/sub');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/report\.json\/sub: cannot write the report: ENOTDIR \(check --out\)/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown format, naming the known ones', async () => {
    const r = await cli('report', 'report.json', '--format', 'md,pdf');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown format "pdf" \(known: json, table, md, junit, html\)/);
  });
});
