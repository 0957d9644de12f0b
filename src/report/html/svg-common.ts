/**
 * Shared pieces of the SVG charts: geometry constants, coordinate rounding, axis titles.
 * Charts use a fixed coordinate system (`viewBox`) and scale to their container's width, so the
 * same markup fits a wide screen and an A4 page.
 */
import { escapeHtml } from './escape.js';

/** viewBox width of every chart. */
export const CHART_WIDTH = 600;

/** Average glyph width at the 11 px tick font, for laying out labels without measuring text. */
export const CHAR_WIDTH_PX = 6.4;

/** Rounds a coordinate to 0.1 px: enough for a crisp chart, small markup. */
export function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** Shortens `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** The x-axis title centred under the plot. */
export function xAxisTitle(label: string, left: number, right: number, y: number): string {
  return `<text class="axis-label x-label" x="${px((left + right) / 2)}" y="${px(y)}" text-anchor="middle">${escapeHtml(label)}</text>`;
}

/** The y-axis title, rotated, centred beside the plot. */
export function yAxisTitle(label: string, top: number, bottom: number, x: number): string {
  const cy = (top + bottom) / 2;
  return `<text class="axis-label y-label" x="${px(x)}" y="${px(cy)}" text-anchor="middle" transform="rotate(-90 ${px(x)} ${px(cy)})">${escapeHtml(label)}</text>`;
}
