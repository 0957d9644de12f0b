/**
 * Option parsing and report output shared by `run`, `replay`, `compare` and `sweep`.
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { Option } from 'commander';
import { layoutColumns, useColor, type CliContext } from '../context.js';
import type { ComparisonReport, Report } from '../../report/model.js';
import { renderTable } from '../../report/render-table.js';
import { gatesNotApplied } from '../../report/format.js';
import { renderComparisonTable } from '../../report/render-comparison.js';
import { COMPARISON_FORMATS, parseFormats as parseFormatList, writeComparisonFiles, writeReportFiles } from '../../report/write.js';

/** commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A repeatable option (`--set a=1 --set b=2`) collected into a list, empty by default. */
export function repeatable(flags: string, description: string): Option {
  return new Option(flags, description).argParser(collect).default([], 'none');
}

export function resolvePath(ctx: CliContext, path: string): string {
  return isAbsolute(path) ? path : resolve(ctx.cwd, path);
}

/** `table,json,md` → format names (validated by the report writer's registry). */
export function parseFormats(list: string): string[] {
  return parseFormatList(list);
}

/** The formats a comparison supports, from the run formats asked for (junit has no comparison form). */
export function comparisonFormats(formats: readonly string[]): string[] {
  return formats.filter((f) => COMPARISON_FORMATS.has(f));
}


/**
 * Runs `handler` on SIGINT or SIGTERM (a CI cancel sends SIGTERM): the command stops its run and
 * still writes the report. Returns the unsubscribe function.
 */
export function onInterrupt(ctx: CliContext, handler: () => void): () => void {
  const offs = [ctx.onSignal('SIGINT', handler), ctx.onSignal('SIGTERM', handler)];
  return () => offs.forEach((off) => off());
}

/**
 * `reports/<name>-<yyyymmdd-hhmmss>/` under the working directory (UTC), created here; when a run
 * of the same second has it already, `-2`, `-3`, … is appended, so runs never share (and
 * overwrite) a directory. Creating the directory without `recursive` is what claims it, so two
 * processes starting in the same second get different ones too.
 */
export function defaultOutDir(ctx: CliContext, name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const safe = name.replace(/[^a-zA-Z0-9._-]+/g, '-');
  const parent = join(ctx.cwd, 'reports');
  mkdirSync(parent, { recursive: true });
  for (let n = 1; ; n++) {
    const dir = join(parent, n === 1 ? `${safe}-${stamp}` : `${safe}-${stamp}-${n}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Writes the report files, prints the console summary (with `table`; without it, as in CI, each
 * advisory on a line of its own), then one line per warning, the reasons a run is invalid, failed
 * gates, and where the files went.
 */
export async function emitReport(ctx: CliContext, report: Report, formats: readonly string[], outDir: string, warnings: readonly string[] = []): Promise<void> {
  await writeReportFiles(outDir, report, formats);
  if (formats.includes('table')) ctx.stdout.write(renderTable(report, { color: useColor(ctx, ctx.stdout), width: layoutColumns(ctx.stdout, 100, 100) }));
  else for (const a of report.advisories) ctx.stderr.write(`advisory ${a.code}: ${a.message}\n`);
  for (const w of warnings) ctx.stderr.write(`warning: ${w}\n`);
  if (report.interrupted) ctx.stderr.write('interrupted: the report covers the traffic up to the interrupt (spans still in flight are counted as inFlight)\n');
  if (!report.valid) for (const r of report.invalidReasons) ctx.stderr.write(`run invalid: ${r}\n`);
  const notApplied = gatesNotApplied(report);
  if (notApplied !== undefined && report.gates.length > 0) ctx.stderr.write(`gates not applied: ${notApplied}\n`);
  else for (const g of report.gates) if (!g.pass) ctx.stderr.write(`gate failed: ${g.message ?? `${g.expression} (actual ${g.actual ?? 'n/a'})`}\n`);
  if (!report.ledger.balanced) ctx.stderr.write(`ledger not balanced: residual ${report.ledger.residual} spans, ${report.spans.inFlight} in flight (a simulator bug)\n`);
  ctx.stderr.write(`report written to ${outDir}\n`);
}

/** As `emitReport` for a compare or sweep: the side-by-side table and comparison files. */
export async function emitComparison(ctx: CliContext, cmp: ComparisonReport, formats: readonly string[], outDir: string): Promise<void> {
  await writeComparisonFiles(outDir, cmp, comparisonFormats(formats));
  if (formats.includes('table')) ctx.stdout.write(renderComparisonTable(cmp));
  ctx.stderr.write(`comparison written to ${outDir}\n`);
}
