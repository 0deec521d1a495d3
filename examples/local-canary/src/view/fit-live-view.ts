import type { DemoSnapshot } from '../demo/demo-report.js';
import { type LiveViewOptions, renderLiveView } from './render-live-view.js';

/**
 * The live view cut to at most `maxLines` lines, so that a redraw never
 * scrolls (a frame taller than the terminal pushes its top into the
 * scrollback, and cursor-up cannot reach it): the oldest events go first,
 * then the oldest measurements (the newest stays), then the steps far from
 * the current one, then lines from the bottom. `undefined` when even the
 * top of the view (title, phase, the current step) does not fit: the caller
 * falls back to plain lines.
 */
export function fitLiveView(snapshot: DemoSnapshot, maxLines: number): string[] | undefined {
  let shown = snapshot;
  let options: LiveViewOptions = {};
  let lines = renderLiveView(shown, options);
  while (lines.length > maxLines && shown.events.length > 0) {
    shown = { ...shown, events: shown.events.slice(1) };
    lines = renderLiveView(shown, options);
  }
  while (lines.length > maxLines && shown.measurements.length > 1) {
    shown = { ...shown, measurements: shown.measurements.slice(1) };
    lines = renderLiveView(shown, options);
  }
  for (let window = snapshot.steps.length - 1; lines.length > maxLines && window >= 1; window--) {
    options = { stepWindow: window };
    lines = renderLiveView(shown, options);
  }
  if (lines.length <= maxLines) return lines;
  // Title, phase, a blank line and up to five lines of steps: with less the view says nothing.
  if (maxLines < 8) return undefined;
  return [...lines.slice(0, maxLines - 1), '  …'];
}
