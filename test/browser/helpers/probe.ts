/**
 * Functions that run inside the page (passed to `page.evaluate`) and return plain data about
 * what the browser actually laid out and painted. The project's tsconfig has no DOM library, so
 * the few DOM members used are declared structurally here.
 */

interface Rect {
  width: number;
  height: number;
  left: number;
  right: number;
}

interface ProbeElement {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<ProbeElement>;
  querySelector(selector: string): ProbeElement | null;
  getBoundingClientRect(): Rect;
  textContent: string | null;
  open?: boolean;
}

interface ProbeStyle {
  color: string;
  backgroundColor: string;
  stroke: string;
  fill: string;
  display: string;
}

interface ProbeWindow {
  document: ProbeElement & { body: ProbeElement; documentElement: ProbeElement };
  getComputedStyle(e: ProbeElement): ProbeStyle;
  innerWidth: number;
}

export interface ChartProbe {
  id: string;
  seriesCountAttr: number;
  refCountAttr: number;
  /** Distinct `data-series` names drawn in the SVG. */
  seriesDrawn: string[];
  /** Series elements whose painted box is empty. */
  emptySeries: string[];
  /** Series elements painted with no colour (stroke and fill both none/transparent). */
  unpaintedSeries: string[];
  refsDrawn: string[];
  legendItems: string[];
  xLabel: string;
  yLabel: string;
  title: string;
  svgWidth: number;
  svgHeight: number;
  svgRight: number;
  axisLabelColor: string;
}

export interface PageProbe {
  charts: ChartProbe[];
  emptyCharts: string[];
  bodyBackground: string;
  bodyColor: string;
  gatesBadge: { state: string | null; text: string } | null;
  validBadge: string | null;
  interruptedBadge: boolean;
  bestBadge: string | null;
  dataJson: string;
  viewportWidth: number;
  /** Collapsed <details> elements that are displayed (print must hide them). */
  visibleClosedDetails: number;
}

/** Opens every <details> so charts inside them are laid out. */
export function openAllDetails(): number {
  const w = globalThis as unknown as ProbeWindow;
  const all = Array.from(w.document.querySelectorAll('details'));
  for (const d of all) d.open = true;
  return all.length;
}

/** Reads every chart figure and the verdict header. */
export function probePage(): PageProbe {
  const w = globalThis as unknown as ProbeWindow;
  const doc = w.document;
  const text = (e: ProbeElement | null): string => (e?.textContent ?? '').trim();
  const charts: ChartProbe[] = Array.from(doc.querySelectorAll('figure.chart[data-chart]')).map((fig) => {
    const svg = fig.querySelector('svg');
    const rect = svg ? svg.getBoundingClientRect() : { width: 0, height: 0, left: 0, right: 0 };
    const seriesEls = Array.from(fig.querySelectorAll('svg [data-series]'));
    const emptySeries: string[] = [];
    const unpaintedSeries: string[] = [];
    for (const el of seriesEls) {
      const name = el.getAttribute('data-series') ?? '';
      const r = el.getBoundingClientRect();
      // A series with every value null/zero may legitimately have an empty box only if it has no drawn parts.
      if (r.width <= 0 && r.height <= 0) emptySeries.push(name);
      const painted = [el, ...Array.from(el.querySelectorAll('rect'))].some((p) => {
        const s = w.getComputedStyle(p);
        const isNone = (c: string): boolean => c === 'none' || c === 'rgba(0, 0, 0, 0)' || c === '';
        return !isNone(s.stroke) || (p !== el && !isNone(s.fill));
      });
      if (!painted) unpaintedSeries.push(name);
    }
    const xLabel = fig.querySelector('svg .x-label');
    return {
      id: fig.getAttribute('data-chart') ?? '',
      seriesCountAttr: Number(fig.getAttribute('data-series-count')),
      refCountAttr: Number(fig.getAttribute('data-ref-count')),
      seriesDrawn: [...new Set(seriesEls.map((e) => e.getAttribute('data-series') ?? ''))],
      emptySeries,
      unpaintedSeries,
      refsDrawn: Array.from(fig.querySelectorAll('svg [data-ref]')).map((e) => e.getAttribute('data-ref') ?? ''),
      legendItems: Array.from(fig.querySelectorAll('ul.legend li')).map((e) => text(e)),
      xLabel: text(xLabel),
      yLabel: text(fig.querySelector('svg .y-label')),
      title: text(fig.querySelector('figcaption h3')),
      svgWidth: rect.width,
      svgHeight: rect.height,
      svgRight: rect.right,
      axisLabelColor: xLabel ? w.getComputedStyle(xLabel).fill : '',
    };
  });
  const gates = doc.querySelector('header [data-verdict-gates]');
  const valid = doc.querySelector('header [data-verdict-valid]');
  const best = doc.querySelector('header [data-verdict-best]');
  const bodyStyle = w.getComputedStyle(doc.body);
  return {
    charts,
    emptyCharts: Array.from(doc.querySelectorAll('figure.chart.empty')).map((e) => e.getAttribute('data-empty-chart') ?? ''),
    bodyBackground: bodyStyle.backgroundColor,
    bodyColor: bodyStyle.color,
    gatesBadge: gates ? { state: gates.getAttribute('data-verdict-gates'), text: text(gates) } : null,
    validBadge: valid ? valid.getAttribute('data-verdict-valid') : null,
    interruptedBadge: doc.querySelector('header [data-verdict-interrupted]') !== null,
    bestBadge: best ? text(best) : null,
    dataJson: text(doc.querySelector('#tracesim-data')),
    viewportWidth: w.innerWidth,
    visibleClosedDetails: Array.from(doc.querySelectorAll('details:not([open])')).filter((d) => w.getComputedStyle(d).display !== 'none').length,
  };
}

interface CanvasContext {
  drawImage(img: unknown, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
}
interface ProbeImage {
  src: string;
  width: number;
  height: number;
  decode(): Promise<void>;
}
interface DecodeWindow {
  Image: new () => ProbeImage;
  document: { createElement(tag: 'canvas'): { width: number; height: number; getContext(kind: '2d'): CanvasContext } };
}

/**
 * Decodes a PNG (base64) in the browser and counts pixels that differ from its top-left pixel
 * (the chart's background) by more than a small tolerance: the number of pixels drawn.
 */
export async function countDrawnPixels(pngBase64: string): Promise<{ drawn: number; total: number }> {
  const w = globalThis as unknown as DecodeWindow;
  const img = new w.Image();
  img.src = `data:image/png;base64,${pngBase64}`;
  await img.decode();
  const canvas = w.document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  const [r0, g0, b0] = [data[0]!, data[1]!, data[2]!];
  let drawn = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i]! - r0) + Math.abs(data[i + 1]! - g0) + Math.abs(data[i + 2]! - b0) > 24) drawn++;
  }
  return { drawn, total: img.width * img.height };
}
