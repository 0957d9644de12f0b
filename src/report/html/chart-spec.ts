/**
 * What a chart shows, independent of how it is drawn. The report sections build these from a
 * Report; `svg-line-chart.ts` and `svg-bar-chart.ts` draw them; `figure.ts` wraps them with a
 * title and a legend.
 */
import type { ValueUnit } from './format.js';

/** Number of colours in the palette (`--c0` … `--c7` in styles.ts). */
export const PALETTE_SIZE = 8;

export interface Axis {
  /** Axis title including its unit, e.g. `spans per second`, `held bytes`. */
  label: string;
  unit: ValueUnit;
}

export interface Series {
  /** Legend text; also the `data-series` attribute of the drawn element. */
  name: string;
  /** One value per x position (line) or category (bar); null = no value (gap / "n/a"). */
  values: readonly (number | null)[];
  /** Palette index (0 … PALETTE_SIZE − 1); defaults to the series' position. */
  color?: number;
  /** Error bar per value (bar charts), e.g. a 95 % interval; null = none. */
  intervals?: readonly ([number, number] | null)[];
}

/**
 * A constant drawn across the plot: a configured limit (`num_traces`, the memory limiter's
 * limits) or a gate bound. Drawn dashed; a gate in the "fail" colour.
 */
export interface ReferenceLine {
  name: string;
  value: number;
  kind: 'limit' | 'gate';
  /** Palette index for limits; gates always use the gate colour. */
  color?: number;
}

interface ChartBase {
  /** Stable id, unique in the page: the figure's `id` and `data-chart`. */
  id: string;
  title: string;
  /** One sentence under the title saying how to read the chart. */
  note?: string;
  series: readonly Series[];
  references: readonly ReferenceLine[];
  /** Category / x position to mark as the best entry (compare, sweep). */
  highlightIndex?: number | null;
}

/** Lines over a numeric x (time) or over categories (a sweep's values, with point markers). */
export interface LineChartSpec extends ChartBase {
  kind: 'line';
  x: Axis & {
    values: readonly number[];
    /** When set, x is categorical: `values[i] = i` and these are the tick labels. */
    categories?: readonly string[];
  };
  y: Axis;
}

/** Horizontal grouped bars: one row per category, one bar per series in the row. */
export interface BarChartSpec extends ChartBase {
  kind: 'bar';
  categories: readonly string[];
  /** Title of the category axis (drawn vertically at the left). */
  categoryLabel: string;
  value: Axis;
}

export type ChartSpec = LineChartSpec | BarChartSpec;

/** The palette index of series `i`. */
export function seriesColor(series: Series, i: number): number {
  return (series.color ?? i) % PALETTE_SIZE;
}

/** A chart slot with nothing to draw (no drops, no tail sampler, no time series), with the reason. */
export interface EmptyChart {
  kind: 'empty';
  id: string;
  title: string;
  message: string;
}
