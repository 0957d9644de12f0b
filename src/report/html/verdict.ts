/**
 * The verdict at the top of a report: did the gates pass, is the run valid, was it interrupted,
 * did the ledger balance. Read from the report's own fields; nothing is re-evaluated here.
 */
import type { Report } from '../model.js';
import { gatesNotApplied } from '../format.js';

export interface Verdict {
  /** `failed` when any gate failed, `passed` when all passed, `none` without gates or when they were not applied (`gatesNotApplied`). */
  gates: 'passed' | 'failed' | 'none';
  gatesText: string;
  /** Overall colour: fail on a failed gate, an invalid run or an unbalanced ledger; warn when interrupted. */
  status: 'pass' | 'fail' | 'warn';
}

export function verdictOf(report: Report): Verdict {
  const failed = report.gates.filter((g) => !g.pass).length;
  const total = report.gates.length;
  const notApplied = gatesNotApplied(report);
  const gates = total === 0 || notApplied !== undefined ? 'none' : failed > 0 ? 'failed' : 'passed';
  const gatesText =
    total > 0 && notApplied !== undefined
      ? `Gates not applied (${notApplied})`
      : gates === 'none'
        ? 'No gates'
        : gates === 'passed'
          ? `Gates passed (${total} of ${total})`
          : `Gates failed (${failed} of ${total} failed)`;
  const status = gates === 'failed' || !report.valid || !report.ledger.balanced ? 'fail' : report.interrupted ? 'warn' : 'pass';
  return { gates, gatesText, status };
}
