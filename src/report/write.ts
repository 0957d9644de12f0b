/**
 * Writing a run's report files, and the registry of output formats.
 *
 * `report.json` is always written; each chosen format adds its file. A format is a renderer plus
 * a file name, registered in `REPORT_FORMATS` (one line per format; `registerReportFormat` adds
 * one at run time). Comparisons (compare/sweep) have their own small registry.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../shared/errors.js';
import { renderComparisonHtml, renderHtml } from './html/render.js';
import type { ComparisonReport, Report } from './model.js';
import { renderComparisonMarkdown, renderComparisonTable } from './render-comparison.js';
import { renderComparisonJunit, renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';
import { renderTable } from './render-table.js';

export interface ReportFormat<R> {
  /** File name inside the output directory. */
  file: string;
  render(report: R): string | Promise<string>;
}

/** Run-report formats by name (`--format`). `json` is report.json itself. */
export const REPORT_FORMATS = new Map<string, ReportFormat<Report>>([
  ['json', { file: 'report.json', render: (r) => `${JSON.stringify(r, null, 2)}\n` }],
  ['table', { file: 'summary.txt', render: (r) => renderTable(r, { color: false }) }],
  ['md', { file: 'report.md', render: renderMarkdown }],
  ['junit', { file: 'junit.xml', render: renderJunit }],
  ['html', { file: 'report.html', render: renderHtml }],
]);

/** Comparison formats by name; `json` is comparison.json. */
export const COMPARISON_FORMATS = new Map<string, ReportFormat<ComparisonReport>>([
  ['json', { file: 'comparison.json', render: (c) => `${JSON.stringify(c, null, 2)}\n` }],
  ['table', { file: 'comparison.txt', render: renderComparisonTable }],
  ['md', { file: 'comparison.md', render: renderComparisonMarkdown }],
  ['junit', { file: 'junit.xml', render: renderComparisonJunit }],
  ['html', { file: 'comparison.html', render: renderComparisonHtml }],
]);

/** Adds (or replaces) a run-report format, e.g. `html`. */
export function registerReportFormat(name: string, format: ReportFormat<Report>): void {
  REPORT_FORMATS.set(name, format);
}

/** Adds (or replaces) a comparison format, e.g. the sweep chart. */
export function registerComparisonFormat(name: string, format: ReportFormat<ComparisonReport>): void {
  COMPARISON_FORMATS.set(name, format);
}

/**
 * `"table,json"` or `["md", "junit"]` → validated, de-duplicated names. Unknown names throw one
 * InputError listing them and the known formats.
 */
export function parseFormats(spec: string | readonly string[], known: ReadonlyMap<string, unknown> = REPORT_FORMATS): string[] {
  const names = (typeof spec === 'string' ? [spec] : spec).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new InputError(`--format: unknown format${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${[...known.keys()].join(', ')})`);
  return [...new Set(names)];
}

/** Writes report.json plus each chosen format into `dir` (created); resolves to the paths written. */
export async function writeReportFiles(dir: string, report: Report, formats: readonly string[]): Promise<string[]> {
  return writeWith(dir, report, ['json', ...formats], REPORT_FORMATS);
}

/** Writes comparison.json plus each chosen format into `dir`. */
export async function writeComparisonFiles(dir: string, cmp: ComparisonReport, formats: readonly string[]): Promise<string[]> {
  return writeWith(dir, cmp, ['json', ...formats], COMPARISON_FORMATS);
}

async function writeWith<R>(dir: string, value: R, formats: readonly string[], registry: ReadonlyMap<string, ReportFormat<R>>): Promise<string[]> {
  const names = parseFormats(formats, registry);
  await inOutputDir(dir, () => mkdir(dir, { recursive: true }));
  const written: string[] = [];
  for (const name of names) {
    const format = registry.get(name)!;
    const path = join(dir, format.file);
    const text = await format.render(value);
    await inOutputDir(path, () => writeFile(path, text));
    written.push(path);
  }
  return written;
}

/** A file-system failure under `--out` (a file in the way, no permission) is the user's to fix: exit 2. */
async function inOutputDir<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new InputError(`cannot write the report: ${code} (check --out)`, { file: path, cause: err });
  }
}
