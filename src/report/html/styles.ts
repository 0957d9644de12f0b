/**
 * The page's stylesheet, inlined into every report. Colours are CSS variables with a light and a
 * dark set (prefers-color-scheme); print always uses the light set on white, hides the
 * disclosure chrome of <details> left closed, and keeps each chart on one page.
 */

interface Theme {
  bg: string;
  fg: string;
  muted: string;
  card: string;
  border: string;
  grid: string;
  pass: string;
  fail: string;
  warn: string;
  best: string;
  /** Series palette `--c0` … `--c7` (c3 red for drops, c7 grey for sampled out). */
  palette: readonly string[];
}

const LIGHT: Theme = {
  bg: '#ffffff',
  fg: '#1f2430',
  muted: '#5c6473',
  card: '#f5f6f8',
  border: '#d8dce3',
  grid: '#e6e9ee',
  pass: '#1a7f37',
  fail: '#c62828',
  warn: '#9a6700',
  best: 'rgba(234, 179, 8, 0.16)',
  palette: ['#2563eb', '#16a34a', '#9333ea', '#dc2626', '#d97706', '#0891b2', '#db2777', '#6b7280'],
};

const DARK: Theme = {
  bg: '#111418',
  fg: '#e4e7eb',
  muted: '#9aa3af',
  card: '#1b2027',
  border: '#333a44',
  grid: '#2a3038',
  pass: '#4ade80',
  fail: '#f87171',
  warn: '#fbbf24',
  best: 'rgba(250, 204, 21, 0.14)',
  palette: ['#60a5fa', '#4ade80', '#c084fc', '#f87171', '#fbbf24', '#22d3ee', '#f472b6', '#9ca3af'],
};

function vars(t: Theme): string {
  return [
    `--bg:${t.bg}`,
    `--fg:${t.fg}`,
    `--muted:${t.muted}`,
    `--card:${t.card}`,
    `--border:${t.border}`,
    `--grid:${t.grid}`,
    `--pass:${t.pass}`,
    `--fail:${t.fail}`,
    `--warn:${t.warn}`,
    `--best:${t.best}`,
    ...t.palette.map((c, i) => `--c${i}:${c}`),
  ].join(';');
}

const PALETTE_RULES = LIGHT.palette
  .map((_, i) => `.c${i}{--sc:var(--c${i})}`)
  .join('');

export const STYLES = `
:root{color-scheme:light dark;${vars(LIGHT)}}
@media (prefers-color-scheme: dark){:root{${vars(DARK)}}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--border)}
h3{font-size:14px;margin:0}
p.meta,p.note{color:var(--muted);margin:2px 0 0}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12.5px}
pre{background:var(--card);border:1px solid var(--border);border-radius:6px;padding:10px;overflow:auto;max-height:480px;white-space:pre}
header.verdict{border:1px solid var(--border);border-left:6px solid var(--muted);border-radius:8px;padding:16px 18px;background:var(--card)}
header.verdict.status-pass{border-left-color:var(--pass)}
header.verdict.status-fail{border-left-color:var(--fail)}
header.verdict.status-warn{border-left-color:var(--warn)}
.badges{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.badge{display:inline-block;white-space:nowrap;padding:3px 10px;border-radius:999px;font-weight:600;font-size:13px;border:1px solid currentColor}
.badge.pass{color:var(--pass)}.badge.fail{color:var(--fail)}.badge.warn{color:var(--warn)}.badge.neutral{color:var(--muted)}
dl.numbers{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px;margin:0}
dl.numbers div{background:var(--bg);border:1px solid var(--border);border-radius:6px;padding:8px 10px}
dl.numbers dt{color:var(--muted);font-size:12px}
dl.numbers dd{margin:2px 0 0;font-size:18px;font-weight:600}
dl.numbers dd small{display:block;font-size:12px;font-weight:400;color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--border);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12.5px}
td.num,th.num{text-align:right;white-space:nowrap}
tr.best td{background:var(--best)}
td .badges{margin:0;gap:4px}
.table-scroll{overflow-x:auto}
table.comparison td:first-child{overflow-wrap:anywhere}
.pass-text{color:var(--pass);font-weight:600}.fail-text{color:var(--fail);font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
figure.chart{margin:0;border:1px solid var(--border);border-radius:8px;padding:12px;background:var(--bg);break-inside:avoid}
figure.chart svg{display:block;width:100%;height:auto;margin-top:8px}
figure.chart.empty{display:flex;flex-direction:column;justify-content:center}
.chart-svg text{fill:var(--fg);font-size:12px}
.chart-svg .axis-label{font-size:13px;font-weight:600;fill:var(--muted)}
.chart-svg .grid line{stroke:var(--grid);stroke-width:1}
.chart-svg .frame,.chart-svg .tick{stroke:var(--muted);stroke-width:1;fill:none}
.chart-svg path.line{fill:none;stroke:var(--sc);stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.chart-svg circle.marker{fill:var(--sc);stroke:var(--bg);stroke-width:1.5}
.chart-svg circle.marker.best{stroke:var(--fg);stroke-width:2.5}
.chart-svg .bars rect{fill:var(--sc)}
.chart-svg .bars text.value{font-size:11px;fill:var(--muted)}
.chart-svg .bars text.value.inside{fill:var(--bg);font-weight:600}
.chart-svg text.na{fill:var(--muted);font-style:italic}
.chart-svg .error-bar{stroke:var(--fg);stroke-width:1.3;fill:none}
.chart-svg .ref line{stroke:var(--sc);stroke-width:1.6;stroke-dasharray:6 4}
.chart-svg .ref text{fill:var(--sc);font-size:11px;font-weight:600}
.chart-svg .ref.gate{--sc:var(--fail)}
.chart-svg .best-band{fill:var(--best)}
.chart-svg text.best{font-weight:700}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:8px 0 0;padding:0;font-size:12.5px}
ul.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:16px;height:4px;border-radius:2px;background:var(--sc)}
.swatch.dashed{background:none;height:0;border-top:2px dashed var(--sc)}
.swatch.gate{--sc:var(--fail)}
ul.plain{margin:4px 0;padding-left:20px}
details{border:1px solid var(--border);border-radius:6px;padding:6px 10px;margin:8px 0;background:var(--card)}
details>summary{cursor:pointer;font-weight:600}
details[open]>summary{margin-bottom:6px}
section.run{margin-top:12px}
${PALETTE_RULES}
@media print{
  :root{${vars(LIGHT)}}
  body{background:#fff;font-size:11pt}
  main{max-width:none;padding:0}
  .charts{display:block}
  figure.chart{margin:0 0 10px;page-break-inside:avoid;break-inside:avoid}
  details:not([open]){display:none}
  details>summary{list-style:none}
  details>summary::-webkit-details-marker{display:none}
  h2{break-after:avoid}
}
`;
