/**
 * `junit.xml`: one test case per gate (a failure names the value and the bound) plus one for the
 * ledger balance and, when the run is invalid, one for validity — so a CI test report shows why
 * a job failed. A compare/sweep gives one test suite per compared config or swept value. Pure.
 */
import type { ComparisonReport, Report } from './model.js';
import { gatesNotApplied, gateValues, labelStem, ledgerLine, runTitle } from './format.js';

interface Case {
  name: string;
  failure?: { type: 'gate' | 'ledger' | 'invalid'; message: string; detail: string };
  /** A gate not applied (the run cannot be trusted): reported as skipped, with why. */
  skipped?: string;
}

export function renderJunit(report: Report): string {
  return testsuites([suite(report, `tracesim ${runTitle(report)}`, `tracesim.${report.scenario.name}`)]);
}

/** One suite per entry, named by its label (config file or swept value) so cases do not collide. */
export function renderComparisonJunit(cmp: ComparisonReport): string {
  return testsuites(cmp.runs.map((r, i) => {
    const label = cmp.labels[i] ?? String(i + 1);
    return suite(r, `tracesim ${label}: ${runTitle(r)}`, `tracesim.${r.scenario.name}.${classSegment(label)}`);
  }));
}

interface Suite {
  tests: number;
  failures: number;
  lines: string[];
}

function suite(report: Report, name: string, classname: string): Suite {
  const notApplied = gatesNotApplied(report);
  const cases: Case[] = report.gates.map((g) => {
    const v = gateValues(g);
    if (notApplied !== undefined) return { name: g.expression, skipped: `not applied: ${notApplied}` };
    if (g.pass) return { name: g.expression };
    const message = g.actual === null ? `${g.expression}: ${g.message ?? 'no data'}` : `${g.expression}: value ${v.value}, bound ${v.bound}`;
    return { name: g.expression, failure: { type: 'gate', message, detail: g.message ?? message } };
  });
  cases.push(report.ledger.balanced ? { name: 'ledger balanced' } : { name: 'ledger balanced', failure: { type: 'ledger', message: `ledger not balanced: residual ${report.ledger.residual}`, detail: ledgerLine(report) } });
  if (!report.valid) cases.push({ name: 'run valid', failure: { type: 'invalid', message: 'run invalid', detail: report.invalidReasons.join('\n') } });

  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const lines = [`  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${report.window.seconds.toFixed(3)}">`];
  for (const c of cases) {
    const open = `    <testcase classname="${xml(classname)}" name="${xml(c.name)}" time="0"`;
    if (c.skipped !== undefined) lines.push(`${open}>`, `      <skipped message="${xml(c.skipped)}"/>`, '    </testcase>');
    else if (!c.failure) lines.push(`${open}/>`);
    else {
      lines.push(`${open}>`, `      <failure message="${xml(c.failure.message)}" type="${c.failure.type}">${xml(c.failure.detail)}</failure>`, '    </testcase>');
    }
  }
  lines.push('  </testsuite>');
  return { tests: cases.length, failures, lines };
}

function testsuites(suites: readonly Suite[]): string {
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="tracesim" tests="${tests}" failures="${failures}">`, ...suites.flatMap((s) => s.lines), '</testsuites>', ''].join('\n');
}

/**
 * A label as one classname segment: CI tools split classnames on dots into a package tree, so a
 * config path keeps its file name without the extension (`./tail-5pct.yaml` → `tail-5pct`) and
 * dots elsewhere become `_` (a swept `0.5` → `0_5`).
 */
function classSegment(label: string): string {
  return labelStem(label).replace(/\./g, '_');
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
