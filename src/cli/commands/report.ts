/**
 * `tracesim report FILE --format md,junit,table,json,html [--out DIR]`
 *
 * Renders a saved report.json (or a compare/sweep comparison.json) again. Without `--out` each
 * chosen format is printed to stdout (default `table`); with `--out` the files are written into
 * DIR (report.json / comparison.json always, plus the formats). A file that is not a tracesim
 * report of schema version 1 is an InputError (exit 2).
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from '../command.js';
import { layoutColumns, useColor, type CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { InputError } from '../../shared/errors.js';
import { REPORT_SCHEMA_VERSION, type ComparisonReport, type Report } from '../../report/model.js';
import { renderTable } from '../../report/render-table.js';
import { renderComparisonTable } from '../../report/render-comparison.js';
import { COMPARISON_FORMATS, REPORT_FORMATS, parseFormats, writeComparisonFiles, writeReportFiles } from '../../report/write.js';

export const reportCommand: CommandModule = (program: Command, ctx: CliContext, setExitCode) => {
  program
    .command('report')
    .description('render a saved report.json (or comparison.json) again')
    .argument('<file>', 'report.json or comparison.json written by a run, compare or sweep')
    .option('--format <list>', `comma-separated: ${[...REPORT_FORMATS.keys()].join(', ')}`, 'table')
    .option('--out <dir>', 'write the files into DIR instead of printing them')
    .action(async (file: string, opts: { format: string; out?: string }) => {
      const path = isAbsolute(file) ? file : resolve(ctx.cwd, file);
      const loaded = await loadSavedReport(path);
      const out = opts.out === undefined ? undefined : isAbsolute(opts.out) ? opts.out : resolve(ctx.cwd, opts.out);
      const color = useColor(ctx, ctx.stdout);
      const width = layoutColumns(ctx.stdout, 100, 100);
      if (loaded.kind === 'report') {
        const formats = parseFormats(opts.format, REPORT_FORMATS);
        if (out !== undefined) {
          for (const p of await writeReportFiles(out, loaded.report, formats.filter((f) => f !== 'json'))) ctx.stderr.write(`wrote ${p}\n`);
        } else {
          for (const f of formats) ctx.stdout.write(f === 'table' ? renderTable(loaded.report, { color, width }) : await REPORT_FORMATS.get(f)!.render(loaded.report));
        }
      } else {
        const formats = parseFormats(opts.format, COMPARISON_FORMATS);
        if (out !== undefined) {
          for (const p of await writeComparisonFiles(out, loaded.comparison, formats.filter((f) => f !== 'json'))) ctx.stderr.write(`wrote ${p}\n`);
        } else {
          for (const f of formats) ctx.stdout.write(f === 'table' ? renderComparisonTable(loaded.comparison) : await COMPARISON_FORMATS.get(f)!.render(loaded.comparison));
        }
      }
      setExitCode(ExitCode.OK);
    });
};

type Loaded = { kind: 'report'; report: Report } | { kind: 'comparison'; comparison: ComparisonReport };

/** Reads and checks a saved report; every failure is an InputError naming the file. */
export async function loadSavedReport(path: string): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read report: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: path, cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not JSON: ${(err as Error).message}`, { file: path, cause: err });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError('not a tracesim report (expected a JSON object)', { file: path });
  const v = value as Record<string, unknown>;
  const isComparison = v['kind'] === 'compare' || v['kind'] === 'sweep';
  const isReport = typeof v['tool'] === 'object' && v['tool'] !== null && (v['tool'] as Record<string, unknown>)['name'] === 'tracesim';
  if (!isComparison && !isReport) throw new InputError('not a tracesim report (no tool.name "tracesim" and no compare/sweep kind)', { file: path });
  if (v['schemaVersion'] !== REPORT_SCHEMA_VERSION) {
    throw new InputError(`report schemaVersion ${JSON.stringify(v['schemaVersion'])} is not supported (this tracesim reads version ${REPORT_SCHEMA_VERSION})`, { file: path });
  }
  if (isComparison) {
    if (!Array.isArray(v['runs']) || !Array.isArray(v['labels'])) throw new InputError('comparison report without runs/labels', { file: path });
    return { kind: 'comparison', comparison: value as ComparisonReport };
  }
  for (const key of ['spans', 'traces', 'retention', 'dropped', 'storage', 'throughput', 'gates', 'ledger']) {
    if (typeof v[key] !== 'object' || v[key] === null) throw new InputError(`not a complete tracesim report: "${key}" is missing`, { file: path });
  }
  return { kind: 'report', report: value as Report };
}
