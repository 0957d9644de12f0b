/**
 * Shared pieces of the SVG charts: geometry constants, coordinate rounding, axis titles.
 * Charts use a fixed coordinate system (`viewBox`) and scale to their container's width, so the
 * same markup fits a wide screen and an A4 page.
 */
import { escapeHtml } from './escape.js';

/** viewBox width of every chart. */
export const CHART_WIDTH = 600;

/** Average glyph width at the 12 px tick font, for laying out labels without measuring text. */
export const CHAR_WIDTH_PX = 6.9;

/** Rounds a coordinate to 0.1 px: enough for a crisp chart, small markup. */
export function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/**
 * Shortens `text` to `max` characters by replacing its middle with an ellipsis: both ends carry
 * meaning in our labels (a drop reason and its component, a directory and a file name, a config
 * path and its last key).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep * 0.4);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/** Average glyph width of the 13 px bold axis titles. */
const TITLE_CHAR_WIDTH_PX = 7.8;

/** The x-axis title centred under the plot. */
export function xAxisTitle(label: string, left: number, right: number, y: number): string {
  const shown = truncate(label, Math.floor((CHART_WIDTH - 8) / TITLE_CHAR_WIDTH_PX));
  const title = shown === label ? '' : `<title>${escapeHtml(label)}</title>`;
  const x = Math.min(Math.max((left + right) / 2, 4 + (shown.length * TITLE_CHAR_WIDTH_PX) / 2), CHART_WIDTH - 4 - (shown.length * TITLE_CHAR_WIDTH_PX) / 2);
  return `<text class="axis-label x-label" x="${px(x)}" y="${px(y)}" text-anchor="middle">${escapeHtml(shown)}${title}</text>`;
}

/** The y-axis title, rotated, centred beside the plot. */
export function yAxisTitle(label: string, top: number, bottom: number, x: number): string {
  const cy = (top + bottom) / 2;
  return `<text class="axis-label y-label" x="${px(x)}" y="${px(cy)}" text-anchor="middle" transform="rotate(-90 ${px(x)} ${px(cy)})">${escapeHtml(label)}</text>`;
}
