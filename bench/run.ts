/**
 * `npm run bench`: runs every case in bench/cases/, prints one table and writes
 * reports/bench/latest.json. `--smoke` runs each case briefly (CI proves the benches still run);
 * `--only name,name` runs the cases producing those entries and merges them into latest.json.
 *
 * Each case runs in a fresh `node --expose-gc` process (`--case=FILE`, which prints its entries
 * after `BENCH_ENTRIES`): a case then measures code the JIT has seen only in that case, with a
 * heap no earlier case left garbage in. (In one shared process, `otlp-encode` after `generate`,
 * whose workers and templated spans drive the same encoder module, measured 30–50 % lower than
 * alone, and varied with the order of the files.)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus } from 'node:os';
import type { BenchCase, BenchEntry } from './harness.js';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;

const here = dirname(fileURLToPath(import.meta.url));
const casesDir = join(here, 'cases');
const repoRoot = join(here, '..', '..');
const outDir = join(repoRoot, 'reports', 'bench');
const outFile = join(outDir, 'latest.json');

const ENTRIES_MARK = 'BENCH_ENTRIES ';
const caseArg = args.find((a) => a.startsWith('--case='));

async function loadCase(file: string): Promise<BenchCase> {
  return ((await import(pathToFileURL(join(casesDir, file)).href)) as { default: BenchCase }).default;
}

/** Runs one case file in a child process; resolves to its entries. */
function runInChild(file: string): Promise<BenchEntry[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), `--case=${file}`, ...(smoke ? ['--smoke'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(ENTRIES_MARK));
      if (code !== 0 || line === undefined) reject(new Error(`bench case ${file} failed (exit ${code})`));
      else resolve(JSON.parse(line.slice(ENTRIES_MARK.length)) as BenchEntry[]);
    });
  });
}

if (caseArg !== undefined) {
  // child: one case, entries on stdout
  const entries = await (await loadCase(caseArg.slice('--case='.length))).run({ smoke });
  process.stdout.write(`${ENTRIES_MARK}${JSON.stringify(entries)}\n`);
} else {
  await runAll();
}

async function runAll(): Promise<void> {
  const files = readdirSync(casesDir).filter((f) => f.endsWith('.js')).sort();
  const entries: BenchEntry[] = [];
  for (const file of files) {
    const benchCase = await loadCase(file);
    if (only && !benchCase.names.some((n) => only.has(n))) continue;
    process.stderr.write(`running ${benchCase.names.join(', ')}${smoke ? ' (smoke)' : ''}…\n`);
    entries.push(...(await runInChild(file)));
  }

  let all = entries;
  if (only && existsSync(outFile)) {
    const previous = JSON.parse(readFileSync(outFile, 'utf8')) as BenchEntry[];
    const fresh = new Set(entries.map((e) => e.name));
    all = [...previous.filter((e) => !fresh.has(e.name)), ...entries];
  }
  if (!smoke) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(all, null, 2)}\n`);
  }

  const fmt = (n: number) => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(4));
  const rows = entries.map((e) => [e.name, e.unit, fmt(e.ours), fmt(e.reference), e.referenceName, e.ratio.toFixed(2), e.note ?? '']);
  const header = ['name', 'unit', 'ours', 'reference', 'reference is', 'ratio', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${new Date().toISOString().slice(0, 10)} · node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}${smoke ? ' · SMOKE (figures not meaningful)' : ''}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  if (!smoke) console.log(`\nwritten to ${outFile}`);
}
